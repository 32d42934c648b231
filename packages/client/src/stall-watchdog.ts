// One timer per connection, checked against the time of the last frame: a frame only stores a
// timestamp (no timer or promise per frame), and the timer re-arms itself for what is left.
import type { Clock } from "@tiklive/core";

/** Watches a connection for silence. */
export interface StallWatchdog {
  /** A frame arrived. */
  touch(): void;
  stop(): void;
}

/** Calls `onStall` once when nothing arrived for `timeoutMs`; 0 disables it. */
export function startStallWatchdog(timeoutMs: number, clock: Clock, onStall: () => void): StallWatchdog {
  if (timeoutMs === 0) return { touch() {}, stop() {} };
  let last = clock.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    timer.unref?.();
  };
  const check = () => {
    timer = undefined;
    const idle = clock.now() - last;
    if (idle >= timeoutMs) onStall();
    else arm(timeoutMs - idle);
  };
  arm(timeoutMs);
  return {
    touch() {
      last = clock.now();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

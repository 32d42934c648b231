// Waiting in tests: poll until something holds, or let a moment pass.
import { sleep } from "@tiklive/core/internal";

export interface UntilOptions {
  /** Reject when the probe has not succeeded for this long. Default 5000. */
  timeoutMs?: number;
  /** Pause between two probes. Default 10. */
  intervalMs?: number;
  /** What is awaited, for the timeout's message. */
  what?: string;
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and resolves
 * with that value; rejects once `timeoutMs` has passed without it.
 */
export async function until<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 10, what = "the condition" }: UntilOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await settle(intervalMs);
  }
}

/** Resolves after `ms` milliseconds: lets sockets, timers and requests in flight move on. */
export function settle(ms: number): Promise<void> {
  return sleep(ms);
}

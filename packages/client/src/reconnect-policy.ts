// When and whether to reconnect: exponential backoff with jitter, capped, honouring a server's
// retry time, and a bounded number of attempts in a row. Pure but for its injected clock and
// random source, so reconnect behaviour is tested on fake time.
import type { Clock, TikLiveError } from "@tiklive/core";
import { maxTimerDelayMs } from "@tiklive/core/internal";

/** The resolved reconnect settings (see `ReconnectOptions` for each field's meaning and default). */
export interface ReconnectSettings {
  enabled: boolean;
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitter: number;
}

/** What the policy decided for one failure. */
export type ReconnectDecision =
  | { retry: true; attempt: number; delayMs: number }
  | { retry: false; attempt: number; why: "disabled" | "exhausted" | "fatal" };

/** One connection's reconnect state: attempts in a row since the stream last worked. */
export interface ReconnectPolicy {
  /**
   * Decides after a failure: retry after `delayMs` (the backoff, or the error's
   * `retryAfterMs` when longer), or give up because reconnecting is off, the attempts are
   * spent, or the error says retrying cannot help.
   */
  next(error: TikLiveError | undefined): ReconnectDecision;
  /** The stream works again: the next failure starts from attempt 1. */
  reset(): void;
  /** Attempts made since the last reset. */
  readonly attempts: number;
  readonly clock: Clock;
}

/** The delay before attempt `attempt` (1-based): exponential, capped, with ± jitter. */
export function backoffDelay(settings: ReconnectSettings, attempt: number, random: () => number): number {
  const base = Math.min(
    settings.maxDelayMs,
    settings.initialDelayMs * settings.factor ** Math.max(0, attempt - 1),
  );
  const spread = base * settings.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

/** Creates the reconnect policy of one client. */
export function createReconnectPolicy(
  settings: ReconnectSettings,
  random: () => number,
  clock: Clock,
): ReconnectPolicy {
  let attempts = 0;
  return {
    clock,
    get attempts() {
      return attempts;
    },
    reset() {
      attempts = 0;
    },
    next(error) {
      if (error !== undefined && !error.retryable) return { retry: false, attempt: attempts, why: "fatal" };
      if (!settings.enabled) return { retry: false, attempt: attempts, why: "disabled" };
      if (attempts >= settings.maxAttempts) return { retry: false, attempt: attempts, why: "exhausted" };
      attempts += 1;
      // A server's retry time wins when longer, within what a timer can wait.
      const delayMs = Math.min(
        maxTimerDelayMs,
        Math.max(backoffDelay(settings, attempts, random), error?.retryAfterMs ?? 0),
      );
      return { retry: true, attempt: attempts, delayMs };
    },
  };
}

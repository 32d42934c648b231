// A budget of sign requests: sign servers limit how many sessions a caller may start per
// minute, hour and day (docs/protocol.md §7.2), and a 429 costs far more than waiting. Every
// sign request draws one token first; when a window is empty the caller waits (and can say
// so) instead of spending a request that is sure to fail. One budget can be shared by many
// clients and rooms (a pool), or by many processes through another implementation of the
// same interface (the Redis package).
import { ErrorCode, TikLiveError } from "./errors.js";
import { sleep } from "./retry-after.js";

/** One limit: at most `max` requests per `periodMs`, refilled continuously. */
export interface SignBudgetWindow {
  /** Requests allowed per period. An integer >= 1. */
  max: number;
  /** The period in milliseconds (60 000 for "per minute"). */
  periodMs: number;
}

/** A clock: the time, and a way to wait. Injectable so tests run on fake time. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A shared budget of sign requests. */
export interface SignBudget {
  /** Milliseconds until a request may be made (0 when one may be made now). Takes nothing. */
  waitTime(): number;
  /**
   * Waits until a request may be made and takes one token. Resolves with how long it waited.
   * Rejects with `aborted` when the signal aborts while it waits.
   */
  acquire(signal?: AbortSignal): Promise<number>;
  /**
   * The sign server said 429: no request until `retryAfterMs` from now, whatever the windows
   * hold (a sign server knows its own counts better than we do).
   */
  penalize(retryAfterMs: number): void;
  /**
   * The sign server reported what is left (`GET /webcast/rate_limits`): per window, the
   * requests remaining and when it resets. Windows not named keep their state.
   */
  report(limits: readonly { periodMs: number; max: number; remaining: number; resetAt: number }[]): void;
}

/** Options of {@link createSignBudget}. */
export interface SignBudgetOptions {
  /**
   * The limits, each a sliding window. Default {@link anonymousEulerLimits}: what an anonymous caller of Euler's sign
   * server may start (5 per minute, 30 per hour, as its maintainers stated publicly); an API
   * key raises them, and `createEulerSigner` asks the server for its real limits then.
   */
  windows?: readonly SignBudgetWindow[];
  /** Default: the real clock (`Date.now`, `setTimeout`). */
  clock?: Clock;
}

/** Anonymous Euler sign server limits: 5 sessions per minute and 30 per hour (IP based). */
export const anonymousEulerLimits: readonly SignBudgetWindow[] = Object.freeze([
  Object.freeze({ max: 5, periodMs: 60_000 }),
  Object.freeze({ max: 30, periodMs: 3_600_000 }),
]);

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};

function abortError(signal: AbortSignal): TikLiveError {
  return TikLiveError.from(signal.reason ?? new DOMException("aborted", "AbortError"), ErrorCode.Aborted);
}

// One window's grants, as a ring of the last `max` grant times: a grant is allowed when the
// oldest of them is at least `periodMs` old. A sliding log, not a refilling bucket: a bucket
// refills while it is being drained and so allows more than `max` in some period, which a
// sign server counting fixed windows answers with a 429.
interface Window {
  max: number;
  periodMs: number;
  times: number[];
  next: number;
}

function windowOf(max: number, periodMs: number): Window {
  return { max, periodMs, times: new Array<number>(max).fill(Number.NEGATIVE_INFINITY), next: 0 };
}

/**
 * Creates a budget of sign requests with one sliding window per limit; a request needs room in
 * every window, so no window ever sees more than its `max` requests in any `periodMs`.
 *
 * @example
 * const budget = createSignBudget(); // anonymous Euler limits
 * const signer = createEulerSigner({ budget }); // every client using this signer shares it
 */
export function createSignBudget(options: SignBudgetOptions = {}): SignBudget {
  const clock = options.clock ?? systemClock;
  const limits = options.windows ?? anonymousEulerLimits;
  if (!Array.isArray(limits) || limits.length === 0) {
    throw new TikLiveError(ErrorCode.InvalidInput, "windows must be a non-empty array of { max, periodMs }");
  }
  const windows: Window[] = limits.map((w, i) => {
    if (!Number.isInteger(w?.max) || w.max < 1 || !Number.isInteger(w.periodMs) || w.periodMs < 1) {
      throw new TikLiveError(
        ErrorCode.InvalidInput,
        `windows[${i}] must have an integer max >= 1 and an integer periodMs >= 1`,
      );
    }
    return windowOf(w.max, w.periodMs);
  });
  let blockedUntil = 0;

  const waitTime = (): number => {
    const now = clock.now();
    let wait = Math.max(0, blockedUntil - now);
    for (const w of windows) wait = Math.max(wait, (w.times[w.next] as number) + w.periodMs - now);
    return Math.max(0, Math.ceil(wait));
  };
  const take = (now: number) => {
    for (const w of windows) {
      w.times[w.next] = now;
      w.next = (w.next + 1) % w.max;
    }
  };

  return {
    waitTime,
    async acquire(signal) {
      let waited = 0;
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const wait = waitTime();
        if (wait === 0) {
          take(clock.now());
          return waited;
        }
        try {
          await clock.sleep(wait, signal);
        } catch (error) {
          throw signal?.aborted ? abortError(signal) : error;
        }
        waited += wait;
      }
    },
    penalize(retryAfterMs) {
      if (!Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return;
      blockedUntil = Math.max(blockedUntil, clock.now() + retryAfterMs);
    },
    report(reported) {
      const now = clock.now();
      for (const limit of reported) {
        if (!Number.isInteger(limit.max) || limit.max < 1 || !Number.isFinite(limit.remaining)) continue;
        if (!Number.isInteger(limit.periodMs) || limit.periodMs < 1) continue;
        const index = windows.findIndex((w) => w.periodMs === limit.periodMs);
        const window = windowOf(limit.max, limit.periodMs);
        // What the server counted as used expires when its window resets.
        const used = limit.max - Math.max(0, Math.min(limit.max, Math.floor(limit.remaining)));
        const expiresAt = Number.isFinite(limit.resetAt) && limit.resetAt > now ? limit.resetAt : now;
        for (let i = 0; i < used; i++) {
          window.times[window.next] = expiresAt - limit.periodMs;
          window.next = (window.next + 1) % window.max;
        }
        if (index === -1) windows.push(window);
        else windows[index] = window;
      }
    },
  };
}

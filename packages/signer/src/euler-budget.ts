// The Euler signer's budget of sign requests (docs/protocol.md §7.2). Anonymous callers of
// Euler's own server get the anonymous limits (core's createSignBudget()); a keyed signer asks
// the server what its key may do (`GET /webcast/rate_limits`): once, lazily, before the first
// sign, then again at most every few minutes or after a 429. That answer only ever improves
// the estimate: when the route fails, the signer falls back and signs anyway.
import {
  type Clock,
  createSignBudget,
  ErrorCode,
  type SignBudget,
  type SignBudgetWindow,
  TikLiveError,
} from "@tiklive/core";

/** One window as `SignBudget.report` takes it. */
export type ReportedLimit = Parameters<SignBudget["report"]>[0][number];

/** How long the signer trusts what `GET /webcast/rate_limits` said: it asks again after this. */
export const rateLimitsRefreshMs = 5 * 60_000;
/** After a 429 it asks again, but never sooner than this after the previous answer. */
export const rateLimitsMinGapMs = 10_000;
/** What a 429 without any retry time blocks: the smallest window a sign server counts. */
export const defaultPenaltyMs = 60_000;

// The windows `GET /webcast/rate_limits` names, by period.
const namedPeriods = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

// Epoch thresholds as in core's parseRetryAfter: 10^12 ms and 10^9 s are both 2001-09-09.
const epochMsThreshold = 1e12;
const epochSecondsThreshold = 1e9;

function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * A `reset_at` as ms since the epoch. Accepted, because servers disagree: an ISO 8601 date
 * (what `@tiklive/simulator` sends), epoch seconds, epoch milliseconds, and a small number as
 * seconds from now. Undefined when it is none of them.
 */
export function parseResetAt(value: unknown, now: number): number | undefined {
  const number = numberOf(value);
  if (number !== undefined) {
    if (number >= epochMsThreshold) return number;
    if (number >= epochSecondsThreshold) return number * 1000;
    return now + number * 1000;
  }
  if (typeof value === "string" && /[a-z]|-|:/i.test(value)) {
    const at = Date.parse(value);
    return Number.isFinite(at) ? at : undefined;
  }
  return undefined;
}

/**
 * Reads an answer of `GET /webcast/rate_limits`:
 * `{code, message, minute|hour|day: {max, remaining, reset_at}, load_shedding}`. Each window
 * with a whole `max` >= 1 and a numeric `remaining` becomes a limit (numbers may come as
 * strings; `remaining` is clamped to 0..max). A `reset_at` that cannot be read counts as a full
 * period from now, so what is used is not forgotten early. `load_shedding` is not used. Returns
 * undefined when the answer is not an object, says `code` >= 400, or names no usable window.
 */
export function parseRateLimits(json: unknown, now: number): ReportedLimit[] | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const answer = json as Record<string, unknown>;
  const code = numberOf(answer["code"]);
  if (code !== undefined && code >= 400) return undefined;
  const limits: ReportedLimit[] = [];
  for (const [name, periodMs] of Object.entries(namedPeriods)) {
    const window = answer[name];
    if (window === null || typeof window !== "object") continue;
    const fields = window as Record<string, unknown>;
    const max = numberOf(fields["max"]);
    const remaining = numberOf(fields["remaining"]);
    if (max === undefined || remaining === undefined || !Number.isInteger(max) || max < 1) continue;
    limits.push({
      periodMs,
      max,
      remaining: Math.min(max, Math.max(0, Math.floor(remaining))),
      resetAt: parseResetAt(fields["reset_at"], now) ?? now + periodMs,
    });
  }
  return limits.length === 0 ? undefined : limits;
}

/** Options of {@link createServerBudget}. */
export interface ServerBudgetOptions {
  clock: Clock;
  /** The windows used when the server cannot say (and until it does); undefined: none. */
  fallback: readonly SignBudgetWindow[] | undefined;
  /** Asks the server for its limits; undefined: never asks. Rejects when it cannot tell. */
  fetchLimits: (() => Promise<ReportedLimit[]>) | undefined;
  /** Told when asking failed, and what the budget does instead. */
  onFailure: (error: unknown, instead: string) => void;
}

function abortError(signal: AbortSignal): TikLiveError {
  return TikLiveError.from(signal.reason ?? new DOMException("aborted", "AbortError"), ErrorCode.Aborted);
}

/** Waits for `promise`, or rejects with `aborted` when the signal aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function validLimits(limits: readonly ReportedLimit[]): ReportedLimit[] {
  return limits.filter(
    (l) =>
      Number.isInteger(l?.max) &&
      l.max >= 1 &&
      Number.isInteger(l.periodMs) &&
      l.periodMs >= 1 &&
      Number.isFinite(l.remaining),
  );
}

/**
 * A budget whose windows come from the sign server: a 429's retry time blocks it, and the
 * windows are what `fetchLimits` last reported (or `fallback` when it could not). With neither,
 * only 429s block it. Asking is single-flight: callers that arrive while an answer is pending
 * wait for that one. Asking is not a sign request and draws nothing.
 */
export function createServerBudget(options: ServerBudgetOptions): SignBudget {
  const { clock, fallback, fetchLimits } = options;
  const fallbackBudget = () =>
    fallback === undefined ? undefined : createSignBudget({ windows: fallback, clock });
  // The windows; undefined: no limit known (penalties only).
  let inner: SignBudget | undefined = fetchLimits === undefined ? fallbackBudget() : undefined;
  let blockedUntil = 0;
  let askedAt: number | undefined;
  let stale = false;
  let pending: Promise<void> | undefined;
  // Whether `inner` holds what the server reported (else the fallback, or nothing).
  let reported = false;

  // A budget of exactly what the server reported (windows it did not name are dropped).
  const fromReport = (limits: readonly ReportedLimit[]): SignBudget => {
    const budget = createSignBudget({
      windows: limits.map((l) => ({ max: l.max, periodMs: l.periodMs })),
      clock,
    });
    budget.report(limits);
    return budget;
  };

  const due = (): boolean => {
    if (fetchLimits === undefined) return false;
    if (askedAt === undefined) return true;
    const since = clock.now() - askedAt;
    return since >= rateLimitsRefreshMs || (stale && since >= rateLimitsMinGapMs);
  };

  const refresh = (ask: () => Promise<ReportedLimit[]>): Promise<void> => {
    if (pending !== undefined) return pending;
    const asking = async () => {
      try {
        const limits = validLimits(await ask());
        if (limits.length === 0) throw new TikLiveError(ErrorCode.InvalidResponse, "no usable window");
        inner = fromReport(limits);
        reported = true;
      } catch (error) {
        const instead = reported
          ? "keeping the limits it reported before"
          : fallback !== undefined
            ? "using the anonymous limits"
            : "no local limit (429s still block)";
        inner ??= fallbackBudget();
        options.onFailure(error, instead);
      }
      askedAt = clock.now();
      stale = false;
    };
    // Cleared in a callback, so always after `pending` was set.
    const current = asking().finally(() => {
      pending = undefined;
    });
    pending = current;
    return current;
  };

  const waitTime = (): number => {
    const blocked = Math.ceil(blockedUntil - clock.now());
    return Math.max(0, blocked, inner?.waitTime() ?? 0);
  };

  return {
    waitTime,
    async acquire(signal) {
      let waited = 0;
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        if (fetchLimits !== undefined && due()) await untilAborted(refresh(fetchLimits), signal);
        const wait = waitTime();
        if (wait === 0) {
          // Nothing to wait for: the inner budget takes its token at once.
          if (inner !== undefined) waited += await inner.acquire(signal);
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
      // The server's counts differ from ours: ask again (no sooner than rateLimitsMinGapMs).
      stale = true;
    },
    report(limits) {
      const valid = validLimits(limits);
      if (valid.length === 0) return;
      if (inner === undefined) inner = fromReport(valid);
      else inner.report(valid);
      reported = true;
    },
  };
}

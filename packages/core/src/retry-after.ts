/** Response headers as undici gives them: a value, several values, or none. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What {@link parseRetryAfter} found. */
export interface RetryAfter {
  /** Milliseconds from `now` until a retry makes sense (never negative). */
  retryAfterMs: number;
  /** The header it came from. */
  source: "retry-after" | "x-ratelimit-reset" | "ratelimit-reset";
}

// X-RateLimit-Reset values at or above these are absolute times, not durations:
// 10^12 ms is 2001-09-09 in epoch milliseconds, 10^9 s the same day in epoch seconds.
// No sign server asks for a wait of 31 years, so a smaller value is a delta in seconds.
const epochMsThreshold = 1e12;
const epochSecondsThreshold = 1e9;

/**
 * Reads when a rate-limited request may be retried from the response headers
 * (docs/protocol.md §7.2). Header names are matched case-insensitively. In order of preference:
 *
 * 1. `Retry-After` (RFC 9110 §10.2.3): delta-seconds (`120`) or an HTTP-date
 *    (`Wed, 21 Oct 2026 07:28:00 GMT`, taken relative to `now`).
 * 2. `X-RateLimit-Reset` (what the Euler sign server sends): epoch **seconds**
 *    (`1792560480`). Also accepted, because servers disagree: epoch milliseconds
 *    (a value ≥ 10^12) and a small delta in seconds (a value < 10^9).
 * 3. `RateLimit-Reset` (IETF draft; what the Python peer reads): delta-seconds.
 *
 * A header that cannot be parsed is skipped in favour of the next. A time in the past
 * gives 0. Returns `undefined` when no header gives a time.
 *
 * @param headers - the response headers
 * @param now - the current time in ms since the epoch. Default `Date.now()`.
 */
export function parseRetryAfter(headers: HeaderValues, now: number = Date.now()): RetryAfter | undefined {
  const retryAfter = headerValue(headers, "retry-after");
  if (retryAfter !== undefined) {
    if (/^\d+$/.test(retryAfter)) return { retryAfterMs: Number(retryAfter) * 1000, source: "retry-after" };
    // An HTTP-date always names a weekday or month; a bare number that failed the test
    // above (e.g. "1.5" or "-3") is not a valid Retry-After and must not reach Date.parse.
    if (/[a-z]/i.test(retryAfter)) {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) return { retryAfterMs: Math.max(0, at - now), source: "retry-after" };
    }
  }
  const reset = numericHeader(headers, "x-ratelimit-reset");
  if (reset !== undefined) {
    const at = reset >= epochMsThreshold ? reset : reset >= epochSecondsThreshold ? reset * 1000 : undefined;
    const retryAfterMs = at === undefined ? reset * 1000 : at - now;
    return { retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)), source: "x-ratelimit-reset" };
  }
  const draftReset = numericHeader(headers, "ratelimit-reset");
  if (draftReset !== undefined && draftReset < epochSecondsThreshold) {
    return { retryAfterMs: Math.ceil(draftReset * 1000), source: "ratelimit-reset" };
  }
  return undefined;
}

/** The first value of a header, trimmed, matched case-insensitively; undefined when absent or empty. */
export function headerValue(headers: HeaderValues, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = typeof value === "string" ? value : value?.[0];
    const text = first?.trim();
    if (text !== undefined && text !== "") return text;
  }
  return undefined;
}

function numericHeader(headers: HeaderValues, name: string): number | undefined {
  const text = headerValue(headers, name);
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

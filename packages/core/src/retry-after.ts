/** Rate-limit headers as a server sent them (names case-insensitive; the first value of each). */
export interface RetryHeaders {
  /** `Retry-After`: delay seconds or an HTTP-date (RFC 9110 §10.2.3). */
  retryAfter?: string | undefined;
  /** `X-RateLimit-Reset` (or `RateLimit-Reset`): epoch seconds, epoch milliseconds, or delta seconds. */
  rateLimitReset?: string | undefined;
}

/**
 * When to retry, in ms from `now`, from rate-limit headers; undefined when they say nothing
 * usable. `Retry-After` wins. `X-RateLimit-Reset` is read as epoch milliseconds above 10^12,
 * epoch seconds above 10^9, else as seconds from now (servers differ; PROTOCOL.md §7.2 notes
 * that both leading peers read these wrong). Never negative.
 */
export function retryAfterMs(headers: RetryHeaders, now: number = Date.now()): number | undefined {
  const retryAfter = headers.retryAfter?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.rateLimitReset?.trim();
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    if (value > 1e12) return Math.max(0, Math.round(value - now));
    if (value > 1e9) return Math.max(0, Math.round(value * 1000 - now));
    return Math.round(value * 1000);
  }
  return undefined;
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

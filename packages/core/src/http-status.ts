import { ErrorCode, TikLiveError } from "./errors.js";
import { type HeaderValues, parseRetryAfter } from "./retry-after.js";

/** What {@link httpStatusError} needs to know about a response. */
export interface HttpStatusInput {
  /** The HTTP status. */
  status: number;
  /** The request URL; only its origin and path go into the error (a query can carry ids and tokens). */
  url: string | URL;
  /** What was requested, for the message: "the live page of @user", "webcast/im/fetch". */
  what: string;
  /** The response headers: `Retry-After` and the like for 429 and 5xx. Default none. */
  headers?: HeaderValues;
  /** The body, or its start, for an excerpt in `details.body`. Default none. */
  body?: Uint8Array | string;
  /** Secret values to redact from the message and details. */
  secrets?: readonly (string | undefined)[];
  /** The current time in ms since the epoch, for an HTTP-date `Retry-After`. Default `Date.now()`. */
  now?: number;
}

/**
 * The one mapping of an HTTP status from a TikTok endpoint (the web API and polling) to a
 * {@link TikLiveError}; `undefined` for 2xx. The sign server has its own codes (`sign_*`).
 *
 * | status | code | retryable |
 * | --- | --- | --- |
 * | 2xx | none (`undefined`) | |
 * | 401, 403 | `blocked` | no |
 * | 404 | `invalid_response` | no |
 * | 429 | `rate_limited`, `retryAfterMs` from the headers | yes |
 * | 5xx | `service_unavailable`, `retryAfterMs` when the headers give one | yes |
 * | any other | `invalid_response` | no |
 *
 * `blocked` is not retryable: TikTok answers 401/403 when its WAF or a captcha stops this IP,
 * session or region, and that lasts for hours, not for the seconds of a backoff; asking again
 * only makes it last longer. The caller changes something (proxy, session, time) and connects
 * again. `details` has the URL (no query), the status and an excerpt of the body.
 */
export function httpStatusError(input: HttpStatusInput): TikLiveError | undefined {
  const { status, what } = input;
  if (status >= 200 && status < 300) return undefined;
  const url = new URL(String(input.url));
  const details: Record<string, unknown> = {
    url: `${url.origin}${url.pathname}`,
    status,
    body: input.body === undefined ? undefined : excerpt(input.body),
  };
  const options = { details, secrets: input.secrets };
  if (status === 401 || status === 403) {
    return new TikLiveError(
      ErrorCode.Blocked,
      `TikTok refused ${what} with HTTP ${status} (a WAF, captcha or regional block)`,
      { ...options, retryable: false },
    );
  }
  if (status === 404) {
    return new TikLiveError(ErrorCode.InvalidResponse, `${what} was not found (HTTP 404)`, {
      ...options,
      retryable: false,
    });
  }
  if (status === 429 || status >= 500) {
    const retry = parseRetryAfter(input.headers ?? {}, input.now);
    if (retry !== undefined) details["retryAfterSource"] = retry.source;
    const when = retry === undefined ? "" : `; retry in ${Math.ceil(retry.retryAfterMs / 1000)} s`;
    return status === 429
      ? new TikLiveError(ErrorCode.RateLimited, `TikTok rate-limited ${what} (HTTP 429)${when}`, {
          ...options,
          retryable: true,
          retryAfterMs: retry?.retryAfterMs,
        })
      : new TikLiveError(ErrorCode.ServiceUnavailable, `TikTok answered ${what} with HTTP ${status}${when}`, {
          ...options,
          retryable: true,
          retryAfterMs: retry?.retryAfterMs,
        });
  }
  return new TikLiveError(ErrorCode.InvalidResponse, `unexpected HTTP ${status} from ${what}`, {
    ...options,
    retryable: false,
  });
}

/** A short, single-line excerpt of a body for error details (at most 200 characters). */
export function excerpt(body: Uint8Array | string, max = 200): string {
  // Only the start is looked at (a body can be megabytes); 64 Ki characters hold the excerpt
  // even after a page's leading whitespace.
  const head = 64 * 1024;
  const text =
    typeof body === "string" ? body.slice(0, head) : new TextDecoder().decode(body.subarray(0, head));
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

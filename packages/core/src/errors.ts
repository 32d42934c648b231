/**
 * The closed set of error codes. Every failure anywhere in tiklive is a
 * {@link TikLiveError} with one of these codes, so callers can `switch` on it.
 */
export const ErrorCode = {
  /** An argument or option is invalid (bad uniqueId, room id, option value). Never retried. */
  InvalidInput: "invalid_input",
  /** The TikTok user does not exist. Never retried. */
  UserNotFound: "user_not_found",
  /** The user exists but is not live. */
  UserOffline: "user_offline",
  /** The room is age-restricted or needs a logged-in session. */
  AgeRestricted: "age_restricted",
  /**
   * TikTok refused us: a WAF or captcha page, HTTP 401/403, or a regional block. Not retryable by
   * default: such a block lasts far longer than a backoff, and asking again prolongs it.
   */
  Blocked: "blocked",
  /** TikTok rate-limited us (HTTP 429 from a TikTok endpoint); `retryAfterMs` says when to try again. */
  RateLimited: "rate_limited",
  /** A TikTok endpoint answered 5xx. Retryable. */
  ServiceUnavailable: "service_unavailable",
  /** The sign server rate-limited us; `retryAfterMs` says when to try again. */
  SignRateLimited: "sign_rate_limited",
  /** The sign server rejected the API key or JWT (401/403). Never retried. */
  SignUnauthorized: "sign_unauthorized",
  /** The sign server route needs a paid plan (402). Never retried. */
  SignPremiumRequired: "sign_premium_required",
  /** The sign server is down or unreachable (5xx, network error). Retryable. */
  SignerUnavailable: "signer_unavailable",
  /** The sign server answered, but not with a usable session (no cursor, push server or cookies). */
  SignerDegraded: "signer_degraded",
  /** The push server refused the WebSocket handshake (HTTP 200 with `handshake-status`). */
  HandshakeRejected: "handshake_rejected",
  /** Opening a connection did not finish in time. Retryable. */
  ConnectTimeout: "connect_timeout",
  /** An HTTP request did not finish in time. Retryable. */
  Timeout: "timeout",
  /** No frame arrived within the stall timeout. Retryable. */
  Stalled: "stalled",
  /** The push connection closed abnormally (a close code other than 1000/1001, or a drop). Retryable. */
  ConnectionClosed: "connection_closed",
  /** A network error below HTTP/WebSocket (DNS, TCP reset, TLS). Retryable. */
  NetworkError: "network_error",
  /** An HTTP response had an unexpected status or body. */
  InvalidResponse: "invalid_response",
  /** A push frame or fetch result could not be decoded. */
  MalformedFrame: "malformed_frame",
  /** Input, or its inflated form, exceeds the configured size limit (e.g. a gzip bomb). */
  PayloadTooLarge: "payload_too_large",
  /** A gzip payload could not be inflated. */
  DecompressionFailed: "decompression_failed",
  /** The operation was aborted through an AbortSignal or `disconnect()`. */
  Aborted: "aborted",
  /** `connect()` was called on a client that is already connected or connecting. */
  AlreadyConnected: "already_connected",
  /** The operation needs an open connection. */
  NotConnected: "not_connected",
  /** The operation needs a TikTok session id (e.g. sending chat). */
  SessionRequired: "session_required",
  /** A feature is switched off by an option. */
  FeatureDisabled: "feature_disabled",
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const retryableByDefault: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.RateLimited,
  ErrorCode.ServiceUnavailable,
  ErrorCode.SignRateLimited,
  ErrorCode.SignerUnavailable,
  ErrorCode.SignerDegraded,
  ErrorCode.ConnectTimeout,
  ErrorCode.Timeout,
  ErrorCode.Stalled,
  ErrorCode.ConnectionClosed,
  ErrorCode.NetworkError,
]);

/** Options of a {@link TikLiveError}. */
export interface TikLiveErrorOptions {
  /** The underlying error. Kept, with any secret in its message redacted. */
  cause?: unknown;
  /** Whether retrying the same operation may succeed. Default: decided by the code. */
  retryable?: boolean;
  /** When a retry makes sense, in milliseconds from now (rate limits). */
  retryAfterMs?: number;
  /** Evidence for the caller: HTTP status, close code, handshake headers, method name... Redacted too. */
  details?: Readonly<Record<string, unknown>>;
  /** Secret values (API keys, session ids) to remove from the message, details and cause. */
  secrets?: readonly (string | undefined)[];
}

// Every TikLiveError carries this brand, so `instanceof` holds across copies of the class: the
// ESM and CJS builds of one version loaded side by side, or two versions in one process.
const brand = Symbol.for("@tiklive/core/TikLiveError");

/**
 * The one error class of tiklive: a closed set of string {@link ErrorCode}s,
 * `retryable` stated, `cause` kept, and secrets redacted from everything it carries.
 *
 * `error instanceof TikLiveError` is true for a TikLiveError from any copy of this package
 * (ESM and CJS builds, or two versions), as connect-es does for its `ConnectError`.
 */
export class TikLiveError extends Error {
  override readonly name = "TikLiveError";
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: TikLiveErrorOptions = {}) {
    const redact = createRedactor(options.secrets ?? []);
    super(
      redact(message),
      options.cause === undefined ? undefined : { cause: sanitizeCause(options.cause, redact) },
    );
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.details = redactDeep(options.details ?? {}, redact) as Record<string, unknown>;
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * Branded `instanceof`: true for TikLiveErrors of any copy of this package. A subclass keeps
   * the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about
    if (this !== TikLiveError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as { [brand]?: unknown })[brand] === true;
  }

  /** True when `value` is a TikLiveError (of any copy of this package), optionally with the given code. */
  static is(value: unknown, code?: ErrorCode): value is TikLiveError {
    return value instanceof TikLiveError && (code === undefined || value.code === code);
  }

  /**
   * Wraps anything thrown into a TikLiveError (returned unchanged when it already is one).
   * An `AbortError` becomes {@link ErrorCode.Aborted} and a `TimeoutError` (from
   * `AbortSignal.timeout()`) {@link ErrorCode.Timeout}, whatever `code` says: those names
   * already tell what happened.
   */
  static from(
    value: unknown,
    code: ErrorCode,
    message?: string,
    options: Omit<TikLiveErrorOptions, "cause"> = {},
  ): TikLiveError {
    if (value instanceof TikLiveError) return value;
    const name = value instanceof Error ? value.name : undefined;
    const mapped =
      name === "AbortError" ? ErrorCode.Aborted : name === "TimeoutError" ? ErrorCode.Timeout : code;
    const text = message ?? (value instanceof Error ? value.message : String(value));
    return new TikLiveError(mapped, text, { ...options, cause: value });
  }

  override toString(): string {
    return `TikLiveError [${this.code}]: ${this.message}`;
  }
}

const REDACTED = "[redacted]";

// Names whose values are secrets wherever they appear as `name=value`,
// `name: value` or `"name":"value"` (query strings, cookie headers, HTTP headers, JSON).
const secretNames = [
  "apiKey",
  "api_key",
  "x-api-key",
  "jwtKey",
  "jwt_key",
  "x-jwt-key",
  "sessionid",
  "sessionid_ss",
  "session_id",
  "sessionId",
  "sid_tt",
  "sid_guard",
  "x-cookie-header",
  "x-oauth-token",
  "oauth_token",
  "authorization",
];
const secretPattern = new RegExp(
  `(["']?\\b(?:${secretNames.map((n) => n.replace(/[-]/g, "\\-")).join("|")})["']?\\s*[=:]\\s*["']?)([^"'&;,\\s}]+)`,
  "gi",
);

/** A function that removes secrets from text. */
export type Redactor = (text: string) => string;

/**
 * Makes a redactor that removes the given secret values wherever they occur,
 * and the value of any well-known secret parameter (`apiKey=`, `sessionid=`, `x-api-key:` ...).
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  // Very short values would redact innocent text; real keys and session ids are long.
  const values = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text.replace(secretPattern, (_m, prefix: string) => `${prefix}${REDACTED}`);
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
      const encoded = encodeURIComponent(value);
      if (encoded !== value && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
    }
    return out;
  };
}

/**
 * Redacts every string in a value (objects, arrays, errors), and the value of any key named
 * like a secret (`apiKey`, `sessionid`, `x-api-key`...). Deeper than 6 levels becomes "[…]"
 * rather than passing through unredacted. Bytes are kept as they are.
 */
export function redactDeep(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  if (depth > 6) return "[…]";
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  if (value instanceof Error) return redact(`${value.name}: ${value.message}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = secretNames.some((n) => n.toLowerCase() === k.toLowerCase())
      ? REDACTED
      : redactDeep(v, redact, depth + 1);
  }
  return out;
}

// A cause is kept as is unless its message or stack, or those of its own causes, carry a
// secret; then it is replaced by a copy with the same name, the secret redacted, and its
// cause chain sanitised the same way.
function sanitizeCause(cause: unknown, redact: Redactor, depth = 0): unknown {
  if (!(cause instanceof Error)) return typeof cause === "string" ? redact(cause) : cause;
  const message = redact(cause.message);
  const stack = cause.stack === undefined ? undefined : redact(cause.stack);
  const inner =
    cause.cause === undefined || depth >= 5 ? cause.cause : sanitizeCause(cause.cause, redact, depth + 1);
  if (message === cause.message && stack === cause.stack && inner === cause.cause) return cause;
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  copy.name = cause.name;
  if (stack !== undefined) copy.stack = stack;
  return copy;
}

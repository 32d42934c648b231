import { ErrorCode, TikLiveError } from "@tiklive/core";
import {
  createRedactor,
  excerpt,
  type HeaderValues,
  headerValue,
  linkSignals,
  maxErrorBodyBytes,
  parseRetryAfter,
  readBody,
} from "@tiklive/core/internal";
import { request } from "undici";
import type { EulerConfig } from "./euler-options.js";
import { createRedactedLog, type RedactedLog } from "./logger.js";

/** One request to the sign server, with the secrets it carries beyond the signer's own. */
export interface HttpCall {
  /** What the request is for, in messages: "sign", "resolveRoomId", "sendChat". */
  operation: string;
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal | undefined;
  /** Per-request secrets (a session id). */
  secrets: readonly string[];
}

/** A response, body read in full. */
export interface HttpResponse {
  status: number;
  headers: HeaderValues;
  body: Uint8Array;
  /** Milliseconds the request took. */
  elapsedMs: number;
}

/** Everything about one call that errors and log lines need. */
export interface CallContext {
  config: EulerConfig;
  call: HttpCall;
  secrets: readonly string[];
  log: RedactedLog;
}

/** Builds the context of a call: the signer's secrets plus the call's own. */
export function callContext(config: EulerConfig, call: HttpCall): CallContext {
  if (call.secrets.length === 0) return { config, call, secrets: config.secrets, log: config.log };
  const secrets = [...config.secrets, ...call.secrets];
  return { config, call, secrets, log: createRedactedLog(config.logger, createRedactor(secrets)) };
}

/** Where a URL points, for messages: origin and path, without the query. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Makes a TikLiveError for this call, with the signer's name and every secret redacted. */
export function callError(
  context: CallContext,
  code: ErrorCode,
  message: string,
  options: {
    cause?: unknown;
    retryable?: boolean;
    retryAfterMs?: number;
    details?: Record<string, unknown>;
  } = {},
): TikLiveError {
  return new TikLiveError(code, `signer "${context.config.name}" ${context.call.operation}: ${message}`, {
    ...options,
    details: {
      signer: context.config.name,
      operation: context.call.operation,
      url: describeUrl(context.call.url),
      ...options.details,
    },
    secrets: context.secrets,
  });
}

/**
 * Sends one request with the signer's dispatcher and time limit, and reads the body (up to
 * `maxResponseBytes`). Maps what goes wrong below HTTP: the caller's abort → `aborted`
 * (not retryable), the time limit → `timeout`, anything else (refused, reset, DNS, TLS) →
 * `signer_unavailable`. HTTP statuses are the caller's business.
 */
export async function send(context: CallContext): Promise<HttpResponse> {
  const { config, call } = context;
  const callerSignal = call.signal;
  if (callerSignal?.aborted === true) throw abortedError(context, callerSignal.reason);
  const timeout = AbortSignal.timeout(config.timeoutMs);
  // Not AbortSignal.any: it holds its sources weakly in Node 20 (see core's linkSignals).
  const linked = linkSignals([callerSignal, timeout]);
  const signal = linked.signal;
  const started = performance.now();
  context.log.debug(`signer "${config.name}" ${call.operation}: ${call.method} ${describeUrl(call.url)}`);
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      dispatcher: config.dispatcher,
      signal,
    });
    const body = await readResponseBody(context, response.body, response.statusCode, response.headers);
    const elapsedMs = Math.round(performance.now() - started);
    context.log.debug(
      `signer "${config.name}" ${call.operation}: HTTP ${response.statusCode} in ${elapsedMs} ms`,
      {
        status: response.statusCode,
        bytes: body.length,
        requestId: headerValue(response.headers, "x-request-id") ?? headerValue(response.headers, "x-log-id"),
      },
    );
    return { status: response.statusCode, headers: response.headers, body, elapsedMs };
  } catch (error) {
    // Read again: TypeScript does not know the signal may have fired meanwhile.
    if (isAborted(callerSignal)) throw abortedError(context, callerSignal.reason);
    if (error instanceof TikLiveError) throw error;
    const code = errorCode(error);
    if (timeout.aborted || (code !== undefined && undiciTimeouts.has(code))) {
      throw callError(context, ErrorCode.Timeout, `no complete answer within ${config.timeoutMs} ms`, {
        cause: error,
        details: { timeoutMs: config.timeoutMs },
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw callError(context, ErrorCode.SignerUnavailable, `cannot reach the sign server (${reason})`, {
      cause: error,
      details: { errorCode: code },
    });
  } finally {
    linked.dispose();
  }
}

const undiciTimeouts = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

function errorCode(error: unknown): string | undefined {
  // undici puts the errno code (ECONNREFUSED...) on the error or on its cause.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

/** The caller's signal aborted this call: `aborted`, not retryable. */
export function abortedError(context: CallContext, reason: unknown): TikLiveError {
  return callError(context, ErrorCode.Aborted, "aborted by the caller", { cause: reason, retryable: false });
}

// The body of an error response is read only for its message: its first 64 KiB (core's
// maxErrorBodyBytes) are enough; a success body up to maxResponseBytes, else payload_too_large.
function readResponseBody(
  context: CallContext,
  body: AsyncIterable<Uint8Array>,
  status: number,
  headers: HeaderValues,
): Promise<Uint8Array> {
  if (status !== 200) return readBody(body, { maxBytes: maxErrorBodyBytes, truncate: true });
  return readBody(body, {
    maxBytes: context.config.maxResponseBytes,
    headers,
    tooLarge: (limit) =>
      callError(context, ErrorCode.PayloadTooLarge, `the response body exceeds ${limit} bytes`, {
        retryable: false,
        details: { maxResponseBytes: limit },
      }),
  });
}

/** The body as text (UTF-8, invalid bytes replaced). */
export function bodyText(response: HttpResponse): string {
  return new TextDecoder().decode(response.body);
}

/** The body parsed as a JSON object, or undefined. */
export function bodyJson(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bodyText(response));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A short, single-line excerpt of a server message for error texts. */
export function clip(text: string, max = 200): string {
  return excerpt(text, max);
}

/** The server's explanation: the JSON `message`, else the start of the body. */
export function serverMessage(response: HttpResponse): string | undefined {
  const json = bodyJson(response);
  const message = json?.["message"];
  if (typeof message === "string" && message.trim() !== "") return clip(message);
  const text = clip(bodyText(response));
  return text === "" ? undefined : text;
}

/**
 * Maps a non-success HTTP status to the typed error (docs/protocol.md §7.2): 401/403 →
 * `sign_unauthorized`, 402 → `sign_premium_required`, 429 → `sign_rate_limited` with the
 * retry time from the headers and `{message, limit_label}` from the body, 5xx →
 * `signer_unavailable`, anything else → `invalid_response`. `forbidden` says what 403 means
 * on this route (`unauthorized` by default, `premium` where the key lacks a plan).
 */
export function statusError(
  context: CallContext,
  response: HttpResponse,
  forbidden: "unauthorized" | "premium" = "unauthorized",
): TikLiveError {
  const { status } = response;
  const message = serverMessage(response);
  const said = message === undefined ? "" : `: ${message}`;
  const details: Record<string, unknown> = {
    status,
    serverMessage: message,
    requestId: requestIdOf(response),
  };
  if (status === 401 || (status === 403 && forbidden === "unauthorized")) {
    return callError(
      context,
      ErrorCode.SignUnauthorized,
      `the sign server rejected the API key or JWT (HTTP ${status})${said}`,
      {
        retryable: false,
        details,
      },
    );
  }
  if (status === 402 || status === 403) {
    return callError(
      context,
      ErrorCode.SignPremiumRequired,
      `this route needs a plan or permission the API key does not have (HTTP ${status})${said}`,
      { retryable: false, details },
    );
  }
  if (status === 429) {
    const retry = parseRetryAfter(response.headers, context.config.now());
    const json = bodyJson(response);
    const limitLabel = typeof json?.["limit_label"] === "string" ? json["limit_label"] : undefined;
    const when =
      retry === undefined ? "no retry time given" : `retry in ${Math.ceil(retry.retryAfterMs / 1000)} s`;
    return callError(
      context,
      ErrorCode.SignRateLimited,
      `rate-limited by the sign server${limitLabel === undefined ? "" : ` (${limitLabel})`}${said}; ${when}`,
      {
        retryAfterMs: retry?.retryAfterMs,
        details: { ...details, message, limitLabel, retryAfterSource: retry?.source },
      },
    );
  }
  if (status >= 500) {
    return callError(context, ErrorCode.SignerUnavailable, `the sign server failed (HTTP ${status})${said}`, {
      details,
    });
  }
  return callError(
    context,
    ErrorCode.InvalidResponse,
    `unexpected HTTP ${status} from the sign server${said}`,
    { details },
  );
}

/** The sign server's request id (`x-request-id`, else `x-log-id`). */
export function requestIdOf(response: HttpResponse): string | undefined {
  return headerValue(response.headers, "x-request-id") ?? headerValue(response.headers, "x-log-id");
}

import {
  anonymousEulerLimits,
  type Cookie,
  createSignBudget,
  decodeFetchResult,
  ErrorCode,
  type FetchResult,
  normalizeRoomId,
  normalizeUniqueId,
  type RoomIdLookup,
  type SessionCredentials,
  type SignBudget,
  type SignedSession,
  type Signer,
  type SignRequest,
  TikLiveError,
} from "@tiklive/core";
import { headerValue } from "@tiklive/core/internal";
import { createServerBudget, defaultPenaltyMs, parseRateLimits, type ReportedLimit } from "./euler-budget.js";
import { type EulerConfig, type EulerSignerOptions, resolveEulerOptions } from "./euler-options.js";
import {
  abortedError,
  bodyJson,
  bodyText,
  type CallContext,
  callContext,
  callError,
  clip,
  type HttpCall,
  type HttpResponse,
  requestIdOf,
  send,
  serverMessage,
  statusError,
} from "./http.js";
import { parseSetCookieHeader } from "./set-cookie.js";

/** What {@link EulerSigner.sendChat} takes: a room, the text, and the logged-in session to send it as. */
export interface SendChatRequest {
  /** The room to post in (digits). */
  roomId: string;
  /** The message text. */
  content: string;
  /** The TikTok login that posts it (a secret; forwarded only with `forwardSession: true`). */
  session: SessionCredentials;
  signal?: AbortSignal;
}

/** A {@link Signer} backed by an Euler Stream sign server, with its optional routes always present. */
export interface EulerSigner extends Signer {
  /** The name given in the options (default `"euler"` or `"euler@<host>"`). */
  readonly name: string;
  /** The validated base URL, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * The budget `sign()` draws from (see the `budget` option for the default per mode), or
   * undefined with `budget: false`. Clients read its wait time; clients using this signer share it.
   */
  readonly budget: SignBudget | undefined;
  /**
   * Asks the sign server for the first fetch result of a room (docs/protocol.md §7.2) and returns a
   * checked session: a decodable fetch result with a cursor and a push server, and at least
   * one cookie from `x-set-tt-cookie`. First it takes one request from `budget`, waiting while
   * the budget is empty (the request's `signal` aborts the wait); a 429 blocks the budget for
   * the retry time. Rejects with a `TikLiveError`: `invalid_input`,
   * `sign_unauthorized`, `sign_premium_required`, `sign_rate_limited` (with `retryAfterMs`),
   * `signer_unavailable`, `signer_degraded`, `timeout`, `aborted`, `invalid_response`,
   * `payload_too_large`.
   */
  sign(request: SignRequest): Promise<SignedSession>;
  /**
   * Resolves a uniqueId to its room id through the sign server's room id route (docs/protocol.md
   * §7.3). Not a sign request: it does not draw from `budget`. Rejects with `user_not_found`
   * when the server says the user does not exist, `user_offline` when it says the user has never
   * been live, and with `sign_unauthorized`/`sign_premium_required` when the key may not use the
   * route.
   */
  resolveRoomId(uniqueId: string, options?: { signal?: AbortSignal }): Promise<RoomIdLookup>;
  /**
   * Posts a chat message as the session's user (docs/protocol.md §7.3); not a sign request (no
   * draw from `budget`). Needs `forwardSession: true` (else `feature_disabled`): the session
   * goes to the sign server. Not idempotent: a retry after a `timeout` may post twice.
   */
  sendChat(request: SendChatRequest): Promise<void>;
}

/**
 * Creates a signer that asks an Euler Stream sign server (or one that speaks its API, such as
 * `@tiklive/simulator`) for signed sessions. Options are validated here, once: a bad option
 * throws `invalid_input` at creation, not at the first request. Nothing is shared between two
 * signers: each has its own key, time limit, dispatcher and logger.
 *
 * @example
 * const euler = createEulerSigner({ apiKey: process.env.EULER_API_KEY });
 * const session = await euler.sign({ roomId, userAgent, platform: "web" });
 */
export function createEulerSigner(options: EulerSignerOptions = {}): EulerSigner {
  const config = resolveEulerOptions(options);
  const budget = signBudgetOf(config);
  return {
    name: config.name,
    baseUrl: config.baseUrl,
    budget,
    sign: (request) => sign(config, budget, request),
    resolveRoomId: (uniqueId, callOptions) => resolveRoomId(config, uniqueId, callOptions?.signal),
    sendChat: (request) => sendChat(config, request),
  };
}

function invalid(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message);
}

/** The budget of the `budget` option (docs in EulerSignerOptions.budget). */
function signBudgetOf(config: EulerConfig): SignBudget | undefined {
  if (config.budget === false) return undefined;
  if (config.budget !== undefined) return config.budget;
  const { clock } = config;
  // The anonymous limits are Euler's: another sign server (a self-hosted one, the simulator)
  // has its own, which only its 429s and its rate_limits route can tell.
  const fallback = config.eulerHost ? anonymousEulerLimits : undefined;
  if (!config.keyed && fallback !== undefined) return createSignBudget({ windows: fallback, clock });
  return createServerBudget({
    clock,
    fallback,
    fetchLimits: config.keyed ? () => fetchRateLimits(config) : undefined,
    onFailure: (error, instead) => {
      const said = error instanceof TikLiveError ? `${error.code}: ${error.message}` : String(error);
      config.log.debug(
        `signer "${config.name}" rateLimits: could not read the key's limits (${said}); ${instead}`,
      );
    },
  });
}

const periodNames: Readonly<Record<number, string>> = { 60000: "minute", 3600000: "hour", 86400000: "day" };

/**
 * Asks the sign server what the key may still do (`GET /webcast/rate_limits`, docs/protocol.md
 * §7.2). Not a sign request: it draws nothing from the budget. Rejects with a `TikLiveError`
 * when the route fails or its answer names no usable window.
 */
async function fetchRateLimits(config: EulerConfig): Promise<ReportedLimit[]> {
  const call: HttpCall = {
    operation: "rateLimits",
    method: "GET",
    url: routeUrl(config, "/webcast/rate_limits", { client: config.client }),
    headers: { ...config.headers, accept: "application/json" },
    signal: undefined,
    secrets: [],
  };
  const context = callContext(config, call);
  const response = await send(context);
  if (response.status !== 200) throw statusError(context, response);
  const limits = parseRateLimits(bodyJson(response), config.clock.now());
  if (limits === undefined) {
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `the answer names no usable minute, hour or day window: ${clip(bodyText(response), 120)}`,
      { details: { status: response.status, requestId: requestIdOf(response) } },
    );
  }
  config.log.debug(
    `signer "${config.name}" rateLimits: ${limits.map((l) => `${l.remaining}/${l.max} per ${periodNames[l.periodMs] ?? `${l.periodMs} ms`}`).join(", ")}`,
  );
  return limits;
}

// RFC 6265 cookie-octets: what may stand in a cookie value without quoting.
const cookieOctets = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;

/** The `x-cookie-header` value for a session (docs/protocol.md §7.2, §7.6). Never echoes the values. */
function sessionCookieHeader(session: unknown, operation: string): { header: string; sessionId: string } {
  if (session === null || typeof session !== "object")
    throw invalid(`${operation}: \`session\` must be { sessionId, ttTargetIdc }`);
  const { sessionId, ttTargetIdc } = session as Partial<SessionCredentials>;
  if (typeof sessionId !== "string" || sessionId.length < 4 || !cookieOctets.test(sessionId)) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `${operation}: \`session.sessionId\` is not a valid sessionid cookie value`,
      {
        secrets: [typeof sessionId === "string" ? sessionId : undefined],
      },
    );
  }
  if (typeof ttTargetIdc !== "string" || !cookieOctets.test(ttTargetIdc)) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `${operation}: \`session.ttTargetIdc\` is not a valid tt-target-idc value (e.g. "useast1a")`,
      {
        secrets: [sessionId],
      },
    );
  }
  return { header: `sessionid=${sessionId}; tt-target-idc=${ttTargetIdc}`, sessionId };
}

function routeUrl(config: EulerConfig, path: string, query: Record<string, string | undefined>): URL {
  const url = new URL(`${config.baseUrl}${path}`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  return url;
}

async function sign(
  config: EulerConfig,
  budget: SignBudget | undefined,
  request: SignRequest,
): Promise<SignedSession> {
  if (request === null || typeof request !== "object") throw invalid("sign: the request must be an object");
  const roomId = normalizeRoomId(request.roomId);
  const uniqueId = request.uniqueId === undefined ? undefined : normalizeUniqueId(request.uniqueId);
  if (typeof request.userAgent !== "string" || request.userAgent.trim() === "") {
    throw invalid("sign: `userAgent` must be the non-empty User-Agent the push connection will use");
  }
  if (request.platform !== "web" && request.platform !== "mobile")
    throw invalid('sign: `platform` must be "web" or "mobile"');
  if (request.cursor !== undefined && typeof request.cursor !== "string")
    throw invalid("sign: `cursor` must be a string");

  const headers: Record<string, string> = {
    ...config.headers,
    accept: "application/protobuf,application/json",
  };
  const secrets: string[] = [];
  if (request.session !== undefined) {
    const { header, sessionId } = sessionCookieHeader(request.session, "sign");
    // The sign server would see the user's TikTok login: forwarded only when this signer
    // was created with forwardSession (docs/protocol.md §7.1 "session forwarding guard").
    if (config.forwardSession) {
      headers["x-cookie-header"] = header;
    } else {
      config.log.debug(
        `signer "${config.name}" sign: the request has a session; not forwarded (forwardSession is false)`,
      );
    }
    secrets.push(sessionId);
  }
  const path = config.route === "connect" ? `/webcast/rooms/${roomId}/connect` : "/webcast/fetch";
  const url = routeUrl(config, path, {
    client: config.client,
    room_id: config.route === "fetch" ? roomId : undefined,
    user_agent: request.userAgent,
    platform: request.platform,
    client_enter: "true",
    cursor: request.cursor === undefined || request.cursor === "" ? undefined : request.cursor,
    unique_id: uniqueId,
  });
  const call: HttpCall = { operation: "sign", method: "GET", url, headers, signal: request.signal, secrets };
  const context = callContext(config, call);
  if (budget !== undefined) {
    // One request from the budget first: waiting beats a request the server is sure to refuse.
    try {
      const waited = await budget.acquire(request.signal);
      if (waited > 0) {
        config.log.debug(`signer "${config.name}" sign: waited ${waited} ms for the sign budget`);
      }
    } catch (error) {
      if (request.signal?.aborted === true) throw abortedError(context, request.signal.reason);
      throw TikLiveError.from(error, ErrorCode.SignerUnavailable, undefined, { secrets: context.secrets });
    }
  }
  const response = await send(context);
  if (response.status !== 200) {
    const error = statusError(context, response);
    if (error.code === ErrorCode.SignRateLimited) budget?.penalize(error.retryAfterMs ?? defaultPenaltyMs);
    throw error;
  }
  return readSession(context, response, roomId, request.userAgent);
}

function degraded(
  context: CallContext,
  message: string,
  response: HttpResponse,
  details: Record<string, unknown> = {},
  cause?: unknown,
): TikLiveError {
  return callError(context, ErrorCode.SignerDegraded, message, {
    cause,
    details: { status: response.status, requestId: requestIdOf(response), ...details },
  });
}

/** Checks a 200 answer of the sign route and turns it into a session. */
function readSession(
  context: CallContext,
  response: HttpResponse,
  requestedRoomId: string,
  userAgent: string,
): SignedSession {
  const { config } = context;
  if (response.body.length === 0) {
    // docs/protocol.md §7.2 EMPTY_PAYLOAD: usually the sign server being blocked by TikTok.
    throw degraded(
      context,
      "the sign server answered 200 with an empty body (EMPTY_PAYLOAD; it may be blocked by TikTok)",
      response,
    );
  }
  const contentType = headerValue(response.headers, "content-type") ?? "";
  if (/json|text\//i.test(contentType)) {
    const said = serverMessage(response);
    throw degraded(
      context,
      `the sign server answered ${clip(contentType, 60)} instead of a protobuf fetch result${said === undefined ? "" : `: ${said}`}`,
      response,
      { contentType, serverMessage: said },
    );
  }
  let fetchResult: FetchResult;
  try {
    fetchResult = decodeFetchResult(response.body);
  } catch (error) {
    throw degraded(
      context,
      `the body is not a protobuf fetch result (${response.body.length} bytes)`,
      response,
      { size: response.body.length },
      error,
    );
  }

  const cookies = parseSetCookieHeader(headerValues(response, "x-set-tt-cookie"));
  const missing: string[] = [];
  if (fetchResult.cursor === "") missing.push("cursor");
  if (fetchResult.pushServer === "") missing.push("pushServer");
  else if (!isPushServerUrl(fetchResult.pushServer)) missing.push("a valid pushServer URL");
  // A cookie with an empty value is a deletion, not something a handshake can present.
  if (!cookies.some((c: Cookie) => c.value !== "")) missing.push("cookies (x-set-tt-cookie; EMPTY_COOKIES)");
  if (missing.length > 0) {
    // The "fallback stub" a degraded sign server sends: it looks like a session but would
    // fail later, at the WebSocket, with a far less helpful error.
    throw degraded(
      context,
      `the sign server sent no usable session: missing ${missing.join(", ")}`,
      response,
      {
        missing,
        pushServer: fetchResult.pushServer === "" ? undefined : clip(fetchResult.pushServer, 120),
        cookieNames: cookies.map((c) => c.name),
      },
    );
  }

  let roomId = requestedRoomId;
  const canonical = headerValue(response.headers, "x-room-id");
  if (canonical !== undefined && canonical !== requestedRoomId) {
    try {
      roomId = normalizeRoomId(canonical);
    } catch {
      config.log.warn(`signer "${config.name}" sign: ignored an invalid x-room-id header`, {
        xRoomId: clip(canonical, 40),
      });
    }
  }
  const requestId = requestIdOf(response);
  config.log.debug(`signer "${config.name}" sign: session for room ${roomId}`, {
    requestId,
    agentId: headerValue(response.headers, "x-agent-id"),
    cookieNames: cookies.map((c) => c.name),
    messages: fetchResult.messages.length,
  });
  return {
    roomId,
    fetchResult,
    cookies,
    userAgent,
    signer: config.name,
    requestId,
    receivedAt: config.now(),
  };
}

function headerValues(response: HttpResponse, name: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    if (typeof value === "string") out.push(value);
    else out.push(...value);
  }
  return out;
}

function isPushServerUrl(text: string): boolean {
  try {
    return ["wss:", "ws:", "https:", "http:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

// Phrases sign servers use for a user that does not exist.
const notFoundPattern = /not[\s_-]*found|no such user|does\s*n[o']t\s*exist|doesn't exist|unknown user/i;
// ... and for one that exists but has no room to connect to.
const neverLivePattern = /never\s+(been\s+)?live|not\s+(currently\s+)?live|is\s+offline/i;

async function resolveRoomId(
  config: EulerConfig,
  uniqueIdInput: string,
  signal: AbortSignal | undefined,
): Promise<RoomIdLookup> {
  const uniqueId = normalizeUniqueId(uniqueIdInput);
  const url =
    config.roomIdRoute === "anchors"
      ? routeUrl(config, `/webcast/anchors/${encodeURIComponent(uniqueId)}/room_id`, {
          client: config.client,
        })
      : routeUrl(config, "/webcast/room_id", { uniqueId, client: config.client });
  const call: HttpCall = {
    operation: "resolveRoomId",
    method: "GET",
    url,
    headers: { ...config.headers, accept: "application/json" },
    signal,
    secrets: [],
  };
  const context = callContext(config, call);
  const response = await send(context);
  const json = bodyJson(response);
  const message = typeof json?.["message"] === "string" ? clip(json["message"]) : serverMessage(response);
  const code = typeof json?.["code"] === "number" ? json["code"] : undefined;

  const permission = [401, 402, 403].includes(response.status)
    ? response.status
    : code !== undefined && [401, 402, 403].includes(code)
      ? code
      : undefined;
  if (permission !== undefined) {
    const said = message === undefined ? "" : `: ${message}`;
    const details = {
      status: response.status,
      code,
      serverMessage: message,
      requestId: requestIdOf(response),
    };
    if (permission === 402) {
      throw callError(
        context,
        ErrorCode.SignPremiumRequired,
        `the API key's plan does not include the room id route (${permission})${said}`,
        {
          retryable: false,
          details,
        },
      );
    }
    throw callError(
      context,
      ErrorCode.SignUnauthorized,
      `the API key or JWT lacks permission for the room id route (${permission})${said}`,
      {
        retryable: false,
        details,
      },
    );
  }
  // A 404 is an answer when it says why (no such user, never live); otherwise the status decides.
  const explained404 =
    response.status === 404 &&
    message !== undefined &&
    (notFoundPattern.test(message) || neverLivePattern.test(message));
  if (response.status !== 200 && !explained404) throw statusError(context, response);
  if (json === undefined) {
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `the room id route did not answer JSON: ${clip(bodyText(response), 120)}`,
      {
        details: { status: response.status, requestId: requestIdOf(response) },
      },
    );
  }
  const roomId = roomIdOf(json, bodyText(response));
  if (json["ok"] === false || response.status !== 200 || roomId === undefined) {
    const details = {
      status: response.status,
      code,
      serverMessage: message,
      ok: json["ok"],
      requestId: requestIdOf(response),
    };
    if (message !== undefined && neverLivePattern.test(message)) {
      throw callError(context, ErrorCode.UserOffline, `"${uniqueId}" has no LIVE room: ${message}`, {
        retryable: false,
        details,
      });
    }
    if (message !== undefined && notFoundPattern.test(message)) {
      throw callError(context, ErrorCode.UserNotFound, `no TikTok user "${uniqueId}": ${message}`, {
        retryable: false,
        details,
      });
    }
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `no room id for "${uniqueId}"${message === undefined ? "" : `: ${message}`}`,
      { details },
    );
  }
  const isLive = typeof json["is_live"] === "boolean" ? json["is_live"] : undefined;
  config.log.debug(`signer "${config.name}" resolveRoomId: ${uniqueId} -> ${roomId}`, {
    isLive,
    source: json["source"],
  });
  return { roomId, isLive };
}

/**
 * The `room_id` of a room id answer, as a string of digits. Room ids exceed 2^53: a JSON
 * number that large has already lost precision in `JSON.parse`, so its digits are taken from
 * the raw text instead (DESIGN.md: room ids are strings, never JS numbers).
 */
function roomIdOf(json: Record<string, unknown>, text: string): string | undefined {
  const value = json["room_id"];
  let digits: string | undefined;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) {
    digits = value.trim();
  } else if (typeof value === "number" && Number.isInteger(value) && value > 0) {
    if (Number.isSafeInteger(value)) digits = String(value);
    else {
      // The raw number whose rounding is the parsed value (the key could occur nested too).
      for (const match of text.matchAll(/"room_id"\s*:\s*(\d+)(?![\d.eE])/g)) {
        if (match[1] !== undefined && Number(match[1]) === value) {
          digits = match[1];
          break;
        }
      }
    }
  }
  if (digits === undefined) return undefined;
  try {
    return normalizeRoomId(digits);
  } catch {
    return undefined; // "0" or out of range: no room
  }
}

async function sendChat(config: EulerConfig, request: SendChatRequest): Promise<void> {
  if (request === null || typeof request !== "object")
    throw invalid("sendChat: the request must be an object");
  if (!config.forwardSession) {
    throw new TikLiveError(
      ErrorCode.FeatureDisabled,
      `sendChat: signer "${config.name}" was created without forwardSession; sending chat gives the sign server your TikTok session, so enable it only for a sign server you trust`,
      { retryable: false },
    );
  }
  const roomId = normalizeRoomId(request.roomId);
  if (typeof request.content !== "string" || request.content.trim() === "")
    throw invalid("sendChat: `content` must be a non-empty string");
  if (request.session === undefined)
    throw new TikLiveError(ErrorCode.SessionRequired, "sendChat: a logged-in `session` is required");
  const { header, sessionId } = sessionCookieHeader(request.session, "sendChat");
  const call: HttpCall = {
    operation: "sendChat",
    method: "POST",
    url: routeUrl(config, `/webcast/rooms/${roomId}/chat`, { client: config.client }),
    headers: {
      ...config.headers,
      accept: "application/json",
      "content-type": "application/json",
      "x-cookie-header": header,
    },
    body: JSON.stringify({ content: request.content }),
    signal: request.signal,
    secrets: [sessionId],
  };
  const context = callContext(config, call);
  const response = await send(context);
  // §7.3: 401/403 on the chat route mean the key may not send chat (a plan), 401 a bad key.
  if (response.status !== 200) throw statusError(context, response, "premium");
  const json = bodyJson(response);
  const message = typeof json?.["message"] === "string" ? clip(json["message"]) : undefined;
  const details = {
    status: response.status,
    code: json?.["code"],
    serverMessage: message,
    requestId: requestIdOf(response),
  };
  if (json === undefined) {
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `the chat route did not answer JSON: ${clip(bodyText(response), 120)}`,
      { details },
    );
  }
  if (json["code"] !== 200) {
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `the sign server did not send the message (code ${String(json["code"])})${message === undefined ? "" : `: ${message}`}`,
      {
        details,
      },
    );
  }
  const data = json["data"];
  const tiktokStatus =
    data !== null && typeof data === "object" ? (data as Record<string, unknown>)["status_code"] : undefined;
  if (typeof tiktokStatus === "number" && tiktokStatus !== 0) {
    throw callError(
      context,
      ErrorCode.InvalidResponse,
      `TikTok refused the message (status_code ${tiktokStatus})`,
      {
        details: { ...details, tiktokStatusCode: tiktokStatus },
      },
    );
  }
  config.log.debug(`signer "${config.name}" sendChat: sent to room ${roomId}`);
}

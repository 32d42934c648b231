import {
  type DevicePreset,
  defaultDevicePreset,
  ErrorCode,
  normalizeRoomId,
  type SessionCredentials,
  type Signer,
  TikLiveError,
  type Transport,
} from "@tiklive/core";
import { generateDeviceId, numberOption } from "@tiklive/core/internal";
import { createEulerSigner } from "@tiklive/signer";
import { createPollingTransport } from "@tiklive/transport-poll";
import { createWebSocketTransport } from "@tiklive/transport-ws";
import type { Dispatcher } from "undici";
import { createProxy } from "./proxy.js";

/** Where log lines go. Every line is already redacted. */
export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/** Reconnect policy: exponential backoff with jitter. */
export interface ReconnectOptions {
  /** Default true. */
  enabled?: boolean;
  /** Attempts after a drop before giving up (they reset once streaming again). Default 10. */
  maxAttempts?: number;
  /** Delay before the first attempt. Default 1 000 ms. */
  initialDelayMs?: number;
  /** Largest delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Random spread, as a fraction of the delay (0.2 = ±20 %). Default 0.2. */
  jitter?: number;
}

/** Options of a {@link TikTokLiveClient}. Everything is per client; nothing is global. */
export interface ClientOptions {
  /** The signer. Default: the Euler sign server (`createEulerSigner`) with `signApiKey`. */
  signer?: Signer;
  /** API key for the default Euler signer. Sent as `x-api-key`, never logged. Default none. */
  signApiKey?: string;
  /** Base URL of the default signer. Default `https://api.eulerstream.com`. */
  signServerUrl?: string;
  /** Transports, tried in order (the first that opens wins). Default: WebSocket, then polling. */
  transports?: Transport[];
  /** Use the WebSocket; when false only polling is used. Default true. */
  enableWebsocketUpgrade?: boolean;
  /** Interval of the polling transport. Default 1 000 ms. */
  requestPollingIntervalMs?: number;
  /** Emit events for the messages that come with the signed session (recent history). Default true. */
  processInitialData?: boolean;
  /** Fetch room info on connect (and refuse offline rooms with `user_offline`). Default true. */
  fetchRoomInfoOnConnect?: boolean;
  /** Fetch the room's gift list on connect (`state.availableGifts`). Default false. */
  enableExtendedGiftInfo?: boolean;
  /** Connect to this room id instead of looking the user's room up. Default: look it up. */
  roomId?: string;
  /** A TikTok session id, for sending chat. A secret: never logged. Default none. */
  sessionId?: string;
  /** The session's data centre (`tt-target-idc`). Default "useast1a". */
  ttTargetIdc?: string;
  /**
   * Let the default signer send the session (`sessionId`) to the sign server, which its chat
   * route needs. The sign server then holds your TikTok login: enable it only for one you
   * trust. Default false.
   */
  forwardSessionToSigner?: boolean;
  /** Extra query parameters of TikTok web requests. Default none. */
  clientParams?: Record<string, string>;
  /** Extra headers of TikTok web requests. Default none. */
  requestHeaders?: Record<string, string>;
  /** Extra headers of the push WebSocket handshake. Default none. */
  websocketHeaders?: Record<string, string>;
  /** One proxy URL (http://, https:// or socks5://) for every HTTP request and the WebSocket; TLS is still verified. Default none. */
  proxy?: string;
  /** Base of www.tiktok.com routes (live page, `api-live`). Default `https://www.tiktok.com`. */
  webUrl?: string;
  /** Base of webcast.tiktok.com routes (room info, gift list, polling). Default: `webUrl` when given, else `https://webcast.tiktok.com`. */
  webcastUrl?: string;
  /** Timeout of each HTTP request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Timeout of opening the push connection. Default 20 000 ms. */
  connectTimeoutMs?: number;
  /** Reconnect policy, or false to never reconnect. Default: enabled, see {@link ReconnectOptions}. */
  reconnect?: ReconnectOptions | false;
  /** Reconnect when no frame arrives for this long; 0 disables. Default 60 000 ms. */
  stallTimeoutMs?: number;
  /** De-duplicate messages by msgId, remembering this many ids; false disables. Default 10 000. */
  dedup?: { capacity?: number } | false;
  /** Close a gift streak that never sends repeatEnd after this long. Default 10 000 ms. */
  giftStreakTimeoutMs?: number;
  /** Browser the client presents (UA, language, region, screen). Default: a current desktop Chrome. */
  device?: Partial<DevicePreset>;
  /** Where log lines go; false for none. Default: warnings and errors to the console. */
  logger?: Logger | false;
  /** undici dispatcher for TikTok web requests (tests, custom agents). Default: the proxy's, else undici's global. */
  dispatcher?: Dispatcher;
  /** Random source for jitter and ids (tests). Default Math.random. */
  random?: () => number;
}

/** Options after validation and defaults: inner code never re-checks them. */
export interface ResolvedClientOptions {
  signer: Signer;
  transports: Transport[];
  processInitialData: boolean;
  fetchRoomInfoOnConnect: boolean;
  enableExtendedGiftInfo: boolean;
  roomId: string | undefined;
  session: SessionCredentials | undefined;
  clientParams: Record<string, string>;
  requestHeaders: Record<string, string>;
  webUrl: URL;
  webcastUrl: URL;
  requestTimeoutMs: number;
  reconnect: Required<ReconnectOptions>;
  stallTimeoutMs: number;
  dedupCapacity: number | false;
  giftStreakTimeoutMs: number;
  device: DevicePreset;
  deviceId: string;
  logger: Logger;
  dispatcher: Dispatcher | undefined;
  random: () => number;
  secrets: string[];
}

const consoleLogger: Logger = {
  warn: (message, data) => console.warn(`[tiklive] ${message}`, data ?? ""),
  error: (message, data) => console.error(`[tiklive] ${message}`, data ?? ""),
};

function invalid(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message);
}

function baseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value.endsWith("/") ? value : `${value}/`);
  } catch {
    throw invalid(`${name} is not a URL: "${value}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw invalid(`${name} must be an http(s) URL, got ${url.protocol}`);
  return url;
}

/** Validates and defaults client options once. Throws `invalid_input` for bad values. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options !== "object" || options === null) throw invalid("options must be an object");
  const proxy = options.proxy === undefined ? undefined : createProxy(options.proxy);
  const dispatcher = options.dispatcher ?? proxy?.dispatcher;
  const requestTimeoutMs = numberOption("requestTimeoutMs", options.requestTimeoutMs, 10_000);
  const connectTimeoutMs = numberOption("connectTimeoutMs", options.connectTimeoutMs, 20_000);
  const device: DevicePreset = { ...defaultDevicePreset, ...options.device };
  const webUrl = baseUrl("webUrl", options.webUrl ?? "https://www.tiktok.com");
  const webcastUrl = baseUrl(
    "webcastUrl",
    options.webcastUrl ?? options.webUrl ?? "https://webcast.tiktok.com",
  );
  if (
    options.sessionId !== undefined &&
    (typeof options.sessionId !== "string" || options.sessionId.trim() === "")
  )
    throw invalid("sessionId must be a non-empty string");
  const session =
    options.sessionId === undefined
      ? undefined
      : { sessionId: options.sessionId, ttTargetIdc: options.ttTargetIdc ?? "useast1a" };
  const secrets = [options.signApiKey, options.sessionId].filter(
    (s): s is string => typeof s === "string" && s !== "",
  );

  const signer =
    options.signer ??
    createEulerSigner({
      apiKey: options.signApiKey,
      ...(options.signServerUrl === undefined ? {} : { baseUrl: options.signServerUrl }),
      timeoutMs: requestTimeoutMs,
      dispatcher,
      forwardSession: options.forwardSessionToSigner ?? false,
    });
  if (typeof signer.sign !== "function") throw invalid("signer must have a sign() method");

  const pollingIntervalMs = numberOption("requestPollingIntervalMs", options.requestPollingIntervalMs, 1_000);
  const transports = options.transports ?? [
    ...(options.enableWebsocketUpgrade === false
      ? []
      : [
          createWebSocketTransport({
            headers: { ...options.websocketHeaders },
            connectTimeoutMs,
            device,
            agent: proxy?.agent,
          }),
        ]),
    createPollingTransport({
      baseUrl: webcastUrl.toString(),
      intervalMs: pollingIntervalMs,
      timeoutMs: requestTimeoutMs,
      headers: { ...options.requestHeaders },
      query: { ...options.clientParams },
      device,
      dispatcher,
    }),
  ];
  if (!Array.isArray(transports) || transports.length === 0)
    throw invalid("transports must be a non-empty array");

  const reconnect = options.reconnect === false ? { enabled: false } : (options.reconnect ?? {});
  const resolvedReconnect: Required<ReconnectOptions> = {
    enabled: reconnect.enabled ?? true,
    maxAttempts: reconnect.maxAttempts ?? 10,
    initialDelayMs: numberOption("reconnect.initialDelayMs", reconnect.initialDelayMs, 1_000, {
      allowZero: true,
    }),
    maxDelayMs: numberOption("reconnect.maxDelayMs", reconnect.maxDelayMs, 30_000, { allowZero: true }),
    factor: reconnect.factor ?? 2,
    jitter: reconnect.jitter ?? 0.2,
  };
  if (
    !(resolvedReconnect.maxAttempts >= 0) ||
    !(resolvedReconnect.factor >= 1) ||
    !(resolvedReconnect.jitter >= 0 && resolvedReconnect.jitter <= 1)
  ) {
    throw invalid("reconnect: maxAttempts >= 0, factor >= 1 and 0 <= jitter <= 1 are required");
  }
  const random = options.random ?? Math.random;

  return {
    signer,
    transports,
    processInitialData: options.processInitialData ?? true,
    fetchRoomInfoOnConnect: options.fetchRoomInfoOnConnect ?? true,
    enableExtendedGiftInfo: options.enableExtendedGiftInfo ?? false,
    roomId: options.roomId === undefined ? undefined : normalizeRoomId(options.roomId),
    session,
    clientParams: { ...options.clientParams },
    requestHeaders: { ...options.requestHeaders },
    webUrl,
    webcastUrl,
    requestTimeoutMs,
    reconnect: resolvedReconnect,
    stallTimeoutMs: numberOption("stallTimeoutMs", options.stallTimeoutMs, 60_000, { allowZero: true }),
    dedupCapacity: options.dedup === false ? false : (options.dedup?.capacity ?? 10_000),
    giftStreakTimeoutMs: numberOption("giftStreakTimeoutMs", options.giftStreakTimeoutMs, 10_000),
    device,
    deviceId: generateDeviceId(random),
    logger: options.logger === false ? {} : (options.logger ?? consoleLogger),
    dispatcher,
    random,
    secrets,
  };
}

/** The delay before reconnect attempt `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(
  policy: Required<ReconnectOptions>,
  attempt: number,
  random: () => number,
): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

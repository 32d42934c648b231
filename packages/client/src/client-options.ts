import {
  type Clock,
  createFallbackTransport,
  type DevicePreset,
  defaultDevicePreset,
  ErrorCode,
  normalizeRoomId,
  type SessionCredentials,
  type Signer,
  systemClock,
  TikLiveError,
  type Transport,
} from "@tiklive/core";
import { delayOption, generateDeviceId, integerOption, numberOption } from "@tiklive/core/internal";
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

/**
 * Reconnect policy: exponential backoff with jitter. Delays (`…Ms`) are whole milliseconds from
 * 0 to 2 147 483 647 (what a timer accepts); other values are refused with `invalid_input`.
 */
export interface ReconnectOptions {
  /** Default true. */
  enabled?: boolean;
  /** Attempts after a drop before giving up (they reset once streaming again): a whole number, 0 or more. Default 10. */
  maxAttempts?: number;
  /** Delay before the first attempt. Default 1 000 ms. */
  initialDelayMs?: number;
  /** Largest delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth per attempt, at least 1. Default 2. */
  factor?: number;
  /** Random spread, as a fraction of the delay from 0 to 1 (0.2 = ±20 %). Default 0.2. */
  jitter?: number;
}

/**
 * Options of a {@link TikTokLiveClient}. Everything is per client; nothing is global. Validated
 * once, in the constructor: a delay (`…Ms`) must be a whole number of milliseconds of at most
 * 2 147 483 647 (what a timer accepts), a count or size a whole number; anything else is refused
 * with `invalid_input` naming the option.
 */
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
  /**
   * Largest body of a TikTok web response (the live page, `api-live/user/room`, room info, the
   * gift list), in bytes, at most 256 MiB; a larger one fails with `payload_too_large` and the
   * rest is not read. Default 16 MiB: far above these responses (the simulator's live page is
   * about 2 KiB, its gift list 9 KiB; TikTok's gift list, with every gift's image URLs, is the
   * largest) and the same as the polling transport's limit. Polling and the signer have their
   * own limits.
   */
  maxResponseBytes?: number;
  /** Timeout of opening the push connection. Default 20 000 ms. */
  connectTimeoutMs?: number;
  /** Reconnect policy, or false to never reconnect. Default: enabled, see {@link ReconnectOptions}. */
  reconnect?: ReconnectOptions | false;
  /** Reconnect when no frame arrives for this long; 0 disables. Default 60 000 ms. */
  stallTimeoutMs?: number;
  /**
   * De-duplicate messages by msgId; false disables. An id is remembered until `capacity` newer
   * ids came (a whole number, default 10 000) or `windowMs` passed on the client's `clock`
   * (default 600 000 = 10 minutes: TikTok repeats only recent messages, see `createDeduplicator`),
   * whichever comes first. Default: enabled with these bounds.
   */
  dedup?: { capacity?: number; windowMs?: number } | false;
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
  /**
   * Reconnect after this many frames in a row did not decode (a whole number >= 1). A single
   * bad frame is skipped (reported as `decodeError` and `gap`) and the connection kept: a
   * reconnect costs a sign request and would not bring that frame back. Default 5.
   */
  maxConsecutiveBadFrames?: number;
  /** The clock of reconnect waits, the stall watchdog's timestamps and the dedup window (tests: fake time). Default the system clock. */
  clock?: Clock;
}

/** Options after validation and defaults: inner code never re-checks them. */
export interface ResolvedClientOptions {
  signer: Signer;
  /** The transports in the order given. */
  transports: Transport[];
  /** The one transport the client uses: the first of `transports` that opens (a fallback). */
  transport: Transport;
  processInitialData: boolean;
  fetchRoomInfoOnConnect: boolean;
  enableExtendedGiftInfo: boolean;
  roomId: string | undefined;
  session: SessionCredentials | undefined;
  /** The `tt-target-idc` cookie of web requests: `ttTargetIdc`, default "useast1a". */
  ttTargetIdc: string;
  clientParams: Record<string, string>;
  requestHeaders: Record<string, string>;
  webUrl: URL;
  webcastUrl: URL;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  reconnect: Required<ReconnectOptions>;
  stallTimeoutMs: number;
  dedupCapacity: number | false;
  dedupWindowMs: number;
  giftStreakTimeoutMs: number;
  device: DevicePreset;
  deviceId: string;
  logger: Logger;
  dispatcher: Dispatcher | undefined;
  random: () => number;
  maxConsecutiveBadFrames: number;
  clock: Clock;
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
  const requestTimeoutMs = delayOption("requestTimeoutMs", options.requestTimeoutMs, 10_000);
  const connectTimeoutMs = delayOption("connectTimeoutMs", options.connectTimeoutMs, 20_000);
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
  const ttTargetIdc = options.ttTargetIdc ?? "useast1a";
  const session = options.sessionId === undefined ? undefined : { sessionId: options.sessionId, ttTargetIdc };
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

  const pollingIntervalMs = delayOption("requestPollingIntervalMs", options.requestPollingIntervalMs, 1_000);
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
    maxAttempts: integerOption("reconnect.maxAttempts", reconnect.maxAttempts, 10, { allowZero: true }),
    initialDelayMs: delayOption("reconnect.initialDelayMs", reconnect.initialDelayMs, 1_000, {
      allowZero: true,
    }),
    maxDelayMs: delayOption("reconnect.maxDelayMs", reconnect.maxDelayMs, 30_000, { allowZero: true }),
    factor: numberOption("reconnect.factor", reconnect.factor, 2, { min: 1 }),
    jitter: numberOption("reconnect.jitter", reconnect.jitter, 0.2, { min: 0, max: 1 }),
  };
  const random = options.random ?? Math.random;

  return {
    signer,
    transports,
    transport: transports.length === 1 ? (transports[0] as Transport) : createFallbackTransport(transports),
    processInitialData: options.processInitialData ?? true,
    fetchRoomInfoOnConnect: options.fetchRoomInfoOnConnect ?? true,
    enableExtendedGiftInfo: options.enableExtendedGiftInfo ?? false,
    roomId: options.roomId === undefined ? undefined : normalizeRoomId(options.roomId),
    session,
    ttTargetIdc,
    clientParams: { ...options.clientParams },
    requestHeaders: { ...options.requestHeaders },
    webUrl,
    webcastUrl,
    requestTimeoutMs,
    maxResponseBytes: integerOption("maxResponseBytes", options.maxResponseBytes, 16 * 1024 * 1024, {
      max: 256 * 1024 * 1024,
    }),
    reconnect: resolvedReconnect,
    stallTimeoutMs: delayOption("stallTimeoutMs", options.stallTimeoutMs, 60_000, { allowZero: true }),
    dedupCapacity:
      options.dedup === false ? false : integerOption("dedup.capacity", options.dedup?.capacity, 10_000),
    dedupWindowMs: delayOption(
      "dedup.windowMs",
      options.dedup === false ? undefined : options.dedup?.windowMs,
      600_000,
    ),
    giftStreakTimeoutMs: delayOption("giftStreakTimeoutMs", options.giftStreakTimeoutMs, 10_000),
    device,
    deviceId: generateDeviceId(random),
    logger: options.logger === false ? {} : (options.logger ?? consoleLogger),
    dispatcher,
    random,
    maxConsecutiveBadFrames: integerOption("maxConsecutiveBadFrames", options.maxConsecutiveBadFrames, 5),
    clock: options.clock ?? systemClock,
    secrets,
  };
}

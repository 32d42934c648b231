import type { Agent, ClientRequest, IncomingMessage } from "node:http";
import {
  type DecodeLimits,
  type DevicePreset,
  decodeMsgFrame,
  decodePushFrame,
  defaultDecodeLimits,
  defaultDevicePreset,
  ErrorCode,
  encodeAckFrame,
  encodeEnterRoomFrame,
  encodeHeartbeatFrame,
  type FrameDecodeOptions,
  needsAck,
  normalizeRoomId,
  TikLiveError,
  type Transport,
  type TransportConnection,
  type TransportConnectRequest,
  type TransportEvent,
} from "@tiklive/core";
import { cookieHeader, createAsyncQueue, delayOption, integerOption } from "@tiklive/core/internal";
import WebSocket from "ws";
import { buildPushUrl, parseHandshakeOptions } from "./push-url.js";

/** A `ws`-compatible WebSocket constructor (injectable for tests and custom stacks). */
export type WebSocketConstructor = new (
  url: string,
  protocols: string | string[] | undefined,
  options: WebSocket.ClientOptions,
) => WebSocket;

/**
 * Options of {@link createWebSocketTransport}. Validated and defaulted once, at creation: delays
 * (`…Ms`) are whole milliseconds of at most 2 147 483 647 (what a timer accepts), counts and
 * sizes whole numbers; anything else is refused with `invalid_input` naming the option.
 */
export interface WebSocketTransportOptions {
  /** Extra handshake headers (added to User-Agent and Cookie). Default none. */
  headers?: Record<string, string>;
  /** Extra or overriding URL query parameters, applied after all others. Default none. */
  query?: Record<string, string>;
  /** An http(s) Agent for the handshake, e.g. a proxy agent. Default: Node's global agent. */
  agent?: Agent;
  /** How long opening the socket and entering the room may take. Default 20 000 ms. */
  connectTimeoutMs?: number;
  /** Heartbeat interval. Default: the server's `Handshake-Options` `ping-interval`, else 10 000 ms. */
  heartbeatIntervalMs?: number;
  /** How long a graceful close may take before the socket is destroyed. Default 2 000 ms. */
  closeTimeoutMs?: number;
  /** Ask for gzip frames (`compress=gzip`). Default true. */
  compress?: boolean;
  /** WebSocket subprotocol to offer, e.g. "echo-protocol" (PY and Go peers). Default none (as TS). */
  subprotocol?: string;
  /** Device preset for the URL's browser parameters; the User-Agent always comes from the session. Default {@link defaultDevicePreset}. */
  device?: DevicePreset;
  /** Frame size limits (whole numbers of bytes) and inflater. Default: core's `defaultDecodeLimits`. */
  frame?: FrameDecodeOptions;
  /** Buffered events (a whole number) above which the socket is paused until the consumer catches up. Default 1 000. */
  highWaterMark?: number;
  /** The WebSocket constructor. Default `ws`. */
  WebSocket?: WebSocketConstructor;
}

interface ResolvedOptions {
  headers: Record<string, string>;
  query: Record<string, string>;
  agent: Agent | undefined;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** No `heartbeatIntervalMs` was given: the server's `ping-interval` replaces it. */
  heartbeatFromServer: boolean;
  closeTimeoutMs: number;
  compress: boolean;
  subprotocol: string | undefined;
  device: DevicePreset;
  frame: FrameDecodeOptions & { limits: DecodeLimits };
  highWaterMark: number;
  WebSocket: WebSocketConstructor;
}

const defaultHeartbeatMs = 10_000;

function resolveOptions(options: WebSocketTransportOptions): ResolvedOptions {
  const limits = options.frame?.limits;
  return {
    headers: { ...options.headers },
    query: { ...options.query },
    agent: options.agent,
    connectTimeoutMs: delayOption("connectTimeoutMs", options.connectTimeoutMs, 20_000),
    heartbeatIntervalMs: delayOption("heartbeatIntervalMs", options.heartbeatIntervalMs, defaultHeartbeatMs),
    heartbeatFromServer: options.heartbeatIntervalMs === undefined,
    closeTimeoutMs: delayOption("closeTimeoutMs", options.closeTimeoutMs, 2_000),
    compress: options.compress ?? true,
    subprotocol: options.subprotocol,
    device: options.device ?? defaultDevicePreset,
    frame: {
      ...options.frame,
      limits: {
        maxFrameBytes: integerOption(
          "frame.limits.maxFrameBytes",
          limits?.maxFrameBytes,
          defaultDecodeLimits.maxFrameBytes,
        ),
        maxInflatedBytes: integerOption(
          "frame.limits.maxInflatedBytes",
          limits?.maxInflatedBytes,
          defaultDecodeLimits.maxInflatedBytes,
        ),
      },
    },
    highWaterMark: integerOption("highWaterMark", options.highWaterMark, 1_000),
    WebSocket: options.WebSocket ?? (WebSocket as unknown as WebSocketConstructor),
  };
}

/** Why a push connection closed: 1000/1001 are normal (docs/protocol.md §5.4); anything else is an error. */
export function isNormalClose(code: number): boolean {
  return code === 1000 || code === 1001;
}

/**
 * A transport over TikTok's push WebSocket (docs/protocol.md §2-§5): builds the URL from the
 * session, presents its User-Agent and cookies, enters the room, heartbeats with an
 * increasing seq id, acks every frame that asks for it, and yields fetch results in
 * arrival order. WebSocket pings are neither sent nor answered (TikTok never answers them).
 */
export function createWebSocketTransport(options: WebSocketTransportOptions = {}): Transport {
  const resolved = resolveOptions(options);
  return {
    kind: "websocket",
    connect: (request) => openConnection(resolved, request),
  };
}

function openConnection(options: ResolvedOptions, request: TransportConnectRequest): TransportConnection {
  const { session } = request;
  let roomId = normalizeRoomId(session.roomId);
  const url = buildPushUrl({
    pushServer: session.fetchResult.pushServer,
    roomId,
    cursor: session.fetchResult.cursor,
    internalExt: session.fetchResult.internalExt,
    routeParams: session.fetchResult.routeParams,
    compress: options.compress,
    device: options.device,
    query: options.query,
  });

  let opened = false;
  let closing = false;
  let heartbeatMs = options.heartbeatIntervalMs;
  let seq = 0;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let terminateTimer: ReturnType<typeof setTimeout> | undefined;
  let failure: TikLiveError | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const queue = createAsyncQueue<TransportEvent>({
    highWaterMark: options.highWaterMark,
    onHigh: () => socket.pause(),
    onLow: () => socket.resume(),
    onReturn: () => shutdown(),
  });

  const socket = new options.WebSocket(url, options.subprotocol, {
    headers: { ...options.headers, "User-Agent": session.userAgent, Cookie: cookieHeader(session.cookies) },
    agent: options.agent,
    // TikTok never answers WebSocket pings and sends none that want an answer (docs/protocol.md §4.1).
    autoPong: false,
    perMessageDeflate: false,
    handshakeTimeout: options.connectTimeoutMs,
    maxPayload: Math.max(options.frame.limits.maxFrameBytes, 1024),
  });
  socket.binaryType = "nodebuffer";

  const send = (bytes: Uint8Array) => {
    if (socket.readyState === socket.OPEN) socket.send(bytes);
  };

  const startHeartbeat = () => {
    if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
    seq = 0;
    // First heartbeat one interval after room entry; heartbeats before entry make TikTok
    // close with 1000 "payload_handler_hb" (docs/protocol.md §4.1).
    heartbeatTimer = setInterval(() => {
      seq += 1;
      send(encodeHeartbeatFrame({ roomId, seqId: seq }));
    }, heartbeatMs);
  };

  const clearTimers = () => {
    if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
    if (connectTimer !== undefined) clearTimeout(connectTimer);
    heartbeatTimer = undefined;
    connectTimer = undefined;
  };

  const shutdown = () => {
    if (closing) return;
    closing = true;
    clearTimers();
    queue.end();
    if (socket.readyState === socket.CLOSED) return;
    if (socket.readyState === socket.CONNECTING) {
      socket.terminate();
      return;
    }
    socket.close(1000);
    terminateTimer = setTimeout(() => socket.terminate(), options.closeTimeoutMs);
    terminateTimer.unref?.();
  };

  connectTimer = setTimeout(() => {
    failure = new TikLiveError(
      ErrorCode.ConnectTimeout,
      `the push socket did not open within ${options.connectTimeoutMs} ms`,
      {
        details: { timeoutMs: options.connectTimeoutMs },
      },
    );
    socket.terminate();
  }, options.connectTimeoutMs);

  socket.on("upgrade", (response: IncomingMessage) => {
    const handshake = parseHandshakeOptions(headerValue(response.headers["handshake-options"]));
    const seconds = Number(handshake["ping-interval"]);
    if (options.heartbeatFromServer && Number.isFinite(seconds) && seconds > 0) heartbeatMs = seconds * 1000;
  });

  socket.on("unexpected-response", (req: ClientRequest, response: IncomingMessage) => {
    // TikTok rejects with HTTP 200 (not 101) and handshake-status / handshake-msg headers (docs/protocol.md §5.4).
    const status = headerValue(response.headers["handshake-status"]);
    const message = headerValue(response.headers["handshake-msg"]);
    const httpStatus = response.statusCode ?? 0;
    failure = new TikLiveError(
      ErrorCode.HandshakeRejected,
      status === undefined
        ? `the push server refused the WebSocket handshake with HTTP ${httpStatus}`
        : `the push server rejected the handshake: ${status} ${message ?? ""}`.trim(),
      {
        retryable: httpStatus === 429 || httpStatus >= 500,
        details: { httpStatus, handshakeStatus: status, handshakeMessage: message },
      },
    );
    response.resume();
    req.destroy();
    // ws emits no close for a request destroyed here; finish the connection ourselves.
    finish();
  });

  socket.on("open", () => {
    opened = true;
    if (connectTimer !== undefined) clearTimeout(connectTimer);
    connectTimer = undefined;
    if (closing) return;
    send(encodeEnterRoomFrame({ roomId }));
    startHeartbeat();
    queue.push({ type: "open", transport: "websocket" });
  });

  socket.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
    const receivedAt = Date.now();
    const bytes = toBytes(data);
    if (!isBinary) {
      queue.push({
        type: "frameError",
        error: new TikLiveError(
          ErrorCode.MalformedFrame,
          "the push server sent a text frame; only binary frames are expected",
          { retryable: false },
        ),
        frame: bytes,
        receivedAt,
      });
      return;
    }
    try {
      const decoded = decodeMsgFrame(bytes, options.frame);
      if (decoded.result === undefined) {
        queue.push({ type: "frame", frame: decoded.frame, receivedAt });
        return;
      }
      if (needsAck(decoded))
        send(encodeAckFrame({ logId: decoded.frame.logId, internalExt: decoded.result.internalExt }));
      queue.push({
        type: "result",
        result: decoded.result,
        logId: decoded.frame.logId,
        frame: bytes,
        receivedAt,
      });
    } catch (error) {
      // Name the frame when its envelope decodes and only its payload (gzip, fetch result) did not.
      const ids = frameIds(bytes, options.frame);
      queue.push({
        type: "frameError",
        error: TikLiveError.from(error, ErrorCode.MalformedFrame, undefined, { details: ids }),
        frame: bytes,
        receivedAt,
        ...ids,
      });
    }
  });

  socket.on("error", (error: Error) => {
    failure ??= new TikLiveError(
      opened ? ErrorCode.ConnectionClosed : ErrorCode.NetworkError,
      opened
        ? `the push socket failed: ${error.message}`
        : `could not open the push socket: ${error.message}`,
      { cause: error },
    );
  });

  let finished = false;
  const finish = (code?: number, reason?: string) => {
    if (finished) return;
    finished = true;
    clearTimers();
    if (terminateTimer !== undefined) clearTimeout(terminateTimer);
    request.signal?.removeEventListener("abort", shutdown);
    if (closing) {
      queue.end();
    } else if (code !== undefined && opened && isNormalClose(code)) {
      queue.push({ type: "closed", code, reason: reason ?? "" });
      queue.end();
    } else if (failure !== undefined && !(opened && code !== undefined)) {
      queue.fail(failure);
    } else {
      // 1006 is an abrupt drop (no close frame); other codes are closes TikTok chose.
      queue.fail(
        new TikLiveError(
          ErrorCode.ConnectionClosed,
          code === 1006
            ? "the push connection dropped without a close frame (1006)"
            : `the push server closed the connection with code ${code ?? "none"}${reason ? ` (${reason})` : ""}`,
          { cause: failure, details: { code, reason } },
        ),
      );
    }
    resolveClosed();
  };

  socket.on("close", (code: number, reason: Buffer) => finish(code, reason.toString("utf8")));

  if (request.signal?.aborted) shutdown();
  else request.signal?.addEventListener("abort", shutdown, { once: true });

  return {
    kind: "websocket",
    capabilities: { switchRoom: true, push: true },
    [Symbol.asyncIterator]: () => queue,
    async switchRoom(next) {
      if (!opened || closing) throw new TikLiveError(ErrorCode.NotConnected, "the push socket is not open");
      roomId = normalizeRoomId(next);
      // A new room entry resets the heartbeat sequence and uses the new room id (docs/protocol.md §4.3).
      send(encodeEnterRoomFrame({ roomId }));
      startHeartbeat();
    },
    async close() {
      shutdown();
      await closed;
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function frameIds(bytes: Uint8Array, options: FrameDecodeOptions): { logId?: string; seqId?: string } {
  try {
    const frame = decodePushFrame(bytes, options);
    return { logId: frame.logId, seqId: frame.seqId };
  } catch {
    return {};
  }
}

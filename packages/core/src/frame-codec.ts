import { create, toBinary } from "@bufbuild/protobuf";
import {
  BaseProtoMessageSchema,
  HeartBeatMessageSchema,
  ProtoMessageFetchResultSchema,
  PushHeaderSchema,
  WebcastImEnterRoomMessageSchema,
  WebcastPushFrameSchema,
} from "@tiklive/proto";
import { ErrorCode, TikLiveError } from "./errors.js";
import { WireReader } from "./events/fast/wire-reader.js";
import { defaultInflate, type Inflate, isGzip } from "./inflate.js";

/** Size limits of the codec. Input above them is refused with `payload_too_large`. */
export interface DecodeLimits {
  /** Largest push frame or fetch result accepted, in bytes. Default 4 MiB. */
  maxFrameBytes: number;
  /** Largest inflated gzip payload accepted, in bytes (gzip-bomb guard). Default 16 MiB. */
  maxInflatedBytes: number;
}

/** The default {@link DecodeLimits}. */
export const defaultDecodeLimits: Readonly<DecodeLimits> = Object.freeze({
  maxFrameBytes: 4 * 1024 * 1024,
  maxInflatedBytes: 16 * 1024 * 1024,
});

/** A decoded `WebcastPushFrame` (docs/protocol.md §2). `payload` is a view into the input, not a copy. */
export interface PushFrame {
  seqId: string;
  /** Server-assigned frame id, echoed in the ack. "0" when absent. */
  logId: string;
  service: string;
  method: string;
  /** Frame headers (`compress_type`, ...). A repeated key keeps its last value. */
  headers: Record<string, string>;
  payloadEncoding: string;
  /** `msg`, `hb`, `ack`, `im_enter_room`, `im_enter_room_resp` (docs/protocol.md §2.1). */
  payloadType: string;
  payload: Uint8Array;
}

/**
 * One entry of a fetch result's batch (`BaseProtoMessage`, docs/protocol.md §3.2), with
 * its payload still encoded: it is decoded only when someone wants its event.
 */
export interface RawMessage {
  /** The message class, e.g. `WebcastChatMessage`. */
  method: string;
  /** The encoded message. A view into the fetch result's bytes. */
  payload: Uint8Array;
  msgId: string;
  msgType: number;
  offset: string;
  isHistory: boolean;
}

/** A decoded `ProtoMessageFetchResult` (docs/protocol.md §3.1) with lazily decodable messages. */
export interface FetchResult {
  messages: RawMessage[];
  /** Resume position. */
  cursor: string;
  /** Server-suggested polling interval; "0" when absent. Unit not established (docs/protocol.md §3.1). */
  fetchInterval: string;
  /** Server time. */
  now: string;
  /** Opaque routing blob: goes into the WebSocket URL and into acks. */
  internalExt: string;
  fetchType: number;
  /** Extra WebSocket query parameters. */
  routeParams: Record<string, string>;
  heartbeatDuration: string;
  /** When true the frame carrying this result must be acked (docs/protocol.md §3.3). */
  needAck: boolean;
  /** WebSocket base URL to connect to. */
  pushServer: string;
  isFirst: boolean;
  historyCommentCursor: string;
  historyNoMore: boolean;
}

/** Options of {@link decodePushFrame} and {@link decodeMsgFrame}. */
export interface FrameDecodeOptions {
  /** Size limits. Default {@link defaultDecodeLimits}. */
  limits?: Partial<DecodeLimits>;
  /** The gzip inflater. Default: native zlib on Node, fflate elsewhere. */
  inflate?: Inflate;
}

function resolveLimits(limits: Partial<DecodeLimits> | undefined): DecodeLimits {
  return limits === undefined ? defaultDecodeLimits : { ...defaultDecodeLimits, ...limits };
}

function checkInput(bytes: unknown, what: string, maxBytes: number): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `${what} must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`,
    );
  }
  if (bytes.length > maxBytes) {
    throw new TikLiveError(
      ErrorCode.PayloadTooLarge,
      `${what} of ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`,
      {
        retryable: false,
        details: { size: bytes.length, maxFrameBytes: maxBytes },
      },
    );
  }
}

function malformed(what: string, cause: unknown, bytes: Uint8Array): TikLiveError {
  if (cause instanceof TikLiveError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TikLiveError(
    ErrorCode.MalformedFrame,
    `${what} is not valid protobuf (${bytes.length} bytes): ${reason}`,
    {
      cause,
      retryable: false,
      details: { size: bytes.length },
    },
  );
}

/**
 * Decodes one `WebcastPushFrame`. Throws a {@link TikLiveError} (`invalid_input`,
 * `payload_too_large`, `malformed_frame`), never anything else.
 */
export function decodePushFrame(bytes: Uint8Array, options: FrameDecodeOptions = {}): PushFrame {
  const limits = resolveLimits(options.limits);
  checkInput(bytes, "push frame", limits.maxFrameBytes);
  const frame: PushFrame = {
    seqId: "0",
    logId: "0",
    service: "0",
    method: "0",
    headers: {},
    payloadEncoding: "",
    payloadType: "",
    payload: new Uint8Array(0),
  };
  try {
    const reader = new WireReader(bytes);
    while (reader.pos < bytes.length) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 0) throw new Error("illegal tag: field 0");
      if (wire === 0 && field >= 1 && field <= 4) {
        const value = reader.int64();
        if (field === 1) frame.seqId = value;
        else if (field === 2) frame.logId = value;
        else if (field === 3) frame.service = value;
        else frame.method = value;
      } else if (wire === 2 && field === 5) {
        const [key, value] = decodeStringPair(reader);
        frame.headers[key] = value;
      } else if (wire === 2 && field === 6) {
        frame.payloadEncoding = reader.string();
      } else if (wire === 2 && field === 7) {
        frame.payloadType = reader.string();
      } else if (wire === 2 && field === 8) {
        const end = reader.delimited();
        frame.payload = bytes.subarray(reader.pos, end);
        reader.pos = end;
      } else {
        reader.skip(wire, field);
      }
    }
  } catch (error) {
    throw malformed("push frame", error, bytes);
  }
  return frame;
}

// A map entry / PushHeader: 1 key, 2 value (both strings).
function decodeStringPair(reader: WireReader): [string, string] {
  const end = reader.delimited();
  let key = "";
  let value = "";
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === 0x0a) key = reader.string();
    else if (tag === 0x12) value = reader.string();
    else if (tag >>> 3 === 0) throw new Error("illegal tag: field 0");
    else reader.skip(tag & 7, tag >>> 3);
  }
  if (reader.pos !== end) throw new Error("map entry overruns its length");
  return [key, value];
}

/**
 * Decodes a `ProtoMessageFetchResult` (a `msg` frame's inflated payload, the sign
 * server's body, or a polling response). Message payloads stay encoded. Throws a
 * {@link TikLiveError}, never anything else.
 */
export function decodeFetchResult(
  bytes: Uint8Array,
  options: Pick<FrameDecodeOptions, "limits"> = {},
): FetchResult {
  const limits = resolveLimits(options.limits);
  checkInput(bytes, "fetch result", Math.max(limits.maxFrameBytes, limits.maxInflatedBytes));
  const result: FetchResult = {
    messages: [],
    cursor: "",
    fetchInterval: "0",
    now: "0",
    internalExt: "",
    fetchType: 0,
    routeParams: {},
    heartbeatDuration: "0",
    needAck: false,
    pushServer: "",
    isFirst: false,
    historyCommentCursor: "",
    historyNoMore: false,
  };
  try {
    const reader = new WireReader(bytes);
    while (reader.pos < bytes.length) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 0) throw new Error("illegal tag: field 0");
      if (wire === 2) {
        switch (field) {
          case 1:
            result.messages.push(decodeRawMessage(reader, bytes));
            continue;
          case 2:
            result.cursor = reader.string();
            continue;
          case 5:
            result.internalExt = reader.string();
            continue;
          case 7: {
            const [key, value] = decodeStringPair(reader);
            result.routeParams[key] = value;
            continue;
          }
          case 10:
            result.pushServer = reader.string();
            continue;
          case 12:
            result.historyCommentCursor = reader.string();
            continue;
        }
      } else if (wire === 0) {
        switch (field) {
          case 3:
            result.fetchInterval = reader.int64();
            continue;
          case 4:
            result.now = reader.int64();
            continue;
          case 6:
            result.fetchType = reader.int32();
            continue;
          case 8:
            result.heartbeatDuration = reader.int64();
            continue;
          case 9:
            result.needAck = reader.bool();
            continue;
          case 11:
            result.isFirst = reader.bool();
            continue;
          case 13:
            result.historyNoMore = reader.bool();
            continue;
        }
      }
      reader.skip(wire, field);
    }
  } catch (error) {
    throw malformed("fetch result", error, bytes);
  }
  return result;
}

function decodeRawMessage(reader: WireReader, bytes: Uint8Array): RawMessage {
  const end = reader.delimited();
  const message: RawMessage = {
    method: "",
    payload: empty,
    msgId: "0",
    msgType: 0,
    offset: "0",
    isHistory: false,
  };
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case 0x0a: // 1 method
        message.method = reader.string();
        break;
      case 0x12: {
        // 2 payload: a view, not a copy
        const stop = reader.delimited();
        message.payload = bytes.subarray(reader.pos, stop);
        reader.pos = stop;
        break;
      }
      case 0x18: // 3 msgId
        message.msgId = reader.int64();
        break;
      case 0x20: // 4 msgType
        message.msgType = reader.int32();
        break;
      case 0x28: // 5 offset
        message.offset = reader.int64();
        break;
      case 0x30: // 6 isHistory
        message.isHistory = reader.bool();
        break;
      default:
        if (tag >>> 3 === 0) throw new Error("illegal tag: field 0");
        reader.skip(tag & 7, tag >>> 3);
    }
  }
  if (reader.pos !== end) throw new Error("message overruns its length");
  return message;
}

const empty = new Uint8Array(0);

/** True when a push frame's payload is gzip: header `compress_type=gzip` or the gzip magic (docs/protocol.md §2.2). */
export function isGzipPayload(frame: PushFrame): boolean {
  return frame.headers["compress_type"] === "gzip" || isGzip(frame.payload);
}

/**
 * Returns a `msg` frame's payload, inflated when it is gzip (header or magic),
 * refusing an inflated size above the limit.
 */
export function framePayload(frame: PushFrame, options: FrameDecodeOptions = {}): Uint8Array {
  if (!isGzipPayload(frame)) return frame.payload;
  const limits = resolveLimits(options.limits);
  return (options.inflate ?? defaultInflate)(frame.payload, limits.maxInflatedBytes);
}

/** A decoded push frame together with the fetch result of a `msg` frame. */
export interface DecodedFrame {
  frame: PushFrame;
  /** Present for `msg` frames (only those carry a fetch result, docs/protocol.md §2.1). */
  result: FetchResult | undefined;
}

/**
 * Decodes a WebSocket frame end to end: push frame, gzip (capped), fetch result.
 * Other frame types (`hb`, `im_enter_room_resp`, ...) come back with `result` undefined.
 * Throws a {@link TikLiveError}, never anything else.
 */
export function decodeMsgFrame(bytes: Uint8Array, options: FrameDecodeOptions = {}): DecodedFrame {
  const frame = decodePushFrame(bytes, options);
  if (frame.payloadType !== "msg") return { frame, result: undefined };
  return { frame, result: decodeFetchResult(framePayload(frame, options), options) };
}

/** True when the frame must be acked: its result says `needAck` and it has a logId (docs/protocol.md §3.3). */
export function needsAck(decoded: DecodedFrame): boolean {
  return decoded.result?.needAck === true && decoded.frame.logId !== "0";
}

// ---------------------------------------------------------------------------
// Encoding (client -> server frames, docs/protocol.md §4, and the server side for the simulator)

const utf8 = new TextEncoder();

/** Input of {@link encodeHeartbeatFrame}. */
export interface HeartbeatInit {
  roomId: string;
  /** Starts at 1, +1 per heartbeat, reset to 1 on a room switch (docs/protocol.md §4.1). */
  seqId: number | string;
}

/** Encodes a heartbeat: `WebcastPushFrame{payloadEncoding:"pb", payloadType:"hb", payload: HeartBeatMessage}`. */
export function encodeHeartbeatFrame(init: HeartbeatInit): Uint8Array {
  const payload = toBinary(
    HeartBeatMessageSchema,
    create(HeartBeatMessageSchema, { roomId: init.roomId, sendPacketSeqId: String(init.seqId) }),
  );
  return encodePushFrame({ payloadEncoding: "pb", payloadType: "hb", payload });
}

/** Input of {@link encodeAckFrame}. */
export interface AckInit {
  /** The acked frame's logId. */
  logId: string;
  /** The acked fetch result's internalExt, sent as its UTF-8 bytes. */
  internalExt: string;
}

/** Encodes an ack: `logId` of the received frame, payload = UTF-8 of its result's internalExt (docs/protocol.md §3.3). */
export function encodeAckFrame(init: AckInit): Uint8Array {
  return encodePushFrame({
    logId: init.logId,
    payloadEncoding: "pb",
    payloadType: "ack",
    payload: utf8.encode(init.internalExt),
  });
}

/** Input of {@link encodeEnterRoomFrame}. */
export interface EnterRoomInit {
  roomId: string;
  /** Client-generated random positive 63-bit id, new per room entry. Default: {@link generateEnterUniqueId}. */
  enterUniqueId?: string;
  /** Default 12 (docs/protocol.md §4.2). */
  liveId?: string;
  /** Default "audience". */
  identity?: string;
  /** Default "". */
  cursor?: string;
  /** Default "0". */
  filterWelcomeMsg?: string;
}

/** Encodes the `im_enter_room` frame exactly as docs/protocol.md §4.2 describes. */
export function encodeEnterRoomFrame(init: EnterRoomInit): Uint8Array {
  const payload = toBinary(
    WebcastImEnterRoomMessageSchema,
    create(WebcastImEnterRoomMessageSchema, {
      roomId: init.roomId,
      roomTag: "",
      liveRegion: "",
      liveId: init.liveId ?? "12",
      identity: init.identity ?? "audience",
      cursor: init.cursor ?? "",
      accountType: "0",
      enterUniqueId: init.enterUniqueId ?? generateEnterUniqueId(),
      filterWelcomeMsg: init.filterWelcomeMsg ?? "0",
      isAnchorContinueKeepMsg: false,
    }),
  );
  return encodePushFrame({ payloadEncoding: "pb", payloadType: "im_enter_room", payload });
}

/** A random positive 63-bit integer as a decimal string (the `enterUniqueId` of §4.2). */
export function generateEnterUniqueId(): string {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  const value = (BigInt((words[0] as number) & 0x7fffffff) << 32n) | BigInt(words[1] as number) || 1n;
  return value.toString();
}

/** Input of {@link encodePushFrame}: any subset of the frame's fields. */
export interface PushFrameInit {
  seqId?: string;
  logId?: string;
  headers?: Record<string, string>;
  payloadEncoding?: string;
  payloadType: string;
  payload?: Uint8Array;
}

/** Encodes a `WebcastPushFrame` (used for client frames, and by servers such as the simulator). */
export function encodePushFrame(init: PushFrameInit): Uint8Array {
  return toBinary(
    WebcastPushFrameSchema,
    create(WebcastPushFrameSchema, {
      seqId: init.seqId ?? "0",
      logId: init.logId ?? "0",
      headers: Object.entries(init.headers ?? {}).map(([key, value]) =>
        create(PushHeaderSchema, { key, value }),
      ),
      payloadEncoding: init.payloadEncoding ?? "",
      payloadType: init.payloadType,
      payload: init.payload ?? new Uint8Array(0),
    }),
  );
}

/** Input of {@link encodeFetchResult}: a {@link FetchResult} whose fields are all optional. */
export type FetchResultInit = Partial<Omit<FetchResult, "messages">> & {
  messages?: (Partial<RawMessage> & { method: string; payload: Uint8Array })[];
};

/** Encodes a `ProtoMessageFetchResult` (servers: the simulator, test fixtures). */
export function encodeFetchResult(init: FetchResultInit): Uint8Array {
  return toBinary(
    ProtoMessageFetchResultSchema,
    create(ProtoMessageFetchResultSchema, {
      messages: (init.messages ?? []).map((m) =>
        create(BaseProtoMessageSchema, {
          method: m.method,
          payload: m.payload,
          msgId: m.msgId ?? "0",
          msgType: m.msgType ?? 0,
          offset: m.offset ?? "0",
          isHistory: m.isHistory ?? false,
        }),
      ),
      cursor: init.cursor ?? "",
      fetchInterval: init.fetchInterval ?? "0",
      now: init.now ?? "0",
      internalExt: init.internalExt ?? "",
      fetchType: init.fetchType ?? 0,
      routeParams: init.routeParams ?? {},
      heartbeatDuration: init.heartbeatDuration ?? "0",
      needAck: init.needAck ?? false,
      pushServer: init.pushServer ?? "",
      isFirst: init.isFirst ?? false,
      historyCommentCursor: init.historyCommentCursor ?? "",
      historyNoMore: init.historyNoMore ?? false,
    }),
  );
}

import { fromBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import type { CommonMessageData } from "@tiklive/proto";
import { createDeduplicator, type Deduplicator } from "../dedup.js";
import { ErrorCode, TikLiveError } from "../errors.js";
import {
  type DecodedFrame,
  decodeMsgFrame,
  type FetchResult,
  type FrameDecodeOptions,
  type RawMessage,
} from "../frame-codec.js";
import { readCommonHeader } from "./fast/readers.js";
import { checkWireTypes, WireTypeError } from "./fast/wire-reader.js";
import { defaultMessageHandlers } from "./handlers.js";
import { type AnyMessageHandler, createMessageRegistry, type MessageRegistry } from "./registry.js";
import type { CoreEvent, CoreEventName, DecodeErrorEvent, UnknownMessageEvent } from "./types.js";
import { mapBase } from "./user.js";

/** Options of {@link createEventDecoder}. Validated and defaulted once, here. */
export interface EventDecoderOptions {
  /** Method -> schema and mapper. Default: a new registry with every message tiklive maps. */
  registry?: MessageRegistry;
  /**
   * Which events are wanted. A message's payload is decoded only when one of the events it
   * can produce is wanted (decode-on-demand). Answers are cached: call
   * {@link EventDecoder.invalidate} when they change. Default: every event.
   */
  wants?: (event: CoreEventName) => boolean;
  /** De-duplicate by msgId; `false` turns it off. Default: a 10 000-id deduplicator. */
  dedup?: Deduplicator | false;
  /** Maximum nesting depth of a payload. Default 64. */
  recursionLimit?: number;
  /** Frame limits and inflater for {@link EventDecoder.decodeFrame}. */
  frame?: FrameDecodeOptions;
  /**
   * Use the handlers' fast paths where they have one (the hottest messages: chat, gift,
   * member, like, social, roomUser), decoding `raw` only on first access. Default true.
   */
  fast?: boolean;
}

/** Counters of what the decoder did, for diagnostics and benchmarks. */
export interface DecoderStats {
  messages: number;
  decoded: number;
  /** Not decoded because no listener wanted their events. */
  skipped: number;
  duplicates: number;
  unknown: number;
  errors: number;
}

/** Turns fetch results into typed events. */
export interface EventDecoder {
  /** Events of one fetch result, in message order. Never throws. */
  decode(result: FetchResult): CoreEvent[];
  /** Events of one message. Never throws. */
  decodeMessage(message: RawMessage): CoreEvent[];
  /** A WebSocket frame end to end (push frame, gzip, fetch result, events). Throws a TikLiveError for a bad frame. */
  decodeFrame(bytes: Uint8Array): DecodedFrame & { events: CoreEvent[] };
  readonly stats: Readonly<DecoderStats>;
  /** Forgets the cached answers of `wants` (call it when the wanted events change, e.g. a listener was added). */
  invalidate(): void;
}

const everything = () => true;

// One read-only registry of the default handlers, shared by every decoder that was not given
// its own (a decoder never registers into it; users who do pass their own registry).
let shared: MessageRegistry | undefined;
function defaultRegistry(): MessageRegistry {
  if (shared === undefined) {
    const registry = createMessageRegistry(defaultMessageHandlers);
    shared = {
      get: registry.get,
      methods: registry.methods,
      register() {
        throw new TypeError(
          "the default registry is shared and read-only: create your own with createMessageRegistry()",
        );
      },
    };
  }
  return shared;
}

/** Creates an {@link EventDecoder}. Each one has its own registry, dedup memory and options. */
export function createEventDecoder(options: EventDecoderOptions = {}): EventDecoder {
  const registry = options.registry ?? defaultRegistry();
  const ask = options.wants ?? everything;
  // wants() is asked once per event name and per handler, not once per message.
  const byName = new Map<string, boolean>();
  const byHandler = new Map<AnyMessageHandler, boolean>();
  const wants = (name: CoreEventName): boolean => {
    let answer = byName.get(name);
    if (answer === undefined) {
      answer = ask(name);
      byName.set(name, answer);
    }
    return answer;
  };
  const wantsAny = (handler: AnyMessageHandler): boolean => {
    let answer = byHandler.get(handler);
    if (answer === undefined) {
      answer = handler.events.some(wants);
      byHandler.set(handler, answer);
    }
    return answer;
  };
  const dedup = options.dedup === false ? undefined : (options.dedup ?? createDeduplicator());
  const readOptions = { readUnknownFields: true, recursionLimit: options.recursionLimit ?? 64 };
  const frameOptions = options.frame ?? {};
  const fast = options.fast ?? true;
  const stats: DecoderStats = { messages: 0, decoded: 0, skipped: 0, duplicates: 0, unknown: 0, errors: 0 };

  const decodeMessage = (raw: RawMessage): CoreEvent[] => {
    stats.messages += 1;
    // Every message, known or not, is de-duplicated here, by the fetch result entry's msgId
    // (the same id as common.msgId, docs/protocol.md §3.2), before anything is decoded.
    if (dedup !== undefined && !dedup.add(raw.msgId)) {
      stats.duplicates += 1;
      return [];
    }
    const handler = registry.get(raw.method);
    if (handler === undefined) {
      stats.unknown += 1;
      if (!wants("unknownMessage")) return [];
      return [unknownMessage(raw)];
    }
    if (!wantsAny(handler)) {
      stats.skipped += 1;
      return [];
    }
    if (handler.fast !== undefined && fast) {
      let events;
      try {
        events = handler.fast(raw.payload, raw);
      } catch (error) {
        return [decodeError(raw, error, handler)];
      }
      stats.decoded += 1;
      return Array.isArray(events)
        ? events.filter((e) => wants(e.type))
        : wants((events as CoreEvent).type)
          ? [events as CoreEvent]
          : [];
    }
    let message;
    try {
      // protobuf-es does not check wire types: a drifted field would be misread silently.
      checkWireTypes(handler.schema, raw.payload, readOptions.recursionLimit);
      message = fromBinary(handler.schema, raw.payload, readOptions);
    } catch (error) {
      return [decodeError(raw, error, handler)];
    }
    try {
      const events = handler.map(message, raw);
      stats.decoded += 1;
      return Array.isArray(events)
        ? events.filter((e) => wants(e.type))
        : wants((events as CoreEvent).type)
          ? [events as CoreEvent]
          : [];
    } catch (error) {
      return [failure(raw, error, `mapping ${raw.method} to an event failed`)];
    }
  };

  // A payload that does not decode with the handler's schema; a field whose wire type drifted
  // from the schema's is named by its path.
  const decodeError = (raw: RawMessage, cause: unknown, handler: AnyMessageHandler): DecodeErrorEvent => {
    const schema = handler.schema;
    if (!(cause instanceof WireTypeError))
      return failure(raw, cause, `payload of ${raw.method} is not a valid ${schema.typeName}`);
    const path = `${schema.name}.${cause.path}`;
    return failure(
      raw,
      cause,
      `payload of ${raw.method} does not match ${schema.typeName}: ${path}: expected ${cause.expected}, got ${cause.actual}`,
      { path, expectedWireType: cause.expected, actualWireType: cause.actual },
    );
  };

  const failure = (
    raw: RawMessage,
    cause: unknown,
    message: string,
    drift?: { path: string; expectedWireType: string; actualWireType: string },
  ): DecodeErrorEvent => {
    stats.errors += 1;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const details = { method: raw.method, msgId: raw.msgId, size: raw.payload.length };
    return {
      type: "decodeError",
      method: raw.method,
      msgId: raw.msgId,
      payloadBase64: base64Encode(raw.payload),
      payloadSize: raw.payload.length,
      ...drift,
      error: new TikLiveError(
        ErrorCode.MalformedFrame,
        drift === undefined ? `${message}: ${reason}` : message,
        { cause, retryable: false, details: drift === undefined ? details : { ...details, ...drift } },
      ),
    };
  };

  // A method no handler knows: its common header still gives the fields every event has. (The
  // header reader fills the fields mapBase reads, shaped like the generated type, as the fast
  // readers do.)
  const unknownMessage = (raw: RawMessage): UnknownMessageEvent => ({
    type: "unknownMessage",
    ...mapBase(readCommonHeader(raw.payload) as CommonMessageData | undefined, raw),
    payloadBase64: base64Encode(raw.payload),
    payloadSize: raw.payload.length,
  });

  const decode = (result: FetchResult): CoreEvent[] => {
    const out: CoreEvent[] = [];
    for (const raw of result.messages) {
      const events = decodeMessage(raw);
      for (const event of events) out.push(event);
    }
    return out;
  };

  return {
    decode,
    decodeMessage,
    decodeFrame(bytes) {
      const decoded = decodeMsgFrame(bytes, frameOptions);
      return { ...decoded, events: decoded.result === undefined ? [] : decode(decoded.result) };
    },
    stats,
    invalidate() {
      byName.clear();
      byHandler.clear();
    },
  };
}

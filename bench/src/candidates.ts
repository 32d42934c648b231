// What the decode benchmark compares: one function per candidate that turns a
// whole corpus of WebSocket frames into events and counts them.
import { unzipSync } from "node:zlib";
import { type CoreEventName, createEventDecoder, decodeMsgFrame } from "@tiklive/core";
import {
  deserializeWebSocketMessage,
  deserializeMessage as peerDeserialize,
  WebcastPushFrame,
} from "tiktok-live-connector";

const deserializeMessage = peerDeserialize as unknown as (method: string, bytes: Buffer) => unknown;

/** One pass over the corpus: frames in, events counted. */
export interface PassResult {
  frames: number;
  /** Events produced (for the peer: messages it decoded; for the envelope baseline: messages found). */
  events: number;
}

export interface Candidate {
  /** Stable key used in the JSON results. */
  id: CandidateId;
  /** Row label in the tables. */
  label: string;
  /** What it measures, one sentence (README and results). */
  description: string;
  /** Decodes every frame once. The peer's real path is async (its gunzip runs on the libuv pool). */
  run(frames: readonly Uint8Array[]): PassResult | Promise<PassResult>;
}

export type CandidateId =
  | "envelope"
  | "peer"
  | "peerSync"
  | "typical"
  | "typicalReflection"
  | "chatOnly"
  | "everything";

/** Listeners a typical bot has: chat, gifts, joins, likes, follows/shares, viewer counts. */
export const typicalListeners: readonly CoreEventName[] = [
  "chat",
  "gift",
  "member",
  "like",
  "social",
  "follow",
  "share",
  "roomUser",
];

// The client always decodes these itself (stream end detection), whatever listens
// (packages/client `#wants`); the decoder candidates do the same to stay honest.
const alwaysWanted: readonly CoreEventName[] = ["streamEnd", "controlMessage"];

function wantsOnly(names: readonly CoreEventName[]): (name: CoreEventName) => boolean {
  const set = new Set<CoreEventName>([...names, ...alwaysWanted]);
  return (name) => set.has(name);
}

function ours(
  id: CandidateId,
  label: string,
  description: string,
  wants: ((name: CoreEventName) => boolean) | undefined,
  fast = true,
): Candidate {
  // One decoder per candidate, as one client has one; dedup off because the corpus
  // repeats the same real payloads (whose common.msgId repeats) on purpose.
  const decoder = createEventDecoder(
    wants === undefined ? { dedup: false, fast } : { wants, dedup: false, fast },
  );
  return {
    id,
    label,
    description,
    run(frames) {
      let events = 0;
      for (const bytes of frames) events += decoder.decodeFrame(bytes).events.length;
      return { frames: frames.length, events };
    },
  };
}

/** The peer gets Buffers, as `ws` hands them to its message handler. */
const buffers = new WeakMap<readonly Uint8Array[], Buffer[]>();
function asBuffers(frames: readonly Uint8Array[]): Buffer[] {
  let list = buffers.get(frames);
  if (list === undefined) {
    list = frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.length));
    buffers.set(frames, list);
  }
  return list;
}

interface PeerMessage {
  decodedData?: unknown;
}
interface PeerFetchResult {
  messages?: PeerMessage[];
}

function countDecoded(result: PeerFetchResult | undefined): number {
  let n = 0;
  for (const m of result?.messages ?? []) if (m.decodedData !== undefined) n += 1;
  return n;
}

/** Every candidate, in report order. */
export function createCandidates(): Candidate[] {
  return [
    {
      id: "envelope",
      label: "baseline: envelope + gunzip",
      description:
        "The ceiling: push frame decode + native gunzip + fetch-result envelope (core's decodeMsgFrame); payloads stay bytes. Events = messages found.",
      run(frames) {
        let events = 0;
        for (const bytes of frames) events += decodeMsgFrame(bytes).result?.messages.length ?? 0;
        return { frames: frames.length, events };
      },
    },
    {
      id: "peer",
      label: "tiktok-live-connector (full decode)",
      description:
        "The peer's real path: `await deserializeWebSocketMessage(frame)` per frame (push frame, async zlib.unzip, fetch result, then every message with its generated decoder). Events = messages decoded.",
      async run(frames) {
        let events = 0;
        for (const buf of asBuffers(frames)) {
          const container = (await deserializeWebSocketMessage(buf)) as {
            protoMessageFetchResult?: PeerFetchResult;
          };
          events += countDecoded(container.protoMessageFetchResult);
        }
        return { frames: frames.length, events };
      },
    },
    {
      id: "peerSync",
      label: "tiktok-live-connector, sync gunzip (reference)",
      description:
        "Reference only: the peer's same decoders (`WebcastPushFrame.decode` + `deserializeMessage`) with a synchronous unzip, to separate its decode CPU from the thread-pool round trip.",
      run(frames) {
        let events = 0;
        for (const buf of asBuffers(frames)) {
          const frame = WebcastPushFrame.decode(buf);
          let payload: Uint8Array = frame.payload;
          if (payload.length > 2 && payload[0] === 0x1f && payload[1] === 0x8b && payload[2] === 0x08)
            payload = unzipSync(payload);
          events += countDecoded(
            deserializeMessage("ProtoMessageFetchResult", Buffer.from(payload)) as PeerFetchResult,
          );
        }
        return { frames: frames.length, events };
      },
    },
    ours(
      "typical",
      "tiklive, typical listeners",
      "createEventDecoder({ wants: chat, gift, member, like, social/follow/share, roomUser (+ streamEnd, controlMessage as the client always does), dedup: false }) + decodeFrame: full typed events, other messages skipped undecoded.",
      wantsOnly(typicalListeners),
    ),
    ours(
      "typicalReflection",
      "tiklive, typical listeners, fast: false (reference)",
      "Reference only: the same listeners with the decoder's `fast: false` option: every wanted message through protobuf-es reflection `fromBinary` + the mapper (what the fast paths replace).",
      wantsOnly(typicalListeners),
      false,
    ),
    ours(
      "chatOnly",
      "tiklive, chat listener only",
      "As above with only a chat listener (+ streamEnd, controlMessage).",
      wantsOnly(["chat"]),
    ),
    ours(
      "everything",
      "tiklive, decode everything",
      "createEventDecoder({ dedup: false }) + decodeFrame: every message decoded and mapped, unknown methods as unknownMessage events.",
      undefined,
    ),
  ];
}

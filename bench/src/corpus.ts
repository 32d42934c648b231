// The decode corpus: push frames as TikTok sends them (docs/protocol.md §2-§3), built
// from the real inner payloads of ../shared/vectors. Each real payload is only
// re-wrapped (BaseProtoMessage -> ProtoMessageFetchResult -> gzip -> WebcastPushFrame);
// nothing inside a payload is synthesised or re-encoded.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { encodeFetchResult, encodePushFrame } from "@tiklive/core";
import { createRandom } from "@tiklive/core/internal";
import type { UserStats } from "./live-corpus.js";
import type { RealVector } from "./vectors.js";

/** How the corpus is drawn. Same options + same vectors = byte-identical frames. */
export interface CorpusOptions {
  /** PRNG seed. Default 20240607. */
  seed?: number;
  /** Number of push frames. Default 300. */
  frames?: number;
  /** Messages per frame, inclusive range. Default [10, 30]. */
  messagesPerFrame?: readonly [number, number];
  /** Accepted size of one encoded push frame in bytes (gzip included); frames outside are redrawn. Default [5 KiB, 20 KiB]. */
  frameBytes?: readonly [number, number];
}

/** The built corpus. */
export interface Corpus {
  frames: Uint8Array[];
  /** What the frames hold, for the report. */
  summary: CorpusSummary;
}

export interface CorpusSummary {
  /** `live`: synthesised live traffic (live-corpus.ts); `vectors`: the 44 real payloads re-wrapped (this file). Absent in results written before the live corpus. */
  kind?: "live" | "vectors";
  seed: number;
  frames: number;
  messages: number;
  /** Messages per wire method, most frequent first. */
  methods: Record<string, number>;
  /** Encoded push frame size (bytes): min, median, max, total. */
  frameBytes: { min: number; median: number; max: number; total: number };
  /** Inflated fetch result size (bytes), total. */
  inflatedBytes: number;
  /** Distinct payloads used (vectors: real payloads re-wrapped; live: every message). */
  distinctPayloads: number;
  /** Messages per frame: min, median, max (live corpus). */
  messagesPerFrame?: { min: number; median: number; max: number };
  /** What the users look like (live corpus). */
  users?: UserStats;
}

/**
 * Relative weight of each method in a frame: mostly the five busiest message
 * types of a real room; every other type present in the vectors shares
 * `othersWeight` equally (control, envelopes, battles, polls, banners, ...).
 */
export const methodWeights: Readonly<Record<string, number>> = {
  WebcastChatMessage: 30,
  WebcastMemberMessage: 18,
  WebcastLikeMessage: 16,
  WebcastGiftMessage: 10,
  WebcastRoomUserSeqMessage: 6,
  WebcastSocialMessage: 5,
};
const othersWeight = 15;

const defaults = {
  seed: 20240607,
  frames: 300,
  messagesPerFrame: [10, 30] as const,
  frameBytes: [5 * 1024, 20 * 1024] as const,
};

/** Builds the corpus in memory from the vectors. Deterministic. */
export function buildCorpus(vectors: readonly RealVector[], options: CorpusOptions = {}): Corpus {
  const seed = options.seed ?? defaults.seed;
  const count = options.frames ?? defaults.frames;
  const [minMessages, maxMessages] = options.messagesPerFrame ?? defaults.messagesPerFrame;
  const [minBytes, maxBytes] = options.frameBytes ?? defaults.frameBytes;
  // Seeded: the corpus must be the same on every machine.
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)] as T;

  const byMethod = new Map<string, RealVector[]>();
  for (const v of vectors) byMethod.set(v.type, [...(byMethod.get(v.type) ?? []), v]);
  const others = [...byMethod.keys()].filter((m) => methodWeights[m] === undefined);
  const table: [string, number][] = [
    ...Object.entries(methodWeights).filter(([m]) => byMethod.has(m)),
    ...others.map((m): [string, number] => [m, othersWeight / others.length]),
  ];
  const totalWeight = table.reduce((sum, [, w]) => sum + w, 0);
  const drawMethod = (): string => {
    let r = random.next() * totalWeight;
    for (const [method, weight] of table) {
      r -= weight;
      if (r < 0) return method;
    }
    return (table[table.length - 1] as [string, number])[0];
  };

  const frames: Uint8Array[] = [];
  const methods: Record<string, number> = {};
  const used = new Set<string>();
  let inflatedBytes = 0;
  let messages = 0;
  // Ids look like TikTok's 19-digit snowflakes and never repeat across the corpus.
  let msgId = 7_380_000_000_000_000_000n;
  const logId = 7_390_000_000_000_000_000n;
  const startMs = 1_717_761_600_000;

  for (let i = 0; i < count; i++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 1000)
        throw new Error(`corpus: cannot draw a frame of ${minBytes}-${maxBytes} bytes from these vectors`);
      const n = minMessages + Math.floor(random.next() * (maxMessages - minMessages + 1));
      const drawn = Array.from({ length: n }, () => pick(byMethod.get(drawMethod()) as RealVector[]));
      const firstId = msgId;
      const now = startMs + i * 1000;
      const cursor = `t-${now}_r-1_d-1_u-1_h-${7_400_000_000_000_000_000n + BigInt(i)}`;
      const result = encodeFetchResult({
        messages: drawn.map((v, j) => ({
          method: v.type,
          payload: v.payload,
          msgId: String(firstId + BigInt(j)),
          msgType: 0,
          offset: "0",
          isHistory: false,
        })),
        cursor,
        fetchInterval: "1000",
        now: String(now),
        internalExt: `internal_src:dim|wss_push_room_id:7380000000000000001|wss_push_did:7380000000000000002|first_req_ms:${startMs}|fetch_time:${now}|seq:${i + 1}|wss_info:0-${now}-0-0|next_cursor:${cursor}`,
        fetchType: 1,
        needAck: i % 3 === 0,
      });
      const payload = new Uint8Array(gzipSync(result));
      const frame = encodePushFrame({
        seqId: String(i + 1),
        logId: String(logId + BigInt(i)),
        headers: { compress_type: "gzip" },
        payloadEncoding: "pb",
        payloadType: "msg",
        payload,
      });
      if (frame.length < minBytes || frame.length > maxBytes) continue;
      msgId += BigInt(n);
      messages += n;
      inflatedBytes += result.length;
      for (const v of drawn) {
        methods[v.type] = (methods[v.type] ?? 0) + 1;
        used.add(v.id);
      }
      frames.push(frame);
      break;
    }
  }

  const sizes = frames.map((f) => f.length).sort((a, b) => a - b);
  return {
    frames,
    summary: {
      kind: "vectors",
      seed,
      frames: frames.length,
      messages,
      methods: Object.fromEntries(Object.entries(methods).sort((a, b) => b[1] - a[1])),
      frameBytes: {
        min: sizes[0] ?? 0,
        median: sizes[Math.floor(sizes.length / 2)] ?? 0,
        max: sizes[sizes.length - 1] ?? 0,
        total: sizes.reduce((s, x) => s + x, 0),
      },
      inflatedBytes,
      distinctPayloads: used.size,
    },
  };
}

// ---------------------------------------------------------------------------
// frames.bin: the corpus on disk, for other tools (node --cpu-prof runs, other decoders).
//
//   magic "TLBF" (4 bytes ASCII) | version u32 LE (= 1) | count u32 LE
//   then `count` times: length u32 LE | that many bytes (one encoded WebcastPushFrame)

/** Default location of the corpus file (gitignored, rewritten by every run). */
export const corpusFile: string = fileURLToPath(new URL("../corpus/frames.bin", import.meta.url));

const magic = [0x54, 0x4c, 0x42, 0x46]; // "TLBF"

/** Writes frames as `frames.bin` (format above). */
export function writeFrames(frames: readonly Uint8Array[], file: string = corpusFile): void {
  const total = 12 + frames.reduce((s, f) => s + 4 + f.length, 0);
  const out = Buffer.alloc(total);
  out.set(magic, 0);
  out.writeUInt32LE(1, 4);
  out.writeUInt32LE(frames.length, 8);
  let offset = 12;
  for (const f of frames) {
    out.writeUInt32LE(f.length, offset);
    out.set(f, offset + 4);
    offset += 4 + f.length;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, out);
}

/** Reads a `frames.bin` back. Throws on a file that is not one. */
export function readFrames(file: string = corpusFile): Uint8Array[] {
  const buf = readFileSync(file);
  if (buf.length < 12 || !magic.every((b, i) => buf[i] === b) || buf.readUInt32LE(4) !== 1)
    throw new Error(`${file} is not a frames.bin (v1) file`);
  const count = buf.readUInt32LE(8);
  const frames: Uint8Array[] = [];
  let offset = 12;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > buf.length) throw new Error(`${file}: truncated at frame ${i}`);
    const length = buf.readUInt32LE(offset);
    if (offset + 4 + length > buf.length) throw new Error(`${file}: truncated at frame ${i}`);
    frames.push(new Uint8Array(buf.buffer, buf.byteOffset + offset + 4, length));
    offset += 4 + length;
  }
  return frames;
}

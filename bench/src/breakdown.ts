// Where the time of one message goes, per wire method: the peer's generated decoder
// against protobuf-es reflection `fromBinary` (+ the mapper: core's reflection path)
// and against core's per-message step as a client runs it (the fast path, if any).
// Diagnostic only: it explains the decode table, it does not replace it.
import { fromBinary } from "@bufbuild/protobuf";
import {
  createEventDecoder,
  createMessageRegistry,
  defaultMessageHandlers,
  type RawMessage,
} from "@tiklive/core";
import { deserializeMessage as peerDeserialize } from "tiktok-live-connector";
import { median, round } from "./stats.js";

export interface MethodCost {
  method: string;
  /** Share of this method among the corpus's messages, percent. */
  corpusShare: number;
  /** Mean payload size of the sampled payloads of this method, bytes. */
  payloadBytes: number;
  /** Microseconds per message (median of alternating runs). */
  peerDecodeUs: number;
  /** protobuf-es reflection `fromBinary`, as core's decoder calls it. */
  fromBinaryUs: number;
  /** fromBinary + the event mapper: core's reflection path (`fast: false`). */
  decodeAndMapUs: number;
  /** Core's per-message step as a client runs it (`decodeMessage`: the fast path where the method has one). */
  tikliveUs: number;
  /** True when core has a fast path (partial decoder + lazy `raw`) for this method. */
  fastPath: boolean;
}

// Typed by the peer for its own schema names only; any method string is what its client passes.
const deserializeMessage = peerDeserialize as unknown as (method: string, bytes: Buffer) => unknown;

const readOptions = { readUnknownFields: true, recursionLimit: 64 };

function usPer(fn: () => void, budgetMs: number): number {
  // Calibrate a batch size so one timing covers ~budgetMs.
  let n = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms >= budgetMs || n > 1e7) return (ms * 1000) / n;
    n *= ms < budgetMs / 10 ? 10 : 2;
  }
}

/** Measures per-message costs for the methods that matter most in the corpus, on sample payloads of each. */
export function runBreakdown(
  vectors: readonly { type: string; payload: Uint8Array }[],
  methods: Record<string, number>,
  options: { rounds?: number; budgetMs?: number; top?: number } = {},
): MethodCost[] {
  const rounds = options.rounds ?? 5;
  const budgetMs = options.budgetMs ?? 40;
  const registry = createMessageRegistry(defaultMessageHandlers);
  const decoder = createEventDecoder({ dedup: false });
  const total = Object.values(methods).reduce((s, n) => s + n, 0);
  const chosen = Object.entries(methods)
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top ?? 6);
  const out: MethodCost[] = [];
  for (const [method, count] of chosen) {
    const handler = registry.get(method);
    const payloads = vectors.filter((v) => v.type === method).map((v) => v.payload);
    if (handler === undefined || payloads.length === 0) continue;
    const buffers = payloads.map((p) => Buffer.from(p));
    const raws: RawMessage[] = payloads.map((payload, i) => ({
      method,
      payload,
      msgId: String(i + 1),
      msgType: 0,
      offset: "0",
      isHistory: false,
    }));
    // Each call decodes every vector of the method once; divide by their count.
    const per = payloads.length;
    const runs: Record<"peer" | "fb" | "map" | "ours", number[]> = { peer: [], fb: [], map: [], ours: [] };
    for (let r = 0; r < rounds; r++) {
      runs.peer.push(
        usPer(() => {
          for (const b of buffers) deserializeMessage(method, b);
        }, budgetMs) / per,
      );
      runs.fb.push(
        usPer(() => {
          for (const p of payloads) fromBinary(handler.schema, p, readOptions);
        }, budgetMs) / per,
      );
      runs.map.push(
        usPer(() => {
          for (const raw of raws) handler.map(fromBinary(handler.schema, raw.payload, readOptions), raw);
        }, budgetMs) / per,
      );
      runs.ours.push(
        usPer(() => {
          for (const raw of raws) decoder.decodeMessage(raw);
        }, budgetMs) / per,
      );
    }
    out.push({
      method,
      corpusShare: round((100 * count) / total, 3),
      payloadBytes: Math.round(payloads.reduce((s, p) => s + p.length, 0) / per),
      peerDecodeUs: round(median(runs.peer), 3),
      fromBinaryUs: round(median(runs.fb), 3),
      decodeAndMapUs: round(median(runs.map), 3),
      tikliveUs: round(median(runs.ours), 3),
      fastPath: "fast" in handler && handler.fast !== undefined,
    });
  }
  return out;
}

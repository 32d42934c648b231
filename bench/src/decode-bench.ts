// Decode throughput: paired A/B runs of every candidate over the same corpus, in
// one process, alternating in rounds; medians and per-round (paired) ratios.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type Candidate, type CandidateId, createCandidates } from "./candidates.js";
import { median, round } from "./stats.js";

export interface DecodeOptions {
  /** Measured rounds; each round runs every candidate once over the whole corpus. Default 15. */
  rounds?: number;
  /** Unmeasured passes per candidate first (JIT warm-up). Default 3. */
  warmup?: number;
  /** Progress lines. Default none. */
  log?: (line: string) => void;
}

export interface CandidateResult {
  id: CandidateId;
  label: string;
  description: string;
  /** Median over rounds. */
  framesPerSec: number;
  eventsPerSec: number;
  /** Inflated fetch-result megabytes per second (MB = 1e6 bytes), median. */
  inflatedMBPerSec: number;
  /** Events one pass produces (constant across passes). */
  eventsPerPass: number;
  /** Median ms per pass over the corpus. */
  msPerPass: number;
  /** Median over rounds of (this frames/s ÷ peer frames/s in the same round): the speed-up on the same stream. */
  vsPeer: number;
  /** Median over rounds of (this events/s ÷ peer events/s in the same round). */
  vsPeerEvents: number;
  /** Median over rounds of (this frames/s ÷ the peer's decoders with a synchronous gunzip): the speed-up on decode CPU alone. */
  vsPeerSync: number;
  /** Median over rounds of (this frames/s ÷ envelope-baseline frames/s): 1.0 = as fast as just unwrapping and gunzipping. */
  vsCeiling: number;
  /** ms per pass, every round, in order. */
  samplesMs: number[];
}

export interface DecodeResult {
  rounds: number;
  warmup: number;
  frames: number;
  /** True when global.gc ran before every pass. */
  gcBetweenPasses: boolean;
  candidates: CandidateResult[];
}

/** `global.gc`, exposing it at run time when node was started without `--expose-gc`. */
export function getGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === "function") return existing;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

async function timePass(
  candidate: Candidate,
  frames: readonly Uint8Array[],
): Promise<{ ns: bigint; events: number }> {
  const start = process.hrtime.bigint();
  const out = candidate.run(frames);
  const result = out instanceof Promise ? await out : out;
  const ns = process.hrtime.bigint() - start;
  return { ns, events: result.events };
}

/** Runs the decode comparison. `inflatedBytes` is the corpus's total inflated size (for MB/s). */
export async function runDecodeBench(
  frames: readonly Uint8Array[],
  inflatedBytes: number,
  options: DecodeOptions = {},
): Promise<DecodeResult> {
  const rounds = options.rounds ?? 15;
  const warmup = options.warmup ?? 3;
  const log = options.log ?? (() => {});
  const gc = getGc();
  const candidates = createCandidates();
  const k = candidates.length;

  const eventsPerPass = new Map<CandidateId, number>();
  for (let w = 0; w < warmup; w++) {
    for (const c of candidates) {
      const { events } = await timePass(c, frames);
      eventsPerPass.set(c.id, events);
    }
  }
  log(`  warm-up: ${warmup} pass(es) per candidate over ${frames.length} frames`);

  // samples[candidate][round] = ns
  const samples = new Map<CandidateId, number[]>(candidates.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no candidate always runs right after the same one.
    for (let j = 0; j < k; j++) {
      const c = candidates[(r + j) % k] as Candidate;
      gc?.();
      const { ns, events } = await timePass(c, frames);
      if (events !== eventsPerPass.get(c.id))
        throw new Error(`${c.id}: ${events} events in round ${r}, ${eventsPerPass.get(c.id)} before`);
      (samples.get(c.id) as number[]).push(Number(ns));
    }
    log(
      `  round ${r + 1}/${rounds}: ${candidates.map((c) => `${c.id} ${(((samples.get(c.id) as number[])[r] as number) / 1e6).toFixed(1)} ms`).join(", ")}`,
    );
  }

  const peer = samples.get("peer") as number[];
  const ceiling = samples.get("envelope") as number[];
  const peerSync = samples.get("peerSync") as number[];
  const peerEvents = eventsPerPass.get("peer") as number;
  return {
    rounds,
    warmup,
    frames: frames.length,
    gcBetweenPasses: gc !== undefined,
    candidates: candidates.map((c): CandidateResult => {
      const ns = samples.get(c.id) as number[];
      const events = eventsPerPass.get(c.id) as number;
      const mid = median(ns);
      return {
        id: c.id,
        label: c.label,
        description: c.description,
        framesPerSec: round((frames.length * 1e9) / mid, 4),
        eventsPerSec: round((events * 1e9) / mid, 4),
        inflatedMBPerSec: round((inflatedBytes * 1e3) / mid, 3),
        eventsPerPass: events,
        msPerPass: round(mid / 1e6, 4),
        // Paired: the same round's peer and baseline passes ran next to this one.
        vsPeer: round(median(ns.map((x, i) => (peer[i] as number) / x)), 3),
        vsPeerEvents: round(median(ns.map((x, i) => ((peer[i] as number) / x) * (events / peerEvents))), 3),
        vsPeerSync: round(median(ns.map((x, i) => (peerSync[i] as number) / x)), 3),
        vsCeiling: round(median(ns.map((x, i) => (ceiling[i] as number) / x)), 3),
        samplesMs: ns.map((x) => round(x / 1e6, 4)),
      };
    }),
  };
}

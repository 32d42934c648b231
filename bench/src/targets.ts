// The goals of the benchmark issue, checked against a run's numbers. Reported,
// never enforced: a miss is information, not a failure (STYLE.md: benchmarks
// never gate CI).
import type { CandidateResult, DecodeResult } from "./decode-bench.js";
import type { ScaleResult } from "./scale/scale-bench.js";
import type { ScaleStepResult } from "./scale/worker.js";
import { round } from "./stats.js";

export interface TargetStatus {
  target: string;
  measured: string;
  /** `met`, `missed`, or `not measured`. */
  status: "met" | "missed" | "not measured";
  /** How far off, in words, when missed. */
  gap: string | undefined;
}

function candidate(decode: DecodeResult | undefined, id: CandidateResult["id"]): CandidateResult | undefined {
  return decode?.candidates.find((c) => c.id === id);
}

function step(scale: ScaleResult | undefined, lib: string, n: number): ScaleStepResult | undefined {
  const s = scale?.steps.find((x) => x.lib === lib && x.n === n);
  return s !== undefined && !("error" in s) ? s : undefined;
}

const x = (v: number) => `${round(v, 3)}×`;

export function evaluateTargets(
  decode: DecodeResult | undefined,
  scale: ScaleResult | undefined,
): TargetStatus[] {
  const out: TargetStatus[] = [];
  const ratio = (id: CandidateResult["id"], goal: number, name: string, events: boolean) => {
    const c = candidate(decode, id);
    if (c === undefined)
      return out.push({ target: name, measured: "-", status: "not measured", gap: undefined });
    const v = events ? c.vsPeerEvents : c.vsPeer;
    const detail = `${
      events
        ? `${x(c.vsPeerEvents)} the peer's events/s (${x(c.vsPeer)} its frames/s)`
        : `${x(c.vsPeer)} the peer's frames/s`
    }; ${x(c.vsPeerSync)} its decoders with a sync gunzip`;
    return out.push({
      target: name,
      measured: detail,
      status: v >= goal ? "met" : "missed",
      gap: v >= goal ? undefined : `needs ${round(goal / v, 3)}× more speed`,
    });
  };
  ratio("typical", 3, "typical listeners ≥ 3× the peer's events/s", true);
  ratio("chatOnly", 3.5, "chat-only ≥ 3.5× the peer", false);
  const chat = candidate(decode, "chatOnly");
  if (chat !== undefined) {
    out.push({
      target: "chat-only within 15 % of the envelope + gunzip ceiling",
      measured: `${round(chat.vsCeiling * 100, 3)} % of the ceiling's frames/s`,
      status: chat.vsCeiling >= 0.85 ? "met" : "missed",
      gap: chat.vsCeiling >= 0.85 ? undefined : `needs ${round(0.85 / chat.vsCeiling, 3)}× more speed`,
    });
  }
  ratio("everything", 1.5, "decode-everything ≥ 1.5× the peer", false);

  // Memory: at the largest N where both libraries were measured.
  const ns = [...new Set(scale?.steps.map((s) => s.n) ?? [])].sort((a, b) => b - a);
  const n = ns.find((k) => step(scale, "tiklive", k) !== undefined && step(scale, "peer", k) !== undefined);
  const ours = n === undefined ? undefined : step(scale, "tiklive", n);
  const theirs = n === undefined ? undefined : step(scale, "peer", n);
  if (ours !== undefined && theirs !== undefined) {
    const r = ours.idlePerConnection.heap / theirs.idlePerConnection.heap;
    const bare = step(scale, "floor", n as number);
    out.push({
      target: "heap per idle connection ≤ ⅓ of the peer's",
      measured:
        `${kib(ours.idlePerConnection.heap)} vs ${kib(theirs.idlePerConnection.heap)} at N=${n} (${x(r)} the peer's)` +
        (bare === undefined ? "" : `; a bare ws + TLS socket alone: ${kib(bare.idlePerConnection.heap)}`),
      status: r <= 1 / 3 ? "met" : "missed",
      gap: r <= 1 / 3 ? undefined : `needs ${round(r * 3, 3)}× less heap per connection`,
    });
  } else {
    out.push({
      target: "heap per idle connection ≤ ⅓ of the peer's",
      measured: scale?.peerNotMeasured ?? "-",
      status: "not measured",
      gap: undefined,
    });
  }
  const big = step(scale, "tiklive", 1000);
  if (big !== undefined) {
    const p99 = big.sendToListener.p99;
    const ok = big.connected === 1000 && p99 < 50;
    out.push({
      target: "1,000 rooms in one process, p99 latency < 50 ms",
      measured:
        `${big.connected}/1000 connected; send→listener p99 ${p99} ms (p50 ${big.sendToListener.p50} ms; arrival→listener p99 ${big.arrivalToListener.p99} ms; ` +
        `publish→listener p99 ${big.publishToListener.p99} ms with the simulator's own loop stalling up to ${big.simEventLoopDelay.max} ms; load average ${big.loadAverage})`,
      status: ok ? "met" : "missed",
      gap: ok
        ? undefined
        : big.connected < 1000
          ? `${1000 - big.connected} connections failed`
          : `p99 is ${round(p99 / 50, 3)}× the goal`,
    });
  } else {
    out.push({
      target: "1,000 rooms in one process, p99 latency < 50 ms",
      measured: "-",
      status: "not measured",
      gap: undefined,
    });
  }
  return out;
}

export function kib(bytes: number): string {
  return `${round(bytes / 1024, 3)} KiB`;
}

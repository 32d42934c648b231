// The results: one JSON object (latest.json) and its markdown rendering (latest.md).
import type { MethodCost } from "./breakdown.js";
import type { CorpusSummary } from "./corpus.js";
import type { DecodeResult } from "./decode-bench.js";
import type { ProfileResult } from "./profile.js";
import type { ScaleResult } from "./scale/scale-bench.js";
import { round } from "./stats.js";
import { kib, type TargetStatus } from "./targets.js";

export interface Environment {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  /** 1-minute load average when the run started (other processes share the machine). */
  loadAverage: number;
  commit: string | undefined;
  /** True when packages/ changed between the start and the end of the run (then the steps measured different code). */
  sourcesChangedDuringRun?: boolean;
  peer: { name: string; version: string };
}

export interface BenchResults {
  environment: Environment;
  corpus: CorpusSummary | undefined;
  decode: DecodeResult | undefined;
  breakdown: MethodCost[] | undefined;
  profiles: ProfileResult[] | undefined;
  scale: ScaleResult | undefined;
  targets: TargetStatus[];
  durationSeconds: number;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? String(round(v, digits)) : "-");
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "-");

export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const e = r.environment;
  lines.push(`# tiklive benchmark results`, "");
  lines.push(
    `${e.date} · Node ${e.node} · ${e.platform} · ${e.cores} × ${e.cpu} · load average ${e.loadAverage} at start · ` +
      `commit ${e.commit ?? "unknown"} · peer ${e.peer.name}@${e.peer.version} · run took ${Math.round(r.durationSeconds)} s`,
    "",
  );
  if (e.sourcesChangedDuringRun === true)
    lines.push(
      `**Warning: packages/ changed during this run; the steps measured different code. Run again.**`,
      "",
    );
  if (r.corpus !== undefined) {
    const c = r.corpus;
    lines.push(
      `Corpus: ${c.frames} push frames, ${c.messages.toLocaleString("en-US")} messages re-wrapped from ${c.distinctPayloads} real payloads ` +
        `(frames ${round(c.frameBytes.min / 1024, 3)}-${round(c.frameBytes.max / 1024, 3)} KiB gzip, median ${round(c.frameBytes.median / 1024, 3)} KiB; ` +
        `${round(c.inflatedBytes / c.frames / 1024, 3)} KiB inflated per frame), seed ${c.seed}.`,
      "",
    );
  }
  if (r.decode !== undefined) {
    const d = r.decode;
    lines.push(`## Decode throughput`, "");
    lines.push(
      `Median of ${d.rounds} alternating rounds (after ${d.warmup} warm-up passes), one core, GC before every pass: ${d.gcBetweenPasses ? "yes" : "no"}. Ratios are medians of per-round ratios (paired).`,
      "",
    );
    lines.push(
      `| candidate | frames/s | events/s | × peer (frames/s) | × peer (events/s) | × peer, sync gunzip (frames/s) | × ceiling |`,
    );
    lines.push(`|---|---:|---:|---:|---:|---:|---:|`);
    for (const c of d.candidates) {
      lines.push(
        `| ${c.label} | ${int(c.framesPerSec)} | ${int(c.eventsPerSec)} | ${fmt(c.vsPeer)} | ${fmt(c.vsPeerEvents)} | ${fmt(c.vsPeerSync)} | ${fmt(c.vsCeiling)} |`,
      );
    }
    lines.push(
      "",
      `Events per pass: ${d.candidates.map((c) => `${c.id} ${c.eventsPerPass}`).join(", ")}. The peer's events are the messages it decoded; the baseline's are the messages it found.`,
      "",
    );
  }
  if (r.breakdown !== undefined && r.breakdown.length > 0) {
    lines.push(`## Per-message cost (µs, median)`, "");
    lines.push(
      `| method | share | bytes | peer decode | tiklive \`fromBinary\` | tiklive reflection path (fromBinary + map) | tiklive decodeMessage (as shipped) | × peer |`,
    );
    lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|`);
    for (const m of r.breakdown) {
      lines.push(
        `| ${m.method} | ${fmt(m.corpusShare)} % | ${m.payloadBytes} | ${fmt(m.peerDecodeUs)} | ${fmt(m.fromBinaryUs)} | ${fmt(m.decodeAndMapUs)} | ${fmt(m.tikliveUs)}${m.fastPath ? " (fast path)" : ""} | ${fmt(m.peerDecodeUs / m.tikliveUs)} |`,
      );
    }
    lines.push("");
  }
  if (r.scale !== undefined) {
    const s = r.scale;
    lines.push(`## Memory and latency at scale`, "");
    lines.push(
      `One client process, one simulator process (${s.tls ? "HTTPS/WSS with a throwaway certificate" : "plain HTTP/WS"}), load scenario, typical listeners. ` +
        `Memory per connection = (heap, RSS or external memory after GC − the same before connecting) ÷ connections; idle = connected, rooms silent; loaded = after the traffic window (external = memory outside the JS heap, mostly ArrayBuffers: frame bytes still reachable). RSS per connection means little below N = 1000. ` +
        `Latency, per event: send = the simulator handed the frame to its socket (its frame record, by logId) → the listener ran: the client's whole share (kernel, TLS, event-loop queueing, decode, dispatch); ` +
        `arrival = the client's socket message handler ran → listener (the synchronous part only); publish = the simulator's room published the frame → listener (adds the simulator's own scheduling, which stalls at N=1000).`,
      "",
    );
    if (s.peerNotMeasured !== undefined) lines.push(`Peer not measured: ${s.peerNotMeasured}.`, "");
    lines.push(
      `| library | N | msgs/s/room | idle heap/conn | idle RSS/conn | loaded heap/conn | loaded external/conn | events/s | client CPU | send→listener p50 / p99 | arrival→listener p99 | publish→listener p99 | client GC max / loop delay max | simulator loop delay max | load avg |`,
    );
    lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const x of s.steps) {
      if ("error" in x) {
        lines.push(`| ${x.lib} | ${x.n} | ${x.rate} | failed: ${x.error} | | | | | | | | | | | |`);
        continue;
      }
      const failed = x.failed > 0 ? ` (${x.failed} failed)` : "";
      lines.push(
        `| ${x.lib}${failed} | ${x.n} | ${x.rate} | ${kib(x.idlePerConnection.heap)} | ${kib(x.idlePerConnection.rss)} | ${kib(x.loadedPerConnection.heap)} | ${kib(x.loadedPerConnection.external)} | ${int(x.eventsPerSec)} | ${fmt(x.clientCpuPercent)} % | ` +
          `${fmt(x.sendToListener.p50)} / ${fmt(x.sendToListener.p99)} ms | ${fmt(x.arrivalToListener.p99)} ms | ${fmt(x.publishToListener.p99)} ms | ` +
          `${fmt(x.gc.maxMs)} / ${fmt(x.eventLoopDelay.max)} ms | ${fmt(x.simEventLoopDelay.max)} ms | ${fmt(x.loadAverage)} |`,
      );
    }
    lines.push(
      "",
      `\`floor\` is no library: one sign request and one bare \`ws\` socket per room, frames unwrapped with core's \`decodeMsgFrame\` (messages counted as events): the least a connection costs.`,
      "",
    );
  }
  if (r.targets.length > 0) {
    lines.push(`## Targets`, "");
    lines.push(`| target | measured | status |`);
    lines.push(`|---|---|---|`);
    for (const t of r.targets)
      lines.push(`| ${t.target} | ${t.measured} | ${t.status}${t.gap === undefined ? "" : ` (${t.gap})`} |`);
    lines.push("");
  }
  if (r.profiles !== undefined && r.profiles.length > 0) {
    lines.push(`## CPU profile: where decode time goes (self time)`, "");
    for (const p of r.profiles) {
      lines.push(
        `**${p.candidate}** (${p.samples} samples): ${p.areas
          .slice(0, 6)
          .map((a) => `${a.name} ${fmt(a.selfPercent)} %`)
          .join("; ")}.`,
      );
      lines.push(
        `Top functions: ${p.functions
          .slice(0, 6)
          .map((f) => `\`${f.name}\` ${fmt(f.selfPercent)} %`)
          .join(", ")}.`,
        "",
      );
    }
  }
  return lines.join("\n");
}

// The results: one JSON object (latest.json) and its markdown rendering (latest.md).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MethodCost } from "./breakdown.js";
import type { CorpusSummary } from "./corpus.js";
import type { DecodeResult } from "./decode-bench.js";
import type { PeerCheckResult } from "./peer-check.js";
import type { ProfileResult } from "./profile.js";
import type { ScaleResult } from "./scale/scale-bench.js";
import { negligibleBytesPerHour } from "./soak/analysis.js";
import type { SoakResult } from "./soak.js";
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
  /** The corpus of the decode table, the breakdown and the profiles: the live corpus (live-corpus.ts). */
  corpus: CorpusSummary | undefined;
  /** Whether the peer decodes that corpus as we wrote it (peer-check.ts). */
  peerCheck?: PeerCheckResult | undefined;
  decode: DecodeResult | undefined;
  /** Secondary: the same comparison on the vectors corpus (44 real payloads on repeat). */
  decodeVectors?: { corpus: CorpusSummary; decode: DecodeResult } | undefined;
  breakdown: MethodCost[] | undefined;
  profiles: ProfileResult[] | undefined;
  scale: ScaleResult | undefined;
  /** Memory over time (`pnpm bench:soak`), kept across `pnpm bench` runs. */
  soak?: SoakResult | undefined;
  targets: TargetStatus[];
  durationSeconds: number;
}

/** The latest.json of a results folder, or undefined. */
export function readResults(dir: string): BenchResults | undefined {
  const file = join(dir, "latest.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  } catch {
    return undefined;
  }
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
  if (r.corpus !== undefined) lines.push(corpusLine(r.corpus), "");
  if (r.peerCheck !== undefined) lines.push(peerCheckLine(r.peerCheck), "");
  if (r.decode !== undefined) {
    const d = r.decode;
    lines.push(`## Decode throughput${r.corpus?.kind === "live" ? " (live corpus)" : ""}`, "");
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
  if (r.decodeVectors !== undefined) {
    const v = r.decodeVectors;
    lines.push(`### Secondary: the vectors corpus (44 real payloads on repeat)`, "");
    lines.push(
      `${corpusLine(v.corpus)} The same users, URLs and strings come back in every frame, so gzip and the decoders' caches ` +
        `do better than on live traffic: this row is the corpus the bench used before the live corpus, kept for comparison, ` +
        `not a result. ${v.decode.rounds} rounds.`,
      "",
    );
    lines.push(
      `| candidate | frames/s | events/s | × peer (frames/s) | × peer, live corpus | × ceiling | × ceiling, live corpus |`,
    );
    lines.push(`|---|---:|---:|---:|---:|---:|---:|`);
    for (const c of v.decode.candidates) {
      const live = r.decode?.candidates.find((x) => x.id === c.id);
      lines.push(
        `| ${c.label} | ${int(c.framesPerSec)} | ${int(c.eventsPerSec)} | ${fmt(c.vsPeer)} | ${live === undefined ? "-" : fmt(live.vsPeer)} | ${fmt(c.vsCeiling)} | ${live === undefined ? "-" : fmt(live.vsCeiling)} |`,
      );
    }
    lines.push("");
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
  if (r.soak !== undefined) lines.push(...renderSoak(r.soak));
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

const pct = (part: number, whole: number) => `${round((100 * part) / whole, 3)} %`;

function corpusLine(c: CorpusSummary): string {
  const sizes =
    `frames ${round(c.frameBytes.min / 1024, 3)}-${round(c.frameBytes.max / 1024, 3)} KiB gzip, median ${round(c.frameBytes.median / 1024, 3)} KiB; ` +
    `${round(c.inflatedBytes / c.frames / 1024, 3)} KiB inflated per frame`;
  const mix = Object.entries(c.methods)
    .map(([m, n]) => `${m.replace(/^Webcast/, "").replace(/Message$/, "")} ${pct(n, c.messages)}`)
    .join(", ");
  if (c.kind !== "live")
    return (
      `Corpus${c.kind === "vectors" ? " (vectors)" : ""}: ${c.frames} push frames, ${c.messages.toLocaleString("en-US")} messages re-wrapped from ${c.distinctPayloads} real payloads ` +
      `(${sizes}), seed ${c.seed}.`
    );
  const u = c.users;
  const per = c.messagesPerFrame;
  const users =
    u === undefined
      ? ""
      : ` Users: ${u.distinctUsers.toLocaleString("en-US")} distinct among ${u.messagesWithUser.toLocaleString("en-US")} messages with a user ` +
        `(gift-streak steps, ranks, battle supporters and pins repeat earlier users; ${u.distinctUsersAnywhere.toLocaleString("en-US")} distinct users in all); ` +
        `${u.nonAsciiNicknamePercent} % of nicknames outside ASCII (scripts, emoji); avatar URLs ${u.meanAvatarUrlLength} characters on average; ` +
        `badges per user 0/1/2/3/4/5/6: ${u.badgesPerUser.map((k) => round((100 * k) / Math.max(1, u.distinctUsersAnywhere), 2)).join("/")} %.`;
  return (
    `Corpus (live, \`src/live-corpus.ts\`): ${c.frames} push frames, ${c.messages.toLocaleString("en-US")} distinct messages built from @tiklive/proto types, seed ${c.seed}; ` +
    `${per === undefined ? "" : `${per.min}-${per.max} messages per frame (median ${per.median}), `}${sizes}.${users} Mix: ${mix}.`
  );
}

function peerCheckLine(p: PeerCheckResult): string {
  const errors = Object.entries(p.decodeErrors);
  const mismatches = Object.entries(p.mismatches);
  const skipped = Object.keys(p.notInPeerSchema);
  const unknown = Object.entries(p.unknownToPeer);
  return (
    `Peer check (the comparison is fair only if the peer reads this corpus): tiktok-live-connector decoded ${p.decoded.toLocaleString("en-US")} of ${p.messages.toLocaleString("en-US")} messages` +
    `${errors.length === 0 ? " with no decode error" : `; decode errors: ${errors.map(([m, n]) => `${m} ${n}`).join(", ")}`}` +
    `${unknown.length === 0 ? "" : `; methods it has no schema for (skipped): ${unknown.map(([m, n]) => `${m} ${n}`).join(", ")}`}; ` +
    `${p.fieldsCompared.toLocaleString("en-US")} field values compared with our own decode, ` +
    `${mismatches.length === 0 ? "all equal" : `${mismatches.length} paths differ: ${p.mismatchExamples.slice(0, 3).join("; ")}`}` +
    `${skipped.length === 0 ? "" : `; fields its schema does not declare (it skips them undecoded, which saves it work): ${skipped.join(", ")}`}.`
  );
}

const kibOf = (bytes: number | null) =>
  typeof bytes === "number" && Number.isFinite(bytes) ? `${round(bytes / 1024, 3)} KiB` : "-";

function renderSoak(s: SoakResult): string[] {
  const lines: string[] = [];
  const e = s.environment;
  lines.push(`## Memory over time`, "");
  lines.push(
    `\`pnpm bench:soak\`: ${e.date} · commit ${e.commit ?? "unknown"} · load average ${e.loadAverage} at start · took ${Math.round(s.durationSeconds / 60)} min` +
      `${e.sourcesChangedDuringRun === true ? " · **packages/ changed during the soak: run again**" : ""}.`,
    "",
  );
  lines.push(
    `${s.options.rooms} rooms of the simulator (load scenario, its own process, ${s.tls ? "HTTPS/WSS" : "plain HTTP/WS"}) sending ${s.options.rate} messages/s each, ` +
      `for ${s.options.minutes} min; each library in its own process, one after the other, with the typical listeners. ` +
      `Every ${s.options.sampleSeconds} s: memory before GC, then three forced GCs (\`--expose-gc\`) and memory after; ` +
      `per connection = (value − the same before connecting) ÷ connections. The slope is a least-squares fit of heap + external after GC; ` +
      `**flat** means the last third's slope is within 2 standard errors of zero or under ${round(negligibleBytesPerHour / 1024, 3)} KiB per connection per hour.`,
    "",
  );
  lines.push(`Dedup: ${s.dedup.note}`, "");
  if (s.peerNotMeasured !== undefined) lines.push(`Peer not measured: ${s.peerNotMeasured}.`, "");
  lines.push(
    `| library | connected | events/s | idle heap+ext/conn | first sample | last sample | slope, whole run | slope, last third (± 2 SE) | verdict | heap alone | last: heap / external before GC | last: RSS/conn |`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|`);
  // NaN went through JSON (IPC, latest.json) as null.
  const finite = (b: number | null) => typeof b === "number" && Number.isFinite(b);
  const perHour = (b: number | null) => (finite(b) ? `${round((b as number) / 1024, 3)} KiB/h` : "-");
  for (const x of s.libs) {
    if ("error" in x) {
      lines.push(`| ${x.lib} | failed: ${x.error} | | | | | | | | | | |`);
      continue;
    }
    const v = x.verdict;
    const last = x.samples[x.samples.length - 1];
    lines.push(
      `| ${x.lib} | ${x.connected}/${x.n}${x.failed > 0 ? ` (${x.failed} failed)` : ""} | ${int(x.eventsPerSec)} | ${kibOf(x.idlePerConnection.total)} | ${kibOf(v.first)} | ${kibOf(v.last)} | ` +
        `${perHour(v.slopeAll)} | ${perHour(v.slopeLastThird)} (± ${finite(v.slopeLastThirdSe) ? perHour(2 * v.slopeLastThirdSe) : "-"}) | ${v.flat === undefined ? "too short" : v.flat ? "**flat**" : "**growing**"} | ` +
        `${x.verdictHeap.flat === undefined ? "too short" : x.verdictHeap.flat ? "flat" : "growing"} (${perHour(x.verdictHeap.slopeLastThird)}) | ` +
        `${last === undefined ? "-" : `${kibOf(last.heapBeforeGc)} / ${kibOf(last.externalBeforeGc)}`} | ${last === undefined ? "-" : kibOf(last.rss)} |`,
    );
  }
  lines.push("");
  const ok = s.libs.filter((x): x is Exclude<typeof x, { error: string }> => !("error" in x));
  for (const x of ok) lines.push(`- ${x.lib}: ${x.verdict.reason}.`);
  const tik = ok.find((x) => x.lib === "tiklive");
  if (tik?.dedup !== undefined) {
    const d = tik.dedup;
    const bytes = (f: typeof d.soak) =>
      `${kibOf(f.measuredBytes)}${f.retainedBytes === undefined ? "" : ` (its retainedBytes: ${kibOf(f.retainedBytes)})`}`;
    lines.push(
      `- tiklive's deduplicator fed ${s.options.rate} ids/s until steady: ${d.soak.ids.toLocaleString("en-US")} ids, ${bytes(d.soak)} with this soak's setting; ` +
        `${d.defaults.ids.toLocaleString("en-US")} ids, ${bytes(d.defaults)} at the client's defaults. ` +
        `At the defaults a connection therefore holds about ${kibOf(d.defaults.measuredBytes - d.soak.measuredBytes)} more than the soak's steady state.`,
    );
  }
  lines.push("");
  if (ok.length > 0) {
    lines.push(`Heap + external per connection after GC (KiB), over time:`, "");
    lines.push(`| t (s) | ${ok.map((x) => x.lib).join(" | ")} |`);
    lines.push(`|---:|${ok.map(() => "---:").join("|")}|`);
    const rows = Math.max(...ok.map((x) => x.samples.length));
    for (let i = 0; i < rows; i++) {
      const t = ok.map((x) => x.samples[i]?.t).find((v) => v !== undefined) ?? 0;
      lines.push(
        `| ${round(t, 4)} | ${ok.map((x) => (x.samples[i] === undefined ? "" : String(round((x.samples[i]?.total ?? 0) / 1024, 3)))).join(" | ")} |`,
      );
    }
    lines.push("");
  }
  return lines;
}

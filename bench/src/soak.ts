// `pnpm bench:soak`: memory over time. For tiklive, the peer and a bare `ws` socket (floor), one
// after the other, each in its own process with the simulator in another: N rooms sending a
// steady `rate` messages per second for `minutes`, heap and external memory per connection
// sampled every `sample-seconds` after forced GC (--expose-gc), with the slope per connection
// and whether it is flat. Writes the "Memory over time" section of results/latest.{json,md}
// (keeping the rest of the file), or of results/tmp/ for a shorter or partial run.
//
//   node --expose-gc dist/soak.js [--minutes 10] [--rooms 300] [--rate 5] [--sample-seconds 30]
//     [--libs tiklive,peer,floor] [--dedup-window-ms auto|default|<ms>] [--out DIR]
//
// Dedup acceleration (--dedup-window-ms auto, the default): tiklive's deduplicator remembers an
// id for `dedup.windowMs` (default 10 minutes) or until 10 000 newer ids came. At 5 messages/s a
// connection's deduplicator grows for the whole window, so a 10-minute soak would end before it
// reaches its steady state and read that growth as a leak. `auto` sets `windowMs` to a quarter
// of the soak (at least 5 s, at most the default), so the deduplicator is full after the first
// quarter; the report then gives its measured footprint at the soak's setting and at the defaults,
// so the difference is not hidden. Where the client has no `windowMs` option (an older core), `auto`
// bounds `capacity` to the ids of a quarter of the soak instead. `default` passes nothing.
import { fork } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDeduplicator } from "@tiklive/core";
import { environment, sourceState } from "./environment.js";
import { type BenchResults, type Environment, readResults, renderMarkdown } from "./report.js";
import type { Library } from "./scale/connectors.js";
import { makeCertificate } from "./scale/scale-bench.js";
import type { SoakSample } from "./soak/analysis.js";
import type { SoakLibResult, SoakWorkerOptions } from "./soak/soak-worker.js";

export interface SoakResult {
  environment: Environment;
  /** As asked for on the command line. */
  options: { minutes: number; rooms: number; rate: number; sampleSeconds: number; libs: Library[] };
  /** True when the simulator served HTTPS/WSS (needed to drive the peer at all). */
  tls: boolean;
  peerNotMeasured: string | undefined;
  /** tiklive's dedup setting in this soak. */
  dedup: {
    mode: "auto" | "default" | "custom";
    /** Whether core's deduplicator has the time bound (`windowMs`) option. */
    windowMsSupported: boolean;
    /** The client's `dedup` option as passed (undefined: its defaults). */
    option: { capacity?: number; windowMs?: number } | undefined;
    /** In words, for the report. */
    note: string;
  };
  libs: (SoakLibResult | { lib: Library; error: string })[];
  durationSeconds: number;
}

const libraries: readonly Library[] = ["tiklive", "peer", "floor"];

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rooms: { type: "string", default: "300" },
    rate: { type: "string", default: "5" },
    "sample-seconds": { type: "string", default: "30" },
    libs: { type: "string" },
    "dedup-window-ms": { type: "string", default: "auto" },
    concurrency: { type: "string", default: "25" },
    out: { type: "string" },
  },
});

function positive(name: string, raw: string, integer = false): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new Error(`--${name}: a positive ${integer ? "whole " : ""}number, got ${raw}`);
  return v;
}
const minutes = positive("minutes", values.minutes);
const rooms = positive("rooms", values.rooms, true);
const rate = positive("rate", values.rate);
const sampleSeconds = positive("sample-seconds", values["sample-seconds"]);
const concurrency = positive("concurrency", values.concurrency, true);
const libs = (values.libs?.split(",").map((l) => l.trim()) ?? [...libraries]) as Library[];
for (const l of libs) if (!libraries.includes(l)) throw new Error(`--libs: unknown library "${l}"`);
const durationMs = Math.round(minutes * 60_000);

// Full soaks (10 minutes or more, all three libraries) write results/latest.*; others results/tmp/.
const partial = minutes < 10 || libs.length !== libraries.length;
const outDir =
  values.out ?? fileURLToPath(new URL(partial ? "../results/tmp/" : "../results/", import.meta.url));
const log = (line: string) => console.log(line);

/** Does core's deduplicator forget by time (`windowMs`)? Tried on a fake clock. */
function windowMsSupported(): boolean {
  let now = 0;
  const opts: { capacity: number; windowMs: number; clock: { now(): number } } = {
    capacity: 10,
    windowMs: 1_000,
    clock: { now: () => now },
  };
  try {
    const d = createDeduplicator(opts);
    d.add("7000000000000000001");
    now = 5_000;
    d.add("7000000000000000002");
    return !d.has("7000000000000000001");
  } catch {
    return false;
  }
}

function dedupSetting(): SoakResult["dedup"] {
  const supported = windowMsSupported();
  const mode = values["dedup-window-ms"];
  const quarterMs = Math.round(durationMs / 4);
  if (mode === "default")
    return {
      mode,
      windowMsSupported: supported,
      option: undefined,
      note: "tiklive's deduplicator at its defaults (not accelerated): it may still be filling at the end of a short soak.",
    };
  if (mode === "auto") {
    if (supported) {
      const windowMs = Math.min(600_000, Math.max(5_000, quarterMs));
      return {
        mode,
        windowMsSupported: supported,
        option: { windowMs },
        note:
          `time-accelerated: tiklive's dedup window set to ${windowMs / 1000} s (default 600 s) so that each connection's ` +
          `deduplicator reaches its steady state within the first quarter of the soak; its footprint at the defaults is measured separately (below).`,
      };
    }
    const capacity = Math.max(100, Math.ceil((rate * quarterMs) / 1000));
    return {
      mode,
      windowMsSupported: supported,
      option: { capacity },
      note:
        `count-accelerated: this core's deduplicator has no windowMs option, so its capacity is set to ${capacity} ids ` +
        `(default 10 000: ${Math.round(10_000 / rate)} s of traffic at ${rate}/s) to fill within the first quarter; its footprint at the defaults is measured separately (below).`,
    };
  }
  const windowMs = positive("dedup-window-ms", mode, true);
  return {
    mode: "custom",
    windowMsSupported: supported,
    option: { windowMs },
    note: supported
      ? `tiklive's dedup window set to ${windowMs / 1000} s by --dedup-window-ms.`
      : `--dedup-window-ms ${windowMs} asked for, but this core's deduplicator has no windowMs option: ignored by the client.`,
  };
}

const workerScript = fileURLToPath(new URL("./soak/soak-worker.js", import.meta.url));

function runWorker(
  options: SoakWorkerOptions,
  timeoutMs: number,
  extraCa: string | undefined,
): Promise<SoakLibResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerScript, [JSON.stringify(options)], {
      execArgv: [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc"],
      env: { ...process.env, ...(extraCa === undefined ? {} : { NODE_EXTRA_CA_CERTS: extraCa }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on(
      "message",
      (m: { type: string; result?: SoakLibResult; sample?: SoakSample; message?: string }) => {
        if (m.type === "sample" && m.sample !== undefined) {
          const s = m.sample;
          const k = (b: number) => (b / 1024).toFixed(1);
          log(
            `  ${options.lib.padEnd(7)} t=${String(Math.round(s.t)).padStart(5)} s  heap+external/conn ${k(s.total)} KiB ` +
              `(heap ${k(s.heap)}, external ${k(s.external)}; before GC ${k(s.heapBeforeGc + s.externalBeforeGc)})  ` +
              `rss/conn ${k(s.rss)} KiB  ${s.eventsPerSec} events/s  cpu ${s.cpuPercent} %  open ${s.openConnections}  errors ${s.errors}`,
          );
          return;
        }
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (m.type === "result" && m.result !== undefined) resolve(m.result);
        else reject(new Error(m.message ?? "worker failed"));
      },
    );
    child.on("exit", (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`worker exited (code ${code}, signal ${signal}) before reporting`));
    });
  });
}

const started = performance.now();
const sourcesAtStart = sourceState();
const dedup: SoakResult["dedup"] = libs.includes("tiklive")
  ? dedupSetting()
  : {
      mode: "default",
      windowMsSupported: windowMsSupported(),
      option: undefined,
      note: "tiklive is not in this soak.",
    };
log(
  `soak: ${libs.join(", ")}, ${rooms} rooms at ${rate} messages/s each for ${minutes} min, a sample every ${sampleSeconds} s; ` +
    `expect about ${Math.ceil(libs.length * (minutes + 0.5 + rooms / 600))} min`,
);
log(`dedup: ${dedup.note}`);
const cert = makeCertificate();
const result: SoakResult = {
  environment: environment(),
  options: { minutes, rooms, rate, sampleSeconds, libs },
  tls: cert !== undefined,
  peerNotMeasured:
    cert === undefined
      ? "openssl is not available to make a certificate; tiktok-live-connector only talks https:// to loopback hosts"
      : undefined,
  dedup,
  libs: [],
  durationSeconds: 0,
};
try {
  for (const lib of libs) {
    if (lib === "peer" && cert === undefined) continue;
    log(`${lib}: connecting ${rooms} clients...`);
    try {
      const r = await runWorker(
        {
          lib,
          n: rooms,
          rate,
          durationMs,
          sampleMs: Math.round(sampleSeconds * 1000),
          idleMs: 2_000,
          concurrency,
          certFile: cert?.certFile,
          keyFile: cert?.keyFile,
          tikliveDedup: dedup.option,
        },
        durationMs + 300_000 + rooms * 1_000,
        cert?.certFile,
      );
      result.libs.push(r);
      log(
        `${lib}: ${r.connected}/${rooms} connected in ${r.connectSeconds} s; ${r.verdict.reason} (heap alone: ${r.verdictHeap.reason})`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.libs.push({ lib, error: message });
      log(`${lib}: failed: ${message}`);
    }
  }
} finally {
  if (cert !== undefined) rmSync(cert.dir, { recursive: true, force: true });
}
result.durationSeconds = Math.round((performance.now() - started) / 1000);
if (sourcesAtStart !== undefined && sourceState() !== sourcesAtStart) {
  result.environment.sourcesChangedDuringRun = true;
  console.warn("[bench] WARNING: packages/ changed during this soak: the libraries measured different code.");
}

// Keep the rest of latest.json (the decode and scale steps of the last `pnpm bench`).
const saved = readResults(outDir);
const results: BenchResults = saved ?? {
  environment: result.environment,
  corpus: undefined,
  peerCheck: undefined,
  decode: undefined,
  decodeVectors: undefined,
  breakdown: undefined,
  profiles: undefined,
  scale: undefined,
  soak: undefined,
  targets: [],
  durationSeconds: 0,
};
results.soak = result;
const markdown = renderMarkdown(results);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, "latest.md"), `${markdown}\n`);
console.log(`\nwritten: ${join(outDir, "latest.json")}, ${join(outDir, "latest.md")}`);

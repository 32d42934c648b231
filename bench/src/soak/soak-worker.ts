// One library's soak in a fresh process: N connections to N rooms of the simulator (in its own
// child process) sending steadily, memory sampled every `sampleMs` for `durationMs`. Sends
// each sample to the parent as it is taken ({ type: "sample" }), then one { type: "result" }.
//
//   1. fork the simulator (rooms silent), import the library, GC, baseline memory
//   2. connect N clients (typical listeners), GC, idle memory
//   3. start the rooms (staggered over one message interval), then every `sampleMs`:
//      memory before GC, 3 forced GCs, memory after -> one sample per connection
//   4. tiklive only: what its deduplicator holds at this soak's dedup options and at the defaults
import { loadavg } from "node:os";
import { getGc } from "../decode-bench.js";
import { connectAll, createConnector, type Library, type SimInfo, type Slot } from "../scale/connectors.js";
import { forkSimulator } from "../scale/sim-link.js";
import { judgeSeries, type SoakSample, type SoakVerdict } from "./analysis.js";

export interface SoakWorkerOptions {
  lib: Library;
  n: number;
  /** Messages per second per room. */
  rate: number;
  /** How long the rooms send, ms. */
  durationMs: number;
  /** Time between samples, ms. */
  sampleMs: number;
  /** Wait after the last connect before the idle measurement, ms. */
  idleMs: number;
  /** Connects in flight at once. */
  concurrency: number;
  certFile: string | undefined;
  keyFile: string | undefined;
  /** tiklive's `dedup` option; undefined: the client's default. */
  tikliveDedup: { capacity?: number; windowMs?: number } | undefined;
}

/** What a deduplicator holds once it has seen a steady stream for long enough. */
export interface DedupFootprint {
  /** Ids it remembers. */
  ids: number;
  /** Its own `retainedBytes` diagnostic, where the deduplicator has one. */
  retainedBytes: number | undefined;
  /** Heap + external it adds, measured (bytes, the mean over 20 deduplicators). */
  measuredBytes: number;
}

export interface SoakLibResult {
  lib: Library;
  n: number;
  rate: number;
  connected: number;
  failed: number;
  firstError: string | undefined;
  connectSeconds: number;
  /** Memory before connecting (after GC), bytes. */
  baseline: { heapUsed: number; external: number; rss: number };
  /** Connected, rooms silent, after GC; per connection, bytes. */
  idlePerConnection: { heap: number; external: number; total: number };
  samples: SoakSample[];
  /** Heap + external after GC. */
  verdict: SoakVerdict;
  /** Heap alone after GC. */
  verdictHeap: SoakVerdict;
  /** Events heard over the whole soak, per second. */
  eventsPerSec: number;
  /** Frames the simulator sent in all. */
  simFramesSent: number;
  errors: number;
  /** tiklive: its deduplicator at this soak's options and at the client's defaults, fed at `rate`. */
  dedup: { soak: DedupFootprint; defaults: DedupFootprint } | undefined;
  loadAverage: { start: number; end: number };
  seconds: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as SoakWorkerOptions;
const gc = getGc();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = performance.now();

interface Memory {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}
async function settledMemory(): Promise<Memory> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

// The simulator keeps a few frame records per connection only: the soak needs no send times.
const sim = forkSimulator({
  rooms: options.n,
  rate: options.rate,
  certFile: options.certFile,
  keyFile: options.keyFile,
  maxRecords: 16,
});

let events = 0;
let errors = 0;
const slot = (): Slot => ({ arrivedAt: 0, publishedAt: 0, offset: Number.NaN, logId: "" });

/** 19-digit msgIds as TikTok's (epoch seconds in the high bits), for the dedup footprint. */
function msgId(timeMs: number, i: number): string {
  return ((BigInt(Math.floor(timeMs / 1000)) << 32n) | BigInt((i * 2_654_435_761) >>> 0)).toString();
}

/** Feeds 20 deduplicators `ids` message ids at `rate` per second on a fake clock; what one holds. */
async function dedupFootprint(
  dedup: { capacity?: number; windowMs?: number } | undefined,
): Promise<DedupFootprint> {
  const { createDeduplicator } = await import("@tiklive/core");
  // Long enough for either bound to bind: 10 000 ids (the default capacity) at `rate` per second.
  const total = 10_000;
  const start = 1_740_000_000_000;
  const kept: ReturnType<typeof createDeduplicator>[] = [];
  const before = await settledMemory();
  for (let k = 0; k < 20; k++) {
    let now = start;
    const opts: { capacity?: number; windowMs?: number; clock: { now(): number } } = {
      ...dedup,
      clock: { now: () => now },
    };
    const d = createDeduplicator(opts);
    for (let i = 0; i < total; i++) {
      now = start + Math.round((i * 1000) / options.rate);
      d.add(msgId(now, i + k * total));
    }
    kept.push(d);
  }
  const after = await settledMemory();
  const one = kept[0] as ReturnType<typeof createDeduplicator> & { retainedBytes?: number };
  return {
    ids: one.size,
    retainedBytes: typeof one.retainedBytes === "number" ? one.retainedBytes : undefined,
    measuredBytes: Math.round(
      (after.heapUsed + after.external - before.heapUsed - before.external) / kept.length,
    ),
  };
}

async function main(): Promise<SoakLibResult> {
  const loadStart = loadavg()[0] ?? 0;
  const { info } = await sim.reply<{ info: SimInfo }>("ready");
  const rooms = info.rooms.filter((r) => r.live).slice(0, options.n);
  const connect = await createConnector(options.lib, info, {
    newSlot: slot,
    record: () => {
      events += 1;
    },
    error: () => {
      errors += 1;
    },
    ...(options.tikliveDedup === undefined ? {} : { tikliveDedup: options.tikliveDedup }),
  });
  const baseline = await settledMemory();
  const t0 = performance.now();
  const { connections, failed, firstError } = await connectAll(connect, rooms, options.concurrency);
  const connectSeconds = (performance.now() - t0) / 1000;
  const n = Math.max(1, connections.length);
  await sleep(options.idleMs);
  const idle = await settledMemory();

  sim.send({ type: "start" });
  await sim.reply("started");
  const trafficStart = performance.now();
  const samples: SoakSample[] = [];
  let lastEvents = 0;
  let lastCpu = process.cpuUsage();
  let lastAt = trafficStart;
  // Samples at 0, sampleMs, 2 sampleMs, ... and a last one at durationMs.
  for (let k = 0; ; k++) {
    const offset = Math.min(k * options.sampleMs, options.durationMs);
    const due = trafficStart + offset;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const before = process.memoryUsage();
    const cpu = process.cpuUsage(lastCpu);
    const now = performance.now();
    const heard = events - lastEvents;
    const after = await settledMemory();
    sim.send({ type: "connections" });
    const { openConnections } = await sim.reply<{ openConnections: number }>("connections");
    const per = (v: number, b: number) => Math.round((v - b) / n);
    const sample: SoakSample = {
      t: Math.round((now - trafficStart) / 100) / 10,
      heap: per(after.heapUsed, baseline.heapUsed),
      external: per(after.external, baseline.external),
      arrayBuffers: per(after.arrayBuffers, baseline.arrayBuffers),
      rss: per(after.rss, baseline.rss),
      total: per(after.heapUsed + after.external, baseline.heapUsed + baseline.external),
      heapBeforeGc: per(before.heapUsed, baseline.heapUsed),
      externalBeforeGc: per(before.external, baseline.external),
      eventsPerSec: k === 0 ? 0 : Math.round((heard * 1000) / (now - lastAt)),
      cpuPercent: k === 0 ? 0 : Math.round(((cpu.user + cpu.system) / 1000 / (now - lastAt)) * 1000) / 10,
      openConnections,
      errors,
    };
    samples.push(sample);
    process.send?.({ type: "sample", lib: options.lib, sample });
    lastEvents = events;
    lastCpu = process.cpuUsage();
    lastAt = now;
    if (offset >= options.durationMs) break;
  }
  const trafficSeconds = (lastAt - trafficStart) / 1000;
  sim.send({ type: "connections" });
  const { framesSent } = await sim.reply<{ framesSent: number }>("connections");

  await Promise.race([Promise.allSettled(connections.map((c) => c.close())), sleep(10_000)]);
  finished = true;
  sim.send({ type: "close" });

  const dedup =
    options.lib === "tiklive"
      ? { soak: await dedupFootprint(options.tikliveDedup), defaults: await dedupFootprint(undefined) }
      : undefined;
  return {
    lib: options.lib,
    n: options.n,
    rate: options.rate,
    connected: connections.length,
    failed,
    firstError,
    connectSeconds: Math.round(connectSeconds * 10) / 10,
    baseline: { heapUsed: baseline.heapUsed, external: baseline.external, rss: baseline.rss },
    idlePerConnection: {
      heap: Math.round((idle.heapUsed - baseline.heapUsed) / n),
      external: Math.round((idle.external - baseline.external) / n),
      total: Math.round((idle.heapUsed + idle.external - baseline.heapUsed - baseline.external) / n),
    },
    samples,
    verdict: judgeSeries(samples),
    verdictHeap: judgeSeries(samples, (s) => s.heap),
    eventsPerSec: trafficSeconds > 0 ? Math.round(events / trafficSeconds) : 0,
    simFramesSent: framesSent,
    errors,
    dedup,
    loadAverage: {
      start: Math.round(loadStart * 100) / 100,
      end: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    },
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

function fail(error: unknown): void {
  sim.child.kill();
  process.send?.(
    { type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    () => process.exit(1),
  );
}
let finished = false;
sim.child.on("exit", (code, signal) => {
  if (!finished) fail(new Error(`the simulator process exited early (code ${code}, signal ${signal})`));
});
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
main().then(
  (result) => {
    finished = true;
    process.send?.({ type: "result", result }, () => process.exit(0));
  },
  (error: unknown) => {
    finished = true;
    fail(error);
  },
);

// One scale measurement in a fresh process: N connections of one library to N
// simulator rooms (the simulator runs in its own child process). Sends one
// ScaleStepResult to the parent over IPC and exits.
//
//   1. fork the simulator (rooms silent), import the library, GC, baseline memory
//   2. connect N clients (typical listeners), GC, idle memory      -> heap/RSS per idle connection
//   3. start the rooms (staggered), warm up, record a window        -> events/s, latency, CPU
//   4. GC, loaded memory                                            -> heap/RSS per busy connection
import { loadavg } from "node:os";
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { getGc } from "../decode-bench.js";
import { percentile, round } from "../stats.js";
import { connectAll, createConnector, type Library, type SimInfo, type Slot } from "./connectors.js";
import { forkSimulator } from "./sim-link.js";

export type { Library } from "./connectors.js";

export interface WorkerOptions {
  lib: Library;
  n: number;
  /** Messages per second per room. */
  rate: number;
  /** Wait after the last connect before the idle measurement. */
  idleMs: number;
  /** Traffic before the window (not recorded). */
  warmMs: number;
  /** The recorded window. */
  windowMs: number;
  /** Connects in flight at once. */
  concurrency: number;
  certFile: string | undefined;
  keyFile: string | undefined;
}

export interface MemorySample {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

export interface LatencyStats {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface ScaleStepResult {
  lib: Library;
  n: number;
  rate: number;
  tls: boolean;
  connected: number;
  failed: number;
  firstError: string | undefined;
  connectSeconds: number;
  baseline: MemorySample;
  /** (after connecting N, GC) - baseline, divided by the connections made. Bytes. */
  idlePerConnection: { heap: number; rss: number; external: number };
  /** (after the traffic window, GC) - baseline, per connection. Bytes. */
  loadedPerConnection: { heap: number; rss: number; external: number };
  windowSeconds: number;
  events: number;
  eventsPerSec: number;
  /** Frames the simulator sent over the whole step (all connections). */
  simFramesSent: number;
  /** Connections the simulator still had open after the window. */
  simOpenConnections: number;
  /** Client process CPU during the window, percent of one core. */
  clientCpuPercent: number;
  /** Simulator process CPU during the window, percent of one core. */
  simCpuPercent: number;
  /** The simulator's own event-loop delay and GC during the window (a slow simulator shows up in publish->listener). ms. */
  simEventLoopDelay: { p99: number; max: number };
  simGc: { totalMs: number; maxMs: number };
  /** Event-loop delay in the client process during the window (perf_hooks histogram, 1 ms timer). ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** Garbage collection during the window: count, total and longest pause. ms. */
  gc: { count: number; totalMs: number; maxMs: number };
  /** Arrival of the frame in the client process (socket message handler) -> the event listener runs. ms. */
  arrivalToListener: LatencyStats;
  /**
   * The simulator handing the frame to its socket (its frame record's time, looked up by logId)
   * -> the listener. ms. Everything on the client side (kernel, TLS, event-loop queueing, decode,
   * dispatch) and nothing of the simulator's own scheduling. The latency the targets use.
   */
  sendToListener: LatencyStats & { unmatched: number };
  /** The simulator publishing the frame (its fetch result's `now`) -> the listener. ms; includes the simulator's send and the socket. */
  publishToListener: LatencyStats;
  errors: number;
  /** The machine's 1-minute load average at the end of the window (2 cores: above ~2 means other processes compete). */
  loadAverage: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as WorkerOptions;
const gc = getGc();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settledMemory(): Promise<MemorySample> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
}

function latency(values: number[]): LatencyStats {
  return {
    samples: values.length,
    p50: round(percentile(values, 50), 3),
    p90: round(percentile(values, 90), 3),
    p99: round(percentile(values, 99), 3),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

// ---------------------------------------------------------------- simulator

const maxRecords = Math.ceil(options.rate * ((options.warmMs + options.windowMs) / 1000 + 10)) + 20;
const sim = forkSimulator({
  rooms: options.n,
  rate: options.rate,
  certFile: options.certFile,
  keyFile: options.keyFile,
  maxRecords,
});
const simChild = sim.child;
const simReply = <T>(type: string): Promise<T> => sim.reply<T>(type);

// ---------------------------------------------------------------- clients

const slots = new Map<string, Slot>();
function newSlot(roomId: string): Slot {
  const slot: Slot = { arrivedAt: 0, publishedAt: 0, offset: Number.NaN, logId: "" };
  slots.set(roomId, slot);
  return slot;
}

let recording = false;
const arrival: number[] = [];
const publish: number[] = [];
let events = 0;
let errors = 0;
const heardLogIds: string[] = [];
const heardAt: number[] = [];
function record(slot: Slot): void {
  if (!recording) return;
  const t = Date.now();
  events += 1;
  heardLogIds.push(slot.logId);
  heardAt.push(t);
  if (slot.arrivedAt > 0) arrival.push(t - slot.arrivedAt);
  if (slot.publishedAt > 0 && Number.isFinite(slot.offset))
    publish.push(t - (slot.publishedAt + slot.offset));
}

// ---------------------------------------------------------------- run

async function main(): Promise<ScaleStepResult> {
  const ready = await simReply<{ info: SimInfo }>("ready");
  const info = ready.info;
  const rooms = info.rooms.filter((r) => r.live).slice(0, options.n);
  const connect = await createConnector(options.lib, info, {
    newSlot,
    record,
    error: () => (errors += 1),
  });
  const baseline = await settledMemory();

  const t0 = performance.now();
  const { connections, failed, firstError } = await connectAll(connect, rooms, options.concurrency);
  const connectSeconds = (performance.now() - t0) / 1000;
  const n = Math.max(1, connections.length);
  await sleep(options.idleMs);
  const idle = await settledMemory();

  simChild.send({ type: "start" });
  const { offsets } = await simReply<{ offsets: Record<string, number> }>("started");
  for (const [roomId, offset] of Object.entries(offsets)) {
    const slot = slots.get(roomId);
    if (slot !== undefined) slot.offset = offset;
  }
  await sleep(options.warmMs);
  simChild.send({ type: "stats" });
  const simBefore = await simReply<{ cpuMs: number }>("stats");
  simChild.send({ type: "loop-reset" });
  const cpuBefore = process.cpuUsage();
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  loop.enable();
  const w0 = performance.now();
  recording = true;
  await sleep(options.windowMs);
  recording = false;
  const loadAtEnd = loadavg()[0] ?? 0;
  loop.disable();
  gcObserver.disconnect();
  const windowMs = performance.now() - w0;
  const cpu = process.cpuUsage(cpuBefore);
  simChild.send({ type: "stats" });
  const simAfter = await simReply<{
    cpuMs: number;
    loopP99Ms: number;
    loopMaxMs: number;
    gcMaxMs: number;
    gcTotalMs: number;
  }>("stats");
  simChild.send({ type: "connections" });
  const simConnections = await simReply<{ framesSent: number; openConnections: number }>("connections");
  simChild.send({ type: "frames" });
  const sentAt = new Map((await simReply<{ frames: [string, number][] }>("frames")).frames);
  const sendLatency: number[] = [];
  let unmatched = 0;
  for (let i = 0; i < heardLogIds.length; i++) {
    const at = sentAt.get(heardLogIds[i] as string);
    if (at === undefined) unmatched += 1;
    else sendLatency.push((heardAt[i] as number) - at);
  }
  const loaded = await settledMemory();

  await Promise.race([Promise.allSettled(connections.map((c) => c.close())), sleep(10_000)]);
  finished = true;
  simChild.send({ type: "close" });

  const per = (m: MemorySample) => ({
    heap: Math.round((m.heapUsed - baseline.heapUsed) / n),
    rss: Math.round((m.rss - baseline.rss) / n),
    external: Math.round((m.external - baseline.external) / n),
  });
  return {
    lib: options.lib,
    n: options.n,
    rate: options.rate,
    tls: options.certFile !== undefined,
    connected: connections.length,
    failed,
    firstError,
    connectSeconds: round(connectSeconds, 3),
    baseline,
    idlePerConnection: per(idle),
    loadedPerConnection: per(loaded),
    windowSeconds: round(windowMs / 1000, 3),
    events,
    eventsPerSec: round((events * 1000) / windowMs, 4),
    simFramesSent: simConnections.framesSent,
    simOpenConnections: simConnections.openConnections,
    clientCpuPercent: round(((cpu.user + cpu.system) / 1000 / windowMs) * 100, 3),
    simCpuPercent: round(((simAfter.cpuMs - simBefore.cpuMs) / windowMs) * 100, 3),
    simEventLoopDelay: { p99: simAfter.loopP99Ms, max: simAfter.loopMaxMs },
    simGc: { totalMs: simAfter.gcTotalMs, maxMs: simAfter.gcMaxMs },
    eventLoopDelay: {
      p50: round(loop.percentile(50) / 1e6, 3),
      p99: round(loop.percentile(99) / 1e6, 3),
      max: round(loop.max / 1e6, 3),
    },
    gc: {
      count: gcPauses.length,
      totalMs: round(
        gcPauses.reduce((a, b) => a + b, 0),
        3,
      ),
      maxMs: round(Math.max(0, ...gcPauses), 3),
    },
    sendToListener: { ...latency(sendLatency), unmatched },
    arrivalToListener: latency(arrival),
    publishToListener: latency(publish),
    errors,
    loadAverage: Math.round(loadAtEnd * 100) / 100,
  };
}

function fail(error: unknown): void {
  simChild.kill();
  process.send?.(
    { type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    () => process.exit(1),
  );
}
let finished = false;
simChild.on("exit", (code, signal) => {
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

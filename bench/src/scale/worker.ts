// One scale measurement in a fresh process: N connections of one library to N
// simulator rooms (the simulator runs in its own child process). Sends one
// ScaleStepResult to the parent over IPC and exits.
//
//   1. fork the simulator (rooms silent), import the library, GC, baseline memory
//   2. connect N clients (typical listeners), GC, idle memory      -> heap/RSS per idle connection
//   3. start the rooms (staggered), warm up, record a window        -> events/s, latency, CPU
//   4. GC, loaded memory                                            -> heap/RSS per busy connection
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { TransportEvent } from "@tiklive/core";
import { getGc } from "../decode-bench.js";
import { percentile, round } from "../stats.js";

/**
 * `floor`: no library, the least any client needs: one sign request
 * and one bare `ws` socket per room, entering the room and unwrapping frames with core's
 * `decodeMsgFrame` (each message counts as an event). Its heap per connection is what a socket
 * costs before any client logic.
 */
export type Library = "tiklive" | "peer" | "floor";

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

const typicalEvents = ["chat", "gift", "member", "like", "social", "follow", "share", "roomUser"] as const;

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

interface SimInfo {
  signUrl: string;
  webUrl: string;
  rooms: { uniqueId: string; roomId: string; live: boolean }[];
}

const simScript = fileURLToPath(new URL("./sim-process.js", import.meta.url));
// BENCH_SIM_CPU_PROF=<dir> writes a .cpuprofile of the simulator process (diagnosing its stalls).
const simProfileDir = process.env["BENCH_SIM_CPU_PROF"];
const maxRecords = Math.ceil(options.rate * ((options.warmMs + options.windowMs) / 1000 + 10)) + 20;
const simChild = fork(
  simScript,
  [
    JSON.stringify({
      rooms: options.n,
      rate: options.rate,
      certFile: options.certFile,
      keyFile: options.keyFile,
      maxRecords,
    }),
  ],
  {
    // The simulator is the test harness, not the code under test: a larger young generation and
    // an explicit GC after starting the rooms keep its own pauses out of the measured latency.
    execArgv: [
      ...process.execArgv.filter((a) => a !== "--expose-gc"),
      "--expose-gc",
      "--max-semi-space-size=32",
      ...(simProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${simProfileDir}`]),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  },
);
const simMessages: { type: string; [k: string]: unknown }[] = [];
const simWaiters: { type: string; resolve: (m: { type: string; [k: string]: unknown }) => void }[] = [];
simChild.on("message", (m: { type: string; [k: string]: unknown }) => {
  const i = simWaiters.findIndex((w) => w.type === m.type);
  if (i >= 0) simWaiters.splice(i, 1)[0]?.resolve(m);
  else simMessages.push(m);
});
function simReply<T>(type: string): Promise<T> {
  const i = simMessages.findIndex((m) => m.type === type);
  if (i >= 0) return Promise.resolve(simMessages.splice(i, 1)[0] as T);
  return new Promise((resolve) => simWaiters.push({ type, resolve: resolve as (m: unknown) => void }));
}

// ---------------------------------------------------------------- clients

interface Slot {
  /** Date.now() when the frame reached the client's socket handler. */
  arrivedAt: number;
  /** The frame's fetch result `now`: the simulator's scenario time when it published the frame. */
  publishedAt: number;
  /** Wall clock minus scenario time for this slot's room (from the simulator's "started"). */
  offset: number;
  /** The frame's logId, to look up when the simulator sent it. */
  logId: string;
}

const slots = new Map<string, Slot>();
function newSlot(roomId: string): Slot {
  const slot: Slot = { arrivedAt: 0, publishedAt: 0, offset: Number.NaN, logId: "" };
  slots.set(roomId, slot);
  return slot;
}

interface Connection {
  close(): Promise<void>;
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

type Connect = (room: { uniqueId: string; roomId: string }) => Promise<Connection>;

async function tiklive(info: SimInfo): Promise<Connect> {
  const { TikTokLiveClient } = await import("@tiklive/client");
  const { createWebSocketTransport } = await import("@tiklive/transport-ws");
  type Transport = ReturnType<typeof createWebSocketTransport>;
  // A pass-through Transport (the public contract) that notes when each result arrived
  // (`receivedAt`, set in the socket's message handler) and its `now`. The client
  // handles a result synchronously right after the iterator yields it, so the slot
  // is the current frame's while its listeners run.
  const timed = (inner: Transport, slot: Slot): Transport => ({
    kind: inner.kind,
    connect(request) {
      const connection = inner.connect(request);
      return {
        kind: connection.kind,
        ...(connection.switchRoom === undefined
          ? {}
          : {
              switchRoom: (roomId: string) =>
                (connection.switchRoom as (id: string) => Promise<void>)(roomId),
            }),
        close: () => connection.close(),
        [Symbol.asyncIterator]() {
          const it = connection[Symbol.asyncIterator]();
          return {
            next: () =>
              it.next().then((r: IteratorResult<TransportEvent>) => {
                if (r.done !== true && r.value.type === "result") {
                  slot.arrivedAt = r.value.receivedAt;
                  slot.publishedAt = Number(r.value.result.now);
                  slot.logId = r.value.logId;
                }
                return r;
              }),
            ...(it.return === undefined
              ? {}
              : {
                  return: (v?: unknown) =>
                    (it.return as (v?: unknown) => Promise<IteratorResult<TransportEvent>>)(v),
                }),
          };
        },
      };
    },
  });
  return async (room) => {
    const slot = newSlot(room.roomId);
    const client = new TikTokLiveClient(room.uniqueId, {
      signServerUrl: info.signUrl,
      webUrl: info.webUrl,
      roomId: room.roomId,
      fetchRoomInfoOnConnect: false,
      transports: [timed(createWebSocketTransport({}), slot)],
      logger: { warn: () => (errors += 1), error: () => (errors += 1) },
    });
    for (const name of typicalEvents) client.on(name, () => record(slot));
    client.on("error", () => (errors += 1));
    await client.connect();
    return { close: () => client.disconnect() };
  };
}

// The slice of the peer's API used here. Its classes are Node EventEmitters; the
// published typings lose the emitter methods under this workspace's resolution.
interface PeerEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  prependListener(event: string, listener: (...args: never[]) => void): unknown;
}
interface PeerConnection extends PeerEmitter {
  connect(roomId?: string): Promise<unknown>;
  disconnect(): Promise<void>;
  readonly wsClient: PeerEmitter | null;
}

async function peer(info: SimInfo): Promise<Connect> {
  // Read when the module loads (the peer's SignConfig); set before importing it.
  process.env["SIGN_API_URL"] = info.signUrl;
  const { TikTokLiveConnection, SignConfig } = await import("tiktok-live-connector");
  // Only to read each frame's logId (for send->listener): the push frame header, no gunzip.
  const { decodePushFrame } = await import("@tiklive/core");
  SignConfig.basePath = info.signUrl;
  // The peer builds `http(s)://${host}/...` from these host settings (it picks https for loopback hosts).
  const host = new URL(info.webUrl).host;
  return async (room) => {
    const slot = newSlot(room.roomId);
    const connection = new TikTokLiveConnection(room.uniqueId, {
      fetchRoomInfoOnConnect: false,
      webConfigOverrides: { TIKTOK_HOST_WEB: host, TIKTOK_HOST_WEBCAST: host },
    }) as unknown as PeerConnection;
    // Emitted synchronously by its socket message handler, before the (async) decode.
    connection.on("websocketData", (data: Buffer) => {
      slot.arrivedAt = Date.now();
      slot.logId = decodePushFrame(new Uint8Array(data.buffer, data.byteOffset, data.length)).logId;
    });
    for (const name of typicalEvents) connection.on(name, () => record(slot));
    connection.on("error", () => (errors += 1));
    await connection.connect(room.roomId);
    // Runs before the connection's own handler, which emits the events of that result.
    connection.wsClient?.prependListener(
      "protoMessageFetchResult",
      (result: { now?: string }) => (slot.publishedAt = Number(result.now ?? 0)),
    );
    return { close: () => connection.disconnect() };
  };
}

async function floor(info: SimInfo): Promise<Connect> {
  const { decodeFetchResult, decodeMsgFrame, encodeAckFrame, encodeEnterRoomFrame, needsAck } = await import(
    "@tiklive/core"
  );
  const { default: WebSocket } = await import("ws");
  return async (room) => {
    const slot = newSlot(room.roomId);
    const res = await fetch(`${info.signUrl}/webcast/rooms/${room.roomId}/connect?client=bench`);
    if (res.status !== 200) throw new Error(`sign: HTTP ${res.status}`);
    const first = decodeFetchResult(new Uint8Array(await res.arrayBuffer()));
    const cookie = (res.headers.get("x-set-tt-cookie") ?? "").split(";")[0] ?? "";
    const query = new URLSearchParams({
      aid: "1988",
      room_id: room.roomId,
      cursor: first.cursor,
      internal_ext: first.internalExt,
      compress: "gzip",
    });
    const ws = new WebSocket(`${first.pushServer}?${query}`, { headers: { cookie } });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", () => reject(new Error("handshake rejected")));
    });
    ws.on("message", (data: Buffer) => {
      slot.arrivedAt = Date.now();
      const decoded = decodeMsgFrame(new Uint8Array(data.buffer, data.byteOffset, data.length));
      if (decoded.result === undefined) return;
      slot.publishedAt = Number(decoded.result.now);
      slot.logId = decoded.frame.logId;
      if (needsAck(decoded))
        ws.send(encodeAckFrame({ logId: decoded.frame.logId, internalExt: decoded.result.internalExt }));
      for (let i = 0; i < decoded.result.messages.length; i++) record(slot);
    });
    ws.send(encodeEnterRoomFrame({ roomId: room.roomId }));
    return {
      close: () =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close();
        }),
    };
  };
}

// ---------------------------------------------------------------- run

async function main(): Promise<ScaleStepResult> {
  const ready = await simReply<{ info: SimInfo }>("ready");
  const info = ready.info;
  const rooms = info.rooms.filter((r) => r.live).slice(0, options.n);
  const connect =
    options.lib === "peer"
      ? await peer(info)
      : options.lib === "floor"
        ? await floor(info)
        : await tiklive(info);
  const baseline = await settledMemory();

  const connections: Connection[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, rooms.length) }, async () => {
      while (next < rooms.length) {
        const room = rooms[next++] as (typeof rooms)[number];
        try {
          connections.push(await connect(room));
        } catch (error) {
          failed += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
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

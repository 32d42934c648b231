// The simulator in its own process (forked by the scale worker), so that the
// client process's heap, RSS and event loop hold only the clients under test.
// Protocol over the IPC channel:
//   -> parent: { type: "ready", info }            once listening
//   <- parent: { type: "start" }                  start every live room, staggered over one message interval
//   -> parent: { type: "started", offsets }       offsets[roomId] = wall clock - scenario time (ms), see below
//   <- parent: { type: "stats" }                  -> { type: "stats", cpuMs, loopP99Ms, loopMaxMs, gcMaxMs, gcTotalMs }
//   <- parent: { type: "frames" }                 -> { type: "frames", frames: [logId, sentAtMs][] } (slow: after the window only)
//   <- parent: { type: "connections" }            -> { type: "connections", framesSent, messagesSent, openConnections } (slow: after the window only)
//   <- parent: { type: "loop-reset" }             restarts the event-loop delay histogram and GC counters
//   <- parent: { type: "close" }                  closes and exits
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { startSimulator } from "@tiklive/simulator";

export interface SimProcessOptions {
  rooms: number;
  /** Messages per second per room. */
  rate: number;
  certFile: string | undefined;
  keyFile: string | undefined;
  /** Frame records kept per connection: enough to cover warm-up + window, for send times. */
  maxRecords: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as SimProcessOptions;
const send = (message: unknown) => process.send?.(message);

// Scenario time zero is fixed now; a room started at wall time T runs its scenario clock
// from then on, so its fetch results' `now` (scenario time) is behind the wall clock by
// T - startTime. The worker adds that offset back to turn `now` into a wall-clock publish time.
const startTime = Date.now();
const sim = await startSimulator({
  startTime,
  rooms: options.rooms,
  rate: options.rate,
  scenario: "load",
  // Rooms stay silent until "start": the idle measurement sees connected clients with no traffic.
  startMode: "manual",
  seed: 1,
  // Enough frame records per connection to look up every recorded frame's send time.
  maxRecords: options.maxRecords,
  // Nothing here resumes from an old cursor; short retention keeps the simulator's heap small.
  retentionMs: 30_000,
  ...(options.certFile !== undefined && options.keyFile !== undefined
    ? { tls: { cert: readFileSync(options.certFile, "utf8"), key: readFileSync(options.keyFile, "utf8") } }
    : {}),
});

const liveRooms = sim.rooms.filter((r) => r.live);
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let gcMaxMs = 0;
let gcTotalMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMaxMs = Math.max(gcMaxMs, e.duration);
    gcTotalMs += e.duration;
  }
}).observe({ entryTypes: ["gc"] });

process.on("message", (message: { type: string }) => {
  switch (message.type) {
    case "start": {
      // Real rooms are not in phase: spread the starts over one message interval so
      // 1000 rooms do not publish in the same millisecond.
      const spread = 1000 / options.rate;
      const offsets: Record<string, number> = {};
      let started = 0;
      liveRooms.forEach((room, i) => {
        setTimeout(
          () => {
            offsets[room.roomId] = Date.now() - startTime;
            sim.room(room.roomId).start();
            started += 1;
            if (started === liveRooms.length) {
              // Starting 1000 rooms builds 200 000 simulated users: collect that garbage now,
              // during the warm-up, not as a 300 ms stall inside the recorded window.
              (globalThis as { gc?: () => void }).gc?.();
              send({ type: "started", offsets });
            }
          },
          (i * spread) / liveRooms.length,
        );
      });
      break;
    }
    case "stats": {
      // Cheap on purpose: it runs right before the recorded window (a walk over every
      // connection record here stalled a 1000-connection simulator for ~300 ms).
      const cpu = process.cpuUsage();
      send({
        type: "stats",
        cpuMs: (cpu.user + cpu.system) / 1000,
        loopP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
        loopMaxMs: Math.round(loop.max / 1e4) / 100,
        gcMaxMs: Math.round(gcMaxMs * 100) / 100,
        gcTotalMs: Math.round(gcTotalMs),
      });
      break;
    }
    case "frames": {
      // When each frame was handed to the socket (logId -> epoch ms), for send->listener latency.
      const frames: [string, number][] = [];
      for (const c of sim.connections())
        for (const f of c.frames) if (f.payloadType === "msg") frames.push([f.logId, f.at]);
      send({ type: "frames", frames });
      break;
    }
    case "connections": {
      let framesSent = 0;
      let messagesSent = 0;
      let open = 0;
      for (const c of sim.connections()) {
        framesSent += c.framesSent;
        messagesSent += c.messagesSent;
        if (c.state === "open") open += 1;
      }
      send({ type: "connections", framesSent, messagesSent, openConnections: open });
      break;
    }
    case "loop-reset":
      loop.reset();
      gcMaxMs = 0;
      gcTotalMs = 0;
      break;
    case "close":
      void sim.close().finally(() => process.exit(0));
      break;
  }
});
process.on("disconnect", () => {
  void sim.close().finally(() => process.exit(0));
});

send({ type: "ready", info: sim.info });

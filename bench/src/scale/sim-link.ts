// The worker's end of the simulator process (sim-process.ts): fork it, send it commands,
// await its replies by type.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SimProcessOptions } from "./sim-process.js";

export interface SimLink {
  readonly child: ChildProcess;
  send(message: { type: string }): void;
  /** The next message of this type from the simulator (queued if it came already). */
  reply<T>(type: string): Promise<T>;
}

const simScript = fileURLToPath(new URL("./sim-process.js", import.meta.url));

/** Forks the simulator with this process's node flags (plus a GC-friendly heap for the harness). */
export function forkSimulator(options: SimProcessOptions): SimLink {
  // BENCH_SIM_CPU_PROF=<dir> writes a .cpuprofile of the simulator process (diagnosing its stalls).
  const simProfileDir = process.env["BENCH_SIM_CPU_PROF"];
  const child = fork(simScript, [JSON.stringify(options)], {
    // The simulator is the test harness, not the code under test: a larger young generation and
    // an explicit GC after starting the rooms keep its own pauses out of the measured latency.
    execArgv: [
      ...process.execArgv.filter((a) => a !== "--expose-gc"),
      "--expose-gc",
      "--max-semi-space-size=32",
      ...(simProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${simProfileDir}`]),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const queued: { type: string; [k: string]: unknown }[] = [];
  const waiters: { type: string; resolve: (m: { type: string; [k: string]: unknown }) => void }[] = [];
  child.on("message", (m: { type: string; [k: string]: unknown }) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
    else queued.push(m);
  });
  return {
    child,
    send: (message) => child.send(message),
    reply<T>(type: string): Promise<T> {
      const i = queued.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(queued.splice(i, 1)[0] as T);
      return new Promise((resolve) => waiters.push({ type, resolve: resolve as (m: unknown) => void }));
    },
  };
}

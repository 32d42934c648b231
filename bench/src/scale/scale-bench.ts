// Memory and scale: for each library and each N, one fresh worker process
// (worker.ts) connects N clients to a simulator in its own process.
import { execFileSync, fork } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Library, ScaleStepResult, WorkerOptions } from "./worker.js";

export interface ScaleStep {
  n: number;
  /** Messages per second per room. */
  rate: number;
  windowMs: number;
}

export interface ScaleOptions {
  steps?: ScaleStep[];
  libs?: Library[];
  warmMs?: number;
  idleMs?: number;
  /** Kill a worker that takes longer. Default 180 s. */
  stepTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ScaleResult {
  /** True when the simulator served HTTPS/WSS (needed to drive the peer at all, see README). */
  tls: boolean;
  /** Why the peer was not measured, when it was not. */
  peerNotMeasured: string | undefined;
  steps: (ScaleStepResult | { lib: Library; n: number; rate: number; error: string })[];
}

/** The default plan: the total load stays at a few hundred to a thousand messages per second on 2 cores. */
export const defaultSteps: ScaleStep[] = [
  { n: 10, rate: 10, windowMs: 10_000 },
  { n: 100, rate: 3, windowMs: 10_000 },
  { n: 1000, rate: 1, windowMs: 15_000 },
];

/** A throwaway self-signed certificate for 127.0.0.1 (EC P-256: cheap handshakes), or undefined without openssl. */
export function makeCertificate(): { dir: string; certFile: string; keyFile: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "tiklive-bench-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
      ],
      { stdio: "ignore" },
    );
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return existsSync(certFile) ? { dir, certFile, keyFile } : undefined;
}

// The compiled worker (dist/), forked with this process's node flags.
const workerScript = fileURLToPath(new URL("./worker.js", import.meta.url));

function runWorker(
  options: WorkerOptions,
  timeoutMs: number,
  extraCa: string | undefined,
): Promise<ScaleStepResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerScript, [JSON.stringify(options)], {
      execArgv: [...process.execArgv.filter((a) => a !== "--expose-gc"), "--expose-gc"],
      // The peer's HTTP client, the Euler SDK's axios and both WebSocket stacks use Node's
      // TLS defaults: the throwaway certificate is trusted through NODE_EXTRA_CA_CERTS only.
      env: { ...process.env, ...(extraCa === undefined ? {} : { NODE_EXTRA_CA_CERTS: extraCa }) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error(`timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("message", (m: { type: string; result?: ScaleStepResult; message?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (m.type === "result" && m.result !== undefined) resolve(m.result);
      else reject(new Error(m.message ?? "worker failed"));
    });
    child.on("exit", (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`worker exited (code ${code}, signal ${signal}) before reporting`));
    });
  });
}

export async function runScaleBench(options: ScaleOptions = {}): Promise<ScaleResult> {
  const log = options.log ?? (() => {});
  const steps = options.steps ?? defaultSteps;
  const libs = options.libs ?? ["tiklive", "peer"];
  const cert = makeCertificate();
  // Without TLS the peer cannot reach a local server (it always builds https:// URLs for
  // loopback hosts); tiklive then runs over plain HTTP/WS alone.
  const peerNotMeasured =
    cert === undefined
      ? "openssl is not available to make a certificate; tiktok-live-connector only talks https:// to loopback hosts"
      : undefined;
  const out: ScaleResult = { tls: cert !== undefined, peerNotMeasured, steps: [] };
  try {
    for (const step of steps) {
      for (const lib of libs) {
        if (lib === "peer" && cert === undefined) continue;
        const workerOptions: WorkerOptions = {
          lib,
          n: step.n,
          rate: step.rate,
          idleMs: options.idleMs ?? 2_000,
          warmMs: options.warmMs ?? 3_000,
          windowMs: step.windowMs,
          concurrency: 25,
          certFile: cert?.certFile,
          keyFile: cert?.keyFile,
        };
        const started = performance.now();
        try {
          const result = await runWorker(workerOptions, options.stepTimeoutMs ?? 180_000, cert?.certFile);
          out.steps.push(result);
          log(
            `  ${lib.padEnd(7)} N=${String(step.n).padStart(4)}: ${result.connected}/${step.n} connected in ${result.connectSeconds.toFixed(1)} s, ` +
              `idle heap ${(result.idlePerConnection.heap / 1024).toFixed(1)} KiB/conn, ${result.eventsPerSec.toFixed(0)} events/s, ` +
              `send->listener p50 ${result.sendToListener.p50} ms p99 ${result.sendToListener.p99} ms, ` +
              `publish->listener p99 ${result.publishToListener.p99} ms (${((performance.now() - started) / 1000).toFixed(0)} s)`,
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          out.steps.push({ lib, n: step.n, rate: step.rate, error: message });
          log(`  ${lib.padEnd(7)} N=${String(step.n).padStart(4)}: failed: ${message}`);
        }
      }
    }
  } finally {
    if (cert !== undefined) rmSync(cert.dir, { recursive: true, force: true });
  }
  return out;
}

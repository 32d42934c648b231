// The demo server: node:http on 127.0.0.1 serving the dashboard (apps/demo/public), its event
// stream and a small JSON API, fed by a TikTokLiveClient on the simulator or on TikTok.
//
//   GET /             the dashboard (index.html, app.js, style.css, favicon.svg)
//   GET /events       server-sent events: `snapshot` (everything) then `batch` (changes, every 100 ms)
//   GET /api/stats    counters, the giftCompleted sum, top gifters, connection (for tests and tools)
//   GET /api/snapshot what a page gets when it connects
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode, normalizeUniqueId, TikLiveError } from "@tiklive/client";
import type { Simulator } from "@tiklive/simulator";
import { DashboardState, type DashboardStats } from "./dashboard-state.js";
import { EventHub } from "./event-hub.js";
import { LiveSource, type SimulatorTarget, simulatedUniqueId, type TikTokTarget } from "./live-source.js";

/** The port the demo tries first. */
export const defaultPort = 4321;

/** Options of {@link startDemo}. Every field is optional: the default is the simulator on port 4321. */
export interface DemoOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 4321. */
  port?: number;
  /** When `port` is taken, listen on a free port instead of failing. Default: true when `port` is not given. */
  portFallback?: boolean;
  /** Watch this TikTok user (`@name`, `name` or a profile/live URL) instead of the simulator. Default: the simulator. */
  user?: string;
  /** API key of the sign server (with `user`). Sent only to the sign server, never logged or shown. Default none. */
  signApiKey?: string;
  /** Sign server base URL (with `user`). Default: the client's (Euler). */
  signServerUrl?: string;
  /** TikTok web base URL (with `user`). Default: the client's (www.tiktok.com). */
  webUrl?: string;
  /** The simulated streams (without `user`). */
  simulator?: {
    /** Messages per second. Default 30. */
    rate?: number;
    /** Messages per stream, the end included. Default 4500 (2.5 minutes at 30/s). */
    length?: number;
    /** Seed of the first stream. Default 1. */
    seed?: number;
    /** Pause before the next stream starts, in ms. Default 5000. */
    restartDelayMs?: number;
  };
  /** How often changes go to the pages, in ms. Default 100. */
  batchIntervalMs?: number;
  /** Width of one viewer-chart sample, in ms. Default 1000. */
  viewerBucketMs?: number;
  /** While a TikTok user is offline, check again this often, in ms. Default 30 000. */
  offlineRetryMs?: number;
  /** Where log lines go (never a secret). Default: stderr. */
  log?: (line: string) => void;
}

/** A running demo. */
export interface Demo extends AsyncDisposable {
  /** The dashboard's URL, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  readonly mode: "simulator" | "tiktok";
  /** The simulator of the current stream, in simulator mode. */
  readonly simulator: Simulator | undefined;
  /** What `/api/stats` answers. */
  stats(): DashboardStats;
  /** Stops the server, the event streams, the client and the simulator. */
  close(): Promise<void>;
}

interface ResolvedDemoOptions {
  port: number;
  portFallback: boolean;
  target: SimulatorTarget | TikTokTarget;
  batchIntervalMs: number;
  viewerBucketMs: number;
  secrets: string[];
  log: (line: string) => void;
}

function invalid(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, `demo: ${message}`, { retryable: false });
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  options: { integer?: boolean; min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const { integer = false, min = Number.MIN_VALUE, max = Number.MAX_SAFE_INTEGER } = options;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalid(
      `${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function optionalText(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw invalid(`${name} must be a non-empty string`);
  return value.trim();
}

/** Validates and defaults the options, once. Throws `invalid_input`. */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const port = positive("port", options.port, defaultPort, { integer: true, min: 0, max: 65_535 });
  const given = optionalText("user", options.user);
  // Throws invalid_input for something that is not a user name or profile URL.
  const user = given === undefined ? undefined : normalizeUniqueId(given);
  const signApiKey = optionalText("signApiKey", options.signApiKey);
  const signServerUrl = optionalText("signServerUrl", options.signServerUrl);
  const webUrl = optionalText("webUrl", options.webUrl);
  if (
    user === undefined &&
    (signApiKey !== undefined || signServerUrl !== undefined || webUrl !== undefined)
  ) {
    throw invalid("an API key, sign server or web URL needs a user to watch (--user)");
  }
  const sim = options.simulator ?? {};
  const target: SimulatorTarget | TikTokTarget =
    user === undefined
      ? {
          kind: "simulator",
          rate: positive("simulator.rate", sim.rate, 30, { min: 0.1, max: 10_000 }),
          length: positive("simulator.length", sim.length, 4500, { integer: true, min: 20, max: 10_000_000 }),
          seed: positive("simulator.seed", sim.seed, 1, { integer: true, min: 0, max: 0xffff_ffff }),
          restartDelayMs: positive("simulator.restartDelayMs", sim.restartDelayMs, 5000, {
            min: 0,
            max: 3_600_000,
          }),
        }
      : {
          kind: "tiktok",
          uniqueId: user,
          signApiKey,
          signServerUrl,
          webUrl,
          offlineRetryMs: positive("offlineRetryMs", options.offlineRetryMs, 30_000, {
            min: 100,
            max: 3_600_000,
          }),
        };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (typeof log !== "function") throw invalid("log must be a function");
  return {
    port,
    portFallback: options.portFallback ?? options.port === undefined,
    target,
    batchIntervalMs: positive("batchIntervalMs", options.batchIntervalMs, 100, { min: 10, max: 10_000 }),
    viewerBucketMs: positive("viewerBucketMs", options.viewerBucketMs, 1000, { min: 10, max: 3_600_000 }),
    secrets: signApiKey === undefined ? [] : [signApiKey],
    log,
  };
}

// ------------------------------------------------------------------ static files

const publicDir = fileURLToPath(new URL("../public/", import.meta.url));
const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

// Read once at start-up; only these exact names are served, so no path reaches the disk.
function loadPublicFiles(): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(publicDir)) {
    const type = contentTypes[extname(name)];
    if (type !== undefined) files.set(`/${name}`, { body: readFileSync(join(publicDir, name)), type });
  }
  const index = files.get("/index.html");
  if (index === undefined)
    throw new TikLiveError(ErrorCode.InvalidInput, `demo: ${publicDir}index.html is missing`);
  files.set("/", index);
  return files;
}

// Defence in depth against XSS: no inline script or style, pictures only from https.
const securityHeaders = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, "127.0.0.1");
  });
}

/**
 * Starts the demo: the dashboard server on 127.0.0.1, and a client on the simulator (default)
 * or on TikTok (`user`). Resolves once the port listens; the stream connects in the background.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const resolved = resolveDemoOptions(options);
  const { target, secrets } = resolved;
  const redact = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
  const log = (line: string) => resolved.log(redact(line));
  const files = loadPublicFiles();

  const state = new DashboardState(
    {
      number: 0,
      uniqueId: target.kind === "simulator" ? simulatedUniqueId : target.uniqueId,
      nickname: "",
      title: "",
      simulated: target.kind === "simulator",
    },
    { mode: target.kind },
    // The simulator's avatar and gift URLs name a CDN that has none of them.
    { images: target.kind === "tiktok", viewerBucketMs: resolved.viewerBucketMs, redact },
  );
  const hub = new EventHub(state, { intervalMs: resolved.batchIntervalMs });
  const source = new LiveSource(state, target, log);

  let port = 0;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    // A page on another origin that rebinds its DNS to 127.0.0.1 sends its own Host: refuse it.
    if (!hosts().has(req.headers.host ?? "")) {
      res.writeHead(421, { "content-type": "text/plain; charset=utf-8" }).end("unknown host\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res
        .writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" })
        .end("method not allowed\n");
      return;
    }
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/events") {
      hub.add(res);
      return;
    }
    if (path === "/api/stats" || path === "/api/snapshot") {
      const body = JSON.stringify(
        path === "/api/stats" ? { ...state.stats(), pages: hub.size } : state.snapshot(),
      );
      res
        .writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
        .end(req.method === "HEAD" ? undefined : body);
      return;
    }
    const file = files.get(path);
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res
      .writeHead(200, {
        "content-type": file.type,
        "content-length": file.body.length,
        "cache-control": "no-cache",
      })
      .end(req.method === "HEAD" ? undefined : file.body);
  });

  try {
    try {
      port = await listen(server, resolved.port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || !resolved.portFallback) throw error;
      log(`demo: port ${resolved.port} is taken; using a free one`);
      port = await listen(server, 0);
    }
  } catch (error) {
    hub.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new TikLiveError(
      ErrorCode.NetworkError,
      `demo: cannot listen on 127.0.0.1:${resolved.port}${code === "EADDRINUSE" ? " (in use; pick another with --port, or --port 0 for any)" : ""}`,
      {
        cause: error,
        retryable: false,
      },
    );
  }

  source.start();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      hub.close();
      await source.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })());

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    mode: target.kind,
    get simulator() {
      return source.simulator;
    },
    stats: () => state.stats(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

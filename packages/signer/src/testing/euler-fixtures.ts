// Test fixtures for the signer tests: a real encoded fetch result, a local HTTP server on
// 127.0.0.1 (closed by the caller), and a MockAgent-backed Euler origin. Not part of the build.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, encodeFetchResult, type FetchResultInit } from "@tiklive/core";
import { MockAgent } from "undici";

export const roomId = "7312345678901234567";
export const userAgent =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36";
export const pushServer = "wss://webcast-ws.tiktok.example/webcast/im/push/v2/";
export const apiKey = "euler_TEST_API_KEY_3f9c2a7b1d";
export const jwtKey = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.TESTJWTSIGNATURE";
export const sessionId = "a1b2c3d4e5f6SESSIONID9z8y7x";

/** A first fetch result as a sign server returns it. */
export function fetchResultBytes(init: FetchResultInit = {}): Uint8Array {
  return encodeFetchResult({
    cursor: "1700000000000_7312345678901234567_1_1_0_0",
    internalExt: "internal_src:dim|wss_push_room_id:7312345678901234567",
    pushServer,
    routeParams: { imprp: "abc", wrss: "def" },
    needAck: false,
    isFirst: true,
    now: "1700000000000",
    messages: [
      { method: "WebcastChatMessage", payload: new Uint8Array([10, 0]), msgId: "7312345678900000001" },
    ],
    ...init,
  });
}

/** The headers of a good sign answer. */
export function signHeaders(
  extra: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return {
    "content-type": "application/protobuf",
    "x-set-tt-cookie":
      "ttwid=1%7Cabc%7C1700000000%7Cdef; Path=/; Domain=tiktok.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure, msToken=xyz123; Path=/; SameSite=None",
    "x-request-id": "req-123",
    ...extra,
  };
}

/** A MockAgent with network access disabled and an interceptor pool for `origin`. */
export function mockEuler(origin = "https://api.eulerstream.com"): {
  agent: MockAgent;
  pool: ReturnType<MockAgent["get"]>;
} {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, pool: agent.get(origin) };
}

/** A request as the local server saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A local server on 127.0.0.1 with a port of its own; `close()` it after the test. */
export interface LocalServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(
  handler: (request: SeenRequest, response: ServerResponse) => unknown,
): Promise<LocalServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen: SeenRequest = {
        method: req.method ?? "",
        url: new URL(req.url ?? "/", "http://127.0.0.1"),
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      Promise.resolve(handler(seen, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A request as a MockAgent interceptor saw it. */
export interface Captured {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What an interceptor answers. */
export interface MockReply {
  status?: number;
  body?: Uint8Array | string;
  headers?: Record<string, string | string[]>;
}

type Pool = ReturnType<MockAgent["get"]>;

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || headers === undefined) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (typeof (headers as { forEach?: unknown }).forEach === "function") {
    (headers as Headers).forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
  } else {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>))
      out[key.toLowerCase()] = String(value);
  }
  return out;
}

/**
 * Answers requests whose path starts with `pathPrefix` (every one, or `times` of them) and
 * records what they carried.
 */
export function intercept(
  pool: Pool,
  pathPrefix: string,
  reply: MockReply,
  options: { method?: string; times?: number } = {},
): Captured[] {
  const seen: Captured[] = [];
  const scope = pool
    .intercept({ path: (path) => path.startsWith(pathPrefix), method: options.method ?? "GET" })
    .reply((opts) => {
      seen.push({
        method: opts.method,
        url: new URL(opts.path, opts.origin ?? "https://api.eulerstream.com"),
        headers: headerRecord(opts.headers),
        body: typeof opts.body === "string" ? opts.body : undefined,
      });
      const body = reply.body ?? "";
      return {
        statusCode: reply.status ?? 200,
        data: typeof body === "string" ? body : Buffer.from(body),
        responseOptions: { headers: reply.headers ?? {} },
      };
    });
  if (options.times === undefined) scope.persist();
  else scope.times(options.times);
  return seen;
}

/** A fake clock whose `sleep` moves time on at once (and records how long it slept). */
export function instantClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
    },
  };
}

/** A fake clock that moves only on `advance()`, which wakes the sleepers whose time came. */
export interface ManualClock extends Clock {
  /** Every sleep asked for, in order. */
  readonly slept: number[];
  /** Sleeps not yet over. */
  readonly sleeping: number;
  /** Moves time on by `ms` and wakes every sleeper whose time has come. */
  advance(ms: number): void;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  const slept: number[] = [];
  const sleepers: { until: number; resolve: () => void }[] = [];
  return {
    slept,
    get sleeping() {
      return sleepers.length;
    },
    now: () => now,
    sleep(ms, signal) {
      slept.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper = {
          until: now + ms,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    advance(ms) {
      now += ms;
      for (const sleeper of sleepers.filter((s) => s.until <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.resolve();
      }
    },
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeFetchResult, type SignedSession, TikLiveError, type TransportEvent } from "@tiklive/core";
import { settle } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";
import { createPollingTransport } from "./poll-transport.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
async function serve(handler: Handler): Promise<{ base: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const session: SignedSession = {
  roomId: "7300993857827228449",
  fetchResult: {
    messages: [],
    cursor: "c0",
    fetchInterval: "0",
    now: "0",
    internalExt: "ie0",
    fetchType: 0,
    routeParams: {},
    heartbeatDuration: "0",
    needAck: false,
    pushServer: "wss://push.invalid/",
    isFirst: true,
    historyCommentCursor: "",
    historyNoMore: false,
  },
  cookies: [{ name: "ttwid", value: "1|abc" }],
  userAgent: "Mozilla/5.0 TestAgent",
  signer: "test",
  receivedAt: 0,
};

const batch = (
  n: number,
  ids: string[],
  extra: { cursor?: string; internalExt?: string; fetchInterval?: string } = {},
) =>
  encodeFetchResult({
    messages: ids.map((msgId) => ({ method: "WebcastChatMessage", payload: new Uint8Array([8, 1]), msgId })),
    cursor: `c${n}`,
    internalExt: `ie${n}`,
    ...extra,
  });

async function take(iterable: AsyncIterable<TransportEvent>, count: number): Promise<TransportEvent[]> {
  const out: TransportEvent[] = [];
  for await (const e of iterable) {
    out.push(e);
    if (out.length === count) break;
  }
  return out;
}

describe("createPollingTransport", () => {
  it("polls webcast/im/fetch with cookies and the web params, carrying cursor and internal_ext forward", async () => {
    const { base, requests } = await serve((_req, res, n) => {
      res.writeHead(200, { "content-type": "application/protobuf" });
      res.end(
        n === 2
          ? batch(n, ["21"], { cursor: "", internalExt: "" })
          : batch(n, [String(n * 10 + 1), String(n * 10 + 2)]),
      );
    });
    const conn = createPollingTransport({ baseUrl: base, intervalMs: 5 }).connect({ session });
    const events = await take(conn, 5);
    expect(events.map((e) => e.type)).toEqual(["open", "result", "result", "result", "result"]);
    expect(events.flatMap((e) => (e.type === "result" ? e.result.messages.map((m) => m.msgId) : []))).toEqual(
      ["11", "12", "21", "31", "32", "41", "42"],
    );
    const queries = requests.map((r) => new URL(r.url ?? "", base));
    expect(queries[0]?.pathname).toBe("/webcast/im/fetch/");
    expect(
      queries.map((q) => [q.searchParams.get("cursor"), q.searchParams.get("internal_ext")]).slice(0, 4),
    ).toEqual([
      ["c0", "ie0"],
      ["c1", "ie1"],
      ["c1", "ie1"], // the second response left both empty: the old position is kept
      ["c3", "ie3"],
    ]);
    expect(queries[0]?.searchParams.get("room_id")).toBe("7300993857827228449");
    expect(queries[0]?.searchParams.get("resp_content_type")).toBe("protobuf");
    expect(queries[0]?.searchParams.get("aid")).toBe("1988");
    expect(requests[0]?.headers.cookie).toBe("ttwid=1|abc");
    expect(requests[0]?.headers["user-agent"]).toBe("Mozilla/5.0 TestAgent");
  });

  it("waits the poll interval, or the server's longer fetchInterval", async () => {
    const times: number[] = [];
    const { base } = await serve((_req, res, n) => {
      times.push(Date.now());
      res.end(batch(n, [String(n)], { fetchInterval: "120" }));
    });
    await take(createPollingTransport({ baseUrl: base, intervalMs: 20 }).connect({ session }), 4);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(110);
    times.length = 0;
    await take(
      createPollingTransport({ baseUrl: base, intervalMs: 20, honorServerInterval: false }).connect({
        session,
      }),
      4,
    );
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeLessThan(110);
  });

  it("backs off on 429 with Retry-After and on 5xx, then carries on", async () => {
    const times: number[] = [];
    const { base } = await serve((_req, res, n) => {
      times.push(Date.now());
      if (n === 1) {
        res.writeHead(429, { "retry-after": "1" });
        res.end("slow down");
      } else if (n === 2) {
        res.writeHead(503);
        res.end();
      } else res.end(batch(n, [String(n)]));
    });
    const events = await take(
      createPollingTransport({ baseUrl: base, intervalMs: 10 }).connect({ session }),
      2,
    );
    expect(events.map((e) => e.type)).toEqual(["open", "result"]);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it("fails with a typed error after too many errors, or at once when TikTok refuses", async () => {
    const down = await serve((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const failing = createPollingTransport({
      baseUrl: down.base,
      intervalMs: 1,
      maxConsecutiveErrors: 3,
      maxBackoffMs: 5,
    }).connect({ session });
    await expect(take(failing, 10)).rejects.toMatchObject({ code: "service_unavailable", retryable: true });
    expect(down.requests).toHaveLength(3);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const refused = await serve((_req, res) => {
      res.writeHead(403);
      res.end("<html>captcha</html>");
    });
    const blocked = createPollingTransport({ baseUrl: refused.base }).connect({ session });
    const error = await take(blocked, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikLiveError);
    expect(error).toMatchObject({ code: "blocked", retryable: false, details: { status: 403 } });
    // Refused at once: a block is not retried.
    expect(refused.requests).toHaveLength(1);
  });

  it("a corrupt response is a frameError and polling goes on", async () => {
    const { base } = await serve((_req, res, n) =>
      res.end(n === 1 ? Buffer.from([0x0f, 0xff]) : batch(n, [String(n)])),
    );
    const events = await take(
      createPollingTransport({ baseUrl: base, intervalMs: 5 }).connect({ session }),
      3,
    );
    expect(events.map((e) => (e.type === "frameError" ? `frameError:${e.error.code}` : e.type))).toEqual([
      "open",
      "frameError:malformed_frame",
      "result",
    ]);
  });

  it("aborting ends the iteration and stops polling", async () => {
    const { base, requests } = await serve((_req, res, n) => res.end(batch(n, [String(n)])));
    const controller = new AbortController();
    const conn = createPollingTransport({ baseUrl: base, intervalMs: 5 }).connect({
      session,
      signal: controller.signal,
    });
    const seen: string[] = [];
    for await (const e of conn) {
      seen.push(e.type);
      if (seen.length === 3) controller.abort();
    }
    await conn.close();
    const count = requests.length;
    await settle(40);
    expect(requests.length).toBe(count);
    expect(seen.slice(0, 3)).toEqual(["open", "result", "result"]);
  });

  it("an oversize response is a payload_too_large frameError, its connection closed, and polling goes on", async () => {
    let closed = 0;
    const { base, requests } = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { "content-type": "application/protobuf" });
        // An endless body: only the client can end this response.
        const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 1);
        res.on("close", () => {
          clearInterval(timer);
          closed += 1;
        });
        return;
      }
      res.end(batch(n, [String(n)]));
    });
    const events = await take(
      createPollingTransport({
        baseUrl: base,
        intervalMs: 5,
        limits: { maxFrameBytes: 32 * 1024, maxInflatedBytes: 64 * 1024 },
      }).connect({ session }),
      3,
    );
    expect(events.map((e) => (e.type === "frameError" ? `frameError:${e.error.code}` : e.type))).toEqual([
      "open",
      "frameError:payload_too_large",
      "result",
    ]);
    const tooLarge = events[1];
    expect(tooLarge?.type === "frameError" && tooLarge.error.details).toMatchObject({
      maxBytes: 64 * 1024,
      status: 200,
    });
    expect(closed).toBe(1);
    expect(requests.length).toBeGreaterThanOrEqual(2);
  });

  it("validates its options", () => {
    expect(() => createPollingTransport({ baseUrl: "ftp://x" })).toThrow(/http/);
    expect(() => createPollingTransport({ intervalMs: 0 })).toThrow(/intervalMs/);
    for (const [options, name] of [
      [{ intervalMs: 3e9 }, "intervalMs"],
      [{ timeoutMs: 1.5 }, "timeoutMs"],
      [{ maxBackoffMs: 2 ** 31 }, "maxBackoffMs"],
      [{ maxConsecutiveErrors: 1.5 }, "maxConsecutiveErrors"],
      [{ limits: { maxFrameBytes: 1024.5 } }, "limits.maxFrameBytes"],
      [{ limits: { maxInflatedBytes: 0 } }, "limits.maxInflatedBytes"],
    ] as const) {
      let error: unknown;
      try {
        createPollingTransport(options);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(TikLiveError);
      expect(error).toMatchObject({ code: "invalid_input", details: { option: name } });
      expect((error as Error).message).toContain(`\`${name}\``);
    }
  });
});

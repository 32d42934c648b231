// The demo server end to end, without a browser: its routes, the event stream a page reads, the
// simulator's streams one after the other, and watching a "TikTok" user (a second simulator with
// an API key standing in for TikTok and the sign server).
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { type Simulator, startSimulator } from "@tiklive/simulator";
import { until } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";
import type { DashboardDelta, DashboardSnapshot, DashboardStats } from "./dashboard-state.js";
import { type Demo, resolveDemoOptions, startDemo } from "./server.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

async function demoOf(options: Parameters<typeof startDemo>[0]): Promise<Demo> {
  const demo = await startDemo({ port: 0, log: () => {}, ...options });
  open.push(demo);
  return demo;
}

type ServerEvent = { event: "snapshot"; data: DashboardSnapshot } | { event: "batch"; data: DashboardDelta };

/** Reads the page's event stream. */
async function* events(url: string, signal: AbortSignal): AsyncGenerator<ServerEvent> {
  const res = await fetch(new URL("/events", url), { signal });
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) yield { event, data: JSON.parse(data) } as ServerEvent;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function rawGet(
  port: number,
  path: string,
  host: string,
  method = "GET",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Diamonds of every finished streak and single gift in a simulator room's script. */
function scriptedDiamonds(sim: Simulator): number {
  let total = 0;
  for (const entry of sim.room("sim_streamer").scenario()) {
    const f = entry.fields;
    if (entry.method === "WebcastGiftMessage" && (f["repeatEnd"] === 1 || f["giftType"] === 2))
      total += Number(f["repeatCount"]) * Number(f["diamondCount"]);
  }
  return total;
}

describe("demo server", () => {
  it("serves the dashboard, its assets and stats with a strict CSP, and nothing else", async () => {
    const demo = await demoOf({ simulator: { rate: 50 } });
    expect(demo.url).toBe(`http://127.0.0.1:${demo.port}/`);
    const page = await fetch(demo.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).toContain('<script src="/app.js" defer></script>');
    for (const [path, type] of [
      ["/app.js", "text/javascript; charset=utf-8"],
      ["/style.css", "text/css; charset=utf-8"],
      ["/favicon.svg", "image/svg+xml"],
    ]) {
      const res = await fetch(new URL(path as string, demo.url));
      expect([path, res.status, res.headers.get("content-type")]).toEqual([path, 200, type]);
    }
    const stats = (await (await fetch(new URL("/api/stats", demo.url))).json()) as DashboardStats & {
      pages: number;
    };
    expect(stats.connection.mode).toBe("simulator");
    for (const path of [
      "/nope",
      "/../package.json",
      "/%2e%2e/package.json",
      "/src/server.ts",
      "/public/app.js",
    ]) {
      expect([path, (await rawGet(demo.port, path, `127.0.0.1:${demo.port}`)).status]).toEqual([path, 404]);
    }
    // Another origin rebinding its DNS to 127.0.0.1 still sends its own Host.
    expect((await rawGet(demo.port, "/api/stats", "attacker.example")).status).toBe(421);
    expect((await rawGet(demo.port, "/", `localhost:${demo.port}`)).status).toBe(200);
    expect((await rawGet(demo.port, "/api/stats", `127.0.0.1:${demo.port}`, "POST")).status).toBe(405);
  });

  it("streams a snapshot, then coalesced batches (about 10 a second) at 400 messages a second", async () => {
    const demo = await demoOf({ simulator: { rate: 400, length: 20_000 } });
    const stop = new AbortController();
    const seen: ServerEvent[] = [];
    let chats = 0;
    let firstBatchAt = 0;
    for await (const event of events(demo.url, stop.signal)) {
      seen.push(event);
      if (event.event === "batch") {
        firstBatchAt ||= Date.now();
        chats += event.data.chat?.length ?? 0;
        if (Date.now() - firstBatchAt >= 1500) break;
      }
    }
    stop.abort();
    expect(seen[0]?.event).toBe("snapshot");
    const batches = seen.filter((e) => e.event === "batch");
    expect(batches.length).toBeGreaterThanOrEqual(8);
    expect(batches.length).toBeLessThanOrEqual(22); // ~1.5 s of 100 ms batches, not one per message
    expect(chats).toBeGreaterThan(100);
    const seqs = batches.map((b) => b.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("counts every finished streak once, then starts a fresh stream when one ends", async () => {
    const demo = await demoOf({ simulator: { rate: 500, length: 1200, seed: 5, restartDelayMs: 1500 } });
    const sim = await until(() => demo.simulator, { timeoutMs: 5000, what: "the simulator" });
    // The streamEnd event comes first, the disconnect (status "ended") right after it.
    const stats = await until(
      () => {
        const now = demo.stats();
        return now.stream.ended && now.connection.status === "ended" ? now : undefined;
      },
      { timeoutMs: 15_000, what: "the end of stream 1" },
    );
    expect(stats.stream.number).toBe(1);
    expect(stats.connection.status).toBe("ended");
    const expected = scriptedDiamonds(sim);
    expect(expected).toBeGreaterThan(0);
    expect(stats.giftCompleted.diamonds).toBe(expected);
    expect(stats.counters.diamonds).toBe(expected);
    expect(stats.gifterDiamonds).toBe(expected);
    expect(stats.viewerPoints).toBeGreaterThanOrEqual(2);

    // A page that is open when the next stream starts gets a snapshot of it.
    const stop = new AbortController();
    let next: DashboardSnapshot | undefined;
    for await (const event of events(demo.url, stop.signal)) {
      if (event.event === "snapshot" && event.data.stream.number === 2) {
        next = event.data;
        break;
      }
    }
    stop.abort();
    expect(next?.stream.ended).toBe(false);
    expect(next?.counters.diamonds).toBeLessThan(expected);
    await until(() => demo.stats().connection.status === "connected", {
      timeoutMs: 5000,
      what: "stream 2 to connect",
    });
    expect(demo.simulator).not.toBe(sim);
  }, 30_000);

  it("watches a user through a sign server with an API key, and never shows the key", async () => {
    const key = "tk_live_sekret_0123456789";
    const tiktok = await startSimulator({ rate: 300, length: 100_000, apiKey: key });
    open.push(tiktok);
    const lines: string[] = [];
    const demo = await demoOf({
      user: "@sim_streamer",
      signApiKey: key,
      signServerUrl: tiktok.signUrl,
      webUrl: tiktok.webUrl,
      log: (line) => lines.push(line),
    });
    expect(demo.mode).toBe("tiktok");
    expect(demo.simulator).toBeUndefined();
    await until(() => demo.stats().counters.chats > 20, { timeoutMs: 10_000, what: "chat" });
    const stats = demo.stats();
    expect(stats.connection).toMatchObject({ mode: "tiktok", status: "connected", transport: "websocket" });
    expect(stats.stream.uniqueId).toBe("sim_streamer");
    const snapshot = await (await fetch(new URL("/api/snapshot", demo.url))).text();
    expect(snapshot).toContain("sim_streamer");
    expect(snapshot).not.toContain(key);
    expect(JSON.stringify(stats)).not.toContain(key);
    expect(lines.join("\n")).not.toContain(key);
    // Real pictures are passed on when watching TikTok.
    expect((JSON.parse(snapshot) as DashboardSnapshot).images).toBe(true);
  });

  it("stops, with the reason on the dashboard, when the API key is refused", async () => {
    const tiktok = await startSimulator({ apiKey: "the-right-key" });
    open.push(tiktok);
    const lines: string[] = [];
    const demo = await demoOf({
      user: "sim_streamer",
      signApiKey: "wrong-key-42",
      signServerUrl: tiktok.signUrl,
      webUrl: tiktok.webUrl,
      log: (line) => lines.push(line),
    });
    const stats = await until(() => (demo.stats().connection.status === "error" ? demo.stats() : undefined), {
      timeoutMs: 10_000,
      what: "the error",
    });
    expect(stats.connection.lastError?.code).toBe("sign_unauthorized");
    expect(stats.connection.detail).toContain("not retrying");
    expect(JSON.stringify(stats) + lines.join("\n")).not.toContain("wrong-key-42");
  });

  it("falls back to a free port when the default one is taken, and says so when a chosen one is", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    open.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
    const taken = (blocker.address() as { port: number }).port;
    const demo = await demoOf({ port: taken, portFallback: true, simulator: { rate: 10 } });
    expect(demo.port).not.toBe(taken);
    await expect(startDemo({ port: taken, log: () => {} })).rejects.toMatchObject({
      code: "network_error",
      message: expect.stringContaining("in use"),
    });
  });

  it("validates its options once", () => {
    expect(() => resolveDemoOptions({ user: "not a user!" })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
    expect(() => resolveDemoOptions({ signApiKey: "k" })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
    expect(() => resolveDemoOptions({ port: 70_000 })).toThrow(
      expect.objectContaining({ code: "invalid_input" }),
    );
    expect(resolveDemoOptions({}).portFallback).toBe(true);
    expect(resolveDemoOptions({ port: 5555 }).portFallback).toBe(false);
    expect(resolveDemoOptions({ user: "https://www.tiktok.com/@Some.One/live" }).target).toMatchObject({
      kind: "tiktok",
      uniqueId: "some.one",
    });
  });
});

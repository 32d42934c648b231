import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect as netConnect, type Socket } from "node:net";
import type { Signer } from "@tiklive/core";
import { createEulerSigner } from "@tiklive/signer";
import { type Simulator, startSimulator } from "@tiklive/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { type DisconnectedEvent, TikLiveError, TikTokLiveClient } from "./index.js";

let sim: Simulator | undefined;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await sim?.close();
  sim = undefined;
});

function client(
  s: Simulator,
  name: string,
  options: ConstructorParameters<typeof TikTokLiveClient>[1] = {},
): TikTokLiveClient {
  const c = new TikTokLiveClient(name, {
    signServerUrl: s.signUrl,
    webUrl: s.webUrl,
    logger: false,
    ...options,
  });
  cleanup.push(() => c.disconnect());
  return c;
}

describe("sendMessage", () => {
  it("posts through the signer's chat route with the session, and the message comes back in the stream", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "chatty" }], rate: 20, length: 10_000 }));
    const session = "sessionid-abcdef-0123456789";
    const c = client(s, "chatty", { sessionId: session, forwardSessionToSigner: true });
    const mine = new Promise<string>((resolve) =>
      c.on("chat", (e) => (e.comment === "hello from tiklive" ? resolve(e.comment) : undefined)),
    );
    await c.connect();
    await c.sendMessage("hello from tiklive");
    expect(await mine).toBe("hello from tiklive");
    const signs = JSON.stringify(s.signRequests());
    expect(signs).not.toContain(session);
  });

  it("typed errors: no session, a signer not allowed to forward it, an empty message", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "chatty" }] }));
    await expect(client(s, "chatty").sendMessage("hi")).rejects.toMatchObject({ code: "session_required" });
    await expect(
      client(s, "chatty", { sessionId: "sessionid-abcdef-0123456789" }).sendMessage("hi"),
    ).rejects.toMatchObject({ code: "feature_disabled" });
    await expect(
      client(s, "chatty", { sessionId: "sessionid-abcdef-0123456789" }).sendMessage(" "),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("switchRoom", () => {
  it("enters another room on the open socket; its events follow", async () => {
    const s = (sim = await startSimulator({
      rooms: [{ uniqueId: "room_a" }, { uniqueId: "room_b" }],
      rate: 100,
      length: 10_000,
      startMode: "immediate",
    }));
    const c = client(s, "room_a");
    await c.connect();
    const roomB = s.room("room_b").roomId;
    const fromB = new Promise<string>((resolve) =>
      c.on("roomUser", (e) => (e.roomId === roomB ? resolve(e.roomId) : undefined)),
    );
    const state = await c.switchRoom("room_b");
    expect(state.roomId).toBe(roomB);
    expect(await fromB).toBe(roomB);
    const ws = s.connections().find((r) => r.kind === "ws");
    expect(ws?.enterRoom.map((e) => e.roomId)).toEqual([s.room("room_a").roomId, roomB]);
  });
});

describe("proxy", () => {
  it("sends every HTTP request and the WebSocket through one http proxy (CONNECT tunnels)", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "proxied" }], rate: 400, length: 80 }));
    const tunnels: string[] = [];
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((req, res) => {
      // Absolute-form requests (a proxy that does not tunnel plain http).
      const target = new URL(req.url ?? "");
      tunnels.push(`GET ${target.host}`);
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on("connect", (req, client, head) => {
      tunnels.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? "").split(":");
      const upstream = netConnect(Number(port), host ?? "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const sock of [client as Socket, upstream]) {
        sockets.add(sock);
        sock.on("close", () => sockets.delete(sock));
        sock.on("error", () => {});
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    cleanup.push(async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });
    const c = client(s, "proxied", { proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    const ended = new Promise((resolve) => c.once("disconnected", resolve));
    const state = await c.connect();
    await ended;
    expect(state.transport).toBe("websocket");
    const target = new URL(s.webUrl).host;
    // The web lookups, the sign request and the push socket all went through the proxy.
    expect(tunnels.length).toBeGreaterThanOrEqual(2);
    expect(tunnels.every((t) => t.endsWith(target))).toBe(true);
    expect(s.webRequests().length).toBeGreaterThan(0);
  });
});

describe("state, lookups and errors", () => {
  it("isLive says live / offline, and lookupRoom knows where the id came from", async () => {
    const s = (sim = await startSimulator({
      rooms: [{ uniqueId: "on_air" }, { uniqueId: "off_air", live: false }],
    }));
    expect(await client(s, "on_air").isLive()).toBe("live");
    expect(await client(s, "off_air").isLive()).toBe("offline");
    expect(await client(s, "on_air").lookupRoom()).toMatchObject({
      roomId: s.room("on_air").roomId,
      source: "html",
      live: "live",
    });
  });

  it("falls back to the signer's room route when TikTok's pages and API fail", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "on_air" }] }));
    // A web base where nothing answers: only the signer (the simulator's Euler routes) can say.
    const c = client(s, "on_air", { webUrl: "http://127.0.0.1:9/" });
    expect(await c.lookupRoom()).toMatchObject({
      roomId: s.room("on_air").roomId,
      source: "signer",
      live: "live",
    });
  });

  it("with no error listener, errors go to the logger instead of vanishing", async () => {
    const s = (sim = await startSimulator({
      rooms: [{ uniqueId: "on_air" }],
      rate: 200,
      length: 10_000,
      faults: ["drop@after=5,once"],
    }));
    const logged: string[] = [];
    const c = client(s, "on_air", {
      logger: { error: (m) => logged.push(m) },
      reconnect: { initialDelayMs: 10 },
    });
    const back = new Promise((resolve) => c.on("connected", (e) => (e.reconnected ? resolve(e) : undefined)));
    await c.connect();
    await back;
    expect(logged.some((m) => m.startsWith("connection_closed"))).toBe(true);
  });

  it("await using disconnects at the end of the scope", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "on_air" }], rate: 20, length: 10_000 }));
    let state: string | undefined;
    {
      await using c = new TikTokLiveClient("on_air", {
        signServerUrl: s.signUrl,
        webUrl: s.webUrl,
        logger: false,
      });
      await c.connect();
      state = c.getState().status;
      cleanup.push(async () => expect(c.getState().status).toBe("disconnected"));
    }
    expect(state).toBe("connected");
    expect(s.connections().filter((r) => r.state === "open")).toEqual([]);
  });
});

describe("a non-retryable failure while reconnecting", () => {
  it("is reported once: one error event, then disconnected with it", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "on_air" }], rate: 200, length: 10_000 }));
    const real = createEulerSigner({ baseUrl: s.signUrl });
    let signs = 0;
    // The first sign works; then the key is revoked.
    const signer = {
      name: "revoked-later",
      sign: (request: Parameters<typeof real.sign>[0]) =>
        ++signs === 1
          ? real.sign(request)
          : Promise.reject(
              new TikLiveError("sign_unauthorized", "the API key was revoked", { retryable: false }),
            ),
    } satisfies Signer;
    const c = client(s, "on_air", { signer, reconnect: { initialDelayMs: 10 } });
    const errors: string[] = [];
    c.on("error", (e) => errors.push(e.error.code));
    const done = new Promise<DisconnectedEvent>((resolve) => c.on("disconnected", resolve));
    await c.connect();
    s.addFault("drop@once");
    const disconnected = await done;
    expect(disconnected.reason).toBe("error");
    expect(disconnected.error?.code).toBe("sign_unauthorized");
    expect(errors).toEqual(["connection_closed", "sign_unauthorized"]);
  });
});

describe("decode-on-demand follows the listeners", () => {
  it("a listener added while streaming starts receiving its events; one removed stops them", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "on_air" }], rate: 300, length: 10_000 }));
    const c = client(s, "on_air");
    c.on("chat", () => {});
    await c.connect();
    const firstGift = new Promise((resolve) => {
      const off = c.on("gift", (e) => {
        off();
        resolve(e.giftName);
      });
    });
    expect(typeof (await firstGift)).toBe("string");
    expect(c.listenerCount("gift")).toBe(0);
  });
});

describe("one message, one event", () => {
  it("a subscription is one event: in events(), and once for a subscribe and once for a subNotify listener", async () => {
    const s = (sim = await startSimulator({ rooms: [{ uniqueId: "subs" }], rate: 300, length: 200 }));
    const subs = s
      .room("subs")
      .scenario()
      .filter((m) => m.method === "WebcastSubNotifyMessage").length;
    expect(subs).toBeGreaterThan(0);
    const c = client(s, "subs");
    const bySubscribe: unknown[] = [];
    const bySubNotify: unknown[] = [];
    const bySocial: string[] = [];
    c.on("subscribe", (e) => bySubscribe.push(e));
    c.on("subNotify", (e) => bySubNotify.push(e));
    c.on("social", (e) => bySocial.push(e.type));
    const all: { type: string; msgId?: string }[] = [];
    const iterator = c.events({ signal: AbortSignal.timeout(15_000) });
    const social = c.events({ only: ["social"], signal: AbortSignal.timeout(15_000) });
    await c.connect();
    for await (const e of iterator) all.push(e as { type: string; msgId?: string });
    const fromSocialIterator: string[] = [];
    for await (const e of social) fromSocialIterator.push(e.type);
    expect(all.filter((e) => e.type === "subscribe")).toHaveLength(subs);
    expect(all.some((e) => e.type === "subNotify")).toBe(false);
    expect(bySubscribe).toHaveLength(subs);
    expect(bySubNotify).toEqual(bySubscribe);
    // A category hears its members: follows and shares reach social listeners, as one event each.
    const follows = all.filter(
      (e) => e.type === "follow" || e.type === "share" || e.type === "social",
    ).length;
    expect(bySocial).toHaveLength(follows);
    expect(fromSocialIterator).toEqual(bySocial);
    // No message became two events.
    const ids = all.filter((e) => e.msgId !== undefined && "raw" in e).map((e) => e.msgId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

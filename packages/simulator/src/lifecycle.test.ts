import { decodePushFrame } from "@tiklive/core";
import { until } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect, ids, sign } from "./test-helpers.js";

const started: Simulator[] = [];
async function start(...args: Parameters<typeof startSimulator>): Promise<Simulator> {
  const sim = await startSimulator(...args);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

const watched = new Set(["TCPServerWrap", "TCPSocketWrap", "Timeout", "TLSWrap"]);
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo())
    if (watched.has(type)) out[type] = (out[type] ?? 0) + 1;
  return out;
}

describe("lifecycle", () => {
  it("close() ends every socket, server and timer, and is idempotent", async () => {
    const before = handles();
    const sim = await startSimulator({ rate: 20, length: 1000, faults: ["stall=60000@after=3,conn=1"] });
    const { client } = await connect(sim, sim.room("sim_streamer").roomId);
    await client.until(() => client.messages.length >= 3);
    const { client: other } = await connect(sim, sim.room("sim_gamer").roomId);
    await other.opened;
    const waiting = sim.waitFor(() => false, 60_000).catch((error: unknown) => error);
    await Promise.all([sim.close(), sim.close()]);
    await sim.close();
    expect(await waiting).toMatchObject({ code: "aborted" });
    expect((await client.closed).code).toBe(1006);
    expect((await other.closed).code).toBe(1006);
    await sim.closed;
    // Sockets finish closing on the next turns: wait until no watched handle count exceeds before's.
    const after = await until(
      () => {
        const now = handles();
        return Object.entries(now).every(([type, n]) => n <= (before[type] ?? 0)) ? now : undefined;
      },
      { timeoutMs: 1000, what: `at most ${JSON.stringify(before)} handles` },
    );
    // No server, socket or TLS handle is left; timers may only have gone (the runner's come and go).
    for (const type of ["TCPServerWrap", "TCPSocketWrap", "TLSWrap"])
      expect(after[type] ?? 0, type).toBe(before[type] ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  });

  it("closes by itself when the ttl runs out, and with Symbol.asyncDispose", async () => {
    const sim = await startSimulator({ ttl: 0.2 });
    const t0 = Date.now();
    await sim.closed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await expect(fetch(`${sim.signUrl}/__sim/info`)).rejects.toThrow();
    const disposable = await startSimulator();
    await disposable[Symbol.asyncDispose]();
    await disposable.closed;
  });

  it("runs two simulators in one process independently", async () => {
    const a = await start({ seed: 5, rate: 50 });
    const b = await start({ seed: 5, rate: 50 });
    expect(a.port).not.toBe(b.port);
    expect(a.rooms).toEqual(b.rooms);
    a.addFault("sign-429");
    expect((await sign(a, a.room("sim_streamer").roomId)).status).toBe(429);
    expect((await sign(b, b.room("sim_streamer").roomId)).status).toBe(200);
    // Cookies of one are unknown to the other.
    const signed = await sign(b, b.room("sim_streamer").roomId);
    const { client } = await connect(a, a.room("sim_gamer").roomId).catch(() => ({ client: undefined }));
    expect(client).toBeUndefined();
    const res = await fetch(`${a.webUrl}/webcast/im/fetch/?room_id=${a.room("sim_streamer").roomId}`, {
      headers: { cookie: signed.cookie },
    });
    expect(res.status).toBe(403);
    expect(b.faults()).toEqual([]);
  });

  it("replays byte-identical msg frames for the same seed and startTime", async () => {
    const frames: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await start({
        seed: 99,
        startTime: 1_767_225_600_000,
        rate: 1000,
        length: 80,
        maxBatch: 4,
      });
      const { signed, client } = await connect(sim, sim.room("sim_streamer").roomId);
      await client.closed;
      expect(signed.result?.messages).toHaveLength(6);
      frames.push(
        client.raw
          .map((r) => decodePushFrame(r))
          .filter((f) => f.payloadType === "msg")
          .map((f) => Buffer.from(f.payload).toString("hex")),
      );
      frames.push(
        client.raw
          .filter((r) => decodePushFrame(r).payloadType === "msg")
          .map((r) => Buffer.from(r).toString("hex")),
      );
    }
    expect(frames[0]?.length).toBeGreaterThan(5);
    expect(frames[2]).toEqual(frames[0]);
    expect(frames[3]).toEqual(frames[1]);
  });

  it("starts every room at once with startMode immediate, and only through the API with manual", async () => {
    const immediate = await start({ rate: 500, length: 40, startMode: "immediate" });
    await immediate.waitFor(
      (e) => e.type === "room-ended" && e.roomId === immediate.room("sim_gamer").roomId,
    );
    expect(immediate.room("sim_streamer").snapshot().headSeq).toBeGreaterThan(6);
    const manual = await start({ rate: 500, length: 40, startMode: "manual" });
    await sign(manual, manual.room("sim_streamer").roomId);
    expect(manual.room("sim_streamer").snapshot()).toMatchObject({ state: "idle", headSeq: 0 });
    expect(manual.room("sim_streamer").advance()).toBe(6);
    expect(manual.room("sim_streamer").advance(2)).toBeGreaterThanOrEqual(2);
    expect(manual.room("sim_offline").advance()).toBe(0);
    expect(() => manual.room("nobody")).toThrow(/no room/);
  });

  it("runs N rooms of the load scenario at the given rate", async () => {
    const sim = await start({ scenario: "load", rooms: 4, rate: 400 });
    expect(sim.rooms).toHaveLength(5);
    const clients = await Promise.all(sim.rooms.filter((r) => r.live).map((r) => connect(sim, r.roomId)));
    await Promise.all(clients.map(({ client }) => client.until(() => client.messages.length >= 60)));
    for (const { client } of clients) client.ws.close();
    expect(() => sim.room("sim_streamer").scenario()).toThrow(/endless/);
    expect(sim.room("sim_streamer").scenario(10)).toHaveLength(10);
  });
});

describe("inspection and control endpoints", () => {
  it("serves info, rooms, scenario, published messages, connections and requests as JSON, and advances rooms", async () => {
    const sim = await start({ rate: 1000, length: 30, startMode: "manual" });
    const get = async (path: string) => {
      const res = await fetch(`${sim.webUrl}${path}`);
      expect(res.status, path).toBe(200);
      return res.json() as Promise<unknown>;
    };
    expect(await get("/__sim/info")).toEqual(sim.info);
    const rooms = (await get("/__sim/rooms")) as { uniqueId: string; status: number; state: string }[];
    expect(rooms.map((r) => [r.uniqueId, r.status, r.state])).toEqual([
      ["sim_streamer", 2, "idle"],
      ["sim_gamer", 2, "idle"],
      ["sim_offline", 4, "offline"],
    ]);
    const roomId = sim.room("sim_streamer").roomId;
    const scenario = (await get(`/__sim/rooms/sim_streamer/scenario`)) as {
      msgId: string;
      method: string;
      fields: Record<string, unknown>;
      payloadSize: number;
    }[];
    expect(scenario.map((e) => e.msgId)).toEqual(ids(sim.room(roomId).scenario()));
    expect(scenario[scenario.length - 1]).toMatchObject({
      method: "WebcastControlMessage",
      fields: { action: 3 },
    });
    const advanced = (await (
      await fetch(`${sim.webUrl}/__sim/rooms/${roomId}/advance`, {
        method: "POST",
        body: JSON.stringify({ ticks: 2 }),
      })
    ).json()) as { published: number };
    expect(advanced.published).toBeGreaterThanOrEqual(7);
    const published = (await get(`/__sim/rooms/${roomId}/published`)) as {
      msgId: string;
      injected: boolean;
    }[];
    expect(published.map((p) => p.msgId)).toEqual(scenario.slice(0, published.length).map((e) => e.msgId));
    const { client } = await connect(sim, roomId);
    await sim.waitFor((e) => e.type === "enter");
    const list = (await get("/__sim/connections")) as { id: string; kind: string; frames: number }[];
    expect(list).toEqual([expect.objectContaining({ id: "1", kind: "ws" })]);
    const detail = (await get("/__sim/connections/1")) as {
      enterRoom: unknown[];
      query: Record<string, unknown>;
    };
    expect(detail.enterRoom).toHaveLength(1);
    expect(detail.query.room_id).toBe(roomId);
    expect((await fetch(`${sim.webUrl}/__sim/connections/99`)).status).toBe(404);
    expect((await fetch(`${sim.webUrl}/__sim/rooms/nobody`)).status).toBe(404);
    const signs = (await get("/__sim/sign-requests")) as { route: string; status: number }[];
    expect(signs).toEqual([expect.objectContaining({ route: "connect", status: 200 })]);
    expect(((await get("/__sim/web-requests")) as unknown[]).length).toBe(0);
    const dropped = await fetch(`${sim.webUrl}/__sim/connections/1/drop`, { method: "POST" });
    expect(dropped.status).toBe(200);
    expect((await client.closed).code).toBe(1006);
  });
});

import {
  createEventDecoder,
  decodeMsgFrame,
  decodePushFrame,
  type RawMessage,
  TikLiveError,
} from "@tiklive/core";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect, ids, openPush, type PushClient, poll, sign } from "./test-helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The cursor of the last msg frame a client got. */
function lastCursor(client: PushClient): string {
  const frames = client.frames.filter((f) => f.result !== undefined && f.result.messages.length > 0);
  return frames[frames.length - 1]?.result?.cursor ?? "";
}

/** Reconnects like a client that resumes: sign with the last cursor, open the socket from the new cursor. */
async function resume(s: Simulator, roomId: string, cursor: string): Promise<RawMessage[]> {
  const signed = await sign(s, roomId, { cursor });
  const client = openPush(s, {
    roomId,
    cookie: signed.cookie,
    cursor: signed.result?.cursor ?? "",
    internalExt: signed.result?.internalExt ?? "",
  });
  await client.closed;
  return [...(signed.result?.messages ?? []), ...client.messages];
}

describe("faults on push connections", () => {
  it("drop@after=N destroys the socket (no close frame) after exactly N messages; resuming from the cursor loses nothing", async () => {
    sim = await startSimulator({ rate: 1000, length: 80, faults: ["drop@after=20,once"] });
    const room = sim.room("sim_streamer");
    const { signed, client } = await connect(sim, room.roomId);
    const closed = await client.closed;
    expect(closed.code).toBe(1006);
    expect(client.messages).toHaveLength(20);
    expect(sim.connections()[0]?.close).toMatchObject({ by: "drop", code: 1006 });
    const rest = await resume(sim, room.roomId, lastCursor(client));
    expect(ids([...(signed.result?.messages ?? []), ...client.messages, ...rest])).toEqual(
      ids(room.scenario()),
    );
  });

  it("close=4001@after=10 closes with that code after 10 messages; resuming loses nothing", async () => {
    sim = await startSimulator({
      rate: 1000,
      length: 60,
      faults: ["close=4001@after=10,reason=going away,once"],
    });
    const room = sim.room("sim_streamer");
    const { signed, client } = await connect(sim, room.roomId);
    expect(await client.closed).toEqual({ code: 4001, reason: "going away" });
    expect(client.messages).toHaveLength(10);
    const rest = await resume(sim, room.roomId, lastCursor(client));
    expect(ids([...(signed.result?.messages ?? []), ...client.messages, ...rest])).toEqual(
      ids(room.scenario()),
    );
  });

  it("stall=MS@after=N sends nothing (not even heartbeat replies) for MS ms, then goes on", async () => {
    sim = await startSimulator({ rate: 2000, length: 60, maxBatch: 2, faults: ["stall=400@after=5"] });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    const arrivals: { at: number; count: number; type: string }[] = [];
    client.ws.on("message", () =>
      arrivals.push({
        at: Date.now(),
        count: client.messages.length,
        type: client.frames[client.frames.length - 1]?.frame.payloadType ?? "",
      }),
    );
    await client.until(() => client.messages.length >= 5);
    client.heartbeat(room.roomId, 1);
    await client.closed;
    const fifth = arrivals.find((a) => a.count >= 5);
    const next = arrivals.find((a) => a.count > 5);
    expect(fifth).toBeDefined();
    expect((next?.at ?? 0) - (fifth?.at ?? 0)).toBeGreaterThanOrEqual(350);
    // The heartbeat sent during the stall got no reply.
    expect(client.frames.filter((f) => f.frame.payloadType === "hb")).toHaveLength(0);
    expect(client.messages.length + 6).toBe(room.scenario().length);
  });

  it("corrupt-frame@after=N sends one frame that is not a push frame, and the stream goes on", async () => {
    sim = await startSimulator({ rate: 1000, length: 40, faults: ["corrupt-frame@after=5"] });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await client.closed;
    expect(client.errors).toHaveLength(1);
    expect(TikLiveError.is(client.errors[0], "malformed_frame")).toBe(true);
    expect(client.messages.length + 6).toBe(40);
  });

  it("corrupt-gzip@after=N sends one gzip msg frame that does not inflate", async () => {
    sim = await startSimulator({ rate: 1000, length: 40, faults: ["corrupt-gzip@after=5"] });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await client.closed;
    expect(client.errors).toHaveLength(1);
    expect(TikLiveError.is(client.errors[0], "decompression_failed")).toBe(true);
    const failing = client.raw.filter((r) => {
      try {
        decodeMsgFrame(r);
        return false;
      } catch {
        return true;
      }
    });
    expect(failing).toHaveLength(1);
    const bad = decodePushFrame(failing[0] as Uint8Array);
    expect(bad.payloadType).toBe("msg");
    expect(bad.headers.compress_type).toBe("gzip");
    expect(bad).toBeDefined();
    expect(client.messages.length + 6).toBe(40);
  });

  it.each([
    ["corrupt-gzip@after=5,destroy", "decompression_failed", true],
    ["corrupt-frame@after=5,destroy", "malformed_frame", true],
    ["corrupt-frame@after=5,destroy", "malformed_frame", false],
  ] as const)(
    "%s corrupts the next real batch (gzip %s): its messages are lost and recorded, nothing extra is sent",
    async (spec, code, gzip) => {
      sim = await startSimulator({ rate: 1000, length: 40, faults: [spec] });
      const room = sim.room("sim_streamer");
      const { signed, client } = await connect(sim, room.roomId, { compress: gzip ? "gzip" : "" });
      await client.closed;
      expect(client.errors).toHaveLength(1);
      expect(TikLiveError.is(client.errors[0], code)).toBe(true);
      // The broken frame is a msg frame whose envelope decodes: a real logId and seqId.
      const failing = client.raw.filter((r) => {
        try {
          decodeMsgFrame(r);
          return false;
        } catch {
          return true;
        }
      });
      expect(failing).toHaveLength(1);
      const bad = decodePushFrame(failing[0] as Uint8Array);
      expect(bad.payloadType).toBe("msg");
      const record = sim.connections()[0];
      const destroyed = record?.frames.filter((f) => f.lostMsgIds !== undefined) ?? [];
      expect(destroyed).toHaveLength(1);
      const frame = destroyed[0];
      expect(frame).toMatchObject({ logId: bad.logId, seqId: bad.seqId, fault: spec, needAck: false });
      expect(frame?.lostMsgIds).toEqual(frame?.msgIds);
      expect(frame?.lostMsgIds?.length).toBeGreaterThan(0);
      // No extra frame: every fault-marked frame is the destroyed one.
      expect(record?.frames.filter((f) => f.fault !== undefined)).toHaveLength(1);
      // What the client got and what was destroyed are the scenario, each message once, in order.
      const got = ids([...(signed.result?.messages ?? []), ...client.messages]);
      const lost = new Set(frame?.lostMsgIds);
      expect(got.some((id) => lost.has(id))).toBe(false);
      expect(ids(room.scenario()).filter((id) => !lost.has(id))).toEqual(got);
      // Exactly 5 messages were pushed before the destroyed batch.
      const before = record?.frames.slice(0, record.frames.indexOf(frame as (typeof record.frames)[number]));
      expect(before?.flatMap((f) => f.msgIds)).toHaveLength(5);
      expect(record?.missingAcks).toEqual([]);
    },
  );

  it("a destroy fault without once corrupts one batch on every connection", async () => {
    sim = await startSimulator({ rate: 1000, length: 60, faults: ["corrupt-gzip@after=5,destroy"] });
    const room = sim.room("sim_streamer");
    const first = await connect(sim, room.roomId);
    await first.client.until(() => first.client.errors.length === 1);
    const second = await connect(sim, room.roomId);
    await second.client.until(() => second.client.errors.length === 1);
    first.client.ws.close();
    second.client.ws.close();
    for (const record of sim.connections())
      expect(record.frames.filter((f) => f.lostMsgIds !== undefined)).toHaveLength(1);
  });

  it("unknown-method@after=N adds a message whose method has no schema; bad-payload adds a chat that does not decode", async () => {
    sim = await startSimulator({
      rate: 1000,
      length: 40,
      faults: ["unknown-method@after=5,room=sim_streamer", "bad-payload@after=5,room=sim_gamer"],
    });
    for (const [handle, expected] of [
      ["sim_streamer", "unknownMessage"],
      ["sim_gamer", "decodeError"],
    ] as const) {
      const room = sim.room(handle);
      const { client } = await connect(sim, room.roomId);
      await client.closed;
      const decoder = createEventDecoder({ dedup: false });
      const events = client.frames.flatMap((f) => (f.result === undefined ? [] : decoder.decode(f.result)));
      const odd = events.filter((e) => e.type === "unknownMessage" || e.type === "decodeError");
      expect(odd.map((e) => e.type)).toEqual([expected]);
      if (expected === "decodeError") expect(odd[0]).toMatchObject({ method: "WebcastChatMessage" });
      // The scenario is intact around the extra message.
      const scenarioIds = new Set(room.scenario().map((m) => m.msgId));
      expect(client.messages.filter((m) => scenarioIds.has(m.msgId))).toHaveLength(34);
      expect(client.messages).toHaveLength(35);
    }
  });

  it("no-gzip never gzips, even when the client asks", async () => {
    sim = await startSimulator({ rate: 1000, length: 30, faults: ["no-gzip"] });
    const { client } = await connect(sim, sim.room("sim_streamer").roomId, { compress: "gzip" });
    await client.closed;
    const msg = client.raw.map((r) => decodePushFrame(r)).filter((f) => f.payloadType === "msg");
    expect(msg.length).toBeGreaterThan(0);
    for (const f of msg) {
      expect(f.headers.compress_type).toBe("none");
      expect(f.payload[0]).not.toBe(0x1f);
    }
  });

  it("offline takes a room offline for every lookup and closes its sockets with 1000; removing it brings the room back", async () => {
    sim = await startSimulator({ rate: 50, length: 1000 });
    const gamer = sim.room("sim_gamer");
    const { client: open } = await connect(sim, gamer.roomId);
    await sim.waitFor((e) => e.type === "enter");
    const fault = sim.addFault("offline@room=sim_gamer");
    expect((await open.closed).code).toBe(1000);
    const status = async (roomId: string) =>
      (
        (await (await fetch(`${sim?.webUrl}/webcast/room/info/?room_id=${roomId}`)).json()) as {
          data: { status: number };
        }
      ).data.status;
    expect(await status(gamer.roomId)).toBe(4);
    expect(await status(sim.room("sim_streamer").roomId)).toBe(2);
    const alive = (await (
      await fetch(`${sim.webUrl}/webcast/room/check_alive/?room_ids=${gamer.roomId}`)
    ).json()) as { data: { alive: boolean }[] };
    expect(alive.data[0]?.alive).toBe(false);
    const { client: late } = await connect(sim, gamer.roomId);
    expect((await late.closed).code).toBe(1000);
    expect(sim.removeFault(fault.id)).toBe(true);
    expect(await status(gamer.roomId)).toBe(2);
  });

  it("handshake-reject@status=415,msg=DEVICE_BLOCKED answers the upgrade with HTTP 200 and those headers", async () => {
    sim = await startSimulator({ faults: ["handshake-reject@status=415,msg=DEVICE_BLOCKED,once"] });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await expect(client.opened).rejects.toMatchObject({
      statusCode: 200,
      headers: { "handshake-status": "415", "handshake-msg": "DEVICE_BLOCKED" },
    });
    expect(sim.connections()[0]?.handshake).toEqual({
      status: 200,
      handshakeStatus: 415,
      handshakeMsg: "DEVICE_BLOCKED",
    });
    // once: the next handshake goes through.
    const { client: again } = await connect(sim, room.roomId);
    await again.opened;
    again.ws.close();
  });

  it("scopes faults by conn=<id>, room=<uniqueId> and once", async () => {
    sim = await startSimulator({
      rate: 50,
      length: 1000,
      faults: ["close=4100@conn=2", "close=4200@room=sim_gamer,once"],
    });
    const streamer = sim.room("sim_streamer").roomId;
    const { client: c1 } = await connect(sim, streamer);
    await sim.waitFor((e) => e.type === "enter" && e.connectionId === "1");
    const { client: c2 } = await connect(sim, streamer);
    expect((await c2.closed).code).toBe(4100);
    const { client: c3 } = await connect(sim, sim.room("sim_gamer").roomId);
    expect((await c3.closed).code).toBe(4200);
    const { client: c4 } = await connect(sim, sim.room("sim_gamer").roomId);
    await sim.waitFor((e) => e.type === "enter" && e.connectionId === "4");
    expect(c1.ws.readyState).toBe(c1.ws.OPEN);
    expect(c4.ws.readyState).toBe(c4.ws.OPEN);
    expect(sim.faults().map((f) => [f.text, f.fired, f.spent])).toEqual([
      ["close=4100@conn=2", 1, false],
      ["close=4200@room=sim_gamer,once", 1, true],
    ]);
    c1.ws.close();
    c4.ws.close();
  });

  it("takes faults at run time from POST /__sim/faults and acts on open connections; DELETE removes them", async () => {
    sim = await startSimulator({ rate: 50, length: 1000 });
    const { client } = await connect(sim, sim.room("sim_streamer").roomId);
    await sim.waitFor((e) => e.type === "enter");
    const bad = await fetch(`${sim.webUrl}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ spec: "explode" }),
    });
    expect(bad.status).toBe(400);
    const res = await fetch(`${sim.webUrl}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ spec: "drop" }),
    });
    expect(res.status).toBe(200);
    const [added] = (await res.json()) as { id: string; text: string }[];
    expect(added?.text).toBe("drop");
    expect((await client.closed).code).toBe(1006);
    const listed = (await (await fetch(`${sim.webUrl}/__sim/faults`)).json()) as {
      id: string;
      fired: number;
    }[];
    expect(listed).toEqual([expect.objectContaining({ id: added?.id, fired: 1 })]);
    expect((await fetch(`${sim.webUrl}/__sim/faults/${added?.id}`, { method: "DELETE" })).status).toBe(200);
    expect(sim.faults()).toEqual([]);
    const text = await fetch(`${sim.webUrl}/__sim/faults`, {
      method: "POST",
      body: "sign-429@retry-after=1",
    });
    expect(text.status).toBe(200);
    expect((await sign(sim, sim.room("sim_streamer").roomId)).status).toBe(429);
  });
});

describe("faults on the sign server", () => {
  it("sign-429@retry-after=3,times=2 answers 429 with Retry-After, X-RateLimit-Reset and {message, limit_label} twice, then recovers", async () => {
    sim = await startSimulator({ faults: ["sign-429@retry-after=3,times=2"] });
    const roomId = sim.room("sim_streamer").roomId;
    for (let i = 0; i < 2; i++) {
      const before = Math.floor(Date.now() / 1000);
      const r = await sign(sim, roomId);
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("3");
      const reset = Number(r.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThanOrEqual(before + 3);
      expect(reset).toBeLessThanOrEqual(before + 5);
      const body = JSON.parse(Buffer.from(r.body).toString()) as { message: string; limit_label: string };
      expect(typeof body.message).toBe("string");
      expect(body.limit_label).toBe("minute");
      expect(r.headers.get("x-set-tt-cookie")).toBeNull();
    }
    expect((await sign(sim, roomId)).status).toBe(200);
    expect(sim.signRequests().map((s) => s.status)).toEqual([429, 429, 200]);
  });

  it("sign-stub answers 200 with a fallback stub: no push server, no cursor, no cookies", async () => {
    sim = await startSimulator({ faults: ["sign-stub@room=sim_streamer"] });
    const stub = await sign(sim, sim.room("sim_streamer").roomId);
    expect(stub.status).toBe(200);
    expect(stub.result?.pushServer).toBe("");
    expect(stub.result?.cursor).toBe("");
    expect(stub.result?.internalExt).toBe("");
    expect(stub.result?.messages).toHaveLength(1);
    expect(stub.headers.get("x-set-tt-cookie")).toBeNull();
    const other = await sign(sim, sim.room("sim_gamer").roomId);
    expect(other.result?.pushServer).toBe(sim.pushUrl);
  });
});

describe("faults on polling", () => {
  it("drop, stall, corrupt-frame and unknown-method act on polling sessions", async () => {
    sim = await startSimulator({
      rate: 2000,
      length: 60,
      startMode: "manual",
      faults: [
        "drop@after=10,once",
        "stall=300@after=20,once",
        "corrupt-frame@after=30,once",
        "unknown-method@after=40,once",
      ],
    });
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    room.advance(1000);
    let cursor = signed.result?.cursor ?? "";
    const delivered: RawMessage[] = [...(signed.result?.messages ?? [])];
    const outcomes: string[] = [];
    for (let i = 0; i < 12 && outcomes[outcomes.length - 1] !== "empty"; i++) {
      const started = Date.now();
      try {
        const r = await poll(sim, room.roomId, signed.cookie, cursor, "");
        if (r.result === undefined) throw new Error(`status ${r.status}`);
        if (Date.now() - started >= 250) outcomes.push("stalled");
        delivered.push(...r.result.messages);
        outcomes.push(
          r.result.messages.length === 0
            ? "empty"
            : r.result.messages.some((m) => m.method.includes("Unknown"))
              ? "unknown-method"
              : "ok",
        );
        cursor = r.result.cursor;
      } catch (error) {
        outcomes.push(TikLiveError.is(error, "malformed_frame") ? "corrupt" : "dropped");
      }
    }
    expect(outcomes).toContain("dropped");
    expect(outcomes).toContain("stalled");
    expect(outcomes).toContain("corrupt");
    expect(outcomes).toContain("unknown-method");
    const scenarioIds = new Set(room.scenario().map((m) => m.msgId));
    expect(ids(delivered.filter((m) => scenarioIds.has(m.msgId)))).toEqual(ids(room.scenario()));
  });
});

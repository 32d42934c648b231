import { fromBinary } from "@bufbuild/protobuf";
import { decodePushFrame, encodePushFrame } from "@tiklive/core";
import { isGzip } from "@tiklive/core/internal";
import { WebcastImEnterRoomMessageSchema } from "@tiklive/proto";
import { settle } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { decodeCursor } from "./cursor.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect, ids, openPush, sign } from "./test-helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("push: handshake", () => {
  it("accepts echo-protocol, advertises Handshake-Options and records every query parameter and cookie", async () => {
    sim = await startSimulator({ rate: 100, pingIntervalSeconds: 7 });
    const room = sim.room("sim_streamer");
    const { signed, client } = await connect(sim, room.roomId);
    let handshakeOptions: string | undefined;
    client.ws.once("upgrade", (res) => {
      handshakeOptions = res.headers["handshake-options"] as string | undefined;
    });
    await client.opened;
    expect(client.ws.protocol).toBe("echo-protocol");
    expect(handshakeOptions).toBe("ping-interval=7");
    await sim.waitFor((e) => e.type === "enter");
    const record = sim.connections()[0];
    expect(record?.kind).toBe("ws");
    expect(record?.subprotocol).toBe("echo-protocol");
    expect(record?.query.version_code).toEqual(["180800", "270000"]);
    expect(record?.query.room_id).toBe(room.roomId);
    expect(record?.query.cursor).toBe(signed.result?.cursor);
    expect(record?.query.internal_ext).toBe(signed.result?.internalExt);
    expect(record?.query.compress).toBe("gzip");
    expect(record?.query.wrss).toBe(signed.result?.routeParams.wrss);
    expect(Object.keys(record?.cookies ?? {})).toEqual(["ttwid", "tt_csrf_token", "tt_chain_token"]);
    expect(record?.enterRoom[0]).toMatchObject({
      roomId: room.roomId,
      identity: "audience",
      liveId: "12",
      filterWelcomeMsg: "0",
      known: true,
    });
    client.ws.close();
  });

  it("rejects a socket without the sign cookies the way TikTok does: HTTP 200, empty body, handshake-status/msg", async () => {
    sim = await startSimulator();
    const room = sim.room("sim_streamer");
    const http = await import("node:http");
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = http.get(`${sim?.pushUrl.replace("ws://", "http://")}?room_id=${room.roomId}`, {
          headers: {
            connection: "Upgrade",
            upgrade: "websocket",
            "sec-websocket-version": "13",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          },
        });
        req.on("response", (r) => {
          let body = "";
          r.on("data", (c: Buffer) => (body += c.toString()));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        });
        req.on("upgrade", () => reject(new Error("upgraded")));
        req.on("error", reject);
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers["handshake-status"]).toBe("417");
    expect(res.headers["handshake-msg"]).toBe("illegal secret key");
    expect(res.body).toBe("");
    // With a plain ws client: an unexpected 200.
    const client = openPush(sim, { roomId: room.roomId, cookie: "ttwid=made-up" });
    await expect(client.opened).rejects.toMatchObject({
      statusCode: 200,
      headers: { "handshake-status": "417", "handshake-msg": "illegal secret key" },
    });
    expect(sim.connections().every((c) => c.state === "rejected" && c.handshake.status === 200)).toBe(true);
  });

  it("rejects an unknown room_id even with valid cookies", async () => {
    sim = await startSimulator();
    const signed = await sign(sim, sim.room("sim_streamer").roomId);
    const client = openPush(sim, { roomId: "1234567890123456789", cookie: signed.cookie });
    await expect(client.opened).rejects.toMatchObject({
      statusCode: 200,
      headers: { "handshake-status": "417", "handshake-msg": "illegal room_id" },
    });
  });
});

describe("push: room entry and frames", () => {
  it("answers im_enter_room with im_enter_room_resp and pushes msg frames only after it", async () => {
    // Long enough to still be live however slowly the machine signs and connects.
    sim = await startSimulator({ rate: 500, length: 4_000 });
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    const client = openPush(sim, {
      roomId: room.roomId,
      cookie: signed.cookie,
      cursor: signed.result?.cursor ?? "",
      enter: false,
    });
    await client.opened;
    // Give the stream time to have frames ready: nothing may arrive before room entry.
    await sim.waitFor((e) => e.type === "publish" && e.roomId === room.roomId && e.fromSeq > 6);
    expect(client.frames).toHaveLength(0);
    client.enter(room.roomId);
    await client.until(() => client.frames.length >= 2);
    const first = client.frames[0];
    expect(first?.frame.payloadType).toBe("im_enter_room_resp");
    expect(first?.frame.payloadEncoding).toBe("pb");
    expect(fromBinary(WebcastImEnterRoomMessageSchema, first?.frame.payload ?? new Uint8Array()).roomId).toBe(
      room.roomId,
    );
    expect(client.frames[1]?.frame.payloadType).toBe("msg");
    client.ws.close();
  });

  it("gzips msg frames when asked (compress_type: gzip) and not otherwise; every frame has pb, msg, a unique logId, cursor and internalExt", async () => {
    sim = await startSimulator({ rate: 1000, length: 60, maxBatch: 3 });
    for (const compress of ["gzip", ""] as const) {
      const room = sim.room(compress === "gzip" ? "sim_streamer" : "sim_gamer");
      const { client } = await connect(sim, room.roomId, { compress });
      const closed = await client.closed;
      expect(closed.code).toBe(1000);
      const msgFrames = client.frames.filter((f) => f.frame.payloadType === "msg");
      const rawMsg = client.raw.map((r) => decodePushFrame(r)).filter((f) => f.payloadType === "msg");
      expect(msgFrames.length).toBeGreaterThan(3);
      for (const f of rawMsg) {
        expect(f.payloadEncoding).toBe("pb");
        if (compress === "gzip") {
          expect(f.headers.compress_type).toBe("gzip");
          expect(isGzip(f.payload)).toBe(true);
        } else {
          expect(f.headers.compress_type ?? "none").toBe("none");
          expect(isGzip(f.payload)).toBe(false);
        }
      }
      expect(new Set(msgFrames.map((f) => f.frame.logId)).size).toBe(msgFrames.length);
      for (const f of msgFrames) {
        expect(f.result?.messages.length).toBeGreaterThan(0);
        expect(decodeCursor(f.result?.cursor)).toBeDefined();
        expect(f.result?.internalExt).toContain("next_cursor:");
      }
    }
  });

  it("delivers exactly the scenario (sign backlog + frames), then closes with 1000 after the stream end; the room goes offline", async () => {
    sim = await startSimulator({ rate: 1000, length: 120 });
    const room = sim.room("sim_streamer");
    const { signed, client } = await connect(sim, room.roomId);
    const closed = await client.closed;
    expect(closed.code).toBe(1000);
    const delivered = [...(signed.result?.messages ?? []), ...client.messages];
    expect(ids(delivered)).toEqual(ids(room.scenario()));
    expect(delivered.map((m) => m.method)).toEqual(room.scenario().map((m) => m.method));
    expect(delivered.map((m) => Buffer.from(m.payload).toString("base64"))).toEqual(
      room.scenario().map((m) => Buffer.from(m.payload).toString("base64")),
    );
    expect(delivered[delivered.length - 1]?.method).toBe("WebcastControlMessage");
    expect(room.snapshot()).toMatchObject({ status: 4, state: "ended" });
    const info = (await (await fetch(`${sim.webUrl}/webcast/room/info/?room_id=${room.roomId}`)).json()) as {
      data: { status: number };
    };
    expect(info.data.status).toBe(4);
    expect(sim.connections()[0]?.close).toMatchObject({ code: 1000, by: "server" });
  });

  it("sets needAck on about a third of the frames and checks acks: ok, wrong payload, unknown logId, duplicate, missing", async () => {
    sim = await startSimulator({ rate: 1000, length: 200, maxBatch: 2 });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId, { autoAck: false });
    await client.closed;
    const needing = client.frames.filter((f) => f.result?.needAck === true);
    const total = client.frames.filter((f) => f.result !== undefined).length;
    expect(needing.length).toBeGreaterThan(total / 6);
    expect(needing.length).toBeLessThan(total / 1.5);
    const record = sim.connections()[0];
    expect(record?.missingAcks.sort()).toEqual(needing.map((f) => f.frame.logId).sort());

    // A second client acks: one right, one wrong payload, one unknown logId, one twice.
    const { client: c2 } = await connect(sim, sim.room("sim_gamer").roomId, { autoAck: false });
    await c2.until(() => c2.frames.filter((f) => f.result?.needAck === true).length >= 3);
    const [a, b] = c2.frames.filter((f) => f.result?.needAck === true);
    c2.ack(a?.frame.logId ?? "", a?.result?.internalExt ?? "");
    c2.ack(a?.frame.logId ?? "", a?.result?.internalExt ?? "");
    c2.ack(b?.frame.logId ?? "", "not-the-internal-ext");
    c2.ack("7999999999999999999", "x");
    const c2Id = sim.connections()[1]?.id ?? "";
    await sim.waitFor(() => (sim?.connection(c2Id)?.acks.length ?? 0) >= 4);
    const acks = sim.connection(c2Id)?.acks ?? [];
    expect(acks.map((x) => [x.ok, x.reason])).toEqual([
      [true, undefined],
      [false, "duplicate"],
      [false, "payload-mismatch"],
      [false, "unknown-log-id"],
    ]);
    expect(sim.connection(c2Id)?.missingAcks).toContain(b?.frame.logId);
    expect(sim.connection(c2Id)?.missingAcks).not.toContain(a?.frame.logId);
    c2.ws.close();
  });

  it("counts heartbeats with room id and sequence, answers them with hb frames, and never answers WebSocket pings", async () => {
    sim = await startSimulator({ rate: 5, length: 1000 });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await client.opened;
    await sim.waitFor((e) => e.type === "enter");
    let pongs = 0;
    client.ws.on("pong", () => pongs++);
    client.ws.ping();
    for (let seq = 1; seq <= 3; seq++) client.heartbeat(room.roomId, seq);
    await client.until(() => client.frames.filter((f) => f.frame.payloadType === "hb").length === 3);
    const record = sim.connections()[0];
    expect(record?.heartbeats.map((h) => [h.roomId, h.seqId, h.entered])).toEqual([
      [room.roomId, "1", true],
      [room.roomId, "2", true],
      [room.roomId, "3", true],
    ]);
    expect(record?.pingsReceived).toBe(1);
    expect(pongs).toBe(0);
    client.ws.close();
  });

  it("closes with 1000 payload_handler_hb when a heartbeat precedes room entry", async () => {
    sim = await startSimulator();
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    const client = openPush(sim, { roomId: room.roomId, cookie: signed.cookie, enter: false });
    await client.opened;
    client.heartbeat(room.roomId, 1);
    expect(await client.closed).toEqual({ code: 1000, reason: "payload_handler_hb" });
  });

  it("switches rooms on a second im_enter_room", async () => {
    sim = await startSimulator({ rate: 200, length: 2000 });
    const a = sim.room("sim_streamer");
    const b = sim.room("sim_gamer");
    await sign(sim, b.roomId);
    const { client } = await connect(sim, a.roomId);
    await client.until(() => client.messages.length >= 3);
    const bIds = new Set(b.scenario().map((m) => m.msgId));
    const aIds = new Set(a.scenario().map((m) => m.msgId));
    expect(client.messages.every((m) => aIds.has(m.msgId))).toBe(true);
    client.enter(b.roomId);
    await sim.waitFor((e) => e.type === "enter" && e.roomId === b.roomId);
    const before = client.messages.length;
    await client.until(() => client.messages.slice(before).some((m) => bIds.has(m.msgId)));
    const after = client.messages.slice(before);
    const firstB = after.findIndex((m) => bIds.has(m.msgId));
    // Once switched, only the new room's messages arrive.
    expect(after.slice(firstB).every((m) => bIds.has(m.msgId))).toBe(true);
    expect(sim.connections()[0]?.roomId).toBe(b.roomId);
    expect(client.frames.filter((f) => f.frame.payloadType === "im_enter_room_resp")).toHaveLength(2);
    client.ws.close();
  });

  it("closes with any code through the API and the control endpoint", async () => {
    sim = await startSimulator({ rate: 10, length: 1000 });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await sim.waitFor((e) => e.type === "enter");
    const id = sim.connections()[0]?.id ?? "";
    expect(sim.closeConnection(id, 4555, "max lifetime")).toBe(true);
    expect(await client.closed).toEqual({ code: 4555, reason: "max lifetime" });
    const { client: c2 } = await connect(sim, room.roomId);
    await sim.waitFor((e) => e.type === "enter");
    const id2 = sim.connections()[1]?.id ?? "";
    const res = await fetch(`${sim.webUrl}/__sim/connections/${id2}/close`, {
      method: "POST",
      body: JSON.stringify({ code: 3001, reason: "bye" }),
    });
    expect(res.status).toBe(200);
    expect(await c2.closed).toEqual({ code: 3001, reason: "bye" });
    expect(() => sim?.closeConnection(id2, 1006)).toThrow(/close code/);
  });

  it("resumes from an old cursor without losing a message", async () => {
    sim = await startSimulator({ rate: 1000, length: 100, startMode: "manual" });
    const room = sim.room("sim_streamer");
    room.advance(10_000);
    const signed = await sign(sim, room.roomId, { cursor: room.cursorAt(0) });
    const all = room.scenario();
    // A sign response holds at most maxResultMessages (100): here everything.
    expect(ids(signed.result?.messages ?? [])).toEqual(ids(all));
    // A socket opened with an old cursor gets everything from there.
    const client = openPush(sim, { roomId: room.roomId, cookie: signed.cookie, cursor: room.cursorAt(40) });
    await client.closed;
    expect(ids(client.messages)).toEqual(ids(all.slice(40)));
  });

  it("drops what is older than the retention: a too-old cursor resumes at the oldest kept message and records the gap", async () => {
    sim = await startSimulator({ rate: 1000, length: 50, retentionMs: 0, startMode: "manual" });
    const room = sim.room("sim_streamer");
    room.advance(3);
    await settle(5);
    room.advance(1);
    const first = room.snapshot().firstRetainedSeq;
    expect(first).toBeGreaterThan(0);
    const signed = await sign(sim, room.roomId);
    const client = openPush(sim, { roomId: room.roomId, cookie: signed.cookie, cursor: room.cursorAt(0) });
    await client.until(() => client.messages.length > 0);
    expect(client.messages[0]?.msgId).toBe(room.scenario()[first]?.msgId);
    expect(sim.connections()[0]?.gaps[0]).toMatchObject({ requestedSeq: 0, resumedSeq: first });
    client.ws.close();
  });

  it("ignores a non-push frame and records it; closes 1008 on an unknown room entry", async () => {
    sim = await startSimulator();
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    const client = openPush(sim, { roomId: room.roomId, cookie: signed.cookie, enter: false });
    await client.opened;
    client.ws.send(Buffer.from([0xff, 0xff]));
    client.ws.send(encodePushFrame({ payloadEncoding: "pb", payloadType: "mystery" }));
    client.enter("1234567890123456789");
    expect((await client.closed).code).toBe(1008);
    const record = sim.connections()[0];
    expect(record?.malformedFrames).toBe(1);
    expect(record?.unknownFrames.map((u) => u.payloadType)).toEqual(["mystery"]);
    expect(record?.enterRoom[0]?.known).toBe(false);
  });
});

describe("push: TLS", () => {
  it("serves HTTPS and WSS on one port with cert and key", async () => {
    const { readFile } = await import("node:fs/promises");
    const cert = await readFile(new URL("./__fixtures__/localhost-cert.pem", import.meta.url), "utf8");
    const key = await readFile(new URL("./__fixtures__/localhost-key.pem", import.meta.url), "utf8");
    // Still live when the (slow, TLS) handshakes are done: 1.5 s of stream.
    sim = await startSimulator({ tls: { cert, key }, rate: 1000, length: 1_500 });
    expect(sim.signUrl.startsWith("https://127.0.0.1:")).toBe(true);
    expect(sim.pushUrl.startsWith("wss://127.0.0.1:")).toBe(true);
    const room = sim.room("sim_streamer");
    const https = await import("node:https");
    const { status, headers } = await new Promise<{ status: number; headers: Record<string, unknown> }>(
      (resolve, reject) => {
        https
          .get(`${sim?.signUrl}/webcast/rooms/${room.roomId}/connect`, { ca: cert }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, headers: res.headers });
          })
          .on("error", reject);
      },
    );
    expect(status).toBe(200);
    const cookie = String(headers["x-set-tt-cookie"])
      .split(", ")
      .map((c) => c.split(";")[0])
      .join("; ");
    const client = openPush(sim, { roomId: room.roomId, cookie }, { ca: cert } as WebSocket.ClientOptions);
    await client.closed;
    expect(client.messages.length).toBeGreaterThan(0);
  });
});

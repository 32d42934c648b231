import { fromBinary } from "@bufbuild/protobuf";
import { decodeFetchResult } from "@tiklive/core";
import { WebcastChatMessageSchema } from "@tiklive/proto";
import { afterEach, describe, expect, it } from "vitest";
import { decodeCursor } from "./cursor.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect, ids, sign } from "./test-helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("sign server: /webcast/rooms/{roomId}/connect and /webcast/fetch", () => {
  it("answers a raw protobuf fetch result with push server, cursor, internalExt, route params and the backlog", async () => {
    sim = await startSimulator({ rate: 50 });
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("application/protobuf");
    const r = signed.result;
    expect(r).toBeDefined();
    if (r === undefined) return;
    expect(r.pushServer).toBe(sim.pushUrl);
    expect(r.pushServer.endsWith("/webcast/im/ws_proxy/ws_reuse_supplement/")).toBe(true);
    expect(decodeCursor(r.cursor)).toMatchObject({ roomId: room.roomId, seq: 6 });
    expect(r.internalExt).toContain(`wss_push_room_id:${room.roomId}`);
    expect(Object.keys(r.routeParams).length).toBeGreaterThanOrEqual(3);
    expect(r.isFirst).toBe(true);
    expect(r.needAck).toBe(false);
    expect(r.fetchInterval).toBe("1000");
    expect(Math.abs(Number(r.now) - Date.now())).toBeLessThan(5000);
    // The backlog: the first six scenario messages (the stream started with this request).
    expect(ids(r.messages)).toEqual(ids(room.scenario().slice(0, 6)));
    expect(r.messages.every((m) => m.isHistory)).toBe(true);
    // Headers: several cookies Set-Cookie style, ttwid first; ids for support.
    const setCookie = signed.headers.get("x-set-tt-cookie") ?? "";
    expect(setCookie).toMatch(
      /^ttwid=1%7C[^;,]+; Path=\/; Domain=\.tiktok\.com; Max-Age=\d+; HttpOnly; Secure/,
    );
    expect(setCookie).toContain(", tt_csrf_token=");
    expect(signed.cookie.split("; ").map((c) => c.split("=")[0])).toEqual([
      "ttwid",
      "tt_csrf_token",
      "tt_chain_token",
    ]);
    expect(signed.headers.get("x-room-id")).toBe(room.roomId);
    expect(signed.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(signed.headers.get("x-log-id")).not.toBeNull();
  });

  it("serves the same at GET /webcast/fetch?room_id= and resolves room 0 with unique_id", async () => {
    sim = await startSimulator({ rate: 50 });
    const room = sim.room("sim_gamer");
    const a = await fetch(`${sim.signUrl}/webcast/fetch?room_id=${room.roomId}&client=ttlive-python`);
    expect(a.status).toBe(200);
    expect(decodeFetchResult(new Uint8Array(await a.arrayBuffer())).pushServer).toBe(sim.pushUrl);
    const b = await fetch(`${sim.signUrl}/webcast/rooms/0/connect?unique_id=sim_gamer`);
    expect(b.headers.get("x-room-id")).toBe(room.roomId);
  });

  it("resumes from a cursor: everything after it", async () => {
    sim = await startSimulator({ rate: 2000, length: 60, startMode: "manual" });
    const room = sim.room("sim_streamer");
    room.advance(1000);
    const all = room.scenario();
    const signed = await sign(sim, room.roomId, { cursor: room.cursorAt(10) });
    expect(ids(signed.result?.messages ?? [])).toEqual(ids(all.slice(10)));
    expect(signed.result?.messages.every((m) => !m.isHistory)).toBe(true);
    expect(decodeCursor(signed.result?.cursor)?.seq).toBe(60);
  });

  it("answers an unknown room with 404 JSON", async () => {
    sim = await startSimulator();
    const signed = await sign(sim, "1234567890123456789");
    expect(signed.status).toBe(404);
    const body = JSON.parse(Buffer.from(signed.body).toString("utf8")) as { code: number; message: string };
    expect(body.code).toBe(404);
  });

  it("records sign requests without secrets", async () => {
    sim = await startSimulator({ apiKey: "secret-key-123456" });
    const room = sim.room("sim_streamer");
    await sign(
      sim,
      room.roomId,
      { apiKey: "secret-key-123456" },
      { "x-cookie-header": "sessionid=abcdef123456" },
    );
    const [record] = sim.signRequests();
    expect(record?.route).toBe("connect");
    expect(record?.roomId).toBe(room.roomId);
    expect(record?.query.client).toBe("ttlive-node");
    expect(JSON.stringify(sim.signRequests())).not.toContain("secret-key-123456");
    expect(JSON.stringify(sim.signRequests())).not.toContain("abcdef123456");
  });

  it("records what each sign request was answered: cursor, internalExt, pushServer, routeParams, msgIds", async () => {
    sim = await startSimulator({ rate: 50 });
    const room = sim.room("sim_streamer");
    const first = await sign(sim, room.roomId);
    const again = await sign(sim, room.roomId, { cursor: first.result?.cursor ?? "" });
    sim.addFault("sign-stub@once");
    await sign(sim, room.roomId);
    const [a, b, stub] = sim.signRequests();
    for (const [record, signed] of [
      [a, first],
      [b, again],
    ] as const) {
      const r = signed.result;
      expect(record?.response).toEqual({
        cursor: r?.cursor,
        internalExt: r?.internalExt,
        pushServer: r?.pushServer,
        routeParams: r?.routeParams,
        msgIds: ids(r?.messages ?? []),
      });
    }
    expect(a?.response?.msgIds).toHaveLength(6);
    // Every answer is a new session: new route params (wrss), and its own position.
    expect(b?.response?.routeParams["wrss"]).not.toBe(a?.response?.routeParams["wrss"]);
    expect(stub?.response).toMatchObject({ cursor: "", internalExt: "", pushServer: "", routeParams: {} });
    expect(stub?.response?.msgIds).toHaveLength(1);
  });
});

describe("sign server: API key", () => {
  it("needs the key when configured: 401 without, 403 when wrong, 200 from x-api-key, apiKey or x-jwt-key", async () => {
    const logs: string[] = [];
    sim = await startSimulator({ apiKey: "k-0123456789", logger: (l) => logs.push(l) });
    const roomId = sim.room("sim_streamer").roomId;
    const missing = await sign(sim, roomId);
    expect(missing.status).toBe(401);
    expect(JSON.parse(Buffer.from(missing.body).toString())).toMatchObject({ code: 401 });
    const wrong = await sign(sim, roomId, {}, { "x-api-key": "nope" });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(Buffer.from(wrong.body).toString())).toMatchObject({ code: 403 });
    expect((await sign(sim, roomId, {}, { "x-api-key": "k-0123456789" })).status).toBe(200);
    expect((await sign(sim, roomId, { apiKey: "k-0123456789" })).status).toBe(200);
    expect((await sign(sim, roomId, {}, { "x-jwt-key": "k-0123456789" })).status).toBe(200);
    const rateLimits = await fetch(`${sim.signUrl}/webcast/rate_limits`);
    expect(rateLimits.status).toBe(401);
    expect(logs.join("\n")).not.toContain("k-0123456789");
  });
});

describe("sign server: room id, rate limits, chat", () => {
  it("resolves a uniqueId to its room id on both Euler routes", async () => {
    sim = await startSimulator();
    const live = sim.room("sim_streamer");
    for (const path of ["/webcast/anchors/sim_streamer/room_id", "/webcast/room_id?uniqueId=sim_streamer"]) {
      const res = await fetch(`${sim.signUrl}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        code: 200,
        message: "OK",
        ok: true,
        routes_attempted: ["sigi_state"],
        is_live: true,
        room_id: live.roomId,
        source: "sigi_state",
      });
    }
    const offline = (await (await fetch(`${sim.signUrl}/webcast/room_id?uniqueId=sim_offline`)).json()) as {
      is_live: boolean;
      room_id: string;
    };
    expect(offline).toMatchObject({ is_live: false, room_id: sim.room("sim_offline").roomId });
    const unknown = await fetch(`${sim.signUrl}/webcast/anchors/nobody_here/room_id`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, room_id: null });
  });

  it("reports rate limits per window", async () => {
    sim = await startSimulator();
    await sign(sim, sim.room("sim_streamer").roomId);
    const body = (await (await fetch(`${sim.signUrl}/webcast/rate_limits`)).json()) as Record<
      string,
      { max: number; remaining: number; reset_at: string }
    >;
    for (const w of ["minute", "hour", "day"]) {
      expect(body[w]?.remaining).toBe((body[w]?.max ?? 0) - 1);
      expect(Number.isNaN(Date.parse(body[w]?.reset_at ?? ""))).toBe(false);
    }
    expect(body.load_shedding).toEqual({ at: 0.9, chance: 0 });
  });

  it("sends chat with a session cookie: the message appears in the room's stream", async () => {
    sim = await startSimulator({ rate: 50 });
    const room = sim.room("sim_streamer");
    const { client } = await connect(sim, room.roomId);
    await client.opened;
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${sim?.signUrl}/webcast/rooms/${room.roomId}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    expect((await post({}, { content: "hi" })).status).toBe(401);
    expect((await post({ "x-cookie-header": "tt-target-idc=useast1a" }, { content: "hi" })).status).toBe(401);
    expect(
      (await post({ "x-cookie-header": "sessionid=s3ss10n; tt-target-idc=useast1a" }, { content: "" }))
        .status,
    ).toBe(400);
    const ok = await post(
      { "x-cookie-header": "sessionid=s3ss10n; tt-target-idc=useast1a" },
      { content: "hello from the API 👋" },
    );
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      code: number;
      message: string;
      data: { status_code: number; data: object; extra: { now: number } };
    };
    expect(body).toMatchObject({ code: 200, message: "ok", data: { status_code: 0, data: {} } });
    expect(typeof body.data.extra.now).toBe("number");
    await client.until(() =>
      client.messages.some(
        (m) =>
          m.method === "WebcastChatMessage" &&
          fromBinary(WebcastChatMessageSchema, m.payload).content === "hello from the API 👋",
      ),
    );
    const chat = client.messages
      .map((m) =>
        m.method === "WebcastChatMessage" ? fromBinary(WebcastChatMessageSchema, m.payload) : undefined,
      )
      .find((c) => c?.content === "hello from the API 👋");
    expect(chat?.user?.displayId).toBe("you");
    expect(
      sim
        .room(room.roomId)
        .published()
        .some((p) => p.injected),
    ).toBe(true);
    const missingRoom = await fetch(`${sim.signUrl}/webcast/rooms/1111111111111111111/chat`, {
      method: "POST",
      headers: { "x-cookie-header": "sessionid=x" },
      body: "{}",
    });
    expect(missingRoom.status).toBe(404);
    client.ws.close();
  });
});

import { isGzip } from "@tiklive/core/internal";
import { afterEach, describe, expect, it } from "vitest";
import { decodeCursor } from "./cursor.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { ids, poll, sign } from "./test-helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("polling: GET /webcast/im/fetch/", () => {
  it("advances cursor and internalExt per batch and delivers exactly the scenario", async () => {
    sim = await startSimulator({ rate: 2000, length: 150, maxResultMessages: 40, fetchIntervalMs: 750 });
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    let cursor = signed.result?.cursor ?? "";
    let internalExt = signed.result?.internalExt ?? "";
    const delivered = [...(signed.result?.messages ?? [])];
    const seen: number[] = [];
    await sim.waitFor((e) => e.type === "room-ended");
    for (let i = 0; i < 20 && delivered.length < 150; i++) {
      const { status, result, body } = await poll(sim, room.roomId, signed.cookie, cursor, internalExt);
      expect(status).toBe(200);
      expect(isGzip(body)).toBe(false);
      if (result === undefined) throw new Error("no result");
      expect(result.fetchInterval).toBe("750");
      expect(result.messages.length).toBeLessThanOrEqual(40);
      expect(result.internalExt).not.toBe(internalExt);
      seen.push(decodeCursor(result.cursor)?.seq ?? -1);
      delivered.push(...result.messages);
      cursor = result.cursor;
      internalExt = result.internalExt;
    }
    expect(ids(delivered)).toEqual(ids(room.scenario()));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const session = sim.connections().find((c) => c.kind === "poll");
    expect(session?.polls.length).toBe(seen.length);
    expect(session?.query.room_id).toBe(room.roomId);
    expect(session?.cookies.ttwid).toBeDefined();
    // Polling at the end returns an empty batch with the same cursor.
    const again = await poll(sim, room.roomId, signed.cookie, cursor, internalExt);
    expect(again.result?.messages).toHaveLength(0);
    expect(again.result?.cursor).toBe(cursor);
  });

  it("starts from the backlog without a cursor, and resumes from internal_ext alone", async () => {
    sim = await startSimulator({ rate: 2000, length: 60, startMode: "manual" });
    const room = sim.room("sim_streamer");
    const signed = await sign(sim, room.roomId);
    room.advance(1000);
    const fresh = await poll(sim, room.roomId, signed.cookie, "", "");
    expect(fresh.result?.messages).toHaveLength(6);
    expect(fresh.result?.isFirst).toBe(true);
    const from = await poll(
      sim,
      room.roomId,
      signed.cookie,
      "",
      room.scenario().length > 0 ? `internal_src:dim|next_cursor:${room.cursorAt(50)}` : "",
    );
    expect(ids(from.result?.messages ?? [])).toEqual(ids(room.scenario().slice(50)));
  });

  it("needs the sign cookies: 403 JSON without them, 404 for an unknown room", async () => {
    sim = await startSimulator();
    const room = sim.room("sim_streamer");
    const none = await poll(sim, room.roomId, "", "", "");
    expect(none.status).toBe(403);
    expect(JSON.parse(Buffer.from(none.body).toString())).toMatchObject({ status_code: 403 });
    const forged = await poll(sim, room.roomId, "ttwid=1%7Cforged", "", "");
    expect(forged.status).toBe(403);
    const signed = await sign(sim, room.roomId);
    expect((await poll(sim, "1234567890123456789", signed.cookie, "", "")).status).toBe(404);
  });
});

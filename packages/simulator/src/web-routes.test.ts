import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giftCatalogue } from "./scenario/gifts.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { sign } from "./test-helpers.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ rate: 200 });
});
afterAll(async () => {
  await sim.close();
});

const sigiPattern = /<script id="SIGI_STATE" type="application\/json">(.*?)<\/script>/s;

async function sigi(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.webUrl}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  const match = sigiPattern.exec(await res.text());
  expect(match).not.toBeNull();
  return JSON.parse(match?.[1] ?? "{}") as Record<string, unknown>;
}

interface LiveRoomInfo {
  liveRoomUserInfo: {
    user: { roomId: string; uniqueId: string; status: number };
    liveRoom: { status: number; roomId: string };
  };
}

describe("TikTok web routes", () => {
  it("serves the live page with SIGI_STATE: status 2 live, 4 offline; no LiveRoom for never-live and unknown users", async () => {
    const live = (await sigi("/@sim_streamer/live")).LiveRoom as LiveRoomInfo;
    expect(live.liveRoomUserInfo.user).toMatchObject({
      roomId: sim.room("sim_streamer").roomId,
      uniqueId: "sim_streamer",
      status: 2,
    });
    expect(live.liveRoomUserInfo.liveRoom).toMatchObject({
      status: 2,
      roomId: sim.room("sim_streamer").roomId,
    });
    const offline = (await sigi("/@sim_offline/live")).LiveRoom as LiveRoomInfo;
    expect(offline.liveRoomUserInfo.user.status).toBe(4);
    expect(offline.liveRoomUserInfo.liveRoom.status).toBe(4);
    expect((await sigi("/@Sim_Streamer/live")).LiveRoom).toBeDefined();
    expect((await sigi("/@sim_newbie/live")).LiveRoom).toBeUndefined();
    expect((await sigi("/@nobody_at_all/live")).LiveRoom).toBeUndefined();
  });

  it("answers api-live/user/room with the room, or statusCode 19881007 user_not_found", async () => {
    const ok = (await (
      await fetch(`${sim.webUrl}/api-live/user/room/?aid=1988&uniqueId=sim_gamer&sourceType=54`)
    ).json()) as {
      statusCode: number;
      data: { user: { roomId: string }; liveRoom: { status: number; roomId: string } };
    };
    expect(ok.statusCode).toBe(0);
    expect(ok.data.user.roomId).toBe(sim.room("sim_gamer").roomId);
    expect(ok.data.liveRoom).toMatchObject({ status: 2, roomId: sim.room("sim_gamer").roomId });
    const missing = (await (
      await fetch(`${sim.webUrl}/api-live/user/room/?uniqueId=nobody_at_all&sourceType=54`)
    ).json()) as { statusCode: number; message: string };
    expect(missing).toMatchObject({ statusCode: 19881007, message: "user_not_found" });
  });

  it("answers room/info with status, title, owner, stats and 19-digit ids as full JSON numbers plus _str twins", async () => {
    const room = sim.room("sim_streamer");
    await sign(sim, room.roomId);
    const res = await fetch(`${sim.webUrl}/webcast/room/info/?aid=1988&room_id=${room.roomId}`);
    const text = await res.text();
    expect(text).toContain(`"id":${room.roomId},`);
    const body = JSON.parse(text) as {
      status_code: number;
      data: Record<string, unknown> & { owner: Record<string, unknown>; stats: Record<string, number> };
    };
    expect(body.status_code).toBe(0);
    expect(body.data.status).toBe(2);
    expect(body.data.id_str).toBe(room.roomId);
    expect(body.data.title).toBe("Sim Streamer 🎥 is LIVE");
    expect(body.data.owner).toMatchObject({ display_id: "sim_streamer", nickname: "Sim Streamer 🎥" });
    expect(body.data.owner.id_str).toMatch(/^\d{19}$/);
    expect(typeof body.data.stats.like_count).toBe("number");
    expect(typeof body.data.stats.total_user).toBe("number");
    expect(typeof body.data.user_count).toBe("number");
    expect(typeof body.data.create_time).toBe("number");
    const offline = (await (
      await fetch(`${sim.webUrl}/webcast/room/info/?room_id=${sim.room("sim_offline").roomId}`)
    ).json()) as { data: { status: number } };
    expect(offline.data.status).toBe(4);
    const unknown = (await (await fetch(`${sim.webUrl}/webcast/room/info/?room_id=1`)).json()) as {
      status_code: number;
    };
    expect(unknown.status_code).not.toBe(0);
  });

  it("answers check_alive in request order", async () => {
    const a = sim.room("sim_streamer").roomId;
    const b = sim.room("sim_offline").roomId;
    const body = (await (
      await fetch(`${sim.webUrl}/webcast/room/check_alive/?aid=1988&room_ids=${b},${a},42`)
    ).json()) as { data: { alive: boolean; room_id_str: string }[] };
    expect(body.data.map((d) => [d.room_id_str, d.alive])).toEqual([
      [b, false],
      [a, true],
      ["42", false],
    ]);
  });

  it("lists the gifts the scenarios use, ids as JSON numbers", async () => {
    const body = (await (
      await fetch(`${sim.webUrl}/webcast/gift/list/?room_id=${sim.room("sim_streamer").roomId}`)
    ).json()) as {
      status_code: number;
      data: {
        gifts: {
          id: number;
          name: string;
          diamond_count: number;
          type: number;
          image: { url_list: string[] };
        }[];
      };
    };
    expect(body.status_code).toBe(0);
    expect(body.data.gifts.map((g) => g.id)).toEqual(giftCatalogue.map((g) => g.id));
    const rose = body.data.gifts.find((g) => g.name === "Rose");
    expect(rose).toMatchObject({ id: 5655, diamond_count: 1, type: 1 });
    expect(rose?.image.url_list.length).toBeGreaterThan(0);
  });

  it("records web requests with their query and cookies", async () => {
    await fetch(`${sim.webUrl}/webcast/gift/list/?room_id=1&aid=1988`, {
      headers: { cookie: "tt-target-idc=useast1a; sessionid=topsecret" },
    });
    const record = sim.webRequests().find((r) => r.route === "gift-list" && r.query.room_id === "1");
    expect(record?.cookies["tt-target-idc"]).toBe("useast1a");
    expect(record?.cookies.sessionid).toBe("[redacted]");
  });

  it("answers unknown paths with 404 and wrong methods with 405", async () => {
    expect((await fetch(`${sim.webUrl}/nothing/here`)).status).toBe(404);
    expect((await fetch(`${sim.webUrl}/webcast/gift/list/`, { method: "POST" })).status).toBe(405);
  });
});

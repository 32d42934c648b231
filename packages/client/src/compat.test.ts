import { type Simulator, startSimulator } from "@tiklive/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { WebcastPushConnection } from "./index.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("WebcastPushConnection (tiktok-live-connector 1.x compatible)", () => {
  it("streams the scripted scenario with the 1.x event names and flat data shapes", async () => {
    sim = await startSimulator({
      rooms: [{ uniqueId: "compat_streamer" }],
      rate: 400,
      length: 150,
      fetchIntervalMs: 10,
    });
    const connection = new WebcastPushConnection("compat_streamer", {
      processInitialData: true,
      enableExtendedGiftInfo: true,
      requestPollingIntervalMs: 10,
      signServerUrl: sim.signUrl,
      webUrl: sim.webUrl,
      logger: false,
    });
    const seen: Record<string, Record<string, unknown>[]> = {};
    const record = (name: string) => (data: Record<string, unknown>) => (seen[name] ??= []).push(data);
    for (const name of [
      "chat",
      "gift",
      "member",
      "like",
      "social",
      "follow",
      "share",
      "roomUser",
      "questionNew",
      "linkMicBattle",
      "linkMicArmies",
      "liveIntro",
      "emote",
      "subscribe",
      "envelope",
    ]) {
      connection.on(name, record(name));
    }
    const rawData: string[] = [];
    connection.on("rawData", (method: string, binary: Uint8Array) => {
      expect(binary).toBeInstanceOf(Uint8Array);
      rawData.push(method);
    });
    const ended = new Promise<unknown>((resolve) => connection.on("streamEnd", resolve));
    const disconnected = new Promise<unknown[]>((resolve) =>
      connection.on("disconnected", (...args: unknown[]) => resolve(args)),
    );
    const connectedState = new Promise<unknown>((resolve) => connection.on("connected", resolve));

    const state = await connection.connect();
    expect(state).toMatchObject({
      isConnected: true,
      upgradedToWebsocket: true,
      roomId: sim.room("compat_streamer").roomId,
    });
    expect(Array.isArray(state.availableGifts)).toBe(true);
    expect(await connectedState).toMatchObject({ isConnected: true });
    expect(await ended).toEqual({ action: 3 });
    expect(await disconnected).toEqual([]);
    expect(connection.getState().isConnected).toBe(false);

    const chat = seen["chat"]?.[0];
    expect(chat).toMatchObject({
      comment: expect.any(String),
      userId: expect.stringMatching(/^\d+$/),
      uniqueId: expect.any(String),
      nickname: expect.any(String),
      followRole: expect.any(Number),
      isModerator: expect.any(Boolean),
      isSubscriber: expect.any(Boolean),
      msgId: expect.stringMatching(/^\d{19}$/),
    });
    expect(chat).toHaveProperty("profilePictureUrl");
    expect(chat).toHaveProperty("userBadges");
    expect(chat).toHaveProperty("followInfo.followerCount");
    expect(chat).not.toHaveProperty("user");

    const gifts = seen["gift"] ?? [];
    const gift = gifts.find((g) => g["giftType"] === 1 && g["repeatEnd"] === true);
    expect(gift).toMatchObject({
      giftId: expect.stringMatching(/^\d+$/),
      repeatCount: expect.any(Number),
      repeatEnd: true,
      giftName: expect.any(String),
      diamondCount: expect.any(Number),
      uniqueId: expect.any(String),
    });
    expect(gift?.["gift"]).toMatchObject({ gift_id: gift?.["giftId"], repeat_end: 1, gift_type: 1 });
    expect(gift?.["extendedGiftInfo"]).toMatchObject({ name: gift?.["giftName"] });
    expect(gifts.some((g) => g["repeatEnd"] === false && g["giftType"] === 1)).toBe(true);

    expect(seen["like"]?.[0]).toMatchObject({
      likeCount: expect.any(Number),
      totalLikeCount: expect.any(Number),
      uniqueId: expect.any(String),
    });
    expect(seen["roomUser"]?.[0]).toMatchObject({
      viewerCount: expect.any(Number),
      topViewers: expect.any(Array),
    });
    expect(seen["member"]?.[0]).toMatchObject({ actionId: expect.any(Number), uniqueId: expect.any(String) });
    // 1.x emits `social` for follows and shares as well as `follow` / `share`.
    expect(seen["social"]?.length).toBe((seen["follow"]?.length ?? 0) + (seen["share"]?.length ?? 0));
    expect(seen["follow"]?.[0]).toMatchObject({
      displayType: expect.stringContaining("follow"),
      uniqueId: expect.any(String),
    });
    expect(seen["questionNew"]?.[0]).toMatchObject({
      questionText: expect.any(String),
      uniqueId: expect.any(String),
    });
    expect(seen["linkMicBattle"]?.[0]).toMatchObject({
      battleUsers: expect.arrayContaining([
        expect.objectContaining({
          userId: expect.any(String),
          uniqueId: expect.any(String),
          nickname: expect.any(String),
        }),
      ]),
    });
    const armies = seen["linkMicArmies"]?.[0];
    expect(armies).toMatchObject({ battleStatus: expect.any(Number), battleArmies: expect.any(Array) });
    expect(
      (
        (armies as Record<string, unknown>)["battleArmies"] as {
          hostUserId: string;
          points: number;
          participants: unknown[];
        }[]
      )[0],
    ).toMatchObject({
      hostUserId: expect.any(String),
      points: expect.any(Number),
      participants: expect.any(Array),
    });
    expect(seen["liveIntro"]?.[0]).toMatchObject({
      description: expect.any(String),
      uniqueId: expect.any(String),
    });
    expect(seen["emote"]?.[0]).toMatchObject({ emoteId: expect.any(String), uniqueId: expect.any(String) });
    expect(seen["subscribe"]?.[0]).toMatchObject({
      subMonth: expect.any(Number),
      uniqueId: expect.any(String),
    });
    expect(rawData.length).toBeGreaterThanOrEqual(150);
  });

  it("connect() rejects like 1.x for an offline user; errors reach an error listener", async () => {
    sim = await startSimulator({ rooms: [{ uniqueId: "compat_offline", live: false }] });
    const connection = new WebcastPushConnection("compat_offline", {
      signServerUrl: sim.signUrl,
      webUrl: sim.webUrl,
      logger: false,
    });
    await expect(connection.connect()).rejects.toMatchObject({ code: "user_offline" });
    expect(connection.getState()).toMatchObject({ isConnected: false, upgradedToWebsocket: false });
  });
});

import type { GiftCompletedEvent, GiftEvent, User } from "@tiklive/client";
import { testUser } from "@tiklive/test-support/users";
import { describe, expect, it } from "vitest";
import { type DashboardEvent, DashboardState } from "./dashboard-state.js";

// Events as the client emits them, with the fields the dashboard reads (the protobuf `raw`
// messages are left out: the state never looks at them).
let ids = 7_000_000_000_000_000_000n;
function base(method: string) {
  return {
    msgId: String(++ids),
    roomId: "7300000000000000000",
    createTime: 1_700_000_000_000,
    method,
    isHistory: false,
    displayKey: "",
  };
}

type EventOf<K extends DashboardEvent["type"]> = Extract<DashboardEvent, { type: K }>;

function event<K extends DashboardEvent["type"]>(
  fields: { type: K } & Omit<EventOf<K>, "raw" | "type" | keyof ReturnType<typeof base>>,
): EventOf<K> {
  return { ...base("Webcast"), ...fields } as unknown as EventOf<K>;
}

const alice = testUser("alice", { userId: "101", nickname: "Alice", isModerator: true, gifterLevel: 12 });
const bob = testUser("bob", { userId: "102", nickname: "Bob", isSubscriber: true });

function gift(
  who: User,
  repeatCount: number,
  repeatEnd: boolean,
  groupId = "g1",
  diamondCount = 5,
): GiftEvent {
  return event({
    type: "gift",
    user: who,
    toUser: undefined,
    giftId: "5487",
    giftName: "Finger Heart",
    giftType: 1,
    diamondCount,
    repeatCount,
    repeatEnd,
    isStreaking: !repeatEnd,
    groupId,
    comboCount: repeatCount,
    groupCount: 1,
    giftPictureUrl: "https://p19.example/heart.webp",
    describe: "",
  });
}

function completed(last: GiftEvent, reason: GiftCompletedEvent["reason"] = "repeatEnd"): GiftCompletedEvent {
  return {
    type: "giftCompleted",
    user: last.user,
    giftId: last.giftId,
    giftName: last.giftName,
    diamondCount: last.diamondCount,
    repeatCount: last.repeatCount,
    diamonds: last.repeatCount * last.diamondCount,
    reason,
    groupId: last.groupId,
    eventCount: 3,
    lastGift: last,
  };
}

function newState(options: ConstructorParameters<typeof DashboardState>[2] = {}) {
  let now = 1_700_000_000_000;
  const state = new DashboardState(
    { number: 1, uniqueId: "host", nickname: "Host", title: "", simulated: true },
    { mode: "simulator" },
    { now: () => now, ...options },
  );
  return { state, tick: (ms: number) => (now += ms) };
}

describe("DashboardState", () => {
  it("updates a gift streak in place and counts it once, when giftCompleted arrives", () => {
    const { state } = newState();
    state.takeDelta();
    state.apply(gift(alice, 1, false));
    state.apply(gift(alice, 4, false));
    // One batch carries one row per streak: its latest count.
    let delta = state.takeDelta();
    expect(delta?.gifts).toHaveLength(1);
    expect(delta?.gifts?.[0]).toMatchObject({ count: 4, streaking: true, done: false });
    expect(delta?.counters?.diamonds).toBe(0);

    const last = gift(alice, 9, true);
    state.apply(last);
    state.apply(completed(last));
    delta = state.takeDelta();
    expect(delta?.gifts).toHaveLength(1);
    expect(delta?.gifts?.[0]).toMatchObject({ key: "101:5487:g1", count: 9, done: true, diamonds: 45 });
    expect(delta?.counters).toMatchObject({ diamonds: 45, gifts: 1 });
    expect(delta?.topGifters).toEqual([
      {
        user: expect.objectContaining({ id: "101", nickname: "Alice", mod: true, gifter: 12 }),
        diamonds: 45,
        gifts: 1,
      },
    ]);

    // A late duplicate of a counted streak changes nothing.
    state.apply(gift(alice, 9, true));
    expect(state.takeDelta()?.gifts).toBeUndefined();
    const stats = state.stats();
    expect(stats.giftCompleted).toEqual({ count: 1, diamonds: 45 });
    expect(stats.gifterDiamonds).toBe(45);
    expect(state.snapshot().gifts).toHaveLength(1);
  });

  it("counts streaks that timed out and single gifts, and ranks gifters by diamonds", () => {
    const { state } = newState();
    const a = gift(alice, 3, false, "a");
    state.apply(a);
    state.apply(completed(a, "timeout"));
    const b = gift(bob, 1, false, "b", 100);
    state.apply(completed(b, "single"));
    const stats = state.stats();
    expect(stats.giftCompleted).toEqual({ count: 2, diamonds: 115 });
    expect(stats.topGifters.map((g) => [g.nickname, g.diamonds])).toEqual([
      ["Bob", 100],
      ["Alice", 15],
    ]);
    expect(state.snapshot().gifts.map((row) => row.done)).toEqual([true, true]);
  });

  it("keeps the last 200 chat lines and never sends more in one batch", () => {
    const { state } = newState();
    for (let i = 0; i < 450; i++)
      state.apply(
        event({
          type: "chat",
          user: bob,
          comment: `line ${i}`,
          language: "en",
          emotes: [],
          mentionedUser: undefined,
        }),
      );
    const delta = state.takeDelta();
    expect(delta?.chat).toHaveLength(200);
    expect(delta?.chat?.at(-1)?.text).toBe("line 449");
    expect(state.snapshot().chat).toHaveLength(200);
    expect(state.stats().counters.chats).toBe(450);
  });

  it("passes user text through unchanged (the page escapes it) but clips it and drops non-https pictures", () => {
    const { state } = newState();
    const evil = testUser(`<img src=x onerror=alert(1)>`, {
      userId: "666",
      nickname: `<img src=x onerror=alert(1)>`,
      profilePictureUrl: "javascript:alert(1)",
    });
    state.apply(
      event({
        type: "chat",
        user: evil,
        comment: `<script>alert(1)</script>${"x".repeat(2000)}`,
        language: "en",
        emotes: [],
        mentionedUser: undefined,
      }),
    );
    const line = state.snapshot().chat[0];
    expect(line?.user?.nickname).toBe("<img src=x onerror=alert(1)>");
    expect(line?.user?.avatar).toBeUndefined();
    expect(line?.text.startsWith("<script>alert(1)</script>")).toBe(true);
    expect(line?.text.length).toBeLessThanOrEqual(501);
  });

  it("sends no pictures when images are off (the simulator's CDN URLs lead nowhere)", () => {
    const { state } = newState({ images: false });
    state.apply(gift(alice, 1, false));
    const row = state.snapshot().gifts[0];
    expect(row?.user.avatar).toBeUndefined();
    expect(row?.image).toBeUndefined();
  });

  it("removes deleted chat lines, also from the pending batch", () => {
    const { state } = newState();
    const keep = event({
      type: "chat",
      user: bob,
      comment: "keep",
      language: "en",
      emotes: [],
      mentionedUser: undefined,
    });
    const drop = event({
      type: "chat",
      user: bob,
      comment: "drop",
      language: "en",
      emotes: [],
      mentionedUser: undefined,
    });
    state.apply(keep);
    state.apply(drop);
    state.apply(event({ type: "imDelete", deleteMsgIds: [drop.msgId], deleteUserIds: [] }));
    const delta = state.takeDelta();
    expect(delta?.chat?.map((l) => l.text)).toEqual(["keep"]);
    expect(state.snapshot().chat.map((l) => l.text)).toEqual(["keep"]);
  });

  it("samples viewers once per bucket: the last count of a bucket wins", () => {
    const { state, tick } = newState({ viewerBucketMs: 1000 });
    state.apply(event({ type: "roomUser", viewerCount: 100, totalViewers: 150, topViewers: [] }));
    state.apply(event({ type: "member", user: bob, action: 1, viewerCount: 101, enterType: 0 }));
    tick(1000);
    state.apply(event({ type: "roomUser", viewerCount: 120, totalViewers: 170, topViewers: [] }));
    const snap = state.snapshot();
    expect(snap.viewers.map((p) => p[1])).toEqual([101, 120]);
    expect(snap.counters).toMatchObject({ viewers: 120, peakViewers: 120, totalViewers: 170, joins: 1 });
  });

  it("follows a battle from open through score updates to the result", () => {
    const { state } = newState();
    const users = [
      { userId: "1", uniqueId: "host", nickname: "Host", profilePictureUrl: undefined, roomId: "1" },
      { userId: "2", uniqueId: "rival", nickname: "Rival", profilePictureUrl: undefined, roomId: "2" },
    ];
    state.apply(
      event({ type: "linkMicBattle", battleId: "b1", action: 4, battleUsers: users, battleResults: [] }),
    );
    state.apply(
      event({
        type: "linkMicArmies",
        battleId: "b1",
        battleArmies: [
          { hostUserId: "1", points: 30, participants: [{ userId: "9", nickname: "Fan", score: 30 }] },
          { hostUserId: "2", points: 50, participants: [] },
        ],
        triggerReason: 1,
        giftId: "",
        giftCount: 0,
        totalDiamondCount: 0,
      }),
    );
    expect(state.snapshot().battle).toMatchObject({
      status: "running",
      sides: [{ points: 30, supporters: [{ nickname: "Fan", score: 30 }] }, { points: 50 }],
    });
    state.apply(
      event({ type: "linkMicBattle", battleId: "b1", action: 5, battleUsers: users, battleResults: [] }),
    );
    expect(state.snapshot().battle).toMatchObject({
      status: "finished",
      sides: [{ result: "lose" }, { result: "win" }],
    });
    expect(state.snapshot().activity.map((a) => a.text)).toEqual([
      "Battle started: Host vs Rival",
      "Battle won by Rival with 50 points",
    ]);
  });

  it("asks pages for a fresh snapshot when a new stream starts", () => {
    const { state } = newState();
    state.apply(gift(alice, 1, false));
    expect(state.needsResync).toBe(true);
    state.resynced();
    state.takeDelta();
    state.reset({ number: 2, uniqueId: "host", nickname: "Host", title: "", simulated: true });
    expect(state.needsResync).toBe(true);
    const snap = state.snapshot();
    expect(snap.stream.number).toBe(2);
    expect(snap.gifts).toEqual([]);
    expect(snap.counters.events).toBe(0);
  });

  it("keeps secrets out of the connection's error text", () => {
    const { state } = newState({ redact: (text) => text.split("sekret").join("[redacted]") });
    state.setConnection({
      status: "error",
      lastError: { code: "sign_unauthorized", message: "key sekret refused" },
    });
    expect(JSON.stringify(state.snapshot())).not.toContain("sekret");
    expect(state.connection.lastError?.message).toBe("key [redacted] refused");
  });
});

import { describe, expect, it } from "vitest";
import { createGiftStreakAggregator, type StreakGiftInput } from "./gift-streaks.js";

let seq = 0;
const gift = ({
  userId = "1",
  ...over
}: Partial<Omit<StreakGiftInput, "user">> & { userId?: string }): StreakGiftInput => ({
  msgId: String(++seq),
  user: { userId },
  giftId: "5655",
  groupId: "100",
  giftType: 1,
  repeatCount: 1,
  repeatEnd: false,
  diamondCount: 1,
  ...over,
});

describe("gift streak aggregator", () => {
  it("emits one result per streak when repeatEnd arrives, for interleaved streaks of several users", () => {
    const agg = createGiftStreakAggregator({ timeoutMs: 5000 });
    const out = [];
    // Alice: Rose x1..x3; Bob: Cat Paws x1..x2; Carol: a Universe (not streakable); interleaved.
    out.push(...agg.push(gift({ userId: "alice", repeatCount: 1 }), 0));
    out.push(
      ...agg.push(
        gift({ userId: "bob", giftId: "6912", groupId: "200", repeatCount: 1, diamondCount: 1 }),
        10,
      ),
    );
    out.push(...agg.push(gift({ userId: "alice", repeatCount: 2 }), 20));
    out.push(
      ...agg.push(
        gift({
          userId: "carol",
          giftId: "7168",
          groupId: "0",
          giftType: 2,
          repeatCount: 1,
          diamondCount: 34999,
        }),
        25,
      ),
    );
    out.push(...agg.push(gift({ userId: "bob", giftId: "6912", groupId: "200", repeatCount: 2 }), 30));
    out.push(...agg.push(gift({ userId: "alice", repeatCount: 3 }), 40));
    expect(out.map((r) => [r.last.user.userId, r.reason, r.repeatCount])).toEqual([["carol", "single", 1]]);
    expect(agg.openCount).toBe(2);
    out.push(
      ...agg.push(
        gift({ userId: "bob", giftId: "6912", groupId: "200", repeatCount: 2, repeatEnd: true }),
        50,
      ),
    );
    out.push(...agg.push(gift({ userId: "alice", repeatCount: 3, repeatEnd: true }), 60));
    expect(out.map((r) => [r.last.user.userId, r.reason, r.repeatCount, r.diamonds, r.eventCount])).toEqual([
      ["carol", "single", 1, 34999, 1],
      ["bob", "repeatEnd", 2, 2, 3],
      ["alice", "repeatEnd", 3, 3, 4],
    ]);
    expect(agg.openCount).toBe(0);
    expect(agg.nextDeadline()).toBeUndefined();
  });

  it("a streakable gift sent once (repeatEnd 0 then 1) counts once", () => {
    const agg = createGiftStreakAggregator();
    expect(agg.push(gift({ repeatCount: 1 }), 0)).toEqual([]);
    const [done] = agg.push(gift({ repeatCount: 1, repeatEnd: true }), 100);
    expect(done?.repeatCount).toBe(1);
  });

  it("closes a streak that never sends repeatEnd after the timeout, without touching other users' open streaks", () => {
    const agg = createGiftStreakAggregator({ timeoutMs: 1000 });
    agg.push(gift({ userId: "silent", repeatCount: 1 }), 0);
    agg.push(gift({ userId: "silent", repeatCount: 4 }), 500);
    agg.push(gift({ userId: "busy", groupId: "9", repeatCount: 1 }), 900);
    expect(agg.nextDeadline()).toBe(1500);
    expect(agg.expire(1499)).toEqual([]);
    const expired = agg.expire(1500);
    expect(expired.map((r) => [r.last.user.userId, r.reason, r.repeatCount])).toEqual([
      ["silent", "timeout", 4],
    ]);
    expect(agg.openCount).toBe(1);
    expect(agg.nextDeadline()).toBe(1900);
    agg.push(gift({ userId: "busy", groupId: "9", repeatCount: 7 }), 1800);
    const [busy] = agg.push(gift({ userId: "busy", groupId: "9", repeatCount: 7, repeatEnd: true }), 1850);
    expect([busy?.reason, busy?.repeatCount]).toEqual(["repeatEnd", 7]);
  });

  it("counts only new units when a timed-out streak continues, and ignores a late repeatEnd that adds nothing", () => {
    const agg = createGiftStreakAggregator({ timeoutMs: 1000 });
    agg.push(gift({ repeatCount: 5 }), 0);
    expect(agg.expire(1000).map((r) => r.repeatCount)).toEqual([5]);
    agg.push(gift({ repeatCount: 8 }), 1200);
    const [late] = agg.push(gift({ repeatCount: 8, repeatEnd: true }), 1300);
    expect([late?.repeatCount, late?.reason]).toEqual([3, "repeatEnd"]);
    // The same end event again (a replay with another msgId) adds nothing.
    expect(agg.push(gift({ repeatCount: 8, repeatEnd: true }), 1400)).toEqual([]);
  });

  it("keeps the highest count when events arrive out of order", () => {
    const agg = createGiftStreakAggregator();
    agg.push(gift({ repeatCount: 3 }), 0);
    agg.push(gift({ repeatCount: 2 }), 1);
    const [done] = agg.push(gift({ repeatCount: 2, repeatEnd: true }), 2);
    expect(done?.repeatCount).toBe(3);
  });

  it("without a group id, a new streak of the same gift is a new streak", () => {
    const agg = createGiftStreakAggregator();
    expect(
      agg.push(gift({ groupId: "0", repeatCount: 5, repeatEnd: true }), 0).map((r) => r.repeatCount),
    ).toEqual([5]);
    agg.push(gift({ groupId: "0", repeatCount: 1 }), 10);
    expect(
      agg.push(gift({ groupId: "0", repeatCount: 2, repeatEnd: true }), 20).map((r) => r.repeatCount),
    ).toEqual([2]);
  });

  it("flush closes everything open", () => {
    const agg = createGiftStreakAggregator();
    agg.push(gift({ userId: "a", repeatCount: 2 }), 0);
    agg.push(gift({ userId: "b", repeatCount: 3 }), 0);
    expect(agg.flush(10).map((r) => [r.last.user.userId, r.reason, r.repeatCount])).toEqual([
      ["a", "flush", 2],
      ["b", "flush", 3],
    ]);
    expect(agg.openCount).toBe(0);
  });
});

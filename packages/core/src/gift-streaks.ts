/** What the aggregator needs of a gift event (a subset of `GiftEvent`). */
export interface StreakGiftInput {
  msgId: string;
  /** The sender. */
  user: { userId: string };
  giftId: string;
  /** Streak/combo group id; "0" when absent. */
  groupId: string;
  /** 1 for streakable gifts (docs/protocol.md §9.6). */
  giftType: number;
  /** Units in the current streak so far (cumulative). */
  repeatCount: number;
  /** True on the event that ends the streak. */
  repeatEnd: boolean;
  /** Diamonds per unit. */
  diamondCount: number;
}

/** Why a streak was closed. */
export type StreakEndReason =
  /** TikTok sent the streak's final event (`repeatEnd`). */
  | "repeatEnd"
  /** A gift that cannot streak (type != 1): counted at once. */
  | "single"
  /** No update within the streak timeout and no `repeatEnd`. */
  | "timeout"
  /** Closed by `flush()` (e.g. on disconnect). */
  | "flush";

/**
 * One safe-to-count result per gift send: summing `repeatCount` (or `diamonds`) over
 * these gives the true total, whatever order, interleaving or loss the stream had.
 */
export interface CompletedGift<G extends StreakGiftInput = StreakGiftInput> {
  /** The last gift event of the streak (carries user, gift details, raw message). */
  last: G;
  /** Units counted by this result. Normally the streak's final repeatCount; for a streak that
   * continued after a timeout closed it, only the units not counted before. */
  repeatCount: number;
  /** `repeatCount × diamondCount`. */
  diamonds: number;
  reason: StreakEndReason;
  /** How many gift events the streak had. */
  eventCount: number;
  /** Clock time of the first and last event, in ms (the aggregator's clock). */
  startedAt: number;
  endedAt: number;
}

/** Options of {@link createGiftStreakAggregator}. */
export interface GiftStreakOptions {
  /** A streak with no update for this long is closed with reason "timeout". Default 10 000 ms. */
  timeoutMs?: number;
  /** How many closed streaks are remembered to recognise late events. Default 5 000. */
  rememberClosed?: number;
}

/**
 * Aggregates gift streaks keyed by (user, gift, group). Pure and clock-free: the
 * caller passes the time and schedules `expire()` at `nextDeadline()`.
 */
export interface GiftStreakAggregator<G extends StreakGiftInput = StreakGiftInput> {
  /** Feeds one gift event; returns the results it completes (zero or one). */
  push(gift: G, now: number): CompletedGift<G>[];
  /** Closes every streak idle since `now - timeoutMs`. */
  expire(now: number): CompletedGift<G>[];
  /** When the next open streak times out (ms, the caller's clock), or undefined if none is open. */
  nextDeadline(): number | undefined;
  /** Closes every open streak (reason "flush"). */
  flush(now: number): CompletedGift<G>[];
  /** Number of open streaks. */
  readonly openCount: number;
}

interface OpenStreak<G> {
  last: G;
  /** Highest repeatCount seen in this streak. */
  maxRepeat: number;
  /** Units already reported by earlier results for this key (after a timeout). */
  counted: number;
  eventCount: number;
  startedAt: number;
  updatedAt: number;
}

/** Creates a {@link GiftStreakAggregator}. */
export function createGiftStreakAggregator<G extends StreakGiftInput = StreakGiftInput>(
  options: GiftStreakOptions = {},
): GiftStreakAggregator<G> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rememberClosed = options.rememberClosed ?? 5_000;
  const open = new Map<string, OpenStreak<G>>();
  // Units already counted for keys whose streak was closed, so a late or
  // repeated event is counted only for what it adds.
  const closed = new Map<string, number>();

  const keyOf = (g: G) =>
    `${g.user.userId}:${g.giftId}:${g.groupId === "0" || g.groupId === "" ? "-" : g.groupId}`;

  const remember = (key: string, counted: number) => {
    closed.delete(key);
    closed.set(key, counted);
    if (closed.size > rememberClosed) closed.delete(closed.keys().next().value as string);
  };

  const complete = (
    key: string,
    streak: OpenStreak<G>,
    reason: StreakEndReason,
    now: number,
  ): CompletedGift<G>[] => {
    open.delete(key);
    const total = Math.max(streak.maxRepeat, streak.counted);
    const units = total - streak.counted;
    remember(key, total);
    if (units <= 0) return [];
    return [
      {
        last: streak.last,
        repeatCount: units,
        diamonds: units * streak.last.diamondCount,
        reason,
        eventCount: streak.eventCount,
        startedAt: streak.startedAt,
        endedAt: now,
      },
    ];
  };

  return {
    push(gift, now) {
      if (gift.giftType !== 1) {
        const units = Math.max(gift.repeatCount, 1);
        return [
          {
            last: gift,
            repeatCount: units,
            diamonds: units * gift.diamondCount,
            reason: "single",
            eventCount: 1,
            startedAt: now,
            endedAt: now,
          },
        ];
      }
      const key = keyOf(gift);
      let streak = open.get(key);
      if (streak === undefined) {
        // A key seen before: with a group id it is the same streak (a late or repeated
        // event, or a continuation after a timeout), so only new units count. Without a
        // group id a count that did not grow means a new streak of the same gift.
        const prior = closed.get(key);
        const hasGroup = gift.groupId !== "0" && gift.groupId !== "";
        const counted = prior !== undefined && (hasGroup || gift.repeatCount > prior) ? prior : 0;
        streak = { last: gift, maxRepeat: 0, counted, eventCount: 0, startedAt: now, updatedAt: now };
        open.set(key, streak);
      }
      // Events can arrive out of order: never let an older, smaller count replace a newer one.
      if (gift.repeatCount >= streak.maxRepeat || gift.repeatEnd) streak.last = gift;
      streak.maxRepeat = Math.max(streak.maxRepeat, gift.repeatCount);
      streak.eventCount += 1;
      streak.updatedAt = now;
      return gift.repeatEnd ? complete(key, streak, "repeatEnd", now) : [];
    },
    expire(now) {
      const out: CompletedGift<G>[] = [];
      for (const [key, streak] of open) {
        if (now - streak.updatedAt >= timeoutMs) out.push(...complete(key, streak, "timeout", now));
      }
      return out;
    },
    nextDeadline() {
      let deadline: number | undefined;
      for (const streak of open.values()) {
        const at = streak.updatedAt + timeoutMs;
        if (deadline === undefined || at < deadline) deadline = at;
      }
      return deadline;
    },
    flush(now) {
      const out: CompletedGift<G>[] = [];
      for (const [key, streak] of open) out.push(...complete(key, streak, "flush", now));
      return out;
    },
    get openCount() {
      return open.size;
    },
  };
}

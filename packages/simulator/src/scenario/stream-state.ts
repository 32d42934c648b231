import type { Random } from "@tiklive/core/internal";
import { galleryGifts, isGalleryGift, type SimGift, singleGifts, streakGifts } from "./gifts.js";
import {
  type BuiltChat,
  type GiftSponsorship,
  MemberMessageAction,
  type MessageFactory,
} from "./message-factory.js";
import type { ScenarioMessage } from "./scenario-types.js";
import { chatLines } from "./texts.js";
import type { SimUser } from "./users.js";

interface OpenStreak {
  user: SimUser;
  gift: SimGift;
  groupId: string;
  count: number;
  stepsLeft: number;
}

/** What the filler mix can produce. */
export type FillerKind =
  | "chat"
  | "member"
  | "like"
  | "gift"
  | "roomUserSeq"
  | "follow"
  | "share"
  | "emote"
  | "singleGift";

/**
 * The evolving state of one room's stream (viewers, likes, followers, open gift
 * streaks, top gifters) and the "filler" messages that make up most of a stream.
 * Shared by the scripted and the load scenarios.
 */
export class StreamState {
  viewers: number;
  totalUser: number;
  likes: number;
  followers: number;
  shares = 0;
  readonly recentChats: BuiltChat[] = [];
  private readonly streaks: OpenStreak[] = [];
  private readonly giftScores = new Map<string, { user: SimUser; score: number }>();
  // Gift Gallery: per gallery gift, its sponsor and how many of it each viewer has sent.
  private readonly gallery = new Map<number, { sponsor: SimUser; units: Map<string, number> }>();

  constructor(
    private readonly random: Random,
    readonly factory: MessageFactory,
    readonly users: readonly SimUser[],
    /** Most gift streaks open at once (streaks of different users interleave). */
    private readonly maxOpenStreaks = 3,
  ) {
    this.viewers = random.int(40, 300);
    this.totalUser = this.viewers + random.int(50, 500);
    this.likes = random.int(500, 20_000);
    this.followers = factory.host.followerCount;
  }

  /** A random viewer. */
  user(): SimUser {
    return this.random.pick(this.users);
  }

  /** Gift streaks not finished yet. */
  get openStreaks(): number {
    return this.streaks.length;
  }

  /** Top gifters so far, best first. */
  topGifters(n: number): { user: SimUser; score: number }[] {
    return [...this.giftScores.values()]
      .sort((a, b) => b.score - a.score || a.user.id.localeCompare(b.user.id))
      .slice(0, n);
  }

  chat(timeMs: number, user = this.user()): ScenarioMessage {
    const line = this.random.pick(chatLines);
    const mention = this.random.chance(0.08) ? this.user() : undefined;
    const text = mention === undefined ? line.text : `@${mention.uniqueId} ${line.text}`;
    const built = this.factory.chat(user, text, timeMs, line.language, mention);
    this.recentChats.push(built);
    if (this.recentChats.length > 20) this.recentChats.shift();
    return built.message;
  }

  member(
    timeMs: number,
    user = this.user(),
    action: MemberMessageAction = MemberMessageAction.JOINED,
  ): ScenarioMessage {
    if (action === MemberMessageAction.JOINED) {
      this.viewers += 1;
      this.totalUser += 1;
    }
    return this.factory.member(user, timeMs, this.viewers, action);
  }

  like(timeMs: number): ScenarioMessage {
    const count = this.random.int(1, 15);
    this.likes += count;
    return this.factory.like(this.user(), timeMs, count, this.likes);
  }

  roomUserSeq(timeMs: number): ScenarioMessage {
    this.viewers = Math.max(1, this.viewers + this.random.int(-8, 8));
    this.totalUser = Math.max(this.totalUser, this.viewers) + this.random.int(0, 5);
    return this.factory.roomUserSeq(timeMs, this.viewers, this.totalUser, this.topGifters(3));
  }

  follow(timeMs: number, user = this.user()): ScenarioMessage {
    this.followers += 1;
    return this.factory.follow(user, timeMs, this.followers);
  }

  share(timeMs: number, user = this.user()): ScenarioMessage {
    this.shares += 1;
    return this.factory.share(user, timeMs, this.shares);
  }

  private score(user: SimUser, diamonds: number): void {
    const entry = this.giftScores.get(user.id) ?? { user, score: 0 };
    entry.score += diamonds;
    this.giftScores.set(user.id, entry);
  }

  /**
   * Counts `units` more of a gallery gift from `user` and returns the gift's sponsorship after
   * them: the viewer who has sent the most of it (the first sender lights it up; a viewer who
   * sends more than the sponsor takes it over). `undefined` for a gift not in the gallery.
   */
  private sponsorship(user: SimUser, gift: SimGift, units: number): GiftSponsorship | undefined {
    if (!isGalleryGift(gift)) return undefined;
    let entry = this.gallery.get(gift.id);
    let litUp = false;
    if (entry === undefined) {
      entry = { sponsor: user, units: new Map() };
      this.gallery.set(gift.id, entry);
      litUp = true;
    }
    const total = (entry.units.get(user.id) ?? 0) + units;
    entry.units.set(user.id, total);
    if (entry.sponsor.id !== user.id && total > (entry.units.get(entry.sponsor.id) ?? 0)) {
      entry.sponsor = user;
      litUp = true;
    }
    const allSponsored = litUp && entry.units.size === 1 && this.gallery.size === galleryGifts.length;
    return { sponsor: entry.sponsor, litUp, allSponsored };
  }

  /** A gift sent once (type 2): repeatCount 1, no streak. */
  singleGift(timeMs: number, user = this.user()): ScenarioMessage {
    const gift = this.random.pick(singleGifts);
    this.score(user, gift.diamondCount);
    const sponsorship = this.sponsorship(user, gift, 1);
    return this.factory.gift(user, gift, timeMs, {
      repeatCount: 1,
      repeatEnd: false,
      groupId: this.factory.newId(timeMs),
      comboCount: 1,
      ...(sponsorship === undefined ? {} : { sponsorship }),
    });
  }

  /**
   * One step of a type-1 gift streak (docs/protocol.md §10.2): start one (repeatCount 1),
   * grow an open one (same groupId, growing repeatCount, repeatEnd 0), or end one
   * (repeatEnd 1 with the final repeatCount). Streaks of several users interleave.
   */
  giftStep(timeMs: number, allowNew: boolean): ScenarioMessage {
    const start =
      allowNew &&
      (this.streaks.length === 0 || (this.streaks.length < this.maxOpenStreaks && this.random.chance(0.35)));
    if (start) {
      const busy = new Set(this.streaks.map((s) => s.user.id));
      let user = this.user();
      for (let tries = 0; busy.has(user.id) && tries < 10; tries++) user = this.user();
      const streak: OpenStreak = {
        user,
        gift: this.random.pick(streakGifts),
        groupId: this.factory.newId(timeMs),
        count: 1,
        stepsLeft: this.random.int(1, 6),
      };
      this.streaks.push(streak);
      const sponsorship = this.sponsorship(streak.user, streak.gift, 1);
      return this.factory.gift(streak.user, streak.gift, timeMs, {
        repeatCount: 1,
        repeatEnd: false,
        groupId: streak.groupId,
        comboCount: 1,
        ...(sponsorship === undefined ? {} : { sponsorship }),
      });
    }
    if (this.streaks.length === 0) return this.chat(timeMs);
    const streak = this.random.pick(this.streaks);
    if (streak.stepsLeft <= 0) return this.endStreak(streak, timeMs);
    streak.stepsLeft -= 1;
    const added = this.random.int(1, 5);
    streak.count += added;
    const sponsorship = this.sponsorship(streak.user, streak.gift, added);
    return this.factory.gift(streak.user, streak.gift, timeMs, {
      repeatCount: streak.count,
      repeatEnd: false,
      groupId: streak.groupId,
      comboCount: streak.count,
      ...(sponsorship === undefined ? {} : { sponsorship }),
    });
  }

  /** Ends the oldest open streak; `undefined` when none is open. */
  closeStreak(timeMs: number): ScenarioMessage | undefined {
    const streak = this.streaks[0];
    return streak === undefined ? undefined : this.endStreak(streak, timeMs);
  }

  private endStreak(streak: OpenStreak, timeMs: number): ScenarioMessage {
    this.streaks.splice(this.streaks.indexOf(streak), 1);
    this.score(streak.user, streak.count * streak.gift.diamondCount);
    // The final message of a streak sends nothing new: the sponsorship stands as it was.
    const sponsorship = this.sponsorship(streak.user, streak.gift, 0);
    return this.factory.gift(streak.user, streak.gift, timeMs, {
      repeatCount: streak.count,
      repeatEnd: true,
      groupId: streak.groupId,
      comboCount: streak.count,
      ...(sponsorship === undefined ? {} : { sponsorship }),
    });
  }

  /** One filler message from a weighted mix. */
  filler(
    timeMs: number,
    weights: readonly (readonly [FillerKind, number])[],
    allowNewStreaks: boolean,
  ): ScenarioMessage {
    switch (this.random.weighted(weights)) {
      case "chat":
        return this.chat(timeMs);
      case "member":
        return this.member(timeMs);
      case "like":
        return this.like(timeMs);
      case "gift":
        return this.giftStep(timeMs, allowNewStreaks);
      case "roomUserSeq":
        return this.roomUserSeq(timeMs);
      case "follow":
        return this.follow(timeMs);
      case "share":
        return this.share(timeMs);
      case "emote":
        return this.factory.emote(
          this.random.pick(this.users.filter((u) => u.subscriber).concat(this.users.slice(0, 1))),
          timeMs,
        );
      case "singleGift":
        return this.singleGift(timeMs);
    }
  }
}

/** How many messages the next tick carries: 1..maxBatch, mostly small. */
export function tickSize(random: Random, maxBatch: number): number {
  const r = random.next();
  return Math.min(maxBatch, 1 + Math.floor(maxBatch * r * r));
}

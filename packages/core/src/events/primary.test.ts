import { create } from "@bufbuild/protobuf";
import {
  BadgeStructSchema,
  CommonMessageDataSchema,
  ContributorSchema,
  FollowInfoSchema,
  GiftStructSchema,
  ImageBadgeSchema,
  ImageModelSchema,
  PrivilegeLogExtraSchema,
  TextBadgeSchema,
  TextSchema,
  UserIdentitySchema,
  UserSchema,
  WebcastBarrageMessageSchema,
  WebcastChatMessageSchema,
  WebcastControlMessageSchema,
  WebcastEnvelopeMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLikeMessageSchema,
  WebcastMemberMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
  WebcastSubNotifyMessageSchema,
} from "@tiklive/proto";
import { base64ToBytes, loadRealVectors } from "@tiklive/test-support/vectors";
import { describe, expect, it } from "vitest";
import { createEventDecoder } from "./decoder.js";
import {
  mapBarrage,
  mapChat,
  mapControl,
  mapEnvelope,
  mapGift,
  mapLike,
  mapMember,
  mapRoomUser,
  mapSocial,
  mapSubNotify,
} from "./primary.js";
import type { CoreEvent } from "./types.js";

const env = (method: string) => ({ method, msgId: "7300994309837785999", isHistory: false });
const common = (method: string, key = "") =>
  create(CommonMessageDataSchema, {
    method,
    msgId: "7300994309837785888",
    roomId: "7300993857827228449",
    createTime: "1699895245035",
    displayText: create(TextSchema, { key }),
  });
const avatar = create(ImageModelSchema, {
  urlList: ["https://p16/shrink/a.jpeg", "https://p16/100x100/a.jpeg", "https://p16/100x100/a.webp"],
});
const user = create(UserSchema, {
  id: "6756903546233422853",
  nickname: "Siema 🙂",
  displayId: "nietoperz0",
  secUid: "MS4wLjABAAAA",
  avatarThumb: avatar,
  followInfo: create(FollowInfoSchema, { followingCount: "12", followerCount: "3400", followStatus: "1" }),
  badgeList: [
    create(BadgeStructSchema, {
      displayType: 2,
      sceneType: 1,
      text: create(TextBadgeSchema, { defaultPattern: "Moderator" }),
    }),
    create(BadgeStructSchema, {
      displayType: 1,
      sceneType: 8,
      privilegeLogExtra: create(PrivilegeLogExtraSchema, { level: "17" }),
      image: create(ImageBadgeSchema, {
        image: create(ImageModelSchema, { urlList: ["https://p16/grade_badge_17.png"] }),
      }),
    }),
    create(BadgeStructSchema, {
      displayType: 1,
      sceneType: 6,
      image: create(ImageBadgeSchema, {
        image: create(ImageModelSchema, { urlList: ["https://p16/ranklist_top_gifter_2.png"] }),
      }),
    }),
  ],
});

describe("user mapping", () => {
  it("maps ids, names, the best avatar, follow info and badge-derived flags", () => {
    const event = mapChat(
      create(WebcastChatMessageSchema, { common: common("WebcastChatMessage"), user, content: "hi" }),
      env("WebcastChatMessage"),
    );
    expect(event.user).toMatchObject({
      userId: "6756903546233422853",
      uniqueId: "nietoperz0",
      nickname: "Siema 🙂",
      secUid: "MS4wLjABAAAA",
      profilePictureUrl: "https://p16/100x100/a.webp",
      isModerator: true,
      isSubscriber: false,
      gifterLevel: 17,
      topGifterRank: 2,
      followRole: 1,
      followInfo: { followingCount: 12, followerCount: 3400, followStatus: 1, pushStatus: 0 },
    });
    expect(event.user.badges.map((b) => [b.kind, b.sceneType, b.level ?? null, b.text ?? null])).toEqual([
      ["text", 1, null, "Moderator"],
      ["image", 8, 17, null],
      ["image", 6, null, null],
    ]);
  });

  it("takes subscriber/moderator/follower flags from the message's user identity", () => {
    const identity = create(UserIdentitySchema, {
      isSubscriberOfAnchor: true,
      isFollowerOfAnchor: true,
      isGiftGiverOfAnchor: true,
    });
    const event = mapChat(
      create(WebcastChatMessageSchema, {
        common: common("WebcastChatMessage"),
        user: create(UserSchema, { id: "1" }),
        userIdentity: identity,
      }),
      env("WebcastChatMessage"),
    );
    expect([
      event.user.isSubscriber,
      event.user.isFollower,
      event.user.isGiftGiver,
      event.user.isModerator,
    ]).toEqual([true, true, true, false]);
  });

  it("survives a message without a user", () => {
    const event = mapChat(create(WebcastChatMessageSchema, {}), env("WebcastChatMessage"));
    expect(event.user.userId).toBe("0");
    expect(event.user.profilePictureUrl).toBeUndefined();
    // msgId falls back to the envelope's when common is absent.
    expect(event.msgId).toBe("7300994309837785999");
    expect(event.createTime).toBe(0);
  });
});

describe("primary mappers", () => {
  it("chat", () => {
    const m = create(WebcastChatMessageSchema, {
      common: common("WebcastChatMessage"),
      user,
      content: "siema",
      contentLanguage: "pl",
      atUser: create(UserSchema, { id: "7", displayId: "x" }),
    });
    const e = mapChat(m, env("WebcastChatMessage"));
    expect(e).toMatchObject({
      type: "chat",
      comment: "siema",
      language: "pl",
      msgId: "7300994309837785888",
      roomId: "7300993857827228449",
      createTime: 1699895245035,
    });
    expect(e.mentionedUser?.uniqueId).toBe("x");
    expect(e.raw).toBe(m);
  });

  it("gift: streak fields, the gift.id fallback, isStreaking", () => {
    const gift = create(GiftStructSchema, {
      id: "5655",
      name: "Rose",
      type: 1,
      diamondCount: 1,
      image: avatar,
    });
    const running = mapGift(
      create(WebcastGiftMessageSchema, {
        common: common("WebcastGiftMessage"),
        user,
        gift,
        repeatCount: 34,
        groupId: "1696447170769",
      }),
      env("m"),
    );
    expect(running).toMatchObject({
      type: "gift",
      giftId: "5655",
      giftName: "Rose",
      giftType: 1,
      diamondCount: 1,
      repeatCount: 34,
      repeatEnd: false,
      isStreaking: true,
      groupId: "1696447170769",
    });
    expect(running.giftPictureUrl).toBe("https://p16/100x100/a.webp");
    const ended = mapGift(
      create(WebcastGiftMessageSchema, { giftId: "6912", gift, repeatCount: 5, repeatEnd: 1 }),
      env("m"),
    );
    expect([ended.giftId, ended.repeatEnd, ended.isStreaking]).toEqual(["6912", true, false]);
    const single = mapGift(
      create(WebcastGiftMessageSchema, {
        gift: create(GiftStructSchema, { id: "7168", type: 2, diamondCount: 34999 }),
        repeatCount: 1,
      }),
      env("m"),
    );
    expect([single.isStreaking, single.diamondCount]).toEqual([false, 34999]);
  });

  it("member", () => {
    const e = mapMember(
      create(WebcastMemberMessageSchema, {
        common: common("WebcastMemberMessage"),
        user,
        memberCount: 1532,
        action: 1,
      }),
      env("m"),
    );
    expect(e).toMatchObject({ type: "member", viewerCount: 1532, action: 1 });
    expect(e.user.uniqueId).toBe("nietoperz0");
  });

  it("like", () => {
    const e = mapLike(
      create(WebcastLikeMessageSchema, {
        common: common("WebcastLikeMessage"),
        user,
        count: 15,
        total: "124556",
      }),
      env("m"),
    );
    expect(e).toMatchObject({ type: "like", likeCount: 15, totalLikeCount: 124556 });
  });

  it("social classifies follow, share and plain social by display key", () => {
    const make = (key: string) =>
      mapSocial(
        create(WebcastSocialMessageSchema, {
          common: common("WebcastSocialMessage", key),
          user,
          action: "1",
          followCount: "223457",
        }),
        env("m"),
      );
    expect(make("pm_main_follow_message_viewer_2")).toMatchObject({
      type: "follow",
      followCount: 223457,
      action: 1,
    });
    expect(make("pm_mt_guidance_share").type).toBe("share");
    expect(make("something_else").type).toBe("social");
  });

  it("roomUser", () => {
    const e = mapRoomUser(
      create(WebcastRoomUserSeqMessageSchema, {
        common: common("WebcastRoomUserSeqMessage"),
        total: "4",
        totalUser: "108",
        ranks: [create(ContributorSchema, { user, score: "250", rank: "1" })],
      }),
      env("m"),
    );
    expect(e).toMatchObject({ type: "roomUser", viewerCount: 4, totalViewers: 108 });
    expect(e.topViewers.map((v) => [v.user.uniqueId, v.coinCount, v.rank])).toEqual([["nietoperz0", 250, 1]]);
  });

  it("control: actions 3 and 4 are one streamEnd event with the reason", () => {
    const make = (action: number) =>
      mapControl(
        create(WebcastControlMessageSchema, { common: common("WebcastControlMessage"), action, tips: "bye" }),
        env("m"),
      );
    expect(make(1).type).toBe("controlMessage");
    expect(make(2).type).toBe("controlMessage");
    // One message, one event: the end is a streamEnd, which controlMessage listeners hear too.
    expect(make(3)).toMatchObject({
      type: "streamEnd",
      reason: "ended",
      actionName: "ended",
      action: 3,
      tips: "bye",
    });
    expect(make(4)).toMatchObject({ type: "streamEnd", reason: "suspended" });
    expect(make(99)).toMatchObject({ type: "controlMessage", actionName: "unknown" });
    expect(make(1).actionName).toBe("paused");
  });

  it("subNotify also emits subscribe", () => {
    const events = mapSubNotify(
      create(WebcastSubNotifyMessageSchema, {
        common: common("WebcastSubNotifyMessage"),
        user,
        subMonth: "3",
      }),
      env("m"),
    );
    // One message, one event: `subNotify` is only a listener name (see eventAliases).
    expect([events.type, events.subMonth, events.user.uniqueId]).toEqual(["subscribe", 3, "nietoperz0"]);
  });

  it("an envelope is one event: superFanBox for business type 19 or a superfanbox key, else envelope", () => {
    const plain = mapEnvelope(
      create(WebcastEnvelopeMessageSchema, { common: common("WebcastEnvelopeMessage") }),
      env("m"),
    );
    expect(plain.type).toBe("envelope");
    const byKey = mapEnvelope(
      create(WebcastEnvelopeMessageSchema, {
        common: common("WebcastEnvelopeMessage", "TTLIVE_SUPERFANBOX_x"),
      }),
      env("m"),
    );
    expect(byKey.type).toBe("superFanBox");
  });

  it("a barrage is one event: superFanJoin or superFan by key, else barrage", () => {
    const make = (key: string) =>
      mapBarrage(
        create(WebcastBarrageMessageSchema, {
          common: common("WebcastBarrageMessage"),
          content: create(TextSchema, { key }),
        }),
        env("m"),
      ).type;
    expect(make("pm_mt_fan_live_join")).toBe("barrage");
    expect(make("ttlive_superfan_commentnotif_superfanjoined")).toBe("superFanJoin");
    expect(make("TTLIVE_SUPERFAN_become")).toBe("superFan");
  });
});

// The real payloads, decoded through the decoder into events whose friendly fields must carry
// the captured values (docs/protocol.md field names -> the names users know).
const vectors = loadRealVectors();

type Fields = Record<string, unknown>;
const friendly: Record<string, (f: Fields, e: CoreEvent) => [unknown, unknown][]> = {
  WebcastChatMessage: (f, e) => {
    const c = e as Extract<CoreEvent, { type: "chat" }>;
    const pairs: [unknown, unknown][] = [
      [c.comment, f["content"]],
      [c.language, f["contentLanguage"]],
      [c.user.uniqueId, f["user.displayId"]],
      [c.user.userId, f["user.id"]],
      [c.user.nickname, f["user.nickname"]],
      [c.user.isFollower, f["userIdentity.isFollowerOfAnchor"]],
    ];
    if (f["atUser.id"] !== undefined)
      pairs.push(
        [c.mentionedUser?.userId, f["atUser.id"]],
        [c.mentionedUser?.nickname, f["atUser.nickname"]],
      );
    return pairs;
  },
  WebcastGiftMessage: (f, e) => {
    const g = e as Extract<CoreEvent, { type: "gift" }>;
    return [
      [g.giftId, f["giftId"]],
      [g.giftName, f["gift.name"]],
      [g.giftType, f["gift.type"]],
      [g.diamondCount, f["gift.diamondCount"]],
      [g.repeatCount, f["repeatCount"]],
      [g.repeatEnd, f["repeatEnd"] === 1],
      [g.groupId, f["groupId"]],
      [g.comboCount, f["comboCount"]],
      [g.describe, f["gift.describe"]],
      [g.user.uniqueId, f["user.displayId"]],
      [g.user.userId, f["user.id"]],
      [g.user.isGiftGiver, f["userIdentity.isGiftGiverOfAnchor"]],
    ];
  },
  WebcastMemberMessage: (f, e) => {
    const m = e as Extract<CoreEvent, { type: "member" }>;
    return [
      [m.action, f["action"]],
      [m.viewerCount, f["memberCount"]],
      [m.user.uniqueId, f["user.displayId"]],
      [m.user.userId, f["user.id"]],
      [m.displayKey, f["common.displayText.key"]],
    ];
  },
  WebcastLikeMessage: (f, e) => {
    const l = e as Extract<CoreEvent, { type: "like" }>;
    return [
      [l.likeCount, f["count"]],
      [l.totalLikeCount, Number(f["total"])],
      [l.user.nickname, f["user.nickname"]],
    ];
  },
  WebcastSocialMessage: (f, e) => {
    const s = e as Extract<CoreEvent, { type: "follow" }>;
    const key = String(f["common.displayText.key"]);
    const pairs: [unknown, unknown][] = [
      [s.type, key.includes("follow") ? "follow" : "share"],
      [s.action, Number(f["action"])],
      [s.shareTarget, f["shareTarget"]],
      [s.user.uniqueId, f["user.displayId"]],
    ];
    if (f["followCount"] !== undefined) pairs.push([s.followCount, Number(f["followCount"])]);
    if (f["shareCount"] !== undefined)
      pairs.push([s.shareCount, f["shareCount"]], [s.shareType, Number(f["shareType"])]);
    return pairs;
  },
  WebcastRoomUserSeqMessage: (f, e) => {
    const r = e as Extract<CoreEvent, { type: "roomUser" }>;
    return [
      [r.viewerCount, Number(f["total"])],
      [r.totalViewers, Number(f["totalUser"])],
      [r.topViewers.length, f["ranks.length"]],
      [r.topViewers[0]?.rank, Number(f["ranks.0.rank"])],
      [r.topViewers[0]?.user.uniqueId, f["ranks.0.user.displayId"]],
      [r.topViewers[0]?.user.nickname, f["ranks.0.user.nickname"]],
    ];
  },
  WebcastControlMessage: (f, e) => [
    [(e as Extract<CoreEvent, { type: "controlMessage" }>).action, f["action"]],
  ],
  WebcastEnvelopeMessage: (f, e) => {
    const v = e as Extract<CoreEvent, { type: "envelope" }>;
    return [
      [v.envelopeId, f["envelopeInfo.envelopeId"]],
      [v.businessType, f["envelopeInfo.businessType"]],
    ];
  },
  WebcastLiveIntroMessage: (f, e) => {
    const i = e as Extract<CoreEvent, { type: "liveIntro" }>;
    return [
      [i.description, f["content"]],
      [i.language, f["contentLanguage"]],
      [i.host.userId, f["user.id"]],
      [i.host.nickname, f["user.nickname"]],
      [i.badges.length, f["badges.length"]],
    ];
  },
  WebcastLinkMicBattle: (f, e) => {
    const b = e as Extract<CoreEvent, { type: "linkMicBattle" }>;
    const pairs: [unknown, unknown][] = [
      [b.battleId, f["battleId"]],
      [b.action, f["action"]],
      [b.battleUsers.length, f["anchorsInfo.length"]],
    ];
    for (const [key, value] of Object.entries(f)) {
      const id = /^anchorsInfo\[(\d+)\]$/.exec(key)?.[1];
      if (id === undefined) continue;
      const u = b.battleUsers.find((x) => x.userId === id);
      const v = value as { nickName: string; displayId: string };
      pairs.push([u?.nickname, v.nickName], [u?.uniqueId, v.displayId]);
    }
    return pairs;
  },
  WebcastBarrageMessage: (f, e) => {
    const b = e as Extract<CoreEvent, { type: "barrage" }>;
    return [
      [b.contentKey, f["content.key"]],
      [b.contentPattern, f["content.defaultPattern"]],
      [b.msgType, f["msgType"]],
      [b.user?.uniqueId, f["fansLevelParam.user.displayId"]],
    ];
  },
};

describe.skipIf(!vectors)("real payloads map to events with the captured values", () => {
  const cases = (vectors ?? []).filter((v) => v.type in friendly);
  it("covers every primary type present in the vectors", () => {
    expect(new Set(cases.map((v) => v.type)).size).toBe(Object.keys(friendly).length);
  });

  it.each(cases.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const decoder = createEventDecoder({ dedup: false });
    const events = decoder.decodeMessage({
      method: v.type,
      payload: base64ToBytes(v.base64),
      msgId: "0",
      msgType: 0,
      offset: "0",
      isHistory: false,
    });
    expect(events.map((e) => e.type)).not.toContain("decodeError");
    expect(events.length).toBeGreaterThan(0);
    const first = events[0] as Extract<
      CoreEvent,
      { msgId: string; roomId: string; createTime: number; method: string }
    >;
    expect(first.msgId).toBe(v.expected.common?.["msgId"]);
    expect(first.roomId).toBe(v.expected.common?.["roomId"]);
    expect(first.createTime).toBe(Number(v.expected.common?.["createTime"]));
    expect(first.method).toBe(v.type);
    const fields = v.expected.fields ?? {};
    const pairs = (friendly[v.type] as (f: Fields, e: CoreEvent) => [unknown, unknown][])(fields, first);
    for (const [actual, expected] of pairs) expect(actual).toEqual(expected);
    if (v.type === "WebcastControlMessage" && fields["action"] === 3) {
      expect(events.map((e) => e.type)).toEqual(["streamEnd"]);
    }
  });
});

describe.skipIf(!vectors)("real gift streak", () => {
  it("the captured Cat Paws streak (start, then repeatEnd) completes exactly once", async () => {
    const { createGiftStreakAggregator } = await import("../gift-streaks.js");
    const { toGiftCompletedEvent } = await import("./types.js");
    const decoder = createEventDecoder();
    const streaks = createGiftStreakAggregator<Extract<CoreEvent, { type: "gift" }>>();
    const completed = [];
    for (const id of ["gift-catpaws-streak-start", "gift-catpaws-streak-end"]) {
      const v = (vectors ?? []).find((x) => x.id === id);
      if (v === undefined) throw new Error(`vector ${id} missing`);
      for (const event of decoder.decodeMessage({
        method: v.type,
        payload: base64ToBytes(v.base64),
        msgId: "0",
        msgType: 0,
        offset: "0",
        isHistory: false,
      })) {
        if (event.type === "gift")
          completed.push(...streaks.push(event, event.createTime).map(toGiftCompletedEvent));
      }
    }
    expect(
      completed.map((c) => [
        c.type,
        c.user.uniqueId,
        c.giftName,
        c.repeatCount,
        c.diamonds,
        c.reason,
        c.eventCount,
      ]),
    ).toEqual([["giftCompleted", "mma.ryyam", "Cat Paws", 1, 1, "repeatEnd", 2]]);
    expect(streaks.openCount).toBe(0);
  });
});

import { create } from "@bufbuild/protobuf";
import {
  file_tiklive_webcast_v1_messages,
  file_tiklive_webcast_v1_methods,
  type RoomPinAction,
  WebcastAccessControlMessageSchema,
  WebcastAccessRecallMessageSchema,
  WebcastBoostCardMessageSchema,
  WebcastBottomMessageSchema,
  WebcastCapsuleMessageSchema,
  WebcastCaptionMessageSchema,
  WebcastGameRankNotifyMessageSchema,
  WebcastGiftBroadcastMessageSchema,
  WebcastGiftDynamicRestrictionMessageSchema,
  WebcastGiftPanelUpdateMessageSchema,
  WebcastGiftPromptMessageSchema,
  WebcastGoalUpdateMessageSchema,
  WebcastGuideMessageSchema,
  WebcastHourlyRankRewardMessageSchema,
  WebcastImDeleteMessageSchema,
  WebcastInRoomBannerMessageSchema,
  WebcastLinkLayerMessageSchema,
  WebcastLinkMessageSchema,
  WebcastLinkMicBattleItemCardSchema,
  WebcastLinkMicBattlePunishFinishSchema,
  WebcastLinkMicFanTicketMethodSchema,
  WebcastLinkMicLayoutStateMessageSchema,
  WebcastLinkMicMethodSchema,
  WebcastLinkmicBattleTaskMessageSchema,
  WebcastLinkStateMessageSchema,
  WebcastLiveGameIntroMessageSchema,
  WebcastMarqueeAnnouncementMessageSchema,
  WebcastMsgDetectMessageSchema,
  WebcastNoticeMessageSchema,
  WebcastOecLiveShoppingMessageSchema,
  WebcastPartnershipDropsUpdateMessageSchema,
  WebcastPartnershipGameOfflineMessageSchema,
  WebcastPartnershipPunishMessageSchema,
  WebcastPerceptionMessageSchema,
  WebcastPollMessageSchema,
  WebcastRankTextMessageSchema,
  WebcastRankUpdateMessageSchema,
  WebcastRoomMessageSchema,
  WebcastRoomNotifyMessageSchema,
  WebcastRoomPinMessageSchema,
  WebcastRoomVerifyMessageSchema,
  WebcastSpeakerMessageSchema,
  WebcastSubPinEventMessageSchema,
  WebcastSystemMessageSchema,
  WebcastToastMessageSchema,
  WebcastUnauthorizedMemberMessageSchema,
  WebcastViewerPicksUpdateMessageSchema,
} from "@tiklive/proto";
import { base64ToBytes, loadRealVectors } from "@tiklive/test-support/vectors";
import { describe, expect, it } from "vitest";
import { createEventDecoder } from "./decoder.js";
import { primaryHandlers } from "./handlers.js";
import { methodHandlers } from "./method-events.js";
import type { AnyMessageHandler } from "./registry.js";
import {
  mapAccessControl,
  mapAccessRecall,
  mapBoostCard,
  mapBottomMessage,
  mapCapsule,
  mapCaption,
  mapGameRankNotify,
  mapGiftBroadcast,
  mapGiftDynamicRestriction,
  mapGiftPanelUpdate,
  mapGiftPrompt,
  mapGoalUpdate,
  mapGuide,
  mapHourlyRank,
  mapImDelete,
  mapInRoomBanner,
  mapLinkLayer,
  mapLinkMessage,
  mapLinkMicBattleItemCard,
  mapLinkMicBattlePunishFinish,
  mapLinkMicBattleTask,
  mapLinkMicFanTicketMethod,
  mapLinkMicLayoutState,
  mapLinkMicMethod,
  mapLinkState,
  mapLiveGameIntro,
  mapMarqueeAnnouncement,
  mapMsgDetect,
  mapNotice,
  mapOecLiveShopping,
  mapPartnershipDropsUpdate,
  mapPartnershipGameOffline,
  mapPartnershipPunish,
  mapPerception,
  mapPoll,
  mapRankText,
  mapRankUpdate,
  mapRoomMessage,
  mapRoomNotify,
  mapRoomPin,
  mapRoomVerify,
  mapSpeaker,
  mapSubPinEvent,
  mapSystem,
  mapToast,
  mapUnauthorizedMember,
  mapViewerPicksUpdate,
  secondaryHandlers,
} from "./secondary.js";
import type { CoreEvent, TikTokEvent } from "./types.js";
import type { EventBase, MessageEnvelope } from "./user.js";

const MSG_ID = "7286185100394498822";
const ENV_MSG_ID = "7286185100394400001";
const ROOM_ID = "7286172095213062918";
const CREATE_TIME = "1696447176839";

function env(method: string): MessageEnvelope {
  return { method, msgId: ENV_MSG_ID, isHistory: false };
}

interface TextInit {
  key: string;
  defaultPattern: string;
  pieces?: {
    type?: number;
    stringValue?: string;
    userValue?: { user?: { id?: string; nickname?: string } };
  }[];
}

/** A realistic `common` header. */
function common(method: string, displayText?: TextInit) {
  return { method, msgId: MSG_ID, roomId: ROOM_ID, createTime: CREATE_TIME, displayText };
}

function expectBase(event: EventBase, method: string, displayKey = ""): void {
  expect(event.msgId).toBe(MSG_ID);
  expect(event.roomId).toBe(ROOM_ID);
  expect(event.createTime).toBe(1696447176839);
  expect(event.method).toBe(method);
  expect(event.isHistory).toBe(false);
  expect(event.displayKey).toBe(displayKey);
}

const kara = { id: "7025655920014590981", nickname: "☀️Kara☀️", displayId: "kara.positiv" };
const jose = { id: "6945719052665439237", nickname: "Jose", displayId: "josed_leon" };

describe("secondary mappers (§10.15-§10.29)", () => {
  it("roomMessage", () => {
    const method = "WebcastRoomMessage";
    const m = create(WebcastRoomMessageSchema, {
      common: common(method),
      content: "Welcome to TikTok LIVE! Have fun.",
      isWelcome: true,
      icon: { urlList: ["https://p16-webcast.tiktokcdn.com/img/icon~tplv-obj.png"] },
      showDurationMs: "5000",
    });
    const e = mapRoomMessage(m, env(method));
    expect(e.type).toBe("roomMessage");
    expectBase(e, method);
    expect(e.content).toBe("Welcome to TikTok LIVE! Have fun.");
    expect(e.isWelcome).toBe(true);
    expect(e.iconUrl).toBe("https://p16-webcast.tiktokcdn.com/img/icon~tplv-obj.png");
    expect(e.showDurationMs).toBe(5000);
    expect(e.raw).toBe(m);
  });

  it("captionMessage", () => {
    const method = "WebcastCaptionMessage";
    const m = create(WebcastCaptionMessageSchema, {
      common: common(method),
      timestampMs: "1695115484294",
      durationMs: "300",
      content: [
        { lang: "en", content: "Hello." },
        { lang: "de", content: "Hallo." },
      ],
      sentenceId: "7280465573149313001",
      definite: true,
    });
    const e = mapCaption(m, env(method));
    expect(e.type).toBe("captionMessage");
    expectBase(e, method);
    expect(e.captions).toEqual([
      { language: "en", text: "Hello." },
      { language: "de", text: "Hallo." },
    ]);
    expect(e.definite).toBe(true);
    expect(e.timestampMs).toBe(1695115484294);
    expect(e.durationMs).toBe(300);
    expect(e.sentenceId).toBe("7280465573149313001");
    expect(e.raw).toBe(m);
  });

  describe("pollMessage", () => {
    const method = "WebcastPollMessage";
    const options = [
      { optionIdx: 0, displayContent: "😁", votes: "12" },
      { optionIdx: 1, displayContent: "😭", votes: "3" },
    ];

    it("start", () => {
      const m = create(WebcastPollMessageSchema, {
        common: common(method),
        messageType: "0",
        pollId: "7286185037553699617",
        pollKind: 2,
        startContent: {
          startTime: "1696447174329",
          endTime: "1696447234329",
          optionList: options,
          operator: kara,
        },
      });
      const e = mapPoll(m, env(method));
      expect(e.type).toBe("pollMessage");
      expectBase(e, method);
      expect(e.pollId).toBe("7286185037553699617");
      expect(e.kind).toBe("start");
      expect(e.messageType).toBe(0);
      expect(e.pollKind).toBe(2);
      expect(e.options).toEqual([
        { index: 0, text: "😁", votes: 12 },
        { index: 1, text: "😭", votes: 3 },
      ]);
      expect(e.operator?.userId).toBe("7025655920014590981");
      expect(e.operator?.uniqueId).toBe("kara.positiv");
      expect(e.startTime).toBe(1696447174329);
      expect(e.endTime).toBe(1696447234329);
      expect(e.endType).toBeUndefined();
      expect(e.raw).toBe(m);
    });

    it("update", () => {
      const m = create(WebcastPollMessageSchema, {
        common: common(method),
        messageType: "2",
        pollId: "7286185037553699617",
        updateVotesContent: { optionList: [{ optionIdx: 0, displayContent: "😁", votes: "1" }] },
      });
      const e = mapPoll(m, env(method));
      expect(e.kind).toBe("update");
      expect(e.messageType).toBe(2);
      expect(e.options).toEqual([{ index: 0, text: "😁", votes: 1 }]);
      expect(e.operator).toBeUndefined();
      expect(e.startTime).toBe(0);
    });

    it("end", () => {
      const m = create(WebcastPollMessageSchema, {
        common: common(method),
        messageType: "1",
        pollId: "7286185037553699617",
        endContent: { endType: 1, optionList: options, operator: kara },
      });
      const e = mapPoll(m, env(method));
      expect(e.kind).toBe("end");
      expect(e.endType).toBe(1);
      expect(e.options.map((o) => o.votes)).toEqual([12, 3]);
      expect(e.operator?.nickname).toBe("☀️Kara☀️");
    });

    it("unknown when no content", () => {
      const e = mapPoll(
        create(WebcastPollMessageSchema, { common: common(method), pollId: "7286185037553699617" }),
        env(method),
      );
      expect(e.kind).toBe("unknown");
      expect(e.options).toEqual([]);
    });
  });

  it("goalUpdate", () => {
    const method = "WebcastGoalUpdateMessage";
    const m = create(WebcastGoalUpdateMessageSchema, {
      common: common(method),
      goal: {
        id: "7286179119934114565",
        idStr: "7286179119934114565",
        status: 2,
        description: "ajudem com a metinha...",
        subGoals: [
          {
            id: "5655",
            idStr: "5655",
            progress: "7",
            target: "100",
            gift: {
              name: "Rose",
              icon: { urlList: ["https://p16-webcast.tiktokcdn.com/img/rose~tplv-obj.png"] },
            },
          },
        ],
      },
      contributorId: "6978144828941124614",
      contributorIdStr: "6978144828941124614",
      contributorDisplayId: "gringo0_o",
      contributorAvatar: {
        urlList: ["https://p16-sign-va.tiktokcdn.com/avt~c5_100x100.webp", "https://x/avt~c5_100x100.jpeg"],
      },
      contributeCount: "1",
      contributeScore: "3",
    });
    const e = mapGoalUpdate(m, env(method));
    expect(e.type).toBe("goalUpdate");
    expectBase(e, method);
    expect(e.goalId).toBe("7286179119934114565");
    expect(e.description).toBe("ajudem com a metinha...");
    expect(e.status).toBe(2);
    expect(e.subGoals).toEqual([
      {
        id: "5655",
        giftName: "Rose",
        giftImageUrl: "https://p16-webcast.tiktokcdn.com/img/rose~tplv-obj.png",
        progress: 7,
        target: 100,
      },
    ]);
    expect(e.contributorId).toBe("6978144828941124614");
    expect(e.contributorUniqueId).toBe("gringo0_o");
    expect(e.contributorProfilePictureUrl).toBe("https://p16-sign-va.tiktokcdn.com/avt~c5_100x100.webp");
    expect(e.contributeCount).toBe(1);
    expect(e.contributeScore).toBe(3);
    expect(e.raw).toBe(m);
  });

  it("goalUpdate falls back to the numeric ids", () => {
    const method = "WebcastGoalUpdateMessage";
    const m = create(WebcastGoalUpdateMessageSchema, {
      goal: { id: "7286179119934114565", subGoals: [{ id: "5655" }] },
      contributorId: "6978144828941124614",
    });
    const e = mapGoalUpdate(m, env(method));
    expect(e.goalId).toBe("7286179119934114565");
    expect(e.subGoals[0]?.id).toBe("5655");
    expect(e.contributorId).toBe("6978144828941124614");
  });

  it("rankUpdate", () => {
    const method = "WebcastRankUpdateMessage";
    const m = create(WebcastRankUpdateMessageSchema, {
      common: common(method),
      updates: [
        {
          rankType: 8,
          defaultContent: { key: "pm_mt_daily_entrance", defaultPattern: "Daily Ranking" },
          countdown: "45624",
        },
      ],
      groupType: 1,
      rankPriority: "10",
    });
    const e = mapRankUpdate(m, env(method));
    expect(e.type).toBe("rankUpdate");
    expectBase(e, method);
    expect(e.updates).toEqual([
      { rankType: 8, textKey: "pm_mt_daily_entrance", text: "Daily Ranking", countdownSec: 45624 },
    ]);
    expect(e.groupType).toBe(1);
    expect(e.rankPriority).toBe(10);
    expect(e.raw).toBe(m);
  });

  it("hourlyRank", () => {
    const method = "WebcastHourlyRankRewardMessage";
    const pattern =
      "Congratulations! {0:string} just became the No. {1:string} LIVE creator of the last hour.";
    const m = create(WebcastHourlyRankRewardMessageSchema, {
      common: common(method),
      winners: [
        {
          userId: "7122139854221116422",
          assetId: "206",
          notify: {
            common: common(method, {
              key: "pm_mt_Live_HRannounce",
              defaultPattern: pattern,
              pieces: [
                { type: 1, stringValue: ".khalid_ksa" },
                { type: 1, stringValue: "1" },
              ],
            }),
          },
        },
      ],
    });
    const e = mapHourlyRank(m, env(method));
    expect(e.type).toBe("hourlyRank");
    expectBase(e, method);
    expect(e.winners).toEqual([
      {
        userId: "7122139854221116422",
        assetId: "206",
        text: "Congratulations! .khalid_ksa just became the No. 1 LIVE creator of the last hour.",
      },
    ]);
    expect(e.raw).toBe(m);
  });

  it("imDelete", () => {
    const method = "WebcastImDeleteMessage";
    const m = create(WebcastImDeleteMessageSchema, {
      common: common(method),
      deleteMsgIds: ["7286185134131230001", "7286185134131230002"],
      deleteUserIds: ["6970465249951400965"],
    });
    const e = mapImDelete(m, env(method));
    expect(e.type).toBe("imDelete");
    expectBase(e, method);
    expect(e.deleteMsgIds).toEqual(["7286185134131230001", "7286185134131230002"]);
    expect(e.deleteUserIds).toEqual(["6970465249951400965"]);
    expect(e.raw).toBe(m);
  });

  describe("inRoomBanner", () => {
    const method = "WebcastInRoomBannerMessage";

    it("parses the JSON text", () => {
      const m = create(WebcastInRoomBannerMessageSchema, {
        common: common(method),
        jsonData: '{"debug":false,"user":"7156699187026150406","banner_data":{"rank":31}}',
      });
      const e = mapInRoomBanner(m, env(method));
      expect(e.type).toBe("inRoomBanner");
      expectBase(e, method);
      expect(e.data).toEqual({ debug: false, user: "7156699187026150406", banner_data: { rank: 31 } });
      expect(e.raw).toBe(m);
    });

    it("is undefined when absent or not valid JSON, without throwing", () => {
      expect(
        mapInRoomBanner(create(WebcastInRoomBannerMessageSchema, { common: common(method) }), env(method))
          .data,
      ).toBeUndefined();
      const bad = create(WebcastInRoomBannerMessageSchema, {
        common: common(method),
        jsonData: '{"debug":fal',
      });
      expect(mapInRoomBanner(bad, env(method)).data).toBeUndefined();
    });
  });

  it("linkMessage", () => {
    const method = "WebcastLinkMessage";
    const m = create(WebcastLinkMessageSchema, {
      common: common(method),
      messageType: 2,
      linkerId: "7286184870280121094",
      scene: 2,
      expireTimestamp: "1696447227",
    });
    const e = mapLinkMessage(m, env(method));
    expect(e.type).toBe("linkMessage");
    expectBase(e, method);
    expect(e.messageType).toBe(2);
    expect(e.linkerId).toBe("7286184870280121094");
    expect(e.scene).toBe(2);
    expect(e.expireTimestamp).toBe(1696447227);
    expect(e.raw).toBe(m);
  });

  it("linkMicMethod", () => {
    const method = "WebcastLinkMicMethod";
    const m = create(WebcastLinkMicMethodSchema, {
      common: common(method),
      messageType: 8,
      userId: "6876776122948781058",
      fanTicket: "8",
      totalLinkmicFanTicket: "21",
      channelId: "7286162204725482501",
      win: true,
      fromUserId: "6876776122948781058",
      toUserId: "7062697278524703746",
      fromRoomId: "7286170716713274144",
      linkedUsers: [kara, jose],
    });
    const e = mapLinkMicMethod(m, env(method));
    expect(e.type).toBe("linkMicMethod");
    expectBase(e, method);
    expect(e.messageType).toBe(8);
    expect(e.userId).toBe("6876776122948781058");
    expect(e.fanTicket).toBe(8);
    expect(e.totalLinkmicFanTicket).toBe(21);
    expect(e.channelId).toBe("7286162204725482501");
    expect(e.win).toBe(true);
    expect(e.fromUserId).toBe("6876776122948781058");
    expect(e.toUserId).toBe("7062697278524703746");
    expect(e.fromRoomId).toBe("7286170716713274144");
    expect(e.linkedUsers.map((u) => u.uniqueId)).toEqual(["kara.positiv", "josed_leon"]);
    expect(e.raw).toBe(m);
  });

  describe("roomPin", () => {
    const method = "WebcastRoomPinMessage";

    it("pin of a comment", () => {
      const m = create(WebcastRoomPinMessageSchema, {
        common: common(method),
        chatMessage: {
          common: { msgId: "7286184537385650977", roomId: ROOM_ID },
          user: { id: "7261374877529326619", nickname: "🥒Absynthia🥒", displayId: "absynthia1" },
          content: "❤️ Je Zug 1 Los . viel Glück",
        },
        method: "WebcastChatMessage",
        pinTime: "1696447143419",
        operator: kara,
        action: 1,
        displayDuration: "60",
        pinMsgId: "7286184904911112993",
      });
      const e = mapRoomPin(m, env(method));
      expect(e.type).toBe("roomPin");
      expectBase(e, method);
      expect(e.pinnedMethod).toBe("WebcastChatMessage");
      expect(e.action).toBe("pin");
      expect(e.pinnedComment).toBe("❤️ Je Zug 1 Los . viel Glück");
      expect(e.pinnedUser?.uniqueId).toBe("absynthia1");
      expect(e.operator.userId).toBe("7025655920014590981");
      expect(e.pinMsgId).toBe("7286184904911112993");
      expect(e.pinTime).toBe(1696447143419);
      expect(e.displayDurationSec).toBe(60);
      expect(e.raw).toBe(m);
    });

    it("unpin, unknown action, no embedded message", () => {
      const unpin = mapRoomPin(
        create(WebcastRoomPinMessageSchema, { common: common(method), action: 2 }),
        env(method),
      );
      expect(unpin.action).toBe("unpin");
      expect(unpin.pinnedComment).toBeUndefined();
      expect(unpin.pinnedUser).toBeUndefined();
      expect(unpin.operator.userId).toBe("0");
      const other = mapRoomPin(
        create(WebcastRoomPinMessageSchema, { common: common(method), action: 7 as RoomPinAction }),
        env(method),
      );
      expect(other.action).toBe(7);
    });

    it("pin of a gift: the author, no comment", () => {
      const m = create(WebcastRoomPinMessageSchema, {
        common: common(method),
        giftMessage: { user: jose, giftId: "5655" },
        method: "WebcastGiftMessage",
        action: 1,
      });
      const e = mapRoomPin(m, env(method));
      expect(e.pinnedComment).toBeUndefined();
      expect(e.pinnedUser?.nickname).toBe("Jose");
    });
  });

  it("unauthorizedMember", () => {
    const method = "WebcastUnauthorizedMemberMessage";
    const m = create(WebcastUnauthorizedMemberMessageSchema, {
      common: common(method),
      action: 1,
      nickNamePrefix: { key: "web_nonlogin_im_1", defaultPattern: "Viewer%s" },
      nickName: "743858",
      enterText: { key: "live_room_enter_toast", defaultPattern: "{0:user} joined" },
    });
    const e = mapUnauthorizedMember(m, env(method));
    expect(e.type).toBe("unauthorizedMember");
    expectBase(e, method);
    expect(e.action).toBe(1);
    expect(e.nickName).toBe("743858");
    expect(e.displayName).toBe("Viewer743858");
    expect(e.raw).toBe(m);
    const noPrefix = create(WebcastUnauthorizedMemberMessageSchema, { nickName: "743858" });
    expect(mapUnauthorizedMember(noPrefix, env(method)).displayName).toBe("743858");
  });

  it("linkLayer", () => {
    const method = "WebcastLinkLayerMessage";
    const m = create(WebcastLinkLayerMessageSchema, {
      common: common(method),
      messageType: 9,
      channelId: "7286162204725482501",
      scene: 4,
      rtcRoomId: "7286162204725480001",
      leaveContent: { leaveReason: "10011" },
    });
    const e = mapLinkLayer(m, env(method));
    expect(e.type).toBe("linkLayer");
    expectBase(e, method);
    expect(e.messageType).toBe(9);
    expect(e.channelId).toBe("7286162204725482501");
    expect(e.scene).toBe(4);
    expect(e.rtcRoomId).toBe("7286162204725480001");
    expect(e.leaveReason).toBe(10011);
    expect(e.raw).toBe(m);
    expect(
      mapLinkLayer(create(WebcastLinkLayerMessageSchema, { messageType: 1 }), env(method)).leaveReason,
    ).toBeUndefined();
  });

  it("giftBroadcast", () => {
    const method = "WebcastGiftBroadcastMessage";
    const m = create(WebcastGiftBroadcastMessageSchema, {
      common: common(method),
      fromUserId: "7062697278524703746",
      leftIcon: { urlList: ["https://p16-webcast.tiktokcdn.com/img/universe~tplv-obj.png"] },
      notify: {
        common: common(method, {
          key: "pm_mt_gift_broadcast",
          defaultPattern: "{0:user} sent {1:string} to {2:string}",
          pieces: [
            { type: 11, userValue: { user: { id: jose.id, nickname: "Jose" } } },
            { stringValue: "Universe" },
            { stringValue: "Kara" },
          ],
        }),
        schema: "sslocal://webcast_room?room_id=7286164980062374689",
        notifyType: "3",
        user: jose,
        extra: { duration: "5" },
        fromUserId: "7062697278524703746",
        toAnchorId: "7025655920014590981",
      },
    });
    const e = mapGiftBroadcast(m, env(method));
    expect(e.type).toBe("giftBroadcast");
    expectBase(e, method);
    expect(e.fromUserId).toBe("7062697278524703746");
    expect(e.iconUrl).toBe("https://p16-webcast.tiktokcdn.com/img/universe~tplv-obj.png");
    expect(e.notice.text).toBe("Jose sent Universe to Kara");
    expect(e.notice.displayKey).toBe("pm_mt_gift_broadcast");
    expect(e.notice.schema).toBe("sslocal://webcast_room?room_id=7286164980062374689");
    expect(e.notice.notifyType).toBe(3);
    expect(e.notice.user?.uniqueId).toBe("josed_leon");
    expect(e.notice.fromUserId).toBe("7062697278524703746");
    expect(e.notice.toAnchorId).toBe("7025655920014590981");
    expect(e.notice.durationSec).toBe(5);
    expect(e.raw).toBe(m);
  });
});

describe("secondary mappers (§10.30)", () => {
  it("system", () => {
    const method = "WebcastSystemMessage";
    const m = create(WebcastSystemMessageSchema, {
      common: common(method),
      message: "Please follow the Community Guidelines.",
    });
    const e = mapSystem(m, env(method));
    expect(e.type).toBe("system");
    expectBase(e, method);
    expect(e.message).toBe("Please follow the Community Guidelines.");
    expect(e.raw).toBe(m);
  });

  it("rankText", () => {
    const method = "WebcastRankTextMessage";
    const text = {
      key: "pm_mt_topviewer_comment",
      defaultPattern: "{0:user} just became the No. {1:string} viewer!",
      pieces: [
        { type: 11, userValue: { user: jose } },
        { type: 1, stringValue: "2" },
      ],
    };
    const m = create(WebcastRankTextMessageSchema, {
      common: common(method, text),
      scene: 1,
      ownerIdxAfterUpdate: "2",
      curUserId: "6945719052665439237",
      rankType: 3,
    });
    const e = mapRankText(m, env(method));
    expect(e.type).toBe("rankText");
    expectBase(e, method, "pm_mt_topviewer_comment");
    expect(e.text).toBe("Jose just became the No. 2 viewer!");
    expect(e.scene).toBe(1);
    expect(e.rankType).toBe(3);
    expect(e.userId).toBe("6945719052665439237");
    expect(e.rank).toBe(2);
    expect(e.raw).toBe(m);
    const withContent = create(WebcastRankTextMessageSchema, {
      common: common(method, text),
      content: { defaultPattern: "Top viewers" },
    });
    expect(mapRankText(withContent, env(method)).text).toBe("Top viewers");
  });

  it("linkMicBattleItemCard", () => {
    const method = "WebcastLinkMicBattleItemCard";
    const m = create(WebcastLinkMicBattleItemCardSchema, {
      common: common(method),
      battleId: "7286183348694338347",
      msgType: 4,
    });
    const e = mapLinkMicBattleItemCard(m, env(method));
    expect(e.type).toBe("linkMicBattleItemCard");
    expectBase(e, method);
    expect(e.battleId).toBe("7286183348694338347");
    expect(e.msgType).toBe(4);
    expect(e.raw).toBe(m);
  });

  it("linkMicBattlePunishFinish", () => {
    const method = "WebcastLinkMicBattlePunishFinish";
    const m = create(WebcastLinkMicBattlePunishFinishSchema, {
      common: common(method),
      channelId: "7286182251473226528",
      opUid: "6847356470293021702",
      battleId: "7286182825774271265",
    });
    const e = mapLinkMicBattlePunishFinish(m, env(method));
    expect(e.type).toBe("linkMicBattlePunishFinish");
    expectBase(e, method);
    expect(e.battleId).toBe("7286182825774271265");
    expect(e.channelId).toBe("7286182251473226528");
    expect(e.operatorUserId).toBe("6847356470293021702");
    expect(e.raw).toBe(m);
    const fromSettings = create(WebcastLinkMicBattlePunishFinishSchema, {
      battleSettings: { battleId: "7286182825774271265" },
    });
    expect(mapLinkMicBattlePunishFinish(fromSettings, env(method)).battleId).toBe("7286182825774271265");
  });

  it("linkMicBattleTask", () => {
    const method = "WebcastLinkmicBattleTaskMessage";
    const m = create(WebcastLinkmicBattleTaskMessageSchema, {
      common: common(method),
      taskMessageType: 2,
      battleId: "7286182825774271265",
    });
    const e = mapLinkMicBattleTask(m, env(method));
    expect(e.type).toBe("linkMicBattleTask");
    expectBase(e, method);
    expect(e.taskMessageType).toBe(2);
    expect(e.battleId).toBe("7286182825774271265");
    expect(e.raw).toBe(m);
  });

  it("linkMicFanTicketMethod", () => {
    const method = "WebcastLinkMicFanTicketMethod";
    const icon = "https://p16-webcast.tiktokcdn.com/img/webcast-sg/tiktok_linkmic_coin@3x.png~0x0.png";
    const m = create(WebcastLinkMicFanTicketMethodSchema, {
      common: common(method),
      fanTicketRoomNotice: {
        userFanTicketList: [
          { userId: "6876776122948781058", fanTicket: "8" },
          { userId: "7062697278524703746", fanTicket: "13" },
        ],
        totalLinkmicFanTicket: "21",
        fanTicketIconUrl: icon,
      },
    });
    const e = mapLinkMicFanTicketMethod(m, env(method));
    expect(e.type).toBe("linkMicFanTicketMethod");
    expectBase(e, method);
    expect(e.totalLinkmicFanTicket).toBe(21);
    expect(e.fanTickets).toEqual([
      { userId: "6876776122948781058", fanTicket: 8 },
      { userId: "7062697278524703746", fanTicket: 13 },
    ]);
    expect(e.iconUrl).toBe(icon);
    expect(e.raw).toBe(m);
  });

  it("oecLiveShopping", () => {
    const method = "WebcastOecLiveShoppingMessage";
    const m = create(WebcastOecLiveShoppingMessageSchema, {
      common: common(method),
      actionType: 3,
      liveProductNumber: "12",
    });
    const e = mapOecLiveShopping(m, env(method));
    expect(e.type).toBe("oecLiveShopping");
    expectBase(e, method);
    expect(e.actionType).toBe(3);
    expect(e.liveProductNumber).toBe(12);
    expect(e.raw).toBe(m);
  });

  it("msgDetect", () => {
    const method = "WebcastMsgDetectMessage";
    const m = create(WebcastMsgDetectMessageSchema, {
      common: common(method),
      dType: 2,
      triggerBy: 1,
      fromRegion: "MY",
    });
    const e = mapMsgDetect(m, env(method));
    expect(e.type).toBe("msgDetect");
    expectBase(e, method);
    expect(e.detectType).toBe(2);
    expect(e.triggerBy).toBe(1);
    expect(e.fromRegion).toBe("MY");
    expect(e.raw).toBe(m);
  });

  it("roomVerify", () => {
    const method = "WebcastRoomVerifyMessage";
    const m = create(WebcastRoomVerifyMessageSchema, {
      common: common(method),
      action: 4,
      noticeType: "2",
      closeRoom: true,
    });
    const e = mapRoomVerify(m, env(method));
    expect(e.type).toBe("roomVerify");
    expectBase(e, method);
    expect(e.action).toBe(4);
    expect(e.noticeType).toBe(2);
    expect(e.closeRoom).toBe(true);
    expect(e.raw).toBe(m);
  });

  it("accessControl", () => {
    const method = "WebcastAccessControlMessage";
    const m = create(WebcastAccessControlMessageSchema, { common: common(method) });
    const e = mapAccessControl(m, env(method));
    expect(e.type).toBe("accessControl");
    expectBase(e, method);
    expect(e.raw).toBe(m);
  });

  it("accessRecall", () => {
    const method = "WebcastAccessRecallMessage";
    const m = create(WebcastAccessRecallMessageSchema, {
      common: common(method),
      status: 1,
      duration: "600",
      endTime: "1701794360",
      scene: "GIFT",
    });
    const e = mapAccessRecall(m, env(method));
    expect(e.type).toBe("accessRecall");
    expectBase(e, method);
    expect(e.status).toBe(1);
    expect(e.duration).toBe(600);
    expect(e.endTime).toBe(1701794360);
    expect(e.scene).toBe("GIFT");
    expect(e.raw).toBe(m);
  });

  it("boostCard", () => {
    const method = "WebcastBoostCardMessage";
    const m = create(WebcastBoostCardMessageSchema, { common: common(method) });
    const e = mapBoostCard(m, env(method));
    expect(e.type).toBe("boostCard");
    expectBase(e, method);
    expect(e.raw).toBe(m);
  });

  it("bottomMessage", () => {
    const method = "WebcastBottomMessage";
    const m = create(WebcastBottomMessageSchema, {
      common: common(method, {
        key: "pm_mt_prerecorded_warning_banner",
        defaultPattern: "This LIVE is pre-recorded.",
      }),
      showType: 1,
      duration: "604800",
      bizType: 6,
      violationUserId: "6777692881861379077",
      punishInfo: {
        punishType: "all_nr",
        punishId: "7286179432876215072",
        violationUid: "6777692881861379077",
      },
      floatStyle: 5,
    });
    const e = mapBottomMessage(m, env(method));
    expect(e.type).toBe("bottomMessage");
    expectBase(e, method, "pm_mt_prerecorded_warning_banner");
    expect(e.text).toBe("This LIVE is pre-recorded.");
    expect(e.showType).toBe(1);
    expect(e.bizType).toBe(6);
    expect(e.durationSec).toBe(604800);
    expect(e.violationUserId).toBe("6777692881861379077");
    expect(e.punishment).toEqual({
      punishType: "all_nr",
      punishId: "7286179432876215072",
      violationUserId: "6777692881861379077",
    });
    expect(e.raw).toBe(m);
  });

  it("capsule", () => {
    const method = "WebcastCapsuleMessage";
    const m = create(WebcastCapsuleMessageSchema, {
      common: common(method, { key: "pm_mt_capsule", defaultPattern: "Gift gallery updated" }),
      type: 2,
    });
    const e = mapCapsule(m, env(method));
    expect(e.type).toBe("capsule");
    expectBase(e, method, "pm_mt_capsule");
    expect(e.capsuleType).toBe(2);
    expect(e.text).toBe("Gift gallery updated");
    expect(e.raw).toBe(m);
  });

  it("gameRankNotify", () => {
    const method = "WebcastGameRankNotifyMessage";
    const m = create(WebcastGameRankNotifyMessageSchema, { common: common(method), msgType: 3 });
    const e = mapGameRankNotify(m, env(method));
    expect(e.type).toBe("gameRankNotify");
    expectBase(e, method);
    expect(e.msgType).toBe(3);
    expect(e.raw).toBe(m);
  });

  it("giftDynamicRestriction", () => {
    const method = "WebcastGiftDynamicRestrictionMessage";
    const m = create(WebcastGiftDynamicRestrictionMessageSchema, { common: common(method) });
    const e = mapGiftDynamicRestriction(m, env(method));
    expect(e.type).toBe("giftDynamicRestriction");
    expectBase(e, method);
    expect(e.raw).toBe(m);
  });

  it("giftPanelUpdate", () => {
    const method = "WebcastGiftPanelUpdateMessage";
    const m = create(WebcastGiftPanelUpdateMessageSchema, {
      common: common(method),
      roomId: ROOM_ID,
      timestamp: "1696447176",
    });
    const e = mapGiftPanelUpdate(m, env(method));
    expect(e.type).toBe("giftPanelUpdate");
    expectBase(e, method);
    expect(e.timestamp).toBe(1696447176);
    expect(e.raw).toBe(m);
    // Without a room id in `common`, the message's own roomId is used.
    const bare = create(WebcastGiftPanelUpdateMessageSchema, {
      common: { msgId: MSG_ID },
      roomId: "7286172095213060000",
    });
    expect(mapGiftPanelUpdate(bare, env(method)).roomId).toBe("7286172095213060000");
  });

  it("giftPrompt", () => {
    const method = "WebcastGiftPromptMessage";
    const m = create(WebcastGiftPromptMessageSchema, {
      common: common(method, {
        key: "pm_mt_gift_prompt",
        defaultPattern: "Send a {0:string} to support the host",
        pieces: [{ stringValue: "Rose" }],
      }),
    });
    const e = mapGiftPrompt(m, env(method));
    expect(e.type).toBe("giftPrompt");
    expectBase(e, method, "pm_mt_gift_prompt");
    expect(e.text).toBe("Send a Rose to support the host");
    expect(e.raw).toBe(m);
  });

  it("guide", () => {
    const method = "WebcastGuideMessage";
    const m = create(WebcastGuideMessageSchema, {
      common: common(method),
      guideType: "4",
      giftId: "5655",
      duration: "10",
    });
    const e = mapGuide(m, env(method));
    expect(e.type).toBe("guide");
    expectBase(e, method);
    expect(e.guideType).toBe(4);
    expect(e.giftId).toBe("5655");
    expect(e.duration).toBe(10);
    expect(e.raw).toBe(m);
  });

  it("linkMicLayoutState", () => {
    const method = "WebcastLinkMicLayoutStateMessage";
    const m = create(WebcastLinkMicLayoutStateMessageSchema, {
      common: common(method),
      channelId: "7286162204725482501",
      scene: 4,
    });
    const e = mapLinkMicLayoutState(m, env(method));
    expect(e.type).toBe("linkMicLayoutState");
    expectBase(e, method);
    expect(e.channelId).toBe("7286162204725482501");
    expect(e.scene).toBe(4);
    expect(e.raw).toBe(m);
  });

  it("linkState", () => {
    const method = "WebcastLinkStateMessage";
    const m = create(WebcastLinkStateMessageSchema, {
      common: common(method),
      channelId: "7286162204725482501",
    });
    const e = mapLinkState(m, env(method));
    expect(e.type).toBe("linkState");
    expectBase(e, method);
    expect(e.channelId).toBe("7286162204725482501");
    expect(e.raw).toBe(m);
  });

  it("liveGameIntro", () => {
    const method = "WebcastLiveGameIntroMessage";
    const m = create(WebcastLiveGameIntroMessageSchema, {
      common: common(method),
      content: {
        key: "pm_mt_game_intro",
        defaultPattern: "Playing {0:string}",
        pieces: [{ stringValue: "Minecraft" }],
      },
      hasRankInfo: true,
    });
    const e = mapLiveGameIntro(m, env(method));
    expect(e.type).toBe("liveGameIntro");
    expectBase(e, method);
    expect(e.text).toBe("Playing Minecraft");
    expect(e.hasRankInfo).toBe(true);
    expect(e.raw).toBe(m);
  });

  it("marqueeAnnouncement", () => {
    const method = "WebcastMarqueeAnnouncementMessage";
    const m = create(WebcastMarqueeAnnouncementMessageSchema, {
      common: common(method),
      messageScene: "start_room_event",
      messageEntity: [
        {
          notify: {
            common: common(method, {
              key: "pm_mt_Live_announcement",
              defaultPattern: "Weekly No. {0:string}: {1:string} is LIVE",
              pieces: [{ stringValue: "1" }, { stringValue: "sa.m3a" }],
            }),
            schema: "sslocal://webcast_room?room_id=7286164980062374689",
            notifyType: "3",
            fromUserId: "7062697278524703746",
          },
        },
      ],
    });
    const e = mapMarqueeAnnouncement(m, env(method));
    expect(e.type).toBe("marqueeAnnouncement");
    expectBase(e, method);
    expect(e.scene).toBe("start_room_event");
    expect(e.announcements).toHaveLength(1);
    expect(e.announcements[0]?.text).toBe("Weekly No. 1: sa.m3a is LIVE");
    expect(e.announcements[0]?.schema).toBe("sslocal://webcast_room?room_id=7286164980062374689");
    expect(e.announcements[0]?.fromUserId).toBe("7062697278524703746");
    expect(e.announcements[0]?.user).toBeUndefined();
    expect(e.raw).toBe(m);
  });

  it("notice", () => {
    const method = "WebcastNoticeMessage";
    const m = create(WebcastNoticeMessageSchema, {
      common: common(method, { key: "pm_mt_notice", defaultPattern: "Be kind to each other." }),
      noticeType: "2",
    });
    const e = mapNotice(m, env(method));
    expect(e.type).toBe("notice");
    expectBase(e, method, "pm_mt_notice");
    expect(e.noticeType).toBe(2);
    expect(e.text).toBe("Be kind to each other.");
    expect(e.raw).toBe(m);
  });

  it("partnershipDropsUpdate", () => {
    const method = "WebcastPartnershipDropsUpdateMessage";
    const m = create(WebcastPartnershipDropsUpdateMessageSchema, {
      common: common(method),
      changeMode: 2,
      dropsId: "7276370375076088578",
    });
    const e = mapPartnershipDropsUpdate(m, env(method));
    expect(e.type).toBe("partnershipDropsUpdate");
    expectBase(e, method);
    expect(e.changeMode).toBe(2);
    expect(e.dropsId).toBe("7276370375076088578");
    expect(e.raw).toBe(m);
  });

  it("partnershipGameOffline", () => {
    const method = "WebcastPartnershipGameOfflineMessage";
    const m = create(WebcastPartnershipGameOfflineMessageSchema, { common: common(method) });
    const e = mapPartnershipGameOffline(m, env(method));
    expect(e.type).toBe("partnershipGameOffline");
    expectBase(e, method);
    expect(e.raw).toBe(m);
  });

  it("partnershipPunish", () => {
    const method = "WebcastPartnershipPunishMessage";
    const m = create(WebcastPartnershipPunishMessageSchema, {
      common: common(method),
      punishInfo: {
        punishType: "drops_ban",
        punishId: "7286096584089209633",
        violationUid: "7092954951501366278",
      },
    });
    const e = mapPartnershipPunish(m, env(method));
    expect(e.type).toBe("partnershipPunish");
    expectBase(e, method);
    expect(e.punishment).toEqual({
      punishType: "drops_ban",
      punishId: "7286096584089209633",
      violationUserId: "7092954951501366278",
    });
    expect(e.raw).toBe(m);
    expect(
      mapPartnershipPunish(create(WebcastPartnershipPunishMessageSchema), env(method)).punishment,
    ).toBeUndefined();
  });

  it("perception", () => {
    const method = "WebcastPerceptionMessage";
    const m = create(WebcastPerceptionMessageSchema, {
      common: common(method),
      dialog: { scene: 6 },
      punishInfo: {
        punishType: "muting_cancel",
        punishId: "7286096584089209633",
        violationUid: "7092954951501366278",
      },
      endTime: "1696430166",
    });
    const e = mapPerception(m, env(method));
    expect(e.type).toBe("perception");
    expectBase(e, method);
    expect(e.dialogScene).toBe(6);
    expect(e.punishment).toEqual({
      punishType: "muting_cancel",
      punishId: "7286096584089209633",
      violationUserId: "7092954951501366278",
    });
    expect(e.endTime).toBe(1696430166);
    expect(e.raw).toBe(m);
  });

  it("roomNotify", () => {
    const method = "WebcastRoomNotifyMessage";
    const m = create(WebcastRoomNotifyMessageSchema, {
      common: common(method, {
        key: "pm_mt_boost_mist_got_comment_others",
        defaultPattern: "The MVP {0:string} got 1 magic mist.",
        pieces: [{ type: 1, stringValue: "itzelvilca" }],
      }),
      schema: "sslocal://webcast_room?room_id=7286163127637248774",
      notifyType: "3",
      user: kara,
      extra: { duration: "5" },
      fromUserId: "7025655920014590981",
      toAnchorId: "7062697278524703746",
    });
    const e = mapRoomNotify(m, env(method));
    expect(e.type).toBe("roomNotify");
    expectBase(e, method, "pm_mt_boost_mist_got_comment_others");
    expect(e.text).toBe("The MVP itzelvilca got 1 magic mist.");
    expect(e.schema).toBe("sslocal://webcast_room?room_id=7286163127637248774");
    expect(e.notifyType).toBe(3);
    expect(e.user?.nickname).toBe("☀️Kara☀️");
    expect(e.fromUserId).toBe("7025655920014590981");
    expect(e.toAnchorId).toBe("7062697278524703746");
    expect(e.durationSec).toBe(5);
    expect(e.raw).toBe(m);
  });

  it("speaker", () => {
    const method = "WebcastSpeakerMessage";
    const m = create(WebcastSpeakerMessageSchema, { common: common(method) });
    const e = mapSpeaker(m, env(method));
    expect(e.type).toBe("speaker");
    expectBase(e, method);
    expect(e.raw).toBe(m);
  });

  it("subPinEvent", () => {
    const method = "WebcastSubPinEventMessage";
    const m = create(WebcastSubPinEventMessageSchema, {
      common: common(method),
      actionType: 1,
      card: { type: 2, id: "7275062330730892064" },
      operatorUserId: "7015305048847549445",
    });
    const e = mapSubPinEvent(m, env(method));
    expect(e.type).toBe("subPinEvent");
    expectBase(e, method);
    expect(e.actionType).toBe(1);
    expect(e.cardId).toBe("7275062330730892064");
    expect(e.cardType).toBe(2);
    expect(e.operatorUserId).toBe("7015305048847549445");
    expect(e.raw).toBe(m);
  });

  it("toast", () => {
    const method = "WebcastToastMessage";
    const m = create(WebcastToastMessageSchema, {
      common: common(method, {
        key: "pm_mt_toast",
        defaultPattern: "{0:user} is now a moderator",
        pieces: [{ userValue: { user: jose } }],
      }),
      displayDurationMillisecond: "3000",
    });
    const e = mapToast(m, env(method));
    expect(e.type).toBe("toast");
    expectBase(e, method, "pm_mt_toast");
    expect(e.text).toBe("Jose is now a moderator");
    expect(e.displayDurationMs).toBe(3000);
    expect(e.raw).toBe(m);
  });

  it("viewerPicksUpdate", () => {
    const method = "WebcastViewerPicksUpdateMessage";
    const m = create(WebcastViewerPicksUpdateMessageSchema, { common: common(method), updateType: 2 });
    const e = mapViewerPicksUpdate(m, env(method));
    expect(e.type).toBe("viewerPicksUpdate");
    expectBase(e, method);
    expect(e.updateType).toBe(2);
    expect(e.raw).toBe(m);
  });
});

function toList(out: TikTokEvent | readonly TikTokEvent[]): readonly TikTokEvent[] {
  return "type" in out ? [out] : out;
}

describe("handlers", () => {
  const all: readonly AnyMessageHandler[] = [...primaryHandlers, ...secondaryHandlers, ...methodHandlers];
  const webcastMessages = (file: typeof file_tiklive_webcast_v1_messages) =>
    file.messages.map((m) => m.name).filter((n) => n.startsWith("Webcast"));

  it("primary + secondary + method handlers cover every generated Webcast* message exactly once", () => {
    // messages.proto: the messages with friendly events; methods.proto: those with generic ones.
    const friendly = webcastMessages(file_tiklive_webcast_v1_messages);
    const generic = webcastMessages(file_tiklive_webcast_v1_methods);
    expect(friendly.length).toBeGreaterThanOrEqual(62);
    expect(generic.length).toBeGreaterThanOrEqual(169);
    const methods = all.map((h) => h.method);
    expect(new Set(methods).size).toBe(methods.length);
    expect([...methods].sort()).toEqual([...friendly, ...generic].sort());
    expect([...primaryHandlers, ...secondaryHandlers].map((h) => h.method).sort()).toEqual(
      [...friendly].sort(),
    );
    expect(methodHandlers.map((h) => h.method).sort()).toEqual([...generic].sort());
    expect(secondaryHandlers).toHaveLength(47);
  });

  it("every handler declares each event type its mapper returns for a default message, and never throws", () => {
    for (const h of all) {
      const events = toList(h.map(create(h.schema), env(h.method)));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(h.events, `${h.method} -> ${e.type}`).toContain(e.type);
        expect(e.method).toBe(h.method);
        expect(e.msgId).toBe(ENV_MSG_ID);
      }
    }
  });

  it("secondary handlers each declare exactly one event name, all distinct", () => {
    const names = secondaryHandlers.flatMap((h) => h.events);
    expect(names).toHaveLength(47);
    expect(new Set(names).size).toBe(47);
  });
});

// ---------------------------------------------------------------------------------------------
// Real captured payloads
// ---------------------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

function narrow<T extends CoreEvent["type"]>(
  event: CoreEvent | undefined,
  type: T,
): Extract<CoreEvent, { type: T }> {
  expect(event?.type).toBe(type);
  return event as Extract<CoreEvent, { type: T }>;
}

/** One check per handled method: friendly fields against the vector's expected decoded values. */
const vectorChecks: Record<string, (event: CoreEvent | undefined, f: Fields) => void> = {
  WebcastRankUpdateMessage(event, f) {
    const e = narrow(event, "rankUpdate");
    expect(e.updates).toHaveLength(Number(f["updates.length"]));
    expect(e.updates[0]?.rankType).toBe(f["updates.0.rankType"]);
    expect(e.updates[0]?.textKey).toBe(f["updates.0.defaultContent.key"]);
    expect(e.updates[0]?.countdownSec).toBe(Number(f["updates.0.countdown"]));
    expect(e.rankPriority).toBe(Number(f.rankPriority));
  },
  WebcastPollMessage(event, f) {
    const e = narrow(event, "pollMessage");
    expect(e.pollId).toBe(f.pollId);
    const prefix = f["startContent.optionList.length"] !== undefined ? "startContent" : "updateVotesContent";
    expect(e.kind).toBe(prefix === "startContent" ? "start" : "update");
    expect(e.options).toHaveLength(Number(f[`${prefix}.optionList.length`]));
    expect(e.options[0]?.text).toBe(f[`${prefix}.optionList.0.displayContent`]);
    expect(e.options[0]?.text).toBe("😁");
    if (prefix === "startContent") {
      expect(e.operator?.nickname).toBe(f["startContent.operator.nickname"]);
      expect(e.endTime).toBe(Number(f["startContent.endTime"]));
    } else {
      expect(e.options[0]?.votes).toBe(Number(f["updateVotesContent.optionList.0.votes"]));
      expect(e.messageType).toBe(Number(f.messageType));
    }
  },
  WebcastGoalUpdateMessage(event, f) {
    const e = narrow(event, "goalUpdate");
    expect(e.goalId).toBe(f["goal.idStr"]);
    expect(e.description).toBe(f["goal.description"]);
    expect(e.subGoals).toHaveLength(Number(f["goal.subGoals.length"]));
    expect(e.subGoals[0]?.giftName).toBe(f["goal.subGoals.0.gift.name"]);
    expect(e.subGoals[0]?.progress).toBe(Number(f["goal.subGoals.0.progress"]));
    expect(e.subGoals[0]?.target).toBe(Number(f["goal.subGoals.0.target"]));
    expect(e.contributorId).toBe(f.contributorIdStr);
    expect(e.contributorUniqueId).toBe(f.contributorDisplayId);
    expect(e.contributeCount).toBe(Number(f.contributeCount));
  },
  WebcastCaptionMessage(event, f) {
    const e = narrow(event, "captionMessage");
    expect(e.captions).toHaveLength(Number(f["content.length"]));
    expect(e.captions[0]).toEqual({ language: f["content.0.lang"], text: f["content.0.content"] });
    expect(e.captions[0]?.text).toBe("Hello.");
    expect(e.timestampMs).toBe(Number(f.timestampMs));
  },
  WebcastInRoomBannerMessage(event) {
    // The expected values list no field: the JSON is checked for its known top-level keys.
    const e = narrow(event, "inRoomBanner");
    expect(e.data).toMatchObject({ debug: false, user: "7156699187026150406" });
  },
  WebcastRoomPinMessage(event, f) {
    const e = narrow(event, "roomPin");
    expect(e.pinnedComment).toBe(f["chatMessage.content"]);
    expect(e.pinnedComment).toBe("❤️ Je Zug 1 Los . viel Glück");
    expect(e.pinnedUser?.nickname).toBe(f["chatMessage.user.nickname"]);
    expect(e.pinnedMethod).toBe(f.method);
    expect(e.action).toBe(f.action === 1 ? "pin" : "unpin");
    expect(e.operator.userId).toBe(f["operator.id"]);
    expect(e.pinMsgId).toBe(f.pinMsgId);
    expect(e.displayDurationSec).toBe(Number(f.displayDuration));
  },
  WebcastImDeleteMessage(event, f) {
    const e = narrow(event, "imDelete");
    expect(e.deleteUserIds).toEqual(f.deleteUserIds);
    expect(e.deleteMsgIds).toEqual([]);
  },
  WebcastLinkLayerMessage(event, f) {
    const e = narrow(event, "linkLayer");
    expect(e.channelId).toBe(f.channelId);
    expect(e.messageType).toBe(f.messageType);
    expect(e.scene).toBe(f.scene);
    expect(e.leaveReason).toBe(Number(f["leaveContent.leaveReason"]));
  },
  WebcastLinkMessage(event, f) {
    const e = narrow(event, "linkMessage");
    expect(e.linkerId).toBe(f.linkerId);
    expect(e.messageType).toBe(f.messageType);
    expect(e.scene).toBe(f.scene);
  },
  WebcastLinkMicMethod(event, f) {
    const e = narrow(event, "linkMicMethod");
    expect(e.userId).toBe(f.userId);
    expect(e.fanTicket).toBe(Number(f.fanTicket));
    expect(e.totalLinkmicFanTicket).toBe(Number(f.totalLinkmicFanTicket));
    expect(e.messageType).toBe(f.messageType);
  },
  WebcastLinkMicFanTicketMethod(event, f) {
    const e = narrow(event, "linkMicFanTicketMethod");
    expect(e.totalLinkmicFanTicket).toBe(Number(f["fanTicketRoomNotice.totalLinkmicFanTicket"]));
    expect(e.iconUrl).toBe(f["fanTicketRoomNotice.fanTicketIconUrl"]);
  },
  WebcastRankTextMessage(event, f) {
    const e = narrow(event, "rankText");
    expect(e.userId).toBe(f.curUserId);
    expect(e.rank).toBe(Number(f.ownerIdxAfterUpdate));
    expect(e.scene).toBe(f.scene);
    expect(e.text).toBe("Jose just became the No. 2 viewer!");
  },
  WebcastHourlyRankRewardMessage(event, f) {
    const e = narrow(event, "hourlyRank");
    expect(e.winners).toHaveLength(Number(f["winners.length"]));
    expect(e.winners[0]?.text).toContain(".khalid_ksa just became the No. 1 LIVE creator");
  },
  WebcastUnauthorizedMemberMessage(event, f) {
    const e = narrow(event, "unauthorizedMember");
    expect(e.nickName).toBe(f.nickName);
    expect(e.action).toBe(f.action);
    expect(e.displayName).toBe(`Viewer${String(f.nickName)}`);
  },
  WebcastSubPinEventMessage(event, f) {
    const e = narrow(event, "subPinEvent");
    expect(e.actionType).toBe(f.actionType);
    expect(e.cardId).toBe(f["card.id"]);
    expect(e.cardType).toBe(f["card.type"]);
    expect(e.operatorUserId).toBe(f.operatorUserId);
  },
  WebcastMsgDetectMessage(event, f) {
    const e = narrow(event, "msgDetect");
    expect(e.detectType).toBe(f.dType);
    expect(e.fromRegion).toBe(f.fromRegion);
  },
  WebcastRoomVerifyMessage(event, f) {
    expect(narrow(event, "roomVerify").action).toBe(f.action);
  },
  WebcastOecLiveShoppingMessage(event, f) {
    // The capture carries only traceInfo (no friendly field of its own); the rest are defaults.
    const e = narrow(event, "oecLiveShopping");
    expect(e.raw.traceInfo?.sendTime).toBe(f["traceInfo.sendTime"]);
    expect(e.actionType).toBe(0);
    expect(e.liveProductNumber).toBe(0);
  },
  WebcastLinkMicBattlePunishFinish(event, f) {
    const e = narrow(event, "linkMicBattlePunishFinish");
    expect(e.battleId).toBe(f.battleId);
    expect(e.channelId).toBe(f.channelId);
    expect(e.operatorUserId).toBe(f.opUid);
  },
  WebcastLinkmicBattleTaskMessage(event, f) {
    expect(narrow(event, "linkMicBattleTask").taskMessageType).toBe(f.taskMessageType);
  },
  WebcastLinkMicBattleItemCard(event, f) {
    const e = narrow(event, "linkMicBattleItemCard");
    expect(e.battleId).toBe(f.battleId);
    expect(e.msgType).toBe(f.msgType);
  },
  WebcastAccessRecallMessage(event, f) {
    expect(narrow(event, "accessRecall").scene).toBe(f.scene);
  },
  WebcastMarqueeAnnouncementMessage(event, f) {
    const e = narrow(event, "marqueeAnnouncement");
    expect(e.scene).toBe(f.messageScene);
    expect(e.announcements).toHaveLength(Number(f["messageEntity.length"]));
    expect(e.announcements[0]?.text).toBe("Weekly No. 1: sa.m3a is LIVE");
  },
  WebcastPerceptionMessage(event, f) {
    const e = narrow(event, "perception");
    expect(e.dialogScene).toBe(f["dialog.scene"]);
    expect(e.punishment).toEqual({
      punishType: f["punishInfo.punishType"],
      punishId: f["punishInfo.punishId"],
      violationUserId: f["punishInfo.violationUid"],
    });
  },
  WebcastPartnershipDropsUpdateMessage(event, f) {
    const e = narrow(event, "partnershipDropsUpdate");
    expect(e.changeMode).toBe(f.changeMode);
    expect(e.dropsId).toBe(f.dropsId);
  },
  WebcastRoomNotifyMessage(event, f) {
    const e = narrow(event, "roomNotify");
    expect(e.notifyType).toBe(Number(f.notifyType));
    expect(e.durationSec).toBe(Number(f["extra.duration"]));
    expect(e.text).toBe("The MVP itzelvilca got 1 magic mist.");
  },
  WebcastBottomMessage(event, f) {
    const e = narrow(event, "bottomMessage");
    expect(e.bizType).toBe(f.bizType);
    expect(e.durationSec).toBe(Number(f.duration));
    expect(e.violationUserId).toBe(f.violationUserId);
    expect(e.punishment?.punishType).toBe(f["punishInfo.punishType"]);
    expect(e.text).toBe("This LIVE is pre-recorded.");
  },
};

const vectors = loadRealVectors();

describe.skipIf(!vectors)("secondary events from real payloads", () => {
  const secondaryMethods = new Set<string>(secondaryHandlers.map((h) => h.method));
  const handled = (vectors ?? []).filter((v) => secondaryMethods.has(v.type));

  it("has real payloads for secondary messages", () => {
    expect(handled.length).toBeGreaterThanOrEqual(28);
  });

  it.each(handled.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const decoder = createEventDecoder({ dedup: false });
    const payload = base64ToBytes(v.base64);
    const events = decoder.decodeMessage({
      method: v.type,
      payload,
      msgId: "0",
      msgType: 0,
      offset: "0",
      isHistory: false,
    });
    expect(events.map((e) => e.type)).not.toContain("decodeError");
    expect(events.map((e) => e.type)).not.toContain("unknownMessage");
    const first = events[0];
    if (
      first === undefined ||
      first.type === "decodeError" ||
      first.type === "unknownMessage" ||
      first.type === "giftCompleted"
    ) {
      throw new Error(`${v.id}: no message event`);
    }
    const expectedCommon = v.expected.common ?? {};
    expect(first.msgId).toBe(expectedCommon.msgId);
    expect(first.roomId).toBe(expectedCommon.roomId);
    expect(first.createTime).toBe(Number(expectedCommon.createTime));
    expect(first.method).toBe(v.type);
    const check = vectorChecks[v.type];
    if (check === undefined) throw new Error(`no friendly-field check for ${v.type} (vector ${v.id})`);
    check(first, v.expected.fields ?? {});
  });
});

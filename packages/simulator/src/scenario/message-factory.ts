import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { Random } from "@tiklive/core/internal";
import {
  BattleAnchorInfoSchema,
  BattleBaseUserInfoSchema,
  BattleResultSchema,
  BattleResultType,
  BattleSettingSchema,
  BattleUserArmiesSchema,
  BattleUserArmySchema,
  BattleUserInfoSchema,
  CaptionContentSchema,
  CommentQualityScoreSchema,
  type CommonMessageData,
  CommonMessageDataSchema,
  ContributorSchema,
  ControlAction,
  EmoteModelSchema,
  GoalIndicatorSchema,
  ImageModelSchema,
  LinkMicArmiesTriggerReason,
  LinkMicBattleAction,
  LiveStreamGoalSchema,
  LiveStreamSubGoalGiftSchema,
  LiveStreamSubGoalSchema,
  MemberMessageAction,
  MessageRedEnvelopInfoSchema,
  PollEndContentSchema,
  PollEndType,
  PollKind,
  PollOptionInfoSchema,
  PollStartContentSchema,
  PollUpdateVotesContentSchema,
  QuestionSchema,
  RoomPinAction,
  type Text,
  TextFormatSchema,
  TextPieceGiftSchema,
  TextPiecePatternRefSchema,
  TextPieceSchema,
  TextPieceUserSchema,
  TextSchema,
  WebcastCaptionMessageSchema,
  type WebcastChatMessage,
  WebcastChatMessageSchema,
  WebcastControlMessageSchema,
  WebcastEmoteChatMessageSchema,
  WebcastEnvelopeMessageSchema,
  WebcastGiftMessageSchema,
  WebcastGoalUpdateMessageSchema,
  WebcastImDeleteMessageSchema,
  WebcastLikeMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastLinkMicBattleSchema,
  WebcastLiveIntroMessageSchema,
  WebcastMemberMessageSchema,
  WebcastPollMessageSchema,
  WebcastQuestionNewMessageSchema,
  WebcastRoomMessageSchema,
  WebcastRoomPinMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
  WebcastSubNotifyMessageSchema,
} from "@tiklive/proto";
import { snowflakeId } from "../snowflake.js";
import { giftImage, type SimGift, toProtoGift } from "./gifts.js";
import type { ScenarioFieldValue, ScenarioMessage } from "./scenario-types.js";
import { avatarUrls, type SimUser, toProtoUser, toUserIdentity } from "./users.js";

/** A chat message together with its decoded form (a pin embeds it later). */
export interface BuiltChat {
  message: ScenarioMessage;
  proto: WebcastChatMessage;
}

/** One battle participant's score. */
export interface ArmyScore {
  anchor: SimUser;
  score: number;
  supporters: { user: SimUser; score: number }[];
}

/** The i18n display keys the builders use (`common.displayText.key`, docs/protocol.md §9.1). */
export const displayKeys = Object.freeze({
  gift: "webcast_aweme_gift_send_message",
  member: "live_room_enter_toast",
  subscribeMember: "pm_mt_sub_member_message",
  like: "pm_mt_msg_viewer",
  follow: "pm_main_follow_message_viewer_2",
  share: "pm_mt_guidance_share",
  subNotify: "ttlive_subscribe_notify_message",
  envelope: "pm_mt_treasurebox_notice",
} as const);

const white = () => create(TextFormatSchema, { color: "#ffffffff", weight: 400 });
const gold = () => create(TextFormatSchema, { color: "#ffface15", weight: 400 });
const blue = () => create(TextFormatSchema, { color: "#ff8ce7ff", weight: 400 });

function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
  return toBinary(schema, create(schema, init));
}

function userText(key: string, pattern: string, user: SimUser): Text {
  return create(TextSchema, {
    key,
    defaultPattern: pattern,
    defaultFormat: white(),
    pieces: [
      create(TextPieceSchema, {
        type: 11,
        format: blue(),
        userValue: create(TextPieceUserSchema, { user: toProtoUser(user), withColon: false }),
      }),
    ],
  });
}

/**
 * Builds encoded Webcast messages with the fields real ones carry (common with a
 * unique 19-digit msgId, roomId, createTime in ms and a display text; users with
 * id, displayId, nickname, avatar URLs, badges and followInfo; docs/protocol.md §9, §10).
 * Every id comes from `random`, so a factory replays byte for byte.
 */
export class MessageFactory {
  private readonly usedIds = new Set<string>();

  constructor(
    private readonly random: Random,
    /** The room the messages belong to. */
    readonly roomId: string,
    /** The room's host. */
    readonly host: SimUser,
  ) {}

  /** A fresh 19-digit id for `timeMs`, never repeated by this factory. */
  newId(timeMs: number): string {
    for (;;) {
      const id = snowflakeId(this.random, timeMs);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private common(
    method: string,
    timeMs: number,
    displayText?: Text,
    describe?: string,
  ): { msgId: string; common: CommonMessageData } {
    const msgId = this.newId(timeMs);
    const common = create(CommonMessageDataSchema, {
      method,
      msgId,
      roomId: this.roomId,
      createTime: String(timeMs),
      isShowMsg: true,
      describe: describe ?? "",
      displayText,
      foldType: "2",
      anchorFoldType: "2",
      fromIdc: "useast2a",
      roomMessageHeatLevel: String(this.random.int(1, 5)),
      foldTypeForWeb: "2",
      anchorFoldTypeForWeb: "2",
    });
    return { msgId, common };
  }

  private finish(
    method: string,
    msgId: string,
    timeMs: number,
    payload: Uint8Array,
    fields: Record<string, ScenarioFieldValue>,
    endsStream = false,
  ): ScenarioMessage {
    const message: ScenarioMessage = {
      method,
      msgId,
      createTime: timeMs,
      payload,
      fields: Object.freeze(fields),
    };
    return endsStream ? { ...message, endsStream: true } : message;
  }

  /** `WebcastChatMessage` (§10.1). */
  chat(user: SimUser, content: string, timeMs: number, language: string, atUser?: SimUser): BuiltChat {
    const method = "WebcastChatMessage";
    const { msgId, common } = this.common(method, timeMs);
    common.clientSendTime = String(timeMs - this.random.int(300, 1500));
    // Real chats carry ~20 ranking scores; a handful keeps sizes realistic (1-2 KB).
    const scores = [
      "user_type_rule",
      "community-flagged",
      "commentator_id",
      "default",
      "rankV3",
      "ttp_rule_rerank",
      "timestamp_desc",
      "idc_rule_rerank",
    ].map((version) =>
      create(CommentQualityScoreSchema, {
        version,
        score: version === "commentator_id" ? user.id : String(timeMs * 1000 + this.random.int(0, 99_999)),
      }),
    );
    const proto = create(WebcastChatMessageSchema, {
      common,
      user: toProtoUser(user),
      content,
      atUser: atUser === undefined ? undefined : toProtoUser(atUser),
      contentLanguage: language,
      userIdentity: toUserIdentity(user),
      commentQualityScores: scores,
      commentTag: [0],
    });
    const fields: Record<string, ScenarioFieldValue> = {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      content,
    };
    if (atUser !== undefined) fields["atUser.uniqueId"] = atUser.uniqueId;
    return {
      message: this.finish(method, msgId, timeMs, toBinary(WebcastChatMessageSchema, proto), fields),
      proto,
    };
  }

  /** `WebcastMemberMessage` (§10.3): action 1 joined, 3 subscribed. */
  member(
    user: SimUser,
    timeMs: number,
    viewers: number,
    action: MemberMessageAction = MemberMessageAction.JOINED,
  ): ScenarioMessage {
    const method = "WebcastMemberMessage";
    const subscribed = action === MemberMessageAction.SUBSCRIBED;
    const text = subscribed
      ? userText(displayKeys.subscribeMember, "{0:user} just subscribed to the host", user)
      : userText(displayKeys.member, "{0:user} joined", user);
    const { msgId, common } = this.common(method, timeMs, text);
    const payload = encode(WebcastMemberMessageSchema, {
      common,
      user: toProtoUser(user),
      memberCount: viewers,
      action,
      enterType: subscribed ? 0 : 1,
      userId: user.id,
      anchorDisplayText: text,
      clientEnterSource: "unknown",
      clientEnterType: "click",
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      action,
      memberCount: viewers,
    });
  }

  /** `WebcastLikeMessage` (§10.4) with the room total. */
  like(user: SimUser, timeMs: number, count: number, total: number): ScenarioMessage {
    const method = "WebcastLikeMessage";
    const { msgId, common } = this.common(
      method,
      timeMs,
      userText(displayKeys.like, "{0:user} liked the LIVE", user),
    );
    const payload = encode(WebcastLikeMessageSchema, {
      common,
      count,
      total: String(total),
      user: toProtoUser(user),
      effectCnt: "1",
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      count,
      total,
    });
  }

  /** `WebcastSocialMessage` (§10.5) for a follow: key `pm_main_follow_message_viewer_2`, action 1. */
  follow(user: SimUser, timeMs: number, followCount: number): ScenarioMessage {
    const method = "WebcastSocialMessage";
    const { msgId, common } = this.common(
      method,
      timeMs,
      userText(displayKeys.follow, "{0:user} followed the LIVE creator", user),
    );
    const payload = encode(WebcastSocialMessageSchema, {
      common,
      user: toProtoUser(user),
      action: "1",
      shareTarget: "-1",
      followCount: String(followCount),
      showDurationMs: "3000",
      followType: 1,
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      displayKey: displayKeys.follow,
      action: 1,
      followCount,
    });
  }

  /** `WebcastSocialMessage` (§10.5) for a share: key `pm_mt_guidance_share`, action 3. */
  share(user: SimUser, timeMs: number, shareCount: number): ScenarioMessage {
    const method = "WebcastSocialMessage";
    const { msgId, common } = this.common(
      method,
      timeMs,
      userText(displayKeys.share, "{0:user} shared the LIVE", user),
    );
    const payload = encode(WebcastSocialMessageSchema, {
      common,
      user: toProtoUser(user),
      shareType: "1",
      action: "3",
      shareTarget: "-1",
      shareCount,
      showDurationMs: "3000",
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      displayKey: displayKeys.share,
      action: 3,
      shareCount,
    });
  }

  /** `WebcastRoomUserSeqMessage` (§10.6): current and cumulative viewers, top gifters. */
  roomUserSeq(
    timeMs: number,
    viewers: number,
    totalUser: number,
    ranks: readonly { user: SimUser; score: number }[],
  ): ScenarioMessage {
    const method = "WebcastRoomUserSeqMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastRoomUserSeqMessageSchema, {
      common,
      ranks: ranks.map((r, i) =>
        create(ContributorSchema, { score: String(r.score), user: toProtoUser(r.user), rank: String(i + 1) }),
      ),
      total: String(viewers),
      popStr: String(viewers),
      popularity: String(viewers),
      totalUser: String(totalUser),
    });
    return this.finish(method, msgId, timeMs, payload, { total: viewers, totalUser, ranks: ranks.length });
  }

  /** `WebcastGiftMessage` (§10.2): one step of a streak, or a gift sent once. */
  gift(
    user: SimUser,
    gift: SimGift,
    timeMs: number,
    step: { repeatCount: number; repeatEnd: boolean; groupId: string; comboCount: number },
  ): ScenarioMessage {
    const method = "WebcastGiftMessage";
    const text = create(TextSchema, {
      key: "webcast_aweme_gift_send_message",
      defaultPattern: "{0:user} sent {1:gift} {2:string}",
      defaultFormat: gold(),
      pieces: [
        create(TextPieceSchema, {
          type: 11,
          format: blue(),
          userValue: create(TextPieceUserSchema, { user: toProtoUser(user), withColon: true }),
        }),
        create(TextPieceSchema, {
          type: 12,
          giftValue: create(TextPieceGiftSchema, {
            giftId: String(gift.id),
            nameRef: create(TextPiecePatternRefSchema, {
              key: `live_gift_copywriting_${gift.id}`,
              defaultPattern: gift.name,
            }),
          }),
        }),
        create(TextPieceSchema, { type: 1, format: gold(), stringValue: `x${step.repeatCount}` }),
      ],
    });
    const { msgId, common } = this.common(
      method,
      timeMs,
      text,
      `${user.nickname}: gifted the host ${step.repeatCount} ${gift.name}`,
    );
    const payload = encode(WebcastGiftMessageSchema, {
      common,
      giftId: String(gift.id),
      fanTicketCount: gift.diamondCount * step.repeatCount,
      groupCount: 1,
      repeatCount: step.repeatCount,
      comboCount: step.comboCount,
      user: toProtoUser(user),
      toUser: toProtoUser(this.host),
      repeatEnd: step.repeatEnd ? 1 : 0,
      groupId: step.groupId,
      gift: toProtoGift(gift),
      logId: `${this.random.digits(14)}${this.random.hex(18).toUpperCase()}`,
      sendType: "1",
      monitorExtra: JSON.stringify({
        anchor_id: Number(this.host.id.slice(0, 15)),
        gift_id: gift.id,
        gift_type: gift.type,
        repeat_count: step.repeatCount,
        room_id: Number(this.roomId.slice(0, 15)),
      }),
      colorId: "-1",
      orderId: this.random.digits(19),
      userIdentity: toUserIdentity(user),
      toMemberId: this.host.id,
      toMemberIdInt: this.host.id,
      toMemberNickname: this.host.nickname,
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      giftId: String(gift.id),
      giftName: gift.name,
      giftType: gift.type,
      diamondCount: gift.diamondCount,
      repeatCount: step.repeatCount,
      repeatEnd: step.repeatEnd ? 1 : 0,
      groupId: step.groupId,
    });
  }

  /** `WebcastSubNotifyMessage` (§10.7). */
  subNotify(user: SimUser, timeMs: number, subMonth: number): ScenarioMessage {
    const method = "WebcastSubNotifyMessage";
    const { msgId, common } = this.common(
      method,
      timeMs,
      userText(displayKeys.subNotify, "{0:user} subscribed", user),
    );
    const payload = encode(WebcastSubNotifyMessageSchema, {
      common,
      user: toProtoUser(user),
      exhibitionType: 1,
      subMonth: String(subMonth),
      subscribeType: 1,
      oldSubscribeStatus: 2,
      subscribingStatus: 1,
      messageDisplayStyle: 1,
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      subMonth,
    });
  }

  /** `WebcastQuestionNewMessage` (§10.8). */
  question(user: SimUser, timeMs: number, content: string): ScenarioMessage {
    const method = "WebcastQuestionNewMessage";
    const { msgId, common } = this.common(method, timeMs);
    const questionId = this.newId(timeMs);
    const payload = encode(WebcastQuestionNewMessageSchema, {
      common,
      data: create(QuestionSchema, {
        questionId,
        content,
        createTime: String(Math.floor(timeMs / 1000)),
        user: toProtoUser(user),
        createFrom: 1,
      }),
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      questionId,
      content,
    });
  }

  /** `WebcastEmoteChatMessage` (§10.11): a subscriber sticker. */
  emote(user: SimUser, timeMs: number): ScenarioMessage {
    const method = "WebcastEmoteChatMessage";
    const { msgId, common } = this.common(method, timeMs);
    const emoteId = this.random.digits(19).replace(/^0/, "7");
    const uri = `webcast-va/sub_emote_${this.random.hex(16)}`;
    const payload = encode(WebcastEmoteChatMessageSchema, {
      common,
      user: toProtoUser(user),
      emoteList: [
        create(EmoteModelSchema, {
          emoteId,
          image: create(ImageModelSchema, {
            urlList: [`https://p16-webcast.tiktokcdn.com/${uri}~tplv-obj.image`],
            uri,
            height: 100,
            width: 100,
          }),
          emoteType: 1,
        }),
      ],
      userIdentity: toUserIdentity(user),
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      emoteId,
    });
  }

  /** `WebcastEnvelopeMessage` (§10.12): a treasure box. */
  envelope(user: SimUser, timeMs: number, diamondCount: number, peopleCount: number): ScenarioMessage {
    const method = "WebcastEnvelopeMessage";
    const { msgId, common } = this.common(method, timeMs);
    const envelopeId = this.newId(timeMs);
    const payload = encode(WebcastEnvelopeMessageSchema, {
      common,
      envelopeInfo: create(MessageRedEnvelopInfoSchema, {
        envelopeId,
        businessType: 4,
        envelopeIdc: "useast2a",
        sendUserName: user.nickname,
        diamondCount,
        peopleCount,
        unpackAt: Math.floor(timeMs / 1000) + 180,
        sendUserId: user.id,
        sendUserAvatar: create(ImageModelSchema, { urlList: avatarUrls(user) }),
        createAt: String(Math.floor(timeMs / 1000)),
        roomId: this.roomId,
      }),
      display: 1,
    });
    return this.finish(method, msgId, timeMs, payload, {
      envelopeId,
      "user.uniqueId": user.uniqueId,
      diamondCount,
      peopleCount,
    });
  }

  /** `WebcastLiveIntroMessage` (§10.14). */
  liveIntro(timeMs: number, content: string, language: string): ScenarioMessage {
    const method = "WebcastLiveIntroMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastLiveIntroMessageSchema, {
      common,
      id: this.roomId,
      auditStatus: 1,
      content,
      user: toProtoUser(this.host),
      introMode: 1,
      contentLanguage: language,
    });
    return this.finish(method, msgId, timeMs, payload, { content, "user.uniqueId": this.host.uniqueId });
  }

  /** `WebcastRoomMessage` (§10.15): a system line such as the welcome notice. */
  roomMessage(timeMs: number, content: string, isWelcome: boolean): ScenarioMessage {
    const method = "WebcastRoomMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastRoomMessageSchema, {
      common,
      content,
      source: "1",
      isWelcome,
      showDurationMs: "5000",
    });
    return this.finish(method, msgId, timeMs, payload, { content, isWelcome });
  }

  /** `WebcastLinkMicBattle` (§10.9) with both anchors in `anchorsInfo` and, at the finish, the results. */
  battle(
    timeMs: number,
    battleId: string,
    channelId: string,
    action: LinkMicBattleAction,
    opponent: SimUser,
    opponentRoomId: string,
    scores?: readonly ArmyScore[],
  ): ScenarioMessage {
    const method = "WebcastLinkMicBattle";
    const { msgId, common } = this.common(method, timeMs);
    const anchors = [
      { user: this.host, roomId: this.roomId },
      { user: opponent, roomId: opponentRoomId },
    ];
    const battleResult: Record<string, ReturnType<typeof create<typeof BattleResultSchema>>> = {};
    if (scores !== undefined && scores.length === 2) {
      const [a, b] = scores as [ArmyScore, ArmyScore];
      for (const [me, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const result =
          me.score > other.score
            ? BattleResultType.WIN
            : me.score < other.score
              ? BattleResultType.LOSE
              : BattleResultType.DRAW;
        battleResult[me.anchor.id] = create(BattleResultSchema, {
          userId: me.anchor.id,
          result,
          score: String(me.score),
          diamondScore: String(me.score),
        });
      }
    }
    const payload = encode(WebcastLinkMicBattleSchema, {
      common,
      battleId,
      battleSettings: create(BattleSettingSchema, {
        battleId,
        startTimeMs: String(timeMs),
        duration: 300,
        channelId,
        status: action === LinkMicBattleAction.FINISH ? 4 : 1,
        battleType: 1,
      }),
      action,
      battleResult,
      anchorsInfo: anchors.map((a) =>
        create(BattleAnchorInfoSchema, {
          key: a.user.id,
          value: create(BattleUserInfoSchema, {
            user: create(BattleBaseUserInfoSchema, {
              userId: a.user.id,
              nickName: a.user.nickname,
              avatarThumb: create(ImageModelSchema, { urlList: avatarUrls(a.user) }),
              displayId: a.user.uniqueId,
              roomId: a.roomId,
            }),
          }),
        }),
      ),
      actionByUserId: this.host.id,
    });
    return this.finish(method, msgId, timeMs, payload, {
      battleId,
      action,
      anchors: anchors.length,
      opponent: opponent.uniqueId,
    });
  }

  /** `WebcastLinkMicArmies` (§10.10): per-anchor scores and top supporters. */
  armies(
    timeMs: number,
    battleId: string,
    channelId: string,
    scores: readonly ArmyScore[],
    ended: boolean,
  ): ScenarioMessage {
    const method = "WebcastLinkMicArmies";
    const { msgId, common } = this.common(method, timeMs);
    const armies: Record<string, ReturnType<typeof create<typeof BattleUserArmiesSchema>>> = {};
    for (const side of scores) {
      armies[side.anchor.id] = create(BattleUserArmiesSchema, {
        userArmies: side.supporters.map((s) =>
          create(BattleUserArmySchema, {
            userId: s.user.id,
            score: String(s.score),
            nickname: s.user.nickname,
            avatarThumb: create(ImageModelSchema, { urlList: avatarUrls(s.user) }),
            diamondScore: String(s.score),
            userIdStr: s.user.id,
          }),
        ),
        hostscore: String(side.score),
        anchorIdStr: side.anchor.id,
      });
    }
    const payload = encode(WebcastLinkMicArmiesSchema, {
      common,
      battleId,
      armies,
      channelId,
      updateBattleScoreTime: String(timeMs),
      triggerReason: ended ? LinkMicArmiesTriggerReason.BATTLE_END : LinkMicArmiesTriggerReason.SCORE_UPDATE,
    });
    const fields: Record<string, ScenarioFieldValue> = { battleId, armies: scores.length };
    for (const side of scores) fields[`score.${side.anchor.uniqueId}`] = side.score;
    return this.finish(method, msgId, timeMs, payload, fields);
  }

  /** `WebcastPollMessage` (§10.17): messageType 0 start, 2 vote update, 1 end. */
  poll(
    timeMs: number,
    pollId: string,
    phase: "start" | "update" | "end",
    title: string,
    options: readonly { text: string; votes: number }[],
  ): ScenarioMessage {
    const method = "WebcastPollMessage";
    const { msgId, common } = this.common(method, timeMs);
    const optionList = options.map((o, i) =>
      create(PollOptionInfoSchema, { votes: String(o.votes), displayContent: o.text, optionIdx: i }),
    );
    const messageType = phase === "start" ? 0 : phase === "end" ? 1 : 2;
    const operator = toProtoUser(this.host);
    const payload = encode(WebcastPollMessageSchema, {
      common,
      messageType: String(messageType),
      pollId,
      startContent:
        phase === "start"
          ? create(PollStartContentSchema, {
              startTime: String(timeMs),
              endTime: String(timeMs + 60_000),
              optionList,
              operator,
            })
          : undefined,
      updateVotesContent:
        phase === "update" ? create(PollUpdateVotesContentSchema, { optionList, operator }) : undefined,
      endContent:
        phase === "end"
          ? create(PollEndContentSchema, { endType: PollEndType.BY_TIME, optionList, operator })
          : undefined,
      pollKind: PollKind.NORMAL,
    });
    return this.finish(method, msgId, timeMs, payload, {
      pollId,
      messageType,
      title,
      votes: options.reduce((s, o) => s + o.votes, 0),
    });
  }

  /** `WebcastGoalUpdateMessage` (§10.18): a Rose goal's progress. */
  goal(
    timeMs: number,
    goalId: string,
    gift: SimGift,
    progress: number,
    target: number,
    contributor: SimUser,
    contributeCount: number,
  ): ScenarioMessage {
    const method = "WebcastGoalUpdateMessage";
    const { msgId, common } = this.common(method, timeMs);
    const subGoal = create(LiveStreamSubGoalSchema, {
      type: 1,
      id: String(gift.id),
      progress: String(progress),
      target: String(target),
      gift: create(LiveStreamSubGoalGiftSchema, {
        name: gift.name,
        icon: giftImage(gift),
        diamondCount: gift.diamondCount,
        type: gift.type,
      }),
      idStr: String(gift.id),
    });
    const payload = encode(WebcastGoalUpdateMessageSchema, {
      common,
      indicator: create(GoalIndicatorSchema, { key: "live_goal_indicator_stream_goal", op: 1 }),
      goal: create(LiveStreamGoalSchema, {
        id: goalId,
        type: 1,
        status: 1,
        subGoals: [subGoal],
        description: `${target} ${gift.name}s for a dance`,
        auditStatus: 1,
        cycleType: 1,
        startTime: String(Math.floor(timeMs / 1000) - 600),
        expireTime: String(Math.floor(timeMs / 1000) + 86_400),
        idStr: goalId,
      }),
      contributorId: contributor.id,
      contributorAvatar: create(ImageModelSchema, { urlList: avatarUrls(contributor) }),
      contributorDisplayId: contributor.uniqueId,
      contributeSubgoal: subGoal,
      contributeCount: String(contributeCount),
      contributeScore: String(contributeCount * gift.diamondCount),
      contributorIdStr: contributor.id,
    });
    return this.finish(method, msgId, timeMs, payload, {
      goalId,
      progress,
      target,
      "contributor.uniqueId": contributor.uniqueId,
    });
  }

  /** `WebcastCaptionMessage` (§10.16). */
  caption(
    timeMs: number,
    text: string,
    definite: boolean,
    sentenceId: string,
    sequenceId: number,
  ): ScenarioMessage {
    const method = "WebcastCaptionMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastCaptionMessageSchema, {
      common,
      timestampMs: String(timeMs - 1200),
      durationMs: String(1200),
      content: [create(CaptionContentSchema, { lang: "en", content: text })],
      sentenceId,
      sequenceId: String(sequenceId),
      definite,
    });
    return this.finish(method, msgId, timeMs, payload, { content: text, definite, sentenceId });
  }

  /** `WebcastRoomPinMessage` (§10.25) pinning an earlier chat. */
  pin(timeMs: number, chat: WebcastChatMessage): ScenarioMessage {
    const method = "WebcastRoomPinMessage";
    const { msgId, common } = this.common(method, timeMs);
    const pinMsgId = chat.common?.msgId ?? "0";
    const payload = encode(WebcastRoomPinMessageSchema, {
      common,
      chatMessage: chat,
      method: "WebcastChatMessage",
      pinTime: String(timeMs),
      operator: toProtoUser(this.host),
      action: RoomPinAction.PIN,
      displayDuration: "60",
      pinMsgId,
    });
    return this.finish(method, msgId, timeMs, payload, {
      pinMsgId,
      action: RoomPinAction.PIN,
      content: chat.content,
    });
  }

  /** `WebcastImDeleteMessage` (§10.21): a moderator removed a message. */
  imDelete(timeMs: number, msgIds: readonly string[], userIds: readonly string[]): ScenarioMessage {
    const method = "WebcastImDeleteMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastImDeleteMessageSchema, {
      common,
      deleteMsgIds: [...msgIds],
      deleteUserIds: [...userIds],
    });
    return this.finish(method, msgId, timeMs, payload, {
      deleteMsgIds: msgIds.join(","),
      deleteUserIds: userIds.join(","),
    });
  }

  /** `WebcastControlMessage` (§10.13); action 3 ends the stream. */
  control(timeMs: number, action: ControlAction): ScenarioMessage {
    const method = "WebcastControlMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastControlMessageSchema, { common, action });
    const ends = action === ControlAction.STREAM_ENDED || action === ControlAction.STREAM_SUSPENDED;
    return this.finish(method, msgId, timeMs, payload, { action }, ends);
  }
}

export { ControlAction, LinkMicBattleAction, MemberMessageAction };

import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { Random } from "@tiklive/core/internal";
import {
  AllListUserSchema,
  BackgroundSchema,
  BarrageTypeUserGradeParamSchema,
  BattleAnchorInfoSchema,
  BattleBaseUserInfoSchema,
  type BattleInviteType,
  BattleResultSchema,
  BattleResultType,
  type BattleSetting,
  BattleSettingSchema,
  type BattleUserArmies,
  BattleUserArmiesSchema,
  BattleUserArmySchema,
  BattleUserInfoSchema,
  CaptionContentSchema,
  CohostContentGuideInfoSchema,
  CommentQualityScoreSchema,
  type CommonMessageData,
  CommonMessageDataSchema,
  ContributorSchema,
  ControlAction,
  ControlExtraSchema,
  EffectStructSchema,
  EmoteModelSchema,
  GiftTrayStyle,
  GoalIndicatorSchema,
  ImageModelSchema,
  LinkerUserType,
  LinkLayerLeaveContentSchema,
  LinkLayerListUserSchema,
  LinkListChangeContentSchema,
  LinkMicArmiesTriggerReason,
  LinkMicBattleAction,
  LinkMicBattlePunishFinishReason,
  LinkPositionSchema,
  LiveStreamGoalSchema,
  LiveStreamSubGoalGiftSchema,
  LiveStreamSubGoalSchema,
  MatchPunishEffectInfoSchema,
  MatchPunishExtraInfoSchema,
  MemberMessageAction,
  MessageRedEnvelopInfoSchema,
  MessageSponsorshipInfoSchema,
  MicPositionDataSchema,
  PlayerSchema,
  PollEndContentSchema,
  PollEndType,
  PollKind,
  PollOptionInfoSchema,
  PollStartContentSchema,
  PollUpdateVotesContentSchema,
  PublicAreaMessageCommonSchema,
  QuestionSchema,
  RankUserEnigmaInfoSchema,
  RoomNotifyExtraSchema,
  RoomPinAction,
  type Text,
  TextFormatSchema,
  type TextPiece,
  TextPieceGiftSchema,
  TextPiecePatternRefSchema,
  TextPieceSchema,
  TextPieceUserSchema,
  TextSchema,
  UrlDataStructSchema,
  UserArmiesWrapperSchema,
  WebcastBarrageMessageSchema,
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
  WebcastLinkLayerMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastLinkMicBattlePunishFinishSchema,
  WebcastLinkMicBattleSchema,
  WebcastLiveIntroMessageSchema,
  WebcastMemberMessageSchema,
  WebcastPollMessageSchema,
  WebcastQuestionNewMessageSchema,
  WebcastRankTextMessageSchema,
  WebcastRoomMessageSchema,
  WebcastRoomNotifyMessageSchema,
  WebcastRoomPinMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
  WebcastSubNotifyMessageSchema,
} from "@tiklive/proto";
import { snowflakeId } from "../snowflake.js";
import { giftImage, type SimGift, toProtoGift, unlitGiftIconUrl } from "./gifts.js";
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

/** A link-mic battle between the host and a rival. */
export interface SimBattle {
  readonly battleId: string;
  readonly channelId: string;
  readonly opponent: SimUser;
  readonly opponentRoomId: string;
  /** How the battle was set up (`BattleSetting.invite_type`). */
  readonly inviteType: BattleInviteType;
  /** Length of the battle, seconds (`BattleSetting.duration`). */
  readonly durationSec: number;
  /** When it opened, epoch ms; set by the scenario when it opens. */
  startTimeMs?: number;
}

/** Who sponsors a Gift Gallery gift in this room, as a gift message reports it (`sponsorship_info`). */
export interface GiftSponsorship {
  /** The viewer who has sent the host the most of this gift: its sponsor. */
  readonly sponsor: SimUser;
  /** This message made its sender the sponsor: the gift "lights up" in the gallery. */
  readonly litUp: boolean;
  /** This message made the last gallery gift of the room sponsored. */
  readonly allSponsored: boolean;
}

/** A guest on the host's multi-guest panel (link layer). */
export interface LinkGuest {
  readonly user: SimUser;
  /** The guest's linkmic id (a decimal string). */
  readonly linkmicId: string;
  /** When the guest was linked, epoch ms. */
  readonly linkedAtMs: number;
  /** Seat on the panel (the host is 0). */
  readonly position: number;
}

/**
 * `WebcastBarrageMessage.msg_type` values (BarrageType of the earlier public schemas: 8 user
 * upgrade, 9 grade user entrance, 10 fans level upgrade, 11 fans level entrance; the captured
 * fan-club join banner is 11).
 */
export const barrageTypes = Object.freeze({ userUpgrade: 8, gradeUserEntrance: 9 } as const);

/** `WebcastLinkLayerMessage.message_type` values (LinkLayerMessageType: 9 leave, 11 list change). */
export const linkLayerTypes = Object.freeze({ leave: 9, listChange: 11 } as const);

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

function webcastImage(uri: string, avgColor = "") {
  return create(ImageModelSchema, {
    urlList: [
      `https://p16-webcast.tiktokcdn.com/img/maliva/${uri}~tplv-obj.png`,
      `https://p19-webcast.tiktokcdn.com/img/maliva/${uri}~tplv-obj.png`,
    ],
    uri,
    avgColor,
  });
}

// The Gift Gallery's detail page, which `sponsorship_info` links to (a Lynx popup, like the
// battle streak guide real battle messages link to).
const giftGalleryPage =
  "https://lf16-gecko-source.tiktokcdn.com/obj/byte-gurd-source-sg/tiktok/fe/live/tiktok_live_revenue_gift_gallery/pages/detail/template.js";

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

function userPiece(user: SimUser) {
  return create(TextPieceSchema, {
    type: 11,
    format: blue(),
    userValue: create(TextPieceUserSchema, { user: toProtoUser(user), withColon: false }),
  });
}

function stringPiece(value: string) {
  return create(TextPieceSchema, { type: 1, format: white(), stringValue: value });
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

  /** A log id as real messages carry it: the UTC time as yyyyMMddHHmmss, then 18 hex digits. */
  private logId(timeMs: number): string {
    const stamp = new Date(timeMs).toISOString().replace(/\D/g, "").slice(0, 14);
    return `${stamp}${this.random.hex(18).toUpperCase()}`;
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
    step: {
      repeatCount: number;
      repeatEnd: boolean;
      groupId: string;
      comboCount: number;
      /** Set for a Gift Gallery gift: its sponsor after this message. */
      sponsorship?: GiftSponsorship;
    },
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
      logId: this.logId(timeMs),
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
      sponsorshipInfo:
        step.sponsorship === undefined ? [] : [this.sponsorshipInfo(user, gift, step.sponsorship)],
      toMemberId: this.host.id,
      toMemberIdInt: this.host.id,
      toMemberNickname: this.host.nickname,
    });
    const fields: Record<string, ScenarioFieldValue> = {
      "user.id": user.id,
      "user.uniqueId": user.uniqueId,
      giftId: String(gift.id),
      giftName: gift.name,
      giftType: gift.type,
      diamondCount: gift.diamondCount,
      repeatCount: step.repeatCount,
      repeatEnd: step.repeatEnd ? 1 : 0,
      groupId: step.groupId,
    };
    if (step.sponsorship !== undefined) fields["sponsorship.sponsorId"] = step.sponsorship.sponsor.id;
    return this.finish(method, msgId, timeMs, payload, fields);
  }

  /** `MessageSponsorshipInfo` of a gallery gift: its sponsor, and whether this send lit it up. */
  private sponsorshipInfo(sender: SimUser, gift: SimGift, s: GiftSponsorship) {
    const query = new URLSearchParams({
      url: giftGalleryPage,
      anchor_id: this.host.id,
      room_id: this.roomId,
      gift_id: String(gift.id),
    });
    return create(MessageSponsorshipInfoSchema, {
      giftId: String(gift.id),
      sponsorId: s.sponsor.id,
      lightGiftUp: s.litUp,
      unlightedGiftIcon: unlitGiftIconUrl(gift),
      giftGalleryDetailPageSchemeUrl: `sslocal://webcast_lynxview_popup?${query}`,
      giftGalleryClickSponsor: true,
      // The sponsor sending the gift again shows the "repurchase" tray.
      giftTrayStyle:
        !s.litUp && s.sponsor.id === sender.id
          ? GiftTrayStyle.GALLERY_REPURCHASE_FULL
          : GiftTrayStyle.DEFAULT,
      becomeAllSponsored: s.allSponsored,
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

  /** The battle's `BattleSetting` (shared by the battle, armies and punish-finish messages). */
  private battleSetting(battle: SimBattle, timeMs: number, status: number): BattleSetting {
    return create(BattleSettingSchema, {
      battleId: battle.battleId,
      startTimeMs: String(battle.startTimeMs ?? timeMs),
      duration: battle.durationSec,
      channelId: battle.channelId,
      status,
      inviteType: battle.inviteType,
      battleType: 1,
    });
  }

  /** One anchor's score and top supporters. */
  private userArmies(side: ArmyScore): BattleUserArmies {
    return create(BattleUserArmiesSchema, {
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

  /**
   * `WebcastLinkMicBattle` (§10.9) with both anchors in `anchorsInfo` and, at the finish, the
   * results and the final `armies` (per anchor, as `UserArmiesWrapper` entries).
   */
  battle(
    timeMs: number,
    battle: SimBattle,
    action: LinkMicBattleAction,
    scores?: readonly ArmyScore[],
  ): ScenarioMessage {
    const method = "WebcastLinkMicBattle";
    const { msgId, common } = this.common(method, timeMs);
    const anchors = [
      { user: this.host, roomId: this.roomId },
      { user: battle.opponent, roomId: battle.opponentRoomId },
    ];
    const finished = action === LinkMicBattleAction.FINISH && scores !== undefined && scores.length === 2;
    const battleResult: Record<string, ReturnType<typeof create<typeof BattleResultSchema>>> = {};
    if (finished) {
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
      battleId: battle.battleId,
      battleSettings: this.battleSetting(battle, timeMs, action === LinkMicBattleAction.FINISH ? 4 : 1),
      action,
      battleResult,
      armies: finished
        ? scores.map((side) =>
            create(UserArmiesWrapperSchema, { key: side.anchor.id, value: this.userArmies(side) }),
          )
        : [],
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
      battleId: battle.battleId,
      action,
      anchors: anchors.length,
      opponent: battle.opponent.uniqueId,
      inviteType: battle.inviteType,
    });
  }

  /** `WebcastLinkMicArmies` (§10.10): per-anchor scores and top supporters, with the battle's settings. */
  armies(timeMs: number, battle: SimBattle, scores: readonly ArmyScore[], ended: boolean): ScenarioMessage {
    const method = "WebcastLinkMicArmies";
    const { msgId, common } = this.common(method, timeMs);
    const armies: Record<string, BattleUserArmies> = {};
    for (const side of scores) armies[side.anchor.id] = this.userArmies(side);
    const logId = this.logId(timeMs);
    const payload = encode(WebcastLinkMicArmiesSchema, {
      common,
      battleId: battle.battleId,
      armies,
      channelId: battle.channelId,
      updateBattleScoreTime: String(timeMs),
      triggerReason: ended ? LinkMicArmiesTriggerReason.BATTLE_END : LinkMicArmiesTriggerReason.SCORE_UPDATE,
      logId,
      battleSettings: this.battleSetting(battle, timeMs, ended ? 4 : 1),
    });
    const fields: Record<string, ScenarioFieldValue> = {
      battleId: battle.battleId,
      armies: scores.length,
      logId,
    };
    for (const side of scores) fields[`score.${side.anchor.uniqueId}`] = side.score;
    return this.finish(method, msgId, timeMs, payload, fields);
  }

  /**
   * `WebcastLinkMicBattlePunishFinish`: the punishment after a battle is over. `operator` cut it
   * short (reason CUT_SHORT); the loser's punishment effect is in `match_punish_extra_info`.
   */
  battlePunishFinish(
    timeMs: number,
    battle: SimBattle,
    operator: SimUser,
    loser: SimUser | undefined,
  ): ScenarioMessage {
    const method = "WebcastLinkMicBattlePunishFinish";
    const { msgId, common } = this.common(method, timeMs);
    const effectId = this.newId(timeMs - 400 * 86_400_000);
    const iconUri = `webcast-va/battle_punish_effect_${this.random.hex(16)}`;
    const reason = LinkMicBattlePunishFinishReason.CUT_SHORT;
    const payload = encode(WebcastLinkMicBattlePunishFinishSchema, {
      common,
      channelId: battle.channelId,
      opUid: operator.id,
      reason,
      battleId: battle.battleId,
      battleSettings: this.battleSetting(battle, timeMs, 4),
      matchPunishExtraInfo: create(MatchPunishExtraInfoSchema, {
        matchPunishEffectInfo: create(MatchPunishEffectInfoSchema, {
          userToEffectMap: loser === undefined ? {} : { [loser.id]: BigInt(effectId) },
          effectToEffectStructMap:
            loser === undefined
              ? {}
              : {
                  [effectId]: create(EffectStructSchema, {
                    name: "Bunny Ears",
                    iconUrl: create(UrlDataStructSchema, {
                      uri: iconUri,
                      urlList: [`https://p16-webcast.tiktokcdn.com/img/maliva/${iconUri}~tplv-obj.png`],
                    }),
                    id: effectId,
                    effectId,
                  }),
                },
        }),
        cohostContentGuideInfo: create(CohostContentGuideInfoSchema, { recommendedBattleType: 1 }),
      }),
    });
    const fields: Record<string, ScenarioFieldValue> = {
      battleId: battle.battleId,
      reason,
      "operator.id": operator.id,
    };
    if (loser !== undefined) fields["loser.id"] = loser.id;
    return this.finish(method, msgId, timeMs, payload, fields);
  }

  /**
   * `WebcastRoomNotifyMessage`: the room banner announcing a battle's winner (notify type 3 with
   * the "match" background, as captured), from the battle feature (`source`).
   */
  battleNotify(timeMs: number, winner: SimUser | undefined): ScenarioMessage {
    const method = "WebcastRoomNotifyMessage";
    const text =
      winner === undefined
        ? create(TextSchema, {
            key: "pm_mt_match_notify_draw",
            defaultPattern: "The LIVE Match ended in a draw",
            defaultFormat: white(),
          })
        : create(TextSchema, {
            key: "pm_mt_match_notify_win",
            defaultPattern: "{0:user} won the LIVE Match!",
            defaultFormat: white(),
            pieces: [userPiece(winner)],
          });
    const { msgId, common } = this.common(method, timeMs, text);
    const source = "linkmic_battle";
    const backgroundUri = "webcast-sg/match_advanced";
    const payload = encode(WebcastRoomNotifyMessageSchema, {
      common,
      notifyType: "3",
      user: winner === undefined ? undefined : toProtoUser(winner),
      extra: create(RoomNotifyExtraSchema, {
        duration: "5",
        background: create(BackgroundSchema, {
          width: 355,
          height: 30,
          urls: [
            `https://p16-webcast.tiktokcdn.com/img/alisg/${backgroundUri}~tplv-obj.image`,
            `https://p19-webcast.tiktokcdn.com/img/alisg/${backgroundUri}~tplv-obj.image`,
          ],
          uri: backgroundUri,
        }),
      }),
      notifyClass: 1,
      source,
      fromUserId: winner?.id ?? "0",
      toAnchorId: this.host.id,
    });
    const fields: Record<string, ScenarioFieldValue> = { notifyType: 3, source };
    if (winner !== undefined) fields["user.uniqueId"] = winner.uniqueId;
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

  /**
   * `WebcastControlMessage` (§10.13); action 3 ends the stream. `source` (`extra.source`) names
   * where a pause or resume came from, e.g. `app` for the host's TikTok app.
   */
  control(timeMs: number, action: ControlAction, source?: string): ScenarioMessage {
    const method = "WebcastControlMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastControlMessageSchema, {
      common,
      action,
      extra: source === undefined ? undefined : create(ControlExtraSchema, { source }),
    });
    const ends = action === ControlAction.STREAM_ENDED || action === ControlAction.STREAM_SUSPENDED;
    const fields: Record<string, ScenarioFieldValue> = { action };
    if (source !== undefined) fields.source = source;
    return this.finish(method, msgId, timeMs, payload, fields, ends);
  }

  /**
   * `WebcastBarrageMessage` (§10.27) of type 9 (grade user entrance): the banner shown when a
   * viewer with a gifter level joins, with `user_grade_param`.
   */
  gradeEntranceBarrage(user: SimUser, timeMs: number, grade: number): ScenarioMessage {
    const method = "WebcastBarrageMessage";
    const { msgId, common } = this.common(method, timeMs);
    const bucket = Math.min(9, Math.max(1, Math.ceil(grade / 5)));
    const payload = encode(WebcastBarrageMessageSchema, {
      common,
      msgType: barrageTypes.gradeUserEntrance,
      icon: webcastImage(`webcast-va/grade_badge_icon_lite_lv${bucket}_v1.png`, "#A37C7C"),
      content: userText("pm_mt_grade_user_entrance", "{0:user} joined", user),
      duration: "4000",
      background: webcastImage(`webcast-va/grade_entrance_bg_lv${bucket}_v1.png`, "#3D3D3D"),
      userGradeParam: create(BarrageTypeUserGradeParamSchema, {
        currentGrade: grade,
        userId: user.id,
        user: toProtoUser(user),
      }),
    });
    return this.finish(method, msgId, timeMs, payload, {
      msgType: barrageTypes.gradeUserEntrance,
      "user.uniqueId": user.uniqueId,
      grade,
    });
  }

  private player(user: SimUser) {
    return create(PlayerSchema, {
      roomId: this.roomId,
      userId: user.id,
      nickname: user.nickname,
      avatarThumb: create(ImageModelSchema, { urlList: avatarUrls(user) }),
    });
  }

  /**
   * `WebcastLinkLayerMessage` (§10.28) of type 11 (list change): the host's multi-guest panel
   * now has `guests` linked (`list_change_content`, the host first).
   */
  linkListChange(
    timeMs: number,
    channelId: string,
    hostLinkmicId: string,
    guests: readonly LinkGuest[],
  ): ScenarioMessage {
    const method = "WebcastLinkLayerMessage";
    const { msgId, common } = this.common(method, timeMs);
    const seats = [{ user: this.host, linkmicId: hostLinkmicId, linkedAtMs: timeMs, position: 0 }, ...guests];
    const nano = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
    const payload = encode(WebcastLinkLayerMessageSchema, {
      common,
      messageType: linkLayerTypes.listChange,
      channelId,
      scene: 4,
      listChangeContent: create(LinkListChangeContentSchema, {
        type: 1,
        list: create(AllListUserSchema, {
          linkedList: seats.map((seat) =>
            create(LinkLayerListUserSchema, {
              user: this.player(seat.user),
              linkmicId: seat.linkmicId,
              pos: create(MicPositionDataSchema, {
                type: 1,
                link: create(LinkPositionSchema, { position: seat.position }),
              }),
              linkedTimeNano: nano(seat.linkedAtMs),
              userType: seat.user.id === this.host.id ? LinkerUserType.HOST : LinkerUserType.GUEST,
            }),
          ),
        }),
        linkedUserUiPositions: seats.map((seat) => `${seat.user.id}:${seat.position}`),
      }),
    });
    return this.finish(method, msgId, timeMs, payload, {
      messageType: linkLayerTypes.listChange,
      channelId,
      linked: seats.length,
    });
  }

  /** `WebcastLinkLayerMessage` (§10.28) of type 9: a guest left the panel (`leave_content`). */
  linkLeave(timeMs: number, channelId: string, guest: LinkGuest, leaveReason: number): ScenarioMessage {
    const method = "WebcastLinkLayerMessage";
    const { msgId, common } = this.common(method, timeMs);
    const payload = encode(WebcastLinkLayerMessageSchema, {
      common,
      messageType: linkLayerTypes.leave,
      channelId,
      scene: 4,
      leaveContent: create(LinkLayerLeaveContentSchema, {
        leaver: create(PlayerSchema, { roomId: this.roomId, userId: guest.user.id }),
        leaveReason: String(leaveReason),
      }),
    });
    return this.finish(method, msgId, timeMs, payload, {
      messageType: linkLayerTypes.leave,
      channelId,
      "user.uniqueId": guest.user.uniqueId,
    });
  }

  /**
   * `WebcastRankTextMessage`: "{user} just became the No. {after} viewer!" (top-viewer rank, as
   * captured), with the rank before (`owner_idx_before_update`), the rank badge (`left_icon`),
   * the enigma mask state and the public-area settings.
   */
  rankText(timeMs: number, user: SimUser, before: number, after: number): ScenarioMessage {
    const method = "WebcastRankTextMessage";
    const { msgId, common } = this.common(method, timeMs);
    const pattern = "{0:user} just became the No. {1:string} viewer!";
    const badge = (pieces: TextPiece[]) =>
      create(TextSchema, {
        key: "pm_mt_topviewer_comment",
        defaultPattern: pattern,
        defaultFormat: white(),
        pieces,
      });
    const payload = encode(WebcastRankTextMessageSchema, {
      common,
      scene: 1,
      ownerIdxBeforeUpdate: String(before),
      ownerIdxAfterUpdate: String(after),
      selfGetBadgeMsg: badge([stringPiece(String(after))]),
      otherGetBadgeMsg: badge([userPiece(user), stringPiece(String(after))]),
      curUserId: user.id,
      leftIcon: webcastImage(`webcast-sg/new_top_gifter_version_2.png`),
      userEnigmaInfo: create(RankUserEnigmaInfoSchema, { isEnigmaMaskOn: false }),
      publicAreaMsgCommon: create(PublicAreaMessageCommonSchema, {
        scrollGapCount: "2",
        anchorScrollGapCount: "2",
        releaseToScrollArea: true,
        anchorReleaseToScrollArea: true,
      }),
    });
    return this.finish(method, msgId, timeMs, payload, {
      "user.uniqueId": user.uniqueId,
      before,
      rank: after,
    });
  }
}

export { ControlAction, LinkMicBattleAction, MemberMessageAction };

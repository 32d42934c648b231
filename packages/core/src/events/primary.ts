// Mappers for the events most users listen to (docs/protocol.md §10.1-§10.14, §10.27).
// One pure function per message type: protobuf message in, typed event out.
import type {
  WebcastBarrageMessage,
  WebcastChatMessage,
  WebcastControlMessage,
  WebcastEmoteChatMessage,
  WebcastEnvelopeMessage,
  WebcastGiftMessage,
  WebcastLikeMessage,
  WebcastLinkMicArmies,
  WebcastLinkMicBattle,
  WebcastLiveIntroMessage,
  WebcastMemberMessage,
  WebcastQuestionNewMessage,
  WebcastRoomUserSeqMessage,
  WebcastSocialMessage,
  WebcastSubNotifyMessage,
} from "@tiklive/proto";
import {
  type EventBase,
  type MessageEnvelope,
  mapBadges,
  mapBase,
  mapUser,
  pickImageUrl,
  toNumber,
  type User,
  type UserBadge,
} from "./user.js";

/** `chat`: a viewer's comment. */
export interface ChatEvent extends EventBase {
  type: "chat";
  user: User;
  /** The comment text. */
  comment: string;
  /** Language TikTok detected, e.g. "en". */
  language: string;
  /** Inline emotes, with their position in the comment. */
  emotes: { index: number; emoteId: string; imageUrl: string | undefined }[];
  /** The @-mentioned user, when the comment mentions one. */
  mentionedUser: User | undefined;
  raw: WebcastChatMessage;
}

export function mapChat(m: WebcastChatMessage, env: MessageEnvelope): ChatEvent {
  return {
    type: "chat",
    ...mapBase(m.common, env),
    user: mapUser(m.user, m.userIdentity),
    comment: m.content,
    language: m.contentLanguage,
    emotes: m.emotes.map((e) => ({
      index: e.index,
      emoteId: e.emote?.emoteId ?? "",
      imageUrl: pickImageUrl(e.emote?.image),
    })),
    mentionedUser: m.atUser === undefined ? undefined : mapUser(m.atUser),
    raw: m,
  };
}

/**
 * `gift`: every gift message as TikTok sends it. A streakable gift (`giftType` 1) repeats
 * with a growing `repeatCount` while the streak runs and ends with `repeatEnd` true: count
 * a gift when `!isStreaking`, or listen to `giftCompleted` instead.
 */
export interface GiftEvent extends EventBase {
  type: "gift";
  user: User;
  /** The receiver (multi-guest), when TikTok names one. */
  toUser: User | undefined;
  giftId: string;
  giftName: string;
  /** 1 = streakable (docs/protocol.md §9.6). */
  giftType: number;
  /** Diamonds (coins) per unit. */
  diamondCount: number;
  /** Units so far in this streak (cumulative). */
  repeatCount: number;
  /** True on the event that ends a streak. */
  repeatEnd: boolean;
  /** True while a streak is still running (streakable and not ended): do not count yet. */
  isStreaking: boolean;
  /** Streak group id ("0" when absent). */
  groupId: string;
  comboCount: number;
  groupCount: number;
  giftPictureUrl: string | undefined;
  /** e.g. "Sent Rose". */
  describe: string;
  raw: WebcastGiftMessage;
}

export function mapGift(m: WebcastGiftMessage, env: MessageEnvelope): GiftEvent {
  const giftType = m.gift?.type ?? 0;
  const repeatEnd = m.repeatEnd === 1;
  // giftId (field 2) is absent from some schemas; gift.id is the fallback (docs/protocol.md §10.2).
  const giftId = m.giftId !== "0" ? m.giftId : (m.gift?.id ?? "0");
  return {
    type: "gift",
    ...mapBase(m.common, env),
    user: mapUser(m.user, m.userIdentity),
    toUser: m.toUser === undefined ? undefined : mapUser(m.toUser),
    giftId,
    giftName: m.gift?.name ?? "",
    giftType,
    diamondCount: m.gift?.diamondCount ?? 0,
    repeatCount: m.repeatCount,
    repeatEnd,
    isStreaking: giftType === 1 && !repeatEnd,
    groupId: m.groupId,
    comboCount: m.comboCount,
    groupCount: m.groupCount,
    giftPictureUrl: pickImageUrl(m.gift?.image),
    describe: m.gift?.describe ?? "",
    raw: m,
  };
}

/** `member`: a viewer joined (action 1) or subscribed (action 3). */
export interface MemberEvent extends EventBase {
  type: "member";
  user: User;
  /** MemberMessageAction: 1 joined, 3 subscribed. */
  action: number;
  /** Current viewer count, as TikTok reports it with the join. */
  viewerCount: number;
  enterType: number;
  raw: WebcastMemberMessage;
}

export function mapMember(m: WebcastMemberMessage, env: MessageEnvelope): MemberEvent {
  return {
    type: "member",
    ...mapBase(m.common, env),
    user: mapUser(m.user),
    action: m.action,
    viewerCount: m.memberCount,
    enterType: m.enterType,
    raw: m,
  };
}

/** `like`: a viewer sent likes. TikTok throttles these on busy streams. */
export interface LikeEvent extends EventBase {
  type: "like";
  user: User;
  /** Likes in this event. */
  likeCount: number;
  /** The room's total likes so far. */
  totalLikeCount: number;
  raw: WebcastLikeMessage;
}

export function mapLike(m: WebcastLikeMessage, env: MessageEnvelope): LikeEvent {
  return {
    type: "like",
    ...mapBase(m.common, env),
    user: mapUser(m.user),
    likeCount: m.count,
    totalLikeCount: toNumber(m.total),
    raw: m,
  };
}

/**
 * `follow`, `share`, or `social`: a social action. Classified by `displayKey` (docs/protocol.md
 * §10.5): a key containing "follow" is a follow, one containing "share" a share; anything
 * else stays `social`. Each message produces exactly one of the three.
 */
export interface SocialEvent<T extends "social" | "follow" | "share" = "social" | "follow" | "share">
  extends EventBase {
  type: T;
  user: User;
  action: number;
  /** The streamer's follower count after a follow (0 when absent). */
  followCount: number;
  shareCount: number;
  shareType: number;
  shareTarget: string;
  raw: WebcastSocialMessage;
}

export function mapSocial(m: WebcastSocialMessage, env: MessageEnvelope): SocialEvent {
  const base = mapBase(m.common, env);
  const key = base.displayKey.toLowerCase();
  return {
    type: key.includes("follow") ? "follow" : key.includes("share") ? "share" : "social",
    ...base,
    user: mapUser(m.user),
    action: toNumber(m.action),
    followCount: toNumber(m.followCount),
    shareCount: m.shareCount,
    shareType: toNumber(m.shareType),
    shareTarget: m.shareTarget,
    raw: m,
  };
}

/** `roomUser`: viewer count update, with the top viewers. */
export interface RoomUserEvent extends EventBase {
  type: "roomUser";
  /** Current viewers. */
  viewerCount: number;
  /** Cumulative viewers of the stream. */
  totalViewers: number;
  /** Top viewers by coins sent, best first. */
  topViewers: { user: User; coinCount: number; rank: number }[];
  raw: WebcastRoomUserSeqMessage;
}

export function mapRoomUser(m: WebcastRoomUserSeqMessage, env: MessageEnvelope): RoomUserEvent {
  return {
    type: "roomUser",
    ...mapBase(m.common, env),
    viewerCount: toNumber(m.total),
    totalViewers: toNumber(m.totalUser),
    topViewers: m.ranks.map((r) => ({
      user: mapUser(r.user),
      coinCount: toNumber(r.score),
      rank: toNumber(r.rank),
    })),
    raw: m,
  };
}

/** ControlAction names (docs/protocol.md §10.13). */
export type ControlActionName = "paused" | "unpaused" | "ended" | "suspended" | "unknown";
const controlNames: Record<number, ControlActionName> = {
  1: "paused",
  2: "unpaused",
  3: "ended",
  4: "suspended",
};

/** `controlMessage`: the stream was paused, resumed, ended or suspended. */
export interface ControlEvent extends EventBase {
  type: "controlMessage";
  /** 1 paused, 2 unpaused, 3 ended by the host, 4 suspended by moderation. */
  action: number;
  actionName: ControlActionName;
  tips: string;
  raw: WebcastControlMessage;
}

/**
 * `streamEnd`: the stream ended (action 3) or was suspended (action 4). One event per message:
 * a `controlMessage` listener hears it too (with the same `action`, `actionName` and `tips`).
 */
export interface StreamEndEvent extends EventBase {
  type: "streamEnd";
  action: number;
  actionName: "ended" | "suspended";
  reason: "ended" | "suspended";
  tips: string;
  raw: WebcastControlMessage;
}

export function mapControl(m: WebcastControlMessage, env: MessageEnvelope): ControlEvent | StreamEndEvent {
  const base = mapBase(m.common, env);
  const action = m.action as number;
  if (action === 3 || action === 4) {
    const reason = action === 3 ? "ended" : "suspended";
    return { type: "streamEnd", ...base, action, actionName: reason, reason, tips: m.tips, raw: m };
  }
  return {
    type: "controlMessage",
    ...base,
    action,
    actionName: controlNames[action] ?? "unknown",
    tips: m.tips,
    raw: m,
  };
}

/**
 * `subscribe`: a viewer subscribed to the streamer. One event per message; `subNotify` (the
 * message's name, which other libraries use) is a second name to listen by, not a second event.
 */
export interface SubscribeEvent extends EventBase {
  type: "subscribe";
  user: User;
  /** Months subscribed. */
  subMonth: number;
  subscribeType: number;
  raw: WebcastSubNotifyMessage;
}

export function mapSubNotify(m: WebcastSubNotifyMessage, env: MessageEnvelope): SubscribeEvent {
  return {
    type: "subscribe",
    ...mapBase(m.common, env),
    user: mapUser(m.user),
    subMonth: toNumber(m.subMonth),
    subscribeType: m.subscribeType as number,
    raw: m,
  };
}

/** `questionNew`: a viewer asked a question (Q&A). */
export interface QuestionEvent extends EventBase {
  type: "questionNew";
  user: User;
  questionId: string;
  questionText: string;
  raw: WebcastQuestionNewMessage;
}

export function mapQuestion(m: WebcastQuestionNewMessage, env: MessageEnvelope): QuestionEvent {
  return {
    type: "questionNew",
    ...mapBase(m.common, env),
    user: mapUser(m.data?.user),
    questionId: m.data?.questionId ?? "0",
    questionText: m.data?.content ?? "",
    raw: m,
  };
}

/** A host taking part in a battle. */
export interface BattleUser {
  userId: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string | undefined;
  roomId: string;
}

/** `linkMicBattle`: a battle (PK) between hosts was opened, finished, cancelled... */
export interface LinkMicBattleEvent extends EventBase {
  type: "linkMicBattle";
  battleId: string;
  /** 1 invite, 2 reject, 3 cancel, 4 open, 5 finish, 6 cut short, 7 accept... (docs/protocol.md §10.9). */
  action: number;
  battleUsers: BattleUser[];
  /** Results by host user id, when the battle finished. */
  battleResults: { userId: string; result: number; score: number; diamondScore: number }[];
  raw: WebcastLinkMicBattle;
}

export function mapLinkMicBattle(m: WebcastLinkMicBattle, env: MessageEnvelope): LinkMicBattleEvent {
  return {
    type: "linkMicBattle",
    ...mapBase(m.common, env),
    battleId: m.battleId,
    action: m.action as number,
    battleUsers: m.anchorsInfo.map((a) => {
      const u = a.value?.user;
      return {
        userId: u?.userId ?? a.key,
        uniqueId: u?.displayId ?? "",
        nickname: u?.nickName ?? "",
        profilePictureUrl: pickImageUrl(u?.avatarThumb),
        roomId: u?.roomId ?? "0",
      };
    }),
    battleResults: Object.entries(m.battleResult).map(([userId, r]) => ({
      userId,
      result: r.result as number,
      score: toNumber(r.score),
      diamondScore: toNumber(r.diamondScore),
    })),
    raw: m,
  };
}

/** `linkMicArmies`: battle score update, per host with their supporters. */
export interface LinkMicArmiesEvent extends EventBase {
  type: "linkMicArmies";
  battleId: string;
  battleArmies: {
    hostUserId: string;
    points: number;
    participants: { userId: string; nickname: string; score: number }[];
  }[];
  /** 1 score update, 2 battle end, ... (docs/protocol.md §10.10). */
  triggerReason: number;
  giftId: string;
  giftCount: number;
  totalDiamondCount: number;
  raw: WebcastLinkMicArmies;
}

export function mapLinkMicArmies(m: WebcastLinkMicArmies, env: MessageEnvelope): LinkMicArmiesEvent {
  return {
    type: "linkMicArmies",
    ...mapBase(m.common, env),
    battleId: m.battleId,
    battleArmies: Object.entries(m.armies).map(([hostUserId, army]) => ({
      hostUserId,
      points: toNumber(army.hostscore),
      participants: army.userArmies.map((u) => ({
        userId: u.userIdStr || u.userId,
        nickname: u.nickname,
        score: toNumber(u.score),
      })),
    })),
    triggerReason: m.triggerReason as number,
    giftId: m.giftId,
    giftCount: m.giftCount,
    totalDiamondCount: m.totalDiamondCount,
    raw: m,
  };
}

/** `emote`: a viewer sent a sticker/emote. */
export interface EmoteEvent extends EventBase {
  type: "emote";
  user: User;
  emotes: { emoteId: string; imageUrl: string | undefined }[];
  raw: WebcastEmoteChatMessage;
}

export function mapEmote(m: WebcastEmoteChatMessage, env: MessageEnvelope): EmoteEvent {
  return {
    type: "emote",
    ...mapBase(m.common, env),
    user: mapUser(m.user, m.userIdentity),
    emotes: m.emoteList.map((e) => ({ emoteId: e.emoteId, imageUrl: pickImageUrl(e.image) })),
    raw: m,
  };
}

/**
 * `envelope`: a treasure chest; `superFanBox` when it is a super-fan box. One event per message:
 * an `envelope` listener hears super-fan boxes too.
 */
export interface EnvelopeEvent<T extends "envelope" | "superFanBox" = "envelope" | "superFanBox">
  extends EventBase {
  type: T;
  envelopeId: string;
  /** EnvelopeBusinessType; 19 = super-fan box. */
  businessType: number;
  sendUserId: string;
  sendUserName: string;
  diamondCount: number;
  peopleCount: number;
  /** When the chest can be opened (epoch seconds). */
  unpackAt: number;
  raw: WebcastEnvelopeMessage;
}

export function mapEnvelope(m: WebcastEnvelopeMessage, env: MessageEnvelope): EnvelopeEvent {
  const info = m.envelopeInfo;
  const event: EnvelopeEvent = {
    type: "envelope",
    ...mapBase(m.common, env),
    envelopeId: info?.envelopeId ?? "",
    businessType: (info?.businessType ?? 0) as number,
    sendUserId: info?.sendUserId ?? "",
    sendUserName: info?.sendUserName ?? "",
    diamondCount: info?.diamondCount ?? 0,
    peopleCount: info?.peopleCount ?? 0,
    unpackAt: info?.unpackAt ?? 0,
    raw: m,
  };
  const superFan = event.displayKey.toLowerCase().includes("ttlive_superfanbox") || event.businessType === 19;
  if (superFan) event.type = "superFanBox";
  return event;
}

/** `liveIntro`: the stream's introduction. */
export interface LiveIntroEvent extends EventBase {
  type: "liveIntro";
  host: User;
  description: string;
  language: string;
  badges: UserBadge[];
  raw: WebcastLiveIntroMessage;
}

export function mapLiveIntro(m: WebcastLiveIntroMessage, env: MessageEnvelope): LiveIntroEvent {
  return {
    type: "liveIntro",
    ...mapBase(m.common, env),
    host: mapUser(m.user),
    description: m.content,
    language: m.contentLanguage,
    badges: mapBadges(m.badges),
    raw: m,
  };
}

/**
 * `barrage`: an on-screen banner; `superFan` / `superFanJoin` for super-fan ones. One event per
 * message: a `barrage` listener hears those too.
 */
export interface BarrageEvent<
  T extends "barrage" | "superFan" | "superFanJoin" = "barrage" | "superFan" | "superFanJoin",
> extends EventBase {
  type: T;
  /** BarrageMessageBarrageType. */
  msgType: number;
  /** The banner text's i18n key and template. */
  contentKey: string;
  contentPattern: string;
  /** The user the banner is about, when TikTok names one. */
  user: User | undefined;
  raw: WebcastBarrageMessage;
}

export function mapBarrage(m: WebcastBarrageMessage, env: MessageEnvelope): BarrageEvent {
  const subject = m.user ?? m.fansLevelParam?.user ?? m.userGradeParam?.user;
  const event: BarrageEvent = {
    type: "barrage",
    ...mapBase(m.common, env),
    msgType: m.msgType as number,
    contentKey: m.content?.key ?? "",
    contentPattern: m.content?.defaultPattern ?? "",
    user: subject === undefined ? undefined : mapUser(subject),
    raw: m,
  };
  // docs/protocol.md §10.27: the join variant first, then any super-fan key.
  const keys = `${m.content?.key ?? ""} ${m.commonBarrageContent?.key ?? ""}`.toLowerCase();
  if (keys.includes("ttlive_superfan_commentnotif_superfanjoined")) event.type = "superFanJoin";
  else if (keys.includes("ttlive_superfan")) event.type = "superFan";
  return event;
}

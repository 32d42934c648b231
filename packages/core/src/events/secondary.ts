// Mappers for the rest of the Webcast messages (docs/protocol.md §10.15-§10.30, names from §11.2).
// One pure function per message type: protobuf message in, typed event out. Every mapper is
// total: any decoded message (sub-messages absent, defaults everywhere) maps without throwing.
import {
  type PunishEventInfo,
  type Text,
  type WebcastAccessControlMessage,
  WebcastAccessControlMessageSchema,
  type WebcastAccessRecallMessage,
  WebcastAccessRecallMessageSchema,
  type WebcastBoostCardMessage,
  WebcastBoostCardMessageSchema,
  type WebcastBottomMessage,
  WebcastBottomMessageSchema,
  type WebcastCapsuleMessage,
  WebcastCapsuleMessageSchema,
  type WebcastCaptionMessage,
  WebcastCaptionMessageSchema,
  type WebcastGameRankNotifyMessage,
  WebcastGameRankNotifyMessageSchema,
  type WebcastGiftBroadcastMessage,
  WebcastGiftBroadcastMessageSchema,
  type WebcastGiftDynamicRestrictionMessage,
  WebcastGiftDynamicRestrictionMessageSchema,
  type WebcastGiftPanelUpdateMessage,
  WebcastGiftPanelUpdateMessageSchema,
  type WebcastGiftPromptMessage,
  WebcastGiftPromptMessageSchema,
  type WebcastGoalUpdateMessage,
  WebcastGoalUpdateMessageSchema,
  type WebcastGuideMessage,
  WebcastGuideMessageSchema,
  type WebcastHourlyRankRewardMessage,
  WebcastHourlyRankRewardMessageSchema,
  type WebcastImDeleteMessage,
  WebcastImDeleteMessageSchema,
  type WebcastInRoomBannerMessage,
  WebcastInRoomBannerMessageSchema,
  type WebcastLinkLayerMessage,
  WebcastLinkLayerMessageSchema,
  type WebcastLinkMessage,
  WebcastLinkMessageSchema,
  type WebcastLinkMicBattleItemCard,
  WebcastLinkMicBattleItemCardSchema,
  type WebcastLinkMicBattlePunishFinish,
  WebcastLinkMicBattlePunishFinishSchema,
  type WebcastLinkMicFanTicketMethod,
  WebcastLinkMicFanTicketMethodSchema,
  type WebcastLinkMicLayoutStateMessage,
  WebcastLinkMicLayoutStateMessageSchema,
  type WebcastLinkMicMethod,
  WebcastLinkMicMethodSchema,
  type WebcastLinkmicBattleTaskMessage,
  WebcastLinkmicBattleTaskMessageSchema,
  type WebcastLinkStateMessage,
  WebcastLinkStateMessageSchema,
  type WebcastLiveGameIntroMessage,
  WebcastLiveGameIntroMessageSchema,
  type WebcastMarqueeAnnouncementMessage,
  WebcastMarqueeAnnouncementMessageSchema,
  type WebcastMsgDetectMessage,
  WebcastMsgDetectMessageSchema,
  type WebcastNoticeMessage,
  WebcastNoticeMessageSchema,
  type WebcastOecLiveShoppingMessage,
  WebcastOecLiveShoppingMessageSchema,
  type WebcastPartnershipDropsUpdateMessage,
  WebcastPartnershipDropsUpdateMessageSchema,
  type WebcastPartnershipGameOfflineMessage,
  WebcastPartnershipGameOfflineMessageSchema,
  type WebcastPartnershipPunishMessage,
  WebcastPartnershipPunishMessageSchema,
  type WebcastPerceptionMessage,
  WebcastPerceptionMessageSchema,
  type WebcastPollMessage,
  WebcastPollMessageSchema,
  type WebcastRankTextMessage,
  WebcastRankTextMessageSchema,
  type WebcastRankUpdateMessage,
  WebcastRankUpdateMessageSchema,
  type WebcastRoomMessage,
  WebcastRoomMessageSchema,
  type WebcastRoomNotifyMessage,
  WebcastRoomNotifyMessageSchema,
  type WebcastRoomPinMessage,
  WebcastRoomPinMessageSchema,
  type WebcastRoomVerifyMessage,
  WebcastRoomVerifyMessageSchema,
  type WebcastSpeakerMessage,
  WebcastSpeakerMessageSchema,
  type WebcastSubPinEventMessage,
  WebcastSubPinEventMessageSchema,
  type WebcastSystemMessage,
  WebcastSystemMessageSchema,
  type WebcastToastMessage,
  WebcastToastMessageSchema,
  type WebcastUnauthorizedMemberMessage,
  WebcastUnauthorizedMemberMessageSchema,
  type WebcastViewerPicksUpdateMessage,
  WebcastViewerPicksUpdateMessageSchema,
} from "@tiklive/proto";
import { defineHandler } from "./registry.js";
import {
  type EventBase,
  type MessageEnvelope,
  mapBase,
  mapUser,
  pickImageUrl,
  toNumber,
  type User,
} from "./user.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * Renders a {@link Text} for display: `defaultPattern` with each `{n:type}` placeholder replaced
 * by piece n (string, user nickname, gift name or pattern). Placeholders without a piece become "".
 */
function renderText(text: Text | undefined): string {
  if (text === undefined) return "";
  const rendered = text.defaultPattern.replace(/\{(\d+)(?::[A-Za-z_]+)?\}/g, (_match, index: string) => {
    const piece = text.pieces[Number(index)];
    if (piece === undefined) return "";
    return (
      piece.stringValue ||
      piece.userValue?.user?.nickname ||
      piece.userValue?.user?.displayId ||
      piece.giftValue?.nameRef?.defaultPattern ||
      piece.patternRefValue?.defaultPattern ||
      ""
    );
  });
  return rendered.trim();
}

/** Parses JSON text; undefined for "" or invalid JSON (never throws). */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A moderation punishment, as {@link BottomMessageEvent}, {@link PartnershipPunishEvent} and {@link PerceptionEvent} carry it. */
export interface Punishment {
  /** e.g. "muting_cancel", "all_nr". */
  punishType: string;
  punishId: string;
  /** The punished user's id ("0" when absent). */
  violationUserId: string;
}

function mapPunishment(info: PunishEventInfo | undefined): Punishment | undefined {
  if (info === undefined) return undefined;
  return { punishType: info.punishType, punishId: info.punishId, violationUserId: info.violationUid };
}

/** A room notice (`WebcastRoomNotifyMessage`), also embedded in gift broadcasts, hourly-rank winners and marquees. */
export interface RoomNotice {
  /** The notice as TikTok shows it, rendered from its `common.displayText` ("" when absent). */
  text: string;
  /** The notice's i18n key (`common.displayText.key`), or "". */
  displayKey: string;
  /** Deep link TikTok attaches (e.g. `sslocal://webcast_room?room_id=…`), or "". */
  schema: string;
  notifyType: number;
  /** The user the notice is about, when TikTok names one. */
  user: User | undefined;
  fromUserId: string;
  toAnchorId: string;
  /** How long to show it, in seconds (0 when absent). */
  durationSec: number;
}

function mapRoomNotice(m: WebcastRoomNotifyMessage | undefined): RoomNotice {
  return {
    text: renderText(m?.common?.displayText),
    displayKey: m?.common?.displayText?.key ?? "",
    schema: m?.schema ?? "",
    notifyType: toNumber(m?.notifyType),
    user: m?.user === undefined ? undefined : mapUser(m.user),
    fromUserId: m?.fromUserId ?? "0",
    toAnchorId: m?.toAnchorId ?? "0",
    durationSec: toNumber(m?.extra?.duration),
  };
}

// ---------------------------------------------------------------------------------------------
// §10.15 - §10.29
// ---------------------------------------------------------------------------------------------

/** `roomMessage`: a room / system notice line (docs/protocol.md §10.15). */
export interface RoomMessageEvent extends EventBase {
  type: "roomMessage";
  /** The notice text. */
  content: string;
  isWelcome: boolean;
  iconUrl: string | undefined;
  showDurationMs: number;
  raw: WebcastRoomMessage;
}

/** Maps a `WebcastRoomMessage` to a {@link RoomMessageEvent}. */
export function mapRoomMessage(m: WebcastRoomMessage, env: MessageEnvelope): RoomMessageEvent {
  return {
    type: "roomMessage",
    ...mapBase(m.common, env),
    content: m.content,
    isWelcome: m.isWelcome,
    iconUrl: pickImageUrl(m.icon),
    showDurationMs: toNumber(m.showDurationMs),
    raw: m,
  };
}

/** `captionMessage`: a live caption (speech to text) of the stream (§10.16). */
export interface CaptionEvent extends EventBase {
  type: "captionMessage";
  /** The caption, one entry per language. */
  captions: { language: string; text: string }[];
  /** True when the sentence is final (later captions of it will not change it). */
  definite: boolean;
  /** Position of the caption in the stream, epoch milliseconds. */
  timestampMs: number;
  durationMs: number;
  sentenceId: string;
  raw: WebcastCaptionMessage;
}

/** Maps a `WebcastCaptionMessage` to a {@link CaptionEvent}. */
export function mapCaption(m: WebcastCaptionMessage, env: MessageEnvelope): CaptionEvent {
  return {
    type: "captionMessage",
    ...mapBase(m.common, env),
    captions: m.content.map((c) => ({ language: c.lang, text: c.content })),
    definite: m.definite,
    timestampMs: toNumber(m.timestampMs),
    durationMs: toNumber(m.durationMs),
    sentenceId: m.sentenceId,
    raw: m,
  };
}

/** One option of a poll, with its votes so far. */
export interface PollOption {
  index: number;
  text: string;
  votes: number;
}

/**
 * `pollMessage`: a poll started, got votes, or ended (§10.17). `kind` follows the content the
 * message carries (end, then update, then start); the poll's title is not in the schema.
 */
export interface PollEvent extends EventBase {
  type: "pollMessage";
  pollId: string;
  kind: "start" | "update" | "end" | "unknown";
  /** The raw `messageType` (0 start, 2 vote update in the captures). */
  messageType: number;
  options: PollOption[];
  /** PollKind: 0 normal, 1 gift, 2 customizable, 3 customizable gift, 4 quick gift, 5 emote. */
  pollKind: number;
  /** Who started, updated or ended the poll, when TikTok names them. */
  operator: User | undefined;
  /** Start and end of the poll, epoch milliseconds (start messages only; 0 otherwise). */
  startTime: number;
  endTime: number;
  /** PollEndType on end messages (0 by time, 1 by owner, 2 by other, 3 by admin); undefined otherwise. */
  endType: number | undefined;
  raw: WebcastPollMessage;
}

/** Maps a `WebcastPollMessage` to a {@link PollEvent}. */
export function mapPoll(m: WebcastPollMessage, env: MessageEnvelope): PollEvent {
  const content = m.endContent ?? m.updateVotesContent ?? m.startContent;
  const kind =
    m.endContent !== undefined
      ? "end"
      : m.updateVotesContent !== undefined
        ? "update"
        : m.startContent !== undefined
          ? "start"
          : "unknown";
  return {
    type: "pollMessage",
    ...mapBase(m.common, env),
    pollId: m.pollId,
    kind,
    messageType: toNumber(m.messageType),
    options: (content?.optionList ?? []).map((o) => ({
      index: o.optionIdx,
      text: o.displayContent,
      votes: toNumber(o.votes),
    })),
    pollKind: m.pollKind as number,
    operator: content?.operator === undefined ? undefined : mapUser(content.operator),
    startTime: toNumber(m.startContent?.startTime),
    endTime: toNumber(m.startContent?.endTime),
    endType: m.endContent === undefined ? undefined : (m.endContent.endType as number),
    raw: m,
  };
}

/** One gift target of a stream goal. */
export interface GoalSubGoal {
  /** Gift id of the target. */
  id: string;
  giftName: string;
  giftImageUrl: string | undefined;
  progress: number;
  target: number;
}

/** `goalUpdate`: progress of the streamer's goal, with the contribution that moved it (§10.18). */
export interface GoalUpdateEvent extends EventBase {
  type: "goalUpdate";
  goalId: string;
  description: string;
  /** Goal status as TikTok reports it. */
  status: number;
  subGoals: GoalSubGoal[];
  /** The viewer whose gift moved the goal ("0" / "" when absent). */
  contributorId: string;
  contributorUniqueId: string;
  contributorProfilePictureUrl: string | undefined;
  contributeCount: number;
  contributeScore: number;
  raw: WebcastGoalUpdateMessage;
}

/** Maps a `WebcastGoalUpdateMessage` to a {@link GoalUpdateEvent}. */
export function mapGoalUpdate(m: WebcastGoalUpdateMessage, env: MessageEnvelope): GoalUpdateEvent {
  const goal = m.goal;
  return {
    type: "goalUpdate",
    ...mapBase(m.common, env),
    goalId: goal === undefined ? "0" : goal.idStr || goal.id,
    description: goal?.description ?? "",
    status: goal?.status ?? 0,
    subGoals: (goal?.subGoals ?? []).map((s) => ({
      id: s.idStr || s.id,
      giftName: s.gift?.name ?? "",
      giftImageUrl: pickImageUrl(s.gift?.icon),
      progress: toNumber(s.progress),
      target: toNumber(s.target),
    })),
    contributorId: m.contributorIdStr || m.contributorId,
    contributorUniqueId: m.contributorDisplayId,
    contributorProfilePictureUrl: pickImageUrl(m.contributorAvatar),
    contributeCount: toNumber(m.contributeCount),
    contributeScore: toNumber(m.contributeScore),
    raw: m,
  };
}

/** `rankUpdate`: the room's ranking entrances changed (daily ranking, ...) (§10.19). */
export interface RankUpdateEvent extends EventBase {
  type: "rankUpdate";
  updates: { rankType: number; textKey: string; text: string; countdownSec: number }[];
  groupType: number;
  rankPriority: number;
  raw: WebcastRankUpdateMessage;
}

/** Maps a `WebcastRankUpdateMessage` to a {@link RankUpdateEvent}. */
export function mapRankUpdate(m: WebcastRankUpdateMessage, env: MessageEnvelope): RankUpdateEvent {
  return {
    type: "rankUpdate",
    ...mapBase(m.common, env),
    updates: m.updates.map((u) => ({
      rankType: u.rankType,
      textKey: u.defaultContent?.key ?? "",
      text: renderText(u.defaultContent),
      countdownSec: toNumber(u.countdown),
    })),
    groupType: m.groupType,
    rankPriority: toNumber(m.rankPriority),
    raw: m,
  };
}

/** `hourlyRank`: the winners of the hourly ranking (from `WebcastHourlyRankRewardMessage`, §10.20). */
export interface HourlyRankEvent extends EventBase {
  type: "hourlyRank";
  /** Each winner with the announcement text, e.g. "Congratulations! x just became the No. 1 LIVE creator…". */
  winners: { userId: string; assetId: string; text: string }[];
  raw: WebcastHourlyRankRewardMessage;
}

/** Maps a `WebcastHourlyRankRewardMessage` to a {@link HourlyRankEvent}. */
export function mapHourlyRank(m: WebcastHourlyRankRewardMessage, env: MessageEnvelope): HourlyRankEvent {
  return {
    type: "hourlyRank",
    ...mapBase(m.common, env),
    winners: m.winners.map((w) => ({
      userId: w.userId,
      assetId: w.assetId,
      text: mapRoomNotice(w.notify).text,
    })),
    raw: m,
  };
}

/** `imDelete`: moderators removed messages, or every message of some users (§10.21); match ids against `msgId`. */
export interface ImDeleteEvent extends EventBase {
  type: "imDelete";
  deleteMsgIds: string[];
  deleteUserIds: string[];
  raw: WebcastImDeleteMessage;
}

/** Maps a `WebcastImDeleteMessage` to an {@link ImDeleteEvent}. */
export function mapImDelete(m: WebcastImDeleteMessage, env: MessageEnvelope): ImDeleteEvent {
  return {
    type: "imDelete",
    ...mapBase(m.common, env),
    deleteMsgIds: [...m.deleteMsgIds],
    deleteUserIds: [...m.deleteUserIds],
    raw: m,
  };
}

/** `inRoomBanner`: an in-room banner (§10.22). Its content is JSON text whose shape TikTok does not document. */
export interface InRoomBannerEvent extends EventBase {
  type: "inRoomBanner";
  /** The banner's JSON, parsed; undefined when absent or not valid JSON. */
  data: unknown;
  raw: WebcastInRoomBannerMessage;
}

/** Maps a `WebcastInRoomBannerMessage` to an {@link InRoomBannerEvent}. */
export function mapInRoomBanner(m: WebcastInRoomBannerMessage, env: MessageEnvelope): InRoomBannerEvent {
  return { type: "inRoomBanner", ...mapBase(m.common, env), data: parseJson(m.jsonData), raw: m };
}

/** `linkMessage`: link-mic (co-host) signalling (§10.23). */
export interface LinkMessageEvent extends EventBase {
  type: "linkMessage";
  messageType: number;
  linkerId: string;
  scene: number;
  /** Epoch time the link request expires (0 when absent). */
  expireTimestamp: number;
  raw: WebcastLinkMessage;
}

/** Maps a `WebcastLinkMessage` to a {@link LinkMessageEvent}. */
export function mapLinkMessage(m: WebcastLinkMessage, env: MessageEnvelope): LinkMessageEvent {
  return {
    type: "linkMessage",
    ...mapBase(m.common, env),
    messageType: m.messageType,
    linkerId: m.linkerId,
    scene: m.scene,
    expireTimestamp: toNumber(m.expireTimestamp),
    raw: m,
  };
}

/** `linkMicMethod`: link-mic (co-host) state and fan tickets (§10.24). */
export interface LinkMicMethodEvent extends EventBase {
  type: "linkMicMethod";
  messageType: number;
  userId: string;
  /** The user's fan tickets, and the total of the link-mic session. */
  fanTicket: number;
  totalLinkmicFanTicket: number;
  channelId: string;
  win: boolean;
  fromUserId: string;
  toUserId: string;
  fromRoomId: string;
  linkedUsers: User[];
  raw: WebcastLinkMicMethod;
}

/** Maps a `WebcastLinkMicMethod` to a {@link LinkMicMethodEvent}. */
export function mapLinkMicMethod(m: WebcastLinkMicMethod, env: MessageEnvelope): LinkMicMethodEvent {
  return {
    type: "linkMicMethod",
    ...mapBase(m.common, env),
    messageType: m.messageType,
    userId: m.userId,
    fanTicket: toNumber(m.fanTicket),
    totalLinkmicFanTicket: toNumber(m.totalLinkmicFanTicket),
    channelId: m.channelId,
    win: m.win,
    fromUserId: m.fromUserId,
    toUserId: m.toUserId,
    fromRoomId: m.fromRoomId,
    linkedUsers: m.linkedUsers.map((u) => mapUser(u)),
    raw: m,
  };
}

/** `roomPin`: a message was pinned (or unpinned) by the host or a moderator (§10.25). */
export interface RoomPinEvent extends EventBase {
  type: "roomPin";
  /** Method of the pinned message, e.g. "WebcastChatMessage". */
  pinnedMethod: string;
  /** "pin", "unpin", or the raw RoomPinAction number when unknown. */
  action: "pin" | "unpin" | number;
  /** The pinned comment, when the pinned message is a chat message. */
  pinnedComment: string | undefined;
  /** Author of the pinned message, when TikTok embeds it. */
  pinnedUser: User | undefined;
  /** Who pinned it. */
  operator: User;
  pinMsgId: string;
  /** When it was pinned, epoch milliseconds. */
  pinTime: number;
  /** How long it stays pinned, in seconds. */
  displayDurationSec: number;
  raw: WebcastRoomPinMessage;
}

/** Maps a `WebcastRoomPinMessage` to a {@link RoomPinEvent}. */
export function mapRoomPin(m: WebcastRoomPinMessage, env: MessageEnvelope): RoomPinEvent {
  const action = m.action as number;
  const author =
    m.chatMessage?.user ??
    m.socialMessage?.user ??
    m.giftMessage?.user ??
    m.memberMessage?.user ??
    m.likeMessage?.user;
  return {
    type: "roomPin",
    ...mapBase(m.common, env),
    pinnedMethod: m.method,
    action: action === 1 ? "pin" : action === 2 ? "unpin" : action,
    pinnedComment: m.chatMessage?.content,
    pinnedUser: author === undefined ? undefined : mapUser(author),
    operator: mapUser(m.operator),
    pinMsgId: m.pinMsgId,
    pinTime: toNumber(m.pinTime),
    displayDurationSec: toNumber(m.displayDuration),
    raw: m,
  };
}

/** `unauthorizedMember`: a logged-out viewer joined (§10.26). */
export interface UnauthorizedMemberEvent extends EventBase {
  type: "unauthorizedMember";
  action: number;
  /** The anonymous viewer's nickname as sent, e.g. "743858". */
  nickName: string;
  /** The name TikTok shows: the prefix pattern ("Viewer%s") applied to `nickName`, e.g. "Viewer743858". */
  displayName: string;
  raw: WebcastUnauthorizedMemberMessage;
}

/** Maps a `WebcastUnauthorizedMemberMessage` to an {@link UnauthorizedMemberEvent}. */
export function mapUnauthorizedMember(
  m: WebcastUnauthorizedMemberMessage,
  env: MessageEnvelope,
): UnauthorizedMemberEvent {
  const prefix = m.nickNamePrefix?.defaultPattern ?? "";
  return {
    type: "unauthorizedMember",
    ...mapBase(m.common, env),
    action: m.action,
    nickName: m.nickName,
    displayName: prefix.includes("%s") ? prefix.replace("%s", m.nickName) : `${prefix}${m.nickName}`,
    raw: m,
  };
}

/** `linkLayer`: multi-guest layer signalling (§10.28); `messageType` 9 is a guest leaving. */
export interface LinkLayerEvent extends EventBase {
  type: "linkLayer";
  messageType: number;
  channelId: string;
  scene: number;
  rtcRoomId: string;
  /** Reason code of a leave (message type 9); undefined for other messages. */
  leaveReason: number | undefined;
  raw: WebcastLinkLayerMessage;
}

/** Maps a `WebcastLinkLayerMessage` to a {@link LinkLayerEvent}. */
export function mapLinkLayer(m: WebcastLinkLayerMessage, env: MessageEnvelope): LinkLayerEvent {
  return {
    type: "linkLayer",
    ...mapBase(m.common, env),
    messageType: m.messageType,
    channelId: m.channelId,
    scene: m.scene,
    rtcRoomId: m.rtcRoomId,
    leaveReason: m.leaveContent === undefined ? undefined : toNumber(m.leaveContent.leaveReason),
    raw: m,
  };
}

/** `giftBroadcast`: a big gift announced across rooms (§10.29). */
export interface GiftBroadcastEvent extends EventBase {
  type: "giftBroadcast";
  fromUserId: string;
  iconUrl: string | undefined;
  /** The announcement. */
  notice: RoomNotice;
  raw: WebcastGiftBroadcastMessage;
}

/** Maps a `WebcastGiftBroadcastMessage` to a {@link GiftBroadcastEvent}. */
export function mapGiftBroadcast(m: WebcastGiftBroadcastMessage, env: MessageEnvelope): GiftBroadcastEvent {
  return {
    type: "giftBroadcast",
    ...mapBase(m.common, env),
    fromUserId: m.fromUserId,
    iconUrl: pickImageUrl(m.leftIcon),
    notice: mapRoomNotice(m.notify),
    raw: m,
  };
}

// ---------------------------------------------------------------------------------------------
// §10.30 remaining messages
// ---------------------------------------------------------------------------------------------

/** `system`: a system message. */
export interface SystemEvent extends EventBase {
  type: "system";
  message: string;
  raw: WebcastSystemMessage;
}

/** Maps a `WebcastSystemMessage` to a {@link SystemEvent}. */
export function mapSystem(m: WebcastSystemMessage, env: MessageEnvelope): SystemEvent {
  return { type: "system", ...mapBase(m.common, env), message: m.message, raw: m };
}

/** `rankText`: a ranking announcement, e.g. "Jose just became the No. 2 viewer!". */
export interface RankTextEvent extends EventBase {
  type: "rankText";
  /** The announcement: `content`, else the message's `common.displayText`, rendered. */
  text: string;
  scene: number;
  rankType: number;
  /** The user the announcement is about. */
  userId: string;
  /** Their rank after the update (0 when absent). */
  rank: number;
  raw: WebcastRankTextMessage;
}

/** Maps a `WebcastRankTextMessage` to a {@link RankTextEvent}. */
export function mapRankText(m: WebcastRankTextMessage, env: MessageEnvelope): RankTextEvent {
  return {
    type: "rankText",
    ...mapBase(m.common, env),
    text: renderText(m.content) || renderText(m.common?.displayText),
    scene: m.scene,
    rankType: m.rankType,
    userId: m.curUserId,
    rank: toNumber(m.ownerIdxAfterUpdate),
    raw: m,
  };
}

/** `linkMicBattleItemCard`: a battle item (power-up) card was used. */
export interface LinkMicBattleItemCardEvent extends EventBase {
  type: "linkMicBattleItemCard";
  battleId: string;
  msgType: number;
  raw: WebcastLinkMicBattleItemCard;
}

/** Maps a `WebcastLinkMicBattleItemCard` to a {@link LinkMicBattleItemCardEvent}. */
export function mapLinkMicBattleItemCard(
  m: WebcastLinkMicBattleItemCard,
  env: MessageEnvelope,
): LinkMicBattleItemCardEvent {
  return {
    type: "linkMicBattleItemCard",
    ...mapBase(m.common, env),
    battleId: m.battleId,
    msgType: m.msgType,
    raw: m,
  };
}

/** `linkMicBattlePunishFinish`: the punishment phase after a battle is over. */
export interface LinkMicBattlePunishFinishEvent extends EventBase {
  type: "linkMicBattlePunishFinish";
  battleId: string;
  channelId: string;
  /** Who ended it. */
  operatorUserId: string;
  raw: WebcastLinkMicBattlePunishFinish;
}

/** Maps a `WebcastLinkMicBattlePunishFinish` to a {@link LinkMicBattlePunishFinishEvent}. */
export function mapLinkMicBattlePunishFinish(
  m: WebcastLinkMicBattlePunishFinish,
  env: MessageEnvelope,
): LinkMicBattlePunishFinishEvent {
  return {
    type: "linkMicBattlePunishFinish",
    ...mapBase(m.common, env),
    battleId: m.battleId !== "0" ? m.battleId : (m.battleSettings?.battleId ?? "0"),
    channelId: m.channelId,
    operatorUserId: m.opUid,
    raw: m,
  };
}

/** `linkMicBattleTask`: a battle task started, progressed or settled (from `WebcastLinkmicBattleTaskMessage`). */
export interface LinkMicBattleTaskEvent extends EventBase {
  type: "linkMicBattleTask";
  battleId: string;
  taskMessageType: number;
  raw: WebcastLinkmicBattleTaskMessage;
}

/** Maps a `WebcastLinkmicBattleTaskMessage` to a {@link LinkMicBattleTaskEvent}. */
export function mapLinkMicBattleTask(
  m: WebcastLinkmicBattleTaskMessage,
  env: MessageEnvelope,
): LinkMicBattleTaskEvent {
  return {
    type: "linkMicBattleTask",
    ...mapBase(m.common, env),
    battleId: m.battleId,
    taskMessageType: m.taskMessageType,
    raw: m,
  };
}

/** `linkMicFanTicketMethod`: fan tickets of the link-mic (co-host) participants. */
export interface LinkMicFanTicketMethodEvent extends EventBase {
  type: "linkMicFanTicketMethod";
  totalLinkmicFanTicket: number;
  fanTickets: { userId: string; fanTicket: number }[];
  iconUrl: string;
  raw: WebcastLinkMicFanTicketMethod;
}

/** Maps a `WebcastLinkMicFanTicketMethod` to a {@link LinkMicFanTicketMethodEvent}. */
export function mapLinkMicFanTicketMethod(
  m: WebcastLinkMicFanTicketMethod,
  env: MessageEnvelope,
): LinkMicFanTicketMethodEvent {
  const notice = m.fanTicketRoomNotice;
  return {
    type: "linkMicFanTicketMethod",
    ...mapBase(m.common, env),
    totalLinkmicFanTicket: toNumber(notice?.totalLinkmicFanTicket),
    fanTickets: (notice?.userFanTicketList ?? []).map((u) => ({
      userId: u.userId,
      fanTicket: toNumber(u.fanTicket),
    })),
    iconUrl: notice?.fanTicketIconUrl ?? "",
    raw: m,
  };
}

/** `oecLiveShopping`: live-shopping (product showcase) update. */
export interface OecLiveShoppingEvent extends EventBase {
  type: "oecLiveShopping";
  actionType: number;
  liveProductNumber: number;
  raw: WebcastOecLiveShoppingMessage;
}

/** Maps a `WebcastOecLiveShoppingMessage` to an {@link OecLiveShoppingEvent}. */
export function mapOecLiveShopping(
  m: WebcastOecLiveShoppingMessage,
  env: MessageEnvelope,
): OecLiveShoppingEvent {
  return {
    type: "oecLiveShopping",
    ...mapBase(m.common, env),
    actionType: m.actionType,
    liveProductNumber: toNumber(m.liveProductNumber),
    raw: m,
  };
}

/** `msgDetect`: a message-delivery probe TikTok sends to measure latency. */
export interface MsgDetectEvent extends EventBase {
  type: "msgDetect";
  detectType: number;
  triggerBy: number;
  fromRegion: string;
  raw: WebcastMsgDetectMessage;
}

/** Maps a `WebcastMsgDetectMessage` to a {@link MsgDetectEvent}. */
export function mapMsgDetect(m: WebcastMsgDetectMessage, env: MessageEnvelope): MsgDetectEvent {
  return {
    type: "msgDetect",
    ...mapBase(m.common, env),
    detectType: m.dType,
    triggerBy: m.triggerBy,
    fromRegion: m.fromRegion,
    raw: m,
  };
}

/** `roomVerify`: the room must be verified (and may be closed). */
export interface RoomVerifyEvent extends EventBase {
  type: "roomVerify";
  action: number;
  noticeType: number;
  closeRoom: boolean;
  raw: WebcastRoomVerifyMessage;
}

/** Maps a `WebcastRoomVerifyMessage` to a {@link RoomVerifyEvent}. */
export function mapRoomVerify(m: WebcastRoomVerifyMessage, env: MessageEnvelope): RoomVerifyEvent {
  return {
    type: "roomVerify",
    ...mapBase(m.common, env),
    action: m.action,
    noticeType: toNumber(m.noticeType),
    closeRoom: m.closeRoom,
    raw: m,
  };
}

/** `accessControl`: access control (captcha) for the viewer; the schema carries only `common`. */
export interface AccessControlEvent extends EventBase {
  type: "accessControl";
  raw: WebcastAccessControlMessage;
}

/** Maps a `WebcastAccessControlMessage` to an {@link AccessControlEvent}. */
export function mapAccessControl(m: WebcastAccessControlMessage, env: MessageEnvelope): AccessControlEvent {
  return { type: "accessControl", ...mapBase(m.common, env), raw: m };
}

/** `accessRecall`: a feature (e.g. gifts) was restricted or restored for a while. */
export interface AccessRecallEvent extends EventBase {
  type: "accessRecall";
  status: number;
  /** e.g. "GIFT". */
  scene: string;
  duration: number;
  endTime: number;
  raw: WebcastAccessRecallMessage;
}

/** Maps a `WebcastAccessRecallMessage` to an {@link AccessRecallEvent}. */
export function mapAccessRecall(m: WebcastAccessRecallMessage, env: MessageEnvelope): AccessRecallEvent {
  return {
    type: "accessRecall",
    ...mapBase(m.common, env),
    status: m.status,
    scene: m.scene,
    duration: toNumber(m.duration),
    endTime: toNumber(m.endTime),
    raw: m,
  };
}

/** `boostCard`: a boost card update; the schema carries only `common`. */
export interface BoostCardEvent extends EventBase {
  type: "boostCard";
  raw: WebcastBoostCardMessage;
}

/** Maps a `WebcastBoostCardMessage` to a {@link BoostCardEvent}. */
export function mapBoostCard(m: WebcastBoostCardMessage, env: MessageEnvelope): BoostCardEvent {
  return { type: "boostCard", ...mapBase(m.common, env), raw: m };
}

/** `bottomMessage`: a banner at the bottom of the stream, e.g. "This LIVE is pre-recorded.". */
export interface BottomMessageEvent extends EventBase {
  type: "bottomMessage";
  /** The banner, rendered from `common.displayText` ("" when absent). */
  text: string;
  showType: number;
  bizType: number;
  /** How long to show it, in seconds. */
  durationSec: number;
  violationUserId: string;
  punishment: Punishment | undefined;
  raw: WebcastBottomMessage;
}

/** Maps a `WebcastBottomMessage` to a {@link BottomMessageEvent}. */
export function mapBottomMessage(m: WebcastBottomMessage, env: MessageEnvelope): BottomMessageEvent {
  return {
    type: "bottomMessage",
    ...mapBase(m.common, env),
    text: renderText(m.common?.displayText),
    showType: m.showType,
    bizType: m.bizType,
    durationSec: toNumber(m.duration),
    violationUserId: m.violationUserId,
    punishment: mapPunishment(m.punishInfo),
    raw: m,
  };
}

/** `capsule`: a capsule (small pop-up) notice. */
export interface CapsuleEvent extends EventBase {
  type: "capsule";
  capsuleType: number;
  /** Rendered from `common.displayText` ("" when absent). */
  text: string;
  raw: WebcastCapsuleMessage;
}

/** Maps a `WebcastCapsuleMessage` to a {@link CapsuleEvent}. */
export function mapCapsule(m: WebcastCapsuleMessage, env: MessageEnvelope): CapsuleEvent {
  return {
    type: "capsule",
    ...mapBase(m.common, env),
    capsuleType: m.type,
    text: renderText(m.common?.displayText),
    raw: m,
  };
}

/** `gameRankNotify`: a game ranking notice. */
export interface GameRankNotifyEvent extends EventBase {
  type: "gameRankNotify";
  msgType: number;
  raw: WebcastGameRankNotifyMessage;
}

/** Maps a `WebcastGameRankNotifyMessage` to a {@link GameRankNotifyEvent}. */
export function mapGameRankNotify(
  m: WebcastGameRankNotifyMessage,
  env: MessageEnvelope,
): GameRankNotifyEvent {
  return { type: "gameRankNotify", ...mapBase(m.common, env), msgType: m.msgType, raw: m };
}

/** `giftDynamicRestriction`: gift restrictions changed; the schema carries only `common`. */
export interface GiftDynamicRestrictionEvent extends EventBase {
  type: "giftDynamicRestriction";
  raw: WebcastGiftDynamicRestrictionMessage;
}

/** Maps a `WebcastGiftDynamicRestrictionMessage` to a {@link GiftDynamicRestrictionEvent}. */
export function mapGiftDynamicRestriction(
  m: WebcastGiftDynamicRestrictionMessage,
  env: MessageEnvelope,
): GiftDynamicRestrictionEvent {
  return { type: "giftDynamicRestriction", ...mapBase(m.common, env), raw: m };
}

/** `giftPanelUpdate`: the gift panel changed; fetch the gift list again. */
export interface GiftPanelUpdateEvent extends EventBase {
  type: "giftPanelUpdate";
  /** When the panel changed, as TikTok sends it. */
  timestamp: number;
  raw: WebcastGiftPanelUpdateMessage;
}

/** Maps a `WebcastGiftPanelUpdateMessage` to a {@link GiftPanelUpdateEvent}; `roomId` falls back to the message's own field. */
export function mapGiftPanelUpdate(
  m: WebcastGiftPanelUpdateMessage,
  env: MessageEnvelope,
): GiftPanelUpdateEvent {
  const base = mapBase(m.common, env);
  return {
    type: "giftPanelUpdate",
    ...base,
    roomId: base.roomId !== "0" ? base.roomId : m.roomId,
    timestamp: toNumber(m.timestamp),
    raw: m,
  };
}

/** `giftPrompt`: a prompt to send a gift. */
export interface GiftPromptEvent extends EventBase {
  type: "giftPrompt";
  /** Rendered from `common.displayText` ("" when absent); title and body are not in the schema. */
  text: string;
  raw: WebcastGiftPromptMessage;
}

/** Maps a `WebcastGiftPromptMessage` to a {@link GiftPromptEvent}. */
export function mapGiftPrompt(m: WebcastGiftPromptMessage, env: MessageEnvelope): GiftPromptEvent {
  return { type: "giftPrompt", ...mapBase(m.common, env), text: renderText(m.common?.displayText), raw: m };
}

/** `guide`: a guide (hint) for viewers, e.g. to send a gift. */
export interface GuideEvent extends EventBase {
  type: "guide";
  guideType: number;
  giftId: string;
  duration: number;
  raw: WebcastGuideMessage;
}

/** Maps a `WebcastGuideMessage` to a {@link GuideEvent}. */
export function mapGuide(m: WebcastGuideMessage, env: MessageEnvelope): GuideEvent {
  return {
    type: "guide",
    ...mapBase(m.common, env),
    guideType: toNumber(m.guideType),
    giftId: m.giftId,
    duration: toNumber(m.duration),
    raw: m,
  };
}

/** `linkMicLayoutState`: the layout of a link-mic (co-host) session changed. */
export interface LinkMicLayoutStateEvent extends EventBase {
  type: "linkMicLayoutState";
  channelId: string;
  scene: number;
  raw: WebcastLinkMicLayoutStateMessage;
}

/** Maps a `WebcastLinkMicLayoutStateMessage` to a {@link LinkMicLayoutStateEvent}. */
export function mapLinkMicLayoutState(
  m: WebcastLinkMicLayoutStateMessage,
  env: MessageEnvelope,
): LinkMicLayoutStateEvent {
  return {
    type: "linkMicLayoutState",
    ...mapBase(m.common, env),
    channelId: m.channelId,
    scene: m.scene,
    raw: m,
  };
}

/** `linkState`: state of a link-mic (co-host) channel. */
export interface LinkStateEvent extends EventBase {
  type: "linkState";
  channelId: string;
  raw: WebcastLinkStateMessage;
}

/** Maps a `WebcastLinkStateMessage` to a {@link LinkStateEvent}. */
export function mapLinkState(m: WebcastLinkStateMessage, env: MessageEnvelope): LinkStateEvent {
  return { type: "linkState", ...mapBase(m.common, env), channelId: m.channelId, raw: m };
}

/** `liveGameIntro`: introduction of the game being streamed. */
export interface LiveGameIntroEvent extends EventBase {
  type: "liveGameIntro";
  /** The introduction, rendered. */
  text: string;
  hasRankInfo: boolean;
  raw: WebcastLiveGameIntroMessage;
}

/** Maps a `WebcastLiveGameIntroMessage` to a {@link LiveGameIntroEvent}. */
export function mapLiveGameIntro(m: WebcastLiveGameIntroMessage, env: MessageEnvelope): LiveGameIntroEvent {
  return {
    type: "liveGameIntro",
    ...mapBase(m.common, env),
    text: renderText(m.content),
    hasRankInfo: m.hasRankInfo,
    raw: m,
  };
}

/** `marqueeAnnouncement`: scrolling announcements, e.g. "Weekly No. 1: x is LIVE". */
export interface MarqueeAnnouncementEvent extends EventBase {
  type: "marqueeAnnouncement";
  /** e.g. "start_room_event". */
  scene: string;
  announcements: RoomNotice[];
  raw: WebcastMarqueeAnnouncementMessage;
}

/** Maps a `WebcastMarqueeAnnouncementMessage` to a {@link MarqueeAnnouncementEvent}. */
export function mapMarqueeAnnouncement(
  m: WebcastMarqueeAnnouncementMessage,
  env: MessageEnvelope,
): MarqueeAnnouncementEvent {
  return {
    type: "marqueeAnnouncement",
    ...mapBase(m.common, env),
    scene: m.messageScene,
    announcements: m.messageEntity.map((e) => mapRoomNotice(e.notify)),
    raw: m,
  };
}

/** `notice`: a notice to viewers. */
export interface NoticeEvent extends EventBase {
  type: "notice";
  noticeType: number;
  /** Rendered from `common.displayText` ("" when absent); content and title are not in the schema. */
  text: string;
  raw: WebcastNoticeMessage;
}

/** Maps a `WebcastNoticeMessage` to a {@link NoticeEvent}. */
export function mapNotice(m: WebcastNoticeMessage, env: MessageEnvelope): NoticeEvent {
  return {
    type: "notice",
    ...mapBase(m.common, env),
    noticeType: toNumber(m.noticeType),
    text: renderText(m.common?.displayText),
    raw: m,
  };
}

/** `partnershipDropsUpdate`: a game-partnership drops campaign changed. */
export interface PartnershipDropsUpdateEvent extends EventBase {
  type: "partnershipDropsUpdate";
  changeMode: number;
  dropsId: string;
  raw: WebcastPartnershipDropsUpdateMessage;
}

/** Maps a `WebcastPartnershipDropsUpdateMessage` to a {@link PartnershipDropsUpdateEvent}. */
export function mapPartnershipDropsUpdate(
  m: WebcastPartnershipDropsUpdateMessage,
  env: MessageEnvelope,
): PartnershipDropsUpdateEvent {
  return {
    type: "partnershipDropsUpdate",
    ...mapBase(m.common, env),
    changeMode: m.changeMode,
    dropsId: m.dropsId,
    raw: m,
  };
}

/** `partnershipGameOffline`: partnership games went offline; the schema carries only `common`. */
export interface PartnershipGameOfflineEvent extends EventBase {
  type: "partnershipGameOffline";
  raw: WebcastPartnershipGameOfflineMessage;
}

/** Maps a `WebcastPartnershipGameOfflineMessage` to a {@link PartnershipGameOfflineEvent}. */
export function mapPartnershipGameOffline(
  m: WebcastPartnershipGameOfflineMessage,
  env: MessageEnvelope,
): PartnershipGameOfflineEvent {
  return { type: "partnershipGameOffline", ...mapBase(m.common, env), raw: m };
}

/** `partnershipPunish`: a game-partnership punishment. */
export interface PartnershipPunishEvent extends EventBase {
  type: "partnershipPunish";
  punishment: Punishment | undefined;
  raw: WebcastPartnershipPunishMessage;
}

/** Maps a `WebcastPartnershipPunishMessage` to a {@link PartnershipPunishEvent}. */
export function mapPartnershipPunish(
  m: WebcastPartnershipPunishMessage,
  env: MessageEnvelope,
): PartnershipPunishEvent {
  return {
    type: "partnershipPunish",
    ...mapBase(m.common, env),
    punishment: mapPunishment(m.punishInfo),
    raw: m,
  };
}

/** `perception`: a moderation notice (a punishment applied or lifted). */
export interface PerceptionEvent extends EventBase {
  type: "perception";
  dialogScene: number;
  punishment: Punishment | undefined;
  /** When the punishment ends, as TikTok sends it (0 when absent). */
  endTime: number;
  raw: WebcastPerceptionMessage;
}

/** Maps a `WebcastPerceptionMessage` to a {@link PerceptionEvent}. */
export function mapPerception(m: WebcastPerceptionMessage, env: MessageEnvelope): PerceptionEvent {
  return {
    type: "perception",
    ...mapBase(m.common, env),
    dialogScene: m.dialog?.scene ?? 0,
    punishment: mapPunishment(m.punishInfo),
    endTime: toNumber(m.endTime),
    raw: m,
  };
}

/** `roomNotify`: a room notice, e.g. "The MVP x got 1 magic mist.". */
export interface RoomNotifyEvent extends EventBase, RoomNotice {
  type: "roomNotify";
  raw: WebcastRoomNotifyMessage;
}

/** Maps a `WebcastRoomNotifyMessage` to a {@link RoomNotifyEvent}. */
export function mapRoomNotify(m: WebcastRoomNotifyMessage, env: MessageEnvelope): RoomNotifyEvent {
  // The notice's displayKey is the base's (both are common.displayText.key).
  return { type: "roomNotify", ...mapBase(m.common, env), ...mapRoomNotice(m), raw: m };
}

/** `speaker`: a speaker update; the schema carries only `common`. */
export interface SpeakerEvent extends EventBase {
  type: "speaker";
  raw: WebcastSpeakerMessage;
}

/** Maps a `WebcastSpeakerMessage` to a {@link SpeakerEvent}. */
export function mapSpeaker(m: WebcastSpeakerMessage, env: MessageEnvelope): SpeakerEvent {
  return { type: "speaker", ...mapBase(m.common, env), raw: m };
}

/** `subPinEvent`: a subscriber card was pinned or unpinned. */
export interface SubPinEvent extends EventBase {
  type: "subPinEvent";
  actionType: number;
  cardId: string;
  cardType: number;
  operatorUserId: string;
  raw: WebcastSubPinEventMessage;
}

/** Maps a `WebcastSubPinEventMessage` to a {@link SubPinEvent}. */
export function mapSubPinEvent(m: WebcastSubPinEventMessage, env: MessageEnvelope): SubPinEvent {
  return {
    type: "subPinEvent",
    ...mapBase(m.common, env),
    actionType: m.actionType,
    cardId: m.card?.id ?? "0",
    cardType: m.card?.type ?? 0,
    operatorUserId: m.operatorUserId,
    raw: m,
  };
}

/** `toast`: a short pop-up message. */
export interface ToastEvent extends EventBase {
  type: "toast";
  /** Rendered from `common.displayText` ("" when absent). */
  text: string;
  displayDurationMs: number;
  raw: WebcastToastMessage;
}

/** Maps a `WebcastToastMessage` to a {@link ToastEvent}. */
export function mapToast(m: WebcastToastMessage, env: MessageEnvelope): ToastEvent {
  return {
    type: "toast",
    ...mapBase(m.common, env),
    text: renderText(m.common?.displayText),
    displayDurationMs: toNumber(m.displayDurationMillisecond),
    raw: m,
  };
}

/** `viewerPicksUpdate`: the viewer-picks panel changed. */
export interface ViewerPicksUpdateEvent extends EventBase {
  type: "viewerPicksUpdate";
  updateType: number;
  raw: WebcastViewerPicksUpdateMessage;
}

/** Maps a `WebcastViewerPicksUpdateMessage` to a {@link ViewerPicksUpdateEvent}. */
export function mapViewerPicksUpdate(
  m: WebcastViewerPicksUpdateMessage,
  env: MessageEnvelope,
): ViewerPicksUpdateEvent {
  return { type: "viewerPicksUpdate", ...mapBase(m.common, env), updateType: m.updateType, raw: m };
}

// ---------------------------------------------------------------------------------------------
// Union and handlers
// ---------------------------------------------------------------------------------------------

/** Every event of {@link secondaryHandlers} (docs/protocol.md §10.15-§10.30). */
export type SecondaryEvent =
  | RoomMessageEvent
  | CaptionEvent
  | PollEvent
  | GoalUpdateEvent
  | RankUpdateEvent
  | HourlyRankEvent
  | ImDeleteEvent
  | InRoomBannerEvent
  | LinkMessageEvent
  | LinkMicMethodEvent
  | RoomPinEvent
  | UnauthorizedMemberEvent
  | LinkLayerEvent
  | GiftBroadcastEvent
  | SystemEvent
  | RankTextEvent
  | LinkMicBattleItemCardEvent
  | LinkMicBattlePunishFinishEvent
  | LinkMicBattleTaskEvent
  | LinkMicFanTicketMethodEvent
  | OecLiveShoppingEvent
  | MsgDetectEvent
  | RoomVerifyEvent
  | AccessControlEvent
  | AccessRecallEvent
  | BoostCardEvent
  | BottomMessageEvent
  | CapsuleEvent
  | GameRankNotifyEvent
  | GiftDynamicRestrictionEvent
  | GiftPanelUpdateEvent
  | GiftPromptEvent
  | GuideEvent
  | LinkMicLayoutStateEvent
  | LinkStateEvent
  | LiveGameIntroEvent
  | MarqueeAnnouncementEvent
  | NoticeEvent
  | PartnershipDropsUpdateEvent
  | PartnershipGameOfflineEvent
  | PartnershipPunishEvent
  | PerceptionEvent
  | RoomNotifyEvent
  | SpeakerEvent
  | SubPinEvent
  | ToastEvent
  | ViewerPicksUpdateEvent;

/** The handlers of the remaining events (docs/protocol.md §10.15-§10.30; event names from §11.2). */
export const secondaryHandlers = [
  defineHandler(WebcastRoomMessageSchema, ["roomMessage"], mapRoomMessage),
  defineHandler(WebcastCaptionMessageSchema, ["captionMessage"], mapCaption),
  defineHandler(WebcastPollMessageSchema, ["pollMessage"], mapPoll),
  defineHandler(WebcastGoalUpdateMessageSchema, ["goalUpdate"], mapGoalUpdate),
  defineHandler(WebcastRankUpdateMessageSchema, ["rankUpdate"], mapRankUpdate),
  defineHandler(WebcastHourlyRankRewardMessageSchema, ["hourlyRank"], mapHourlyRank),
  defineHandler(WebcastImDeleteMessageSchema, ["imDelete"], mapImDelete),
  defineHandler(WebcastInRoomBannerMessageSchema, ["inRoomBanner"], mapInRoomBanner),
  defineHandler(WebcastLinkMessageSchema, ["linkMessage"], mapLinkMessage),
  defineHandler(WebcastLinkMicMethodSchema, ["linkMicMethod"], mapLinkMicMethod),
  defineHandler(WebcastRoomPinMessageSchema, ["roomPin"], mapRoomPin),
  defineHandler(WebcastUnauthorizedMemberMessageSchema, ["unauthorizedMember"], mapUnauthorizedMember),
  defineHandler(WebcastLinkLayerMessageSchema, ["linkLayer"], mapLinkLayer),
  defineHandler(WebcastGiftBroadcastMessageSchema, ["giftBroadcast"], mapGiftBroadcast),
  defineHandler(WebcastSystemMessageSchema, ["system"], mapSystem),
  defineHandler(WebcastRankTextMessageSchema, ["rankText"], mapRankText),
  defineHandler(WebcastLinkMicBattleItemCardSchema, ["linkMicBattleItemCard"], mapLinkMicBattleItemCard),
  defineHandler(
    WebcastLinkMicBattlePunishFinishSchema,
    ["linkMicBattlePunishFinish"],
    mapLinkMicBattlePunishFinish,
  ),
  defineHandler(WebcastLinkmicBattleTaskMessageSchema, ["linkMicBattleTask"], mapLinkMicBattleTask),
  defineHandler(WebcastLinkMicFanTicketMethodSchema, ["linkMicFanTicketMethod"], mapLinkMicFanTicketMethod),
  defineHandler(WebcastOecLiveShoppingMessageSchema, ["oecLiveShopping"], mapOecLiveShopping),
  defineHandler(WebcastMsgDetectMessageSchema, ["msgDetect"], mapMsgDetect),
  defineHandler(WebcastRoomVerifyMessageSchema, ["roomVerify"], mapRoomVerify),
  defineHandler(WebcastAccessControlMessageSchema, ["accessControl"], mapAccessControl),
  defineHandler(WebcastAccessRecallMessageSchema, ["accessRecall"], mapAccessRecall),
  defineHandler(WebcastBoostCardMessageSchema, ["boostCard"], mapBoostCard),
  defineHandler(WebcastBottomMessageSchema, ["bottomMessage"], mapBottomMessage),
  defineHandler(WebcastCapsuleMessageSchema, ["capsule"], mapCapsule),
  defineHandler(WebcastGameRankNotifyMessageSchema, ["gameRankNotify"], mapGameRankNotify),
  defineHandler(
    WebcastGiftDynamicRestrictionMessageSchema,
    ["giftDynamicRestriction"],
    mapGiftDynamicRestriction,
  ),
  defineHandler(WebcastGiftPanelUpdateMessageSchema, ["giftPanelUpdate"], mapGiftPanelUpdate),
  defineHandler(WebcastGiftPromptMessageSchema, ["giftPrompt"], mapGiftPrompt),
  defineHandler(WebcastGuideMessageSchema, ["guide"], mapGuide),
  defineHandler(WebcastLinkMicLayoutStateMessageSchema, ["linkMicLayoutState"], mapLinkMicLayoutState),
  defineHandler(WebcastLinkStateMessageSchema, ["linkState"], mapLinkState),
  defineHandler(WebcastLiveGameIntroMessageSchema, ["liveGameIntro"], mapLiveGameIntro),
  defineHandler(WebcastMarqueeAnnouncementMessageSchema, ["marqueeAnnouncement"], mapMarqueeAnnouncement),
  defineHandler(WebcastNoticeMessageSchema, ["notice"], mapNotice),
  defineHandler(
    WebcastPartnershipDropsUpdateMessageSchema,
    ["partnershipDropsUpdate"],
    mapPartnershipDropsUpdate,
  ),
  defineHandler(
    WebcastPartnershipGameOfflineMessageSchema,
    ["partnershipGameOffline"],
    mapPartnershipGameOffline,
  ),
  defineHandler(WebcastPartnershipPunishMessageSchema, ["partnershipPunish"], mapPartnershipPunish),
  defineHandler(WebcastPerceptionMessageSchema, ["perception"], mapPerception),
  defineHandler(WebcastRoomNotifyMessageSchema, ["roomNotify"], mapRoomNotify),
  defineHandler(WebcastSpeakerMessageSchema, ["speaker"], mapSpeaker),
  defineHandler(WebcastSubPinEventMessageSchema, ["subPinEvent"], mapSubPinEvent),
  defineHandler(WebcastToastMessageSchema, ["toast"], mapToast),
  defineHandler(WebcastViewerPicksUpdateMessageSchema, ["viewerPicksUpdate"], mapViewerPicksUpdate),
] as const;

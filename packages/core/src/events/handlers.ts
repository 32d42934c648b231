import {
  WebcastBarrageMessageSchema,
  WebcastChatMessageSchema,
  WebcastControlMessageSchema,
  WebcastEmoteChatMessageSchema,
  WebcastEnvelopeMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLikeMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastLinkMicBattleSchema,
  WebcastLiveIntroMessageSchema,
  WebcastMemberMessageSchema,
  WebcastQuestionNewMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
  WebcastSubNotifyMessageSchema,
} from "@tiklive/proto";
import { fastPath } from "./fast/fast-path.js";
import {
  chatReader,
  giftReader,
  likeReader,
  memberReader,
  roomUserReader,
  socialReader,
} from "./fast/readers.js";
import { methodHandlers } from "./method-events.js";
import {
  mapBarrage,
  mapChat,
  mapControl,
  mapEmote,
  mapEnvelope,
  mapGift,
  mapLike,
  mapLinkMicArmies,
  mapLinkMicBattle,
  mapLiveIntro,
  mapMember,
  mapQuestion,
  mapRoomUser,
  mapSocial,
  mapSubNotify,
} from "./primary.js";
import { type AnyMessageHandler, defineHandler } from "./registry.js";
import { secondaryHandlers } from "./secondary.js";

/** The handlers of the primary events (docs/protocol.md §10.1-§10.14, §10.27); the six hottest have a fast path. */
export const primaryHandlers = [
  defineHandler(
    WebcastChatMessageSchema,
    ["chat"],
    mapChat,
    fastPath(WebcastChatMessageSchema, chatReader, mapChat),
  ),
  defineHandler(
    WebcastGiftMessageSchema,
    ["gift"],
    mapGift,
    fastPath(WebcastGiftMessageSchema, giftReader, mapGift),
  ),
  defineHandler(
    WebcastMemberMessageSchema,
    ["member"],
    mapMember,
    fastPath(WebcastMemberMessageSchema, memberReader, mapMember),
  ),
  defineHandler(
    WebcastLikeMessageSchema,
    ["like"],
    mapLike,
    fastPath(WebcastLikeMessageSchema, likeReader, mapLike),
  ),
  defineHandler(
    WebcastSocialMessageSchema,
    ["social", "follow", "share"],
    mapSocial,
    fastPath(WebcastSocialMessageSchema, socialReader, mapSocial),
  ),
  defineHandler(
    WebcastRoomUserSeqMessageSchema,
    ["roomUser"],
    mapRoomUser,
    fastPath(WebcastRoomUserSeqMessageSchema, roomUserReader, mapRoomUser),
  ),
  defineHandler(WebcastControlMessageSchema, ["controlMessage", "streamEnd"], mapControl),
  defineHandler(WebcastSubNotifyMessageSchema, ["subscribe"], mapSubNotify),
  defineHandler(WebcastQuestionNewMessageSchema, ["questionNew"], mapQuestion),
  defineHandler(WebcastLinkMicBattleSchema, ["linkMicBattle"], mapLinkMicBattle),
  defineHandler(WebcastLinkMicArmiesSchema, ["linkMicArmies"], mapLinkMicArmies),
  defineHandler(WebcastEmoteChatMessageSchema, ["emote"], mapEmote),
  defineHandler(WebcastEnvelopeMessageSchema, ["envelope", "superFanBox"], mapEnvelope),
  defineHandler(WebcastLiveIntroMessageSchema, ["liveIntro"], mapLiveIntro),
  defineHandler(WebcastBarrageMessageSchema, ["barrage", "superFan", "superFanJoin"], mapBarrage),
] as const;

/**
 * Every message tiklive maps to an event, by wire method name: the primary and secondary events,
 * then a generic typed event for every other known method (method-events.ts).
 */
export const defaultMessageHandlers: readonly AnyMessageHandler[] = [
  ...primaryHandlers,
  ...secondaryHandlers,
  ...methodHandlers,
];

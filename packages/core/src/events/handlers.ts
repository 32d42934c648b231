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

/** The handlers of the primary events (PROTOCOL.md §10.1-§10.14, §10.27). */
export const primaryHandlers = [
  defineHandler(WebcastChatMessageSchema, ["chat"], mapChat),
  defineHandler(WebcastGiftMessageSchema, ["gift"], mapGift),
  defineHandler(WebcastMemberMessageSchema, ["member"], mapMember),
  defineHandler(WebcastLikeMessageSchema, ["like"], mapLike),
  defineHandler(WebcastSocialMessageSchema, ["social", "follow", "share"], mapSocial),
  defineHandler(WebcastRoomUserSeqMessageSchema, ["roomUser"], mapRoomUser),
  defineHandler(WebcastControlMessageSchema, ["controlMessage", "streamEnd"], mapControl),
  defineHandler(WebcastSubNotifyMessageSchema, ["subNotify", "subscribe"], mapSubNotify),
  defineHandler(WebcastQuestionNewMessageSchema, ["questionNew"], mapQuestion),
  defineHandler(WebcastLinkMicBattleSchema, ["linkMicBattle"], mapLinkMicBattle),
  defineHandler(WebcastLinkMicArmiesSchema, ["linkMicArmies"], mapLinkMicArmies),
  defineHandler(WebcastEmoteChatMessageSchema, ["emote"], mapEmote),
  defineHandler(WebcastEnvelopeMessageSchema, ["envelope", "superFanBox"], mapEnvelope),
  defineHandler(WebcastLiveIntroMessageSchema, ["liveIntro"], mapLiveIntro),
  defineHandler(WebcastBarrageMessageSchema, ["barrage", "superFan", "superFanJoin"], mapBarrage),
] as const;

/** Every message tiklive maps to an event, by wire method name. */
export const defaultMessageHandlers: readonly AnyMessageHandler[] = [...primaryHandlers, ...secondaryHandlers];

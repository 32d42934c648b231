import type { TikLiveError } from "../errors.js";
import type { CompletedGift } from "../gift-streaks.js";
import type {
  BarrageEvent,
  ChatEvent,
  ControlEvent,
  EmoteEvent,
  EnvelopeEvent,
  GiftEvent,
  LikeEvent,
  LinkMicArmiesEvent,
  LinkMicBattleEvent,
  LiveIntroEvent,
  MemberEvent,
  QuestionEvent,
  RoomUserEvent,
  SocialEvent,
  StreamEndEvent,
  SubscribeEvent,
} from "./primary.js";
import type { SecondaryEvent } from "./secondary.js";
import type { User } from "./user.js";

/** Every event a TikTok message maps to (PROTOCOL.md §10, §11.2). */
export type TikTokEvent =
  | ChatEvent
  | GiftEvent
  | MemberEvent
  | LikeEvent
  | SocialEvent<"social">
  | SocialEvent<"follow">
  | SocialEvent<"share">
  | RoomUserEvent
  | ControlEvent
  | StreamEndEvent
  | SubscribeEvent<"subNotify">
  | SubscribeEvent<"subscribe">
  | QuestionEvent
  | LinkMicBattleEvent
  | LinkMicArmiesEvent
  | EmoteEvent
  | EnvelopeEvent<"envelope">
  | EnvelopeEvent<"superFanBox">
  | LiveIntroEvent
  | BarrageEvent<"barrage">
  | BarrageEvent<"superFan">
  | BarrageEvent<"superFanJoin">
  | SecondaryEvent;

/** Name of an event a TikTok message maps to. */
export type MessageEventName = TikTokEvent["type"];

/** `unknownMessage`: a method no schema is registered for. Never dropped silently. */
export interface UnknownMessageEvent {
  type: "unknownMessage";
  method: string;
  msgId: string;
  /** The payload, base64-encoded. */
  payloadBase64: string;
  payloadSize: number;
}

/** `decodeError`: a payload that failed to decode or map. Never thrown out of the stream. */
export interface DecodeErrorEvent {
  type: "decodeError";
  method: string;
  msgId: string;
  payloadBase64: string;
  payloadSize: number;
  error: TikLiveError;
}

/**
 * `giftCompleted`: one safe-to-count event per gift send, from the streak aggregator: a
 * finished streak (`repeatEnd`), a non-streakable gift, or a streak that went silent
 * (`timeout`). Summing `repeatCount` or `diamonds` over these never double-counts.
 */
export interface GiftCompletedEvent {
  type: "giftCompleted";
  user: User;
  giftId: string;
  giftName: string;
  diamondCount: number;
  /** Units counted by this event. */
  repeatCount: number;
  /** `repeatCount × diamondCount`. */
  diamonds: number;
  reason: "repeatEnd" | "single" | "timeout" | "flush";
  groupId: string;
  /** How many gift messages the streak had. */
  eventCount: number;
  /** The last gift event of the streak. */
  lastGift: GiftEvent;
}

/** Everything core produces from a stream. */
export type CoreEvent = TikTokEvent | UnknownMessageEvent | DecodeErrorEvent | GiftCompletedEvent;

/** Name of any core event. */
export type CoreEventName = CoreEvent["type"];

/** Event name -> event type, for typed listeners: `EventMap["chat"]` is `ChatEvent`. */
export type CoreEventMap = { [E in CoreEvent as E["type"]]: E };

/** Turns a streak aggregator result into the `giftCompleted` event. */
export function toGiftCompletedEvent(done: CompletedGift<GiftEvent>): GiftCompletedEvent {
  const gift = done.last;
  return {
    type: "giftCompleted",
    user: gift.user,
    giftId: gift.giftId,
    giftName: gift.giftName,
    diamondCount: gift.diamondCount,
    repeatCount: done.repeatCount,
    diamonds: done.diamonds,
    reason: done.reason,
    groupId: gift.groupId,
    eventCount: done.eventCount,
    lastGift: gift,
  };
}

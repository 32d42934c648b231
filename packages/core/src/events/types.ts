import type { TikLiveError } from "../errors.js";
import type { CompletedGift } from "../gift-streaks.js";
import type { AnyMethodEvent } from "./method-events.js";
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

/**
 * Every event a TikTok message maps to (docs/protocol.md §10, §11.2), plus one generic event per
 * Webcast method tiklive has no friendly mapper for ({@link AnyMethodEvent}).
 */
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
  | SubscribeEvent
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
  | SecondaryEvent
  | AnyMethodEvent;

/** Name of an event a TikTok message maps to. */
export type MessageEventName = TikTokEvent["type"];

/**
 * `unknownMessage`: a method no schema is registered for. Never dropped silently, and
 * de-duplicated by msgId like every message. Every Webcast message starts with the same
 * `common` header (field 1, docs/protocol.md §9.1), so that header alone is decoded: the event has
 * the fields every event has, for de-duplication, ordering and logging. When the payload has
 * no header (or not a valid one) they take their defaults: the envelope's msgId, roomId "0",
 * createTime 0 and displayKey "".
 */
export interface UnknownMessageEvent {
  type: "unknownMessage";
  /** The wire method name of the fetch result entry, e.g. `WebcastSomeNewMessage`. */
  method: string;
  /** Message id: `common.msgId`, or the fetch result entry's msgId when the header has none. */
  msgId: string;
  /** Room the message belongs to (`common.roomId`), or "0" when absent. */
  roomId: string;
  /** When TikTok created the message (`common.createTime`), epoch milliseconds, or 0 when absent. */
  createTime: number;
  /** True for backlog messages (the initial batch), when TikTok marks them. */
  isHistory: boolean;
  /** The i18n key of the message's display text (`common.displayText.key`), or "". */
  displayKey: string;
  /** The payload, base64-encoded. */
  payloadBase64: string;
  /** The payload's size in bytes. */
  payloadSize: number;
}

/**
 * `decodeError`: a payload that failed to decode or map. Never thrown out of the stream: the
 * other messages of the same fetch result still become events. A field that arrived with
 * another wire type than the schema declares (TikTok changed its type) is such a failure,
 * rather than a silently misread value; `path`, `expectedWireType` and `actualWireType` then
 * name it.
 */
export interface DecodeErrorEvent {
  type: "decodeError";
  /** The wire method name of the fetch result entry. */
  method: string;
  /** The fetch result entry's msgId. */
  msgId: string;
  /** The payload, base64-encoded. */
  payloadBase64: string;
  /** The payload's size in bytes. */
  payloadSize: number;
  /**
   * For a field whose wire type differs from the schema's: its path from the message type,
   * by TypeScript field names, e.g. `WebcastChatMessage.user.nickname`.
   */
  path?: string;
  /** With `path`: the wire type(s) the schema declares, e.g. `LEN` (`VARINT or LEN` when packed). */
  expectedWireType?: string;
  /** With `path`: the wire type that arrived: `VARINT`, `I64`, `LEN`, `SGROUP`, `EGROUP` or `I32`. */
  actualWireType?: string;
  /**
   * For a whole frame that did not decode (method and msgId are then ""): the frame's id and
   * sequence id, when its envelope decoded. Its messages are lost (see the client's `gap`).
   */
  logId?: string | undefined;
  seqId?: string | undefined;
  /** `malformed_frame`, with the reason in its message and the method, msgId and size (and `path`) in its details. */
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

/** Event name -> event type: `CoreEventMap["chat"]` is `ChatEvent`. */
export type CoreEventMap = { [E in CoreEvent as E["type"]]: E };

/**
 * Listener name -> what a listener of that name receives: every event name, plus the names
 * that hear other events too (see `eventAliases`): `social` hears follows and shares,
 * `controlMessage` the stream's end,
 * `envelope` super-fan boxes, `barrage` super-fan banners, and `subNotify` is another name
 * for `subscribe`. Each message is still one event.
 */
export type CoreListenerMap = Omit<CoreEventMap, "social" | "envelope" | "barrage" | "controlMessage"> & {
  social: SocialEvent;
  controlMessage: ControlEvent | StreamEndEvent;
  envelope: EnvelopeEvent;
  barrage: BarrageEvent;
  subNotify: SubscribeEvent;
};

/** A name a listener can use: an event name or an alias (`subNotify`) or category (`social`). */
export type CoreListenerName = keyof CoreListenerMap;

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

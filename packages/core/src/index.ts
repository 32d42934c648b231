// @tiklive/core: pure and isomorphic. An explicit list: first what users need, then what
// transport and signer authors need. Helpers shared by the @tiklive packages are in
// "@tiklive/core/internal" (./internal.ts), which carries no compatibility promise.

// Errors
export type { TikLiveErrorOptions } from "./errors.js";
export { ErrorCode, TikLiveError } from "./errors.js";

// Input validation
export { normalizeRoomId, normalizeUniqueId } from "./unique-id.js";

// Events: the typed events every decoder and client emits
export type {
  CoreEvent,
  CoreEventMap,
  CoreEventName,
  CoreListenerMap,
  CoreListenerName,
  DecodeErrorEvent,
  GiftCompletedEvent,
  MessageEventName,
  TikTokEvent,
  UnknownMessageEvent,
} from "./events/types.js";
export type { EventBase, MessageEnvelope, User, UserBadge } from "./events/user.js";
export { mapBase, mapUser } from "./events/user.js";
export type {
  BarrageEvent,
  BattleUser,
  ChatEvent,
  ControlActionName,
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
} from "./events/primary.js";
export type {
  AccessControlEvent,
  AccessRecallEvent,
  BoostCardEvent,
  BottomMessageEvent,
  CapsuleEvent,
  CaptionEvent,
  GameRankNotifyEvent,
  GiftBroadcastEvent,
  GiftDynamicRestrictionEvent,
  GiftPanelUpdateEvent,
  GiftPromptEvent,
  GoalSubGoal,
  GoalUpdateEvent,
  GuideEvent,
  HourlyRankEvent,
  ImDeleteEvent,
  InRoomBannerEvent,
  LinkLayerEvent,
  LinkMessageEvent,
  LinkMicBattleItemCardEvent,
  LinkMicBattlePunishFinishEvent,
  LinkMicBattleTaskEvent,
  LinkMicFanTicketMethodEvent,
  LinkMicLayoutStateEvent,
  LinkMicMethodEvent,
  LinkStateEvent,
  LiveGameIntroEvent,
  MarqueeAnnouncementEvent,
  MsgDetectEvent,
  NoticeEvent,
  OecLiveShoppingEvent,
  PartnershipDropsUpdateEvent,
  PartnershipGameOfflineEvent,
  PartnershipPunishEvent,
  PerceptionEvent,
  PollEvent,
  PollOption,
  Punishment,
  RankTextEvent,
  RankUpdateEvent,
  RoomMessageEvent,
  RoomNotice,
  RoomNotifyEvent,
  RoomPinEvent,
  RoomVerifyEvent,
  SecondaryEvent,
  SpeakerEvent,
  SubPinEvent,
  SystemEvent,
  ToastEvent,
  UnauthorizedMemberEvent,
  ViewerPicksUpdateEvent,
} from "./events/secondary.js";
export type {
  AnyMethodEvent,
  MethodEvent,
  MethodEventData,
  MethodEventMethod,
  MethodEventName,
} from "./events/method-events.js";
export { isMethodEvent, methodEventNames, methodEventSchemas } from "./events/method-events.js";
export {
  coreEventNames,
  coreListenerNames,
  eventAliases,
  isCoreEventName,
  isCoreListenerName,
  listenerNamesOf,
} from "./events/event-names.js";

// Decoding messages into events, and custom message handlers
export type { DecoderStats, EventDecoder, EventDecoderOptions } from "./events/decoder.js";
export { createEventDecoder } from "./events/decoder.js";
export type { AnyMessageHandler, MessageHandler, MessageRegistry } from "./events/registry.js";
export { createMessageRegistry, defineHandler } from "./events/registry.js";
export { defaultMessageHandlers } from "./events/handlers.js";

// Gift streaks and de-duplication
export type {
  CompletedGift,
  GiftStreakAggregator,
  GiftStreakOptions,
  StreakEndReason,
  StreakGiftInput,
} from "./gift-streaks.js";
export { createGiftStreakAggregator } from "./gift-streaks.js";
export type { Deduplicator, DeduplicatorOptions } from "./dedup.js";
export { createDeduplicator } from "./dedup.js";

// Contracts for signers and transports
export type {
  Cookie,
  RoomIdLookup,
  SessionCredentials,
  SignedSession,
  Signer,
  SignRequest,
  Transport,
  TransportCapabilities,
  TransportConnection,
  TransportConnectRequest,
  TransportEvent,
} from "./contracts.js";

// Combining transports, budgeting sign requests, and test doubles for users' own tests
export type { FallbackTransportOptions } from "./fallback-transport.js";
export { createFallbackTransport } from "./fallback-transport.js";
export type { Clock, SignBudget, SignBudgetOptions, SignBudgetWindow } from "./sign-budget.js";
export { anonymousEulerLimits, createSignBudget, systemClock } from "./sign-budget.js";
export type {
  MemoryConnection,
  MemoryTransport,
  MemoryTransportOptions,
  StaticSigner,
  StaticSignerOptions,
} from "./memory-transport.js";
export { createMemoryTransport, createStaticSigner } from "./memory-transport.js";

// What the client presents to TikTok (docs/protocol.md §5.2, §8): the device preset is an option
export type { DevicePreset } from "./web-defaults.js";
export { defaultDevicePreset, defaultUserAgent } from "./web-defaults.js";

// Frame codec, for transport and server authors (docs/protocol.md §2-§4)
export type {
  AckInit,
  DecodedFrame,
  DecodeLimits,
  EnterRoomInit,
  FetchResult,
  FetchResultInit,
  FrameDecodeOptions,
  HeartbeatInit,
  PushFrame,
  PushFrameInit,
  RawMessage,
} from "./frame-codec.js";
export {
  decodeFetchResult,
  decodeMsgFrame,
  decodePushFrame,
  defaultDecodeLimits,
  encodeAckFrame,
  encodeEnterRoomFrame,
  encodeFetchResult,
  encodeHeartbeatFrame,
  encodePushFrame,
  framePayload,
  needsAck,
} from "./frame-codec.js";
export type { Inflate } from "./inflate.js";
export { defaultInflate } from "./inflate.js";

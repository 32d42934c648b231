// @tiklive/core: pure and isomorphic. First what users need, then what
// transport and signer authors need.

export type { LinkedSignal } from "./abort.js";
export { linkSignals } from "./abort.js";
export type { AsyncQueue, AsyncQueueOptions } from "./async-queue.js";
// Async plumbing shared by transports and clients
export { createAsyncQueue } from "./async-queue.js";
// Contracts for signers and transports
export type {
  Cookie,
  RoomIdLookup,
  SessionCredentials,
  SignedSession,
  Signer,
  SignRequest,
  Transport,
  TransportConnection,
  TransportConnectRequest,
  TransportEvent,
} from "./contracts.js";
export type { Deduplicator, DeduplicatorOptions } from "./dedup.js";
export { createDeduplicator } from "./dedup.js";
export type { Redactor, TikLiveErrorOptions } from "./errors.js";
// Errors
export { createRedactor, ErrorCode, redactDeep, TikLiveError } from "./errors.js";
export type { DecoderStats, EventDecoder, EventDecoderOptions } from "./events/decoder.js";
// Decoding messages into events
export { createEventDecoder } from "./events/decoder.js";
export { coreEventNames, isCoreEventName } from "./events/event-names.js";
export { defaultMessageHandlers, primaryHandlers } from "./events/handlers.js";
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
export {
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
} from "./events/primary.js";
export type { AnyMessageHandler, MessageHandler, MessageRegistry } from "./events/registry.js";
export { createMessageRegistry, defineHandler } from "./events/registry.js";
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
export {
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
} from "./events/secondary.js";
// Events
export type {
  CoreEvent,
  CoreEventMap,
  CoreEventName,
  DecodeErrorEvent,
  GiftCompletedEvent,
  MessageEventName,
  TikTokEvent,
  UnknownMessageEvent,
} from "./events/types.js";
export { toGiftCompletedEvent } from "./events/types.js";
export type { EventBase, MessageEnvelope, User, UserBadge } from "./events/user.js";
export { mapBadges, mapBase, mapUser, pickImageUrl, toNumber } from "./events/user.js";
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
// Frame codec (transports, servers, tools)
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
  generateEnterUniqueId,
  isGzipPayload,
  needsAck,
} from "./frame-codec.js";
export type {
  CompletedGift,
  GiftStreakAggregator,
  GiftStreakOptions,
  StreakEndReason,
  StreakGiftInput,
} from "./gift-streaks.js";
// Gift streaks and de-duplication
export { createGiftStreakAggregator } from "./gift-streaks.js";
export type { Inflate } from "./inflate.js";
export { defaultInflate, inflatePortable, isGzip } from "./inflate.js";
export { parseJsonLossless } from "./json.js";
export { numberOption } from "./options.js";
export type { HeaderValues, RetryAfter } from "./retry-after.js";
export { headerValue, parseRetryAfter, sleep } from "./retry-after.js";
// Input validation
export { normalizeRoomId, normalizeUniqueId } from "./unique-id.js";
export type { DevicePreset } from "./web-defaults.js";
// What the client presents to TikTok (PROTOCOL.md §5.2, §8)
export {
  browserFields,
  cookieHeader,
  defaultDevicePreset,
  defaultUserAgent,
  generateDeviceId,
  webClientParams,
  webHeaders,
  websocketParams,
} from "./web-defaults.js";

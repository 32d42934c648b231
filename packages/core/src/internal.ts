// @tiklive/core/internal: helpers the @tiklive packages share with each other (signals,
// queues, option validators, HTTP helpers, per-message mappers, encoders). Not part of the
// public API: it may change in any release. Users import from "@tiklive/core".

export { base64Encode } from "@bufbuild/protobuf/wire";
export type { LinkedSignal } from "./abort.js";
export { linkSignals } from "./abort.js";
export type { AsyncQueue, AsyncQueueOptions } from "./async-queue.js";
export { createAsyncQueue } from "./async-queue.js";
export type { Redactor } from "./errors.js";
export { createRedactor, redactDeep } from "./errors.js";
export { primaryHandlers } from "./events/handlers.js";
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
export { toGiftCompletedEvent } from "./events/types.js";
export { mapBadges, pickImageUrl, toNumber } from "./events/user.js";
export { generateEnterUniqueId, isGzipPayload } from "./frame-codec.js";
export type { BodySource, ReadBodyOptions } from "./http-body.js";
export { maxErrorBodyBytes, readBody } from "./http-body.js";
export type { HttpStatusInput } from "./http-status.js";
export { excerpt, httpStatusError } from "./http-status.js";
export { inflatePortable, isGzip } from "./inflate.js";
export { parseJsonLossless } from "./json.js";
export type { NumberOptionRules } from "./options.js";
export { delayOption, integerOption, maxTimerDelayMs, numberOption } from "./options.js";
export type { Random } from "./random.js";
export { createRandom, hashSeed } from "./random.js";
export type { HeaderValues, RetryAfter } from "./retry-after.js";
export { headerValue, parseRetryAfter, sleep } from "./retry-after.js";
export {
  browserFields,
  cookieHeader,
  generateDeviceId,
  webClientParams,
  webHeaders,
  websocketParams,
} from "./web-defaults.js";

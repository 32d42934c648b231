// Generic typed events for the Webcast methods tiklive has no friendly mapper for: the messages
// of methods.proto (@tiklive/proto). Each becomes an event named after its method, carrying the
// fields every event has (from the message's `common` header) and the whole decoded message as
// `data`, typed by its generated protobuf-es type. Decoded by reflection (`fromBinary`), and only
// when the event is wanted, like every handler without a fast path.
//
// Naming rule (method-coverage.test.ts checks it for every entry): the method without its
// `Webcast` prefix and `Message` suffix, in lower camel case, an acronym counting as one word
// (`WebcastGiftGalleryMessage` -> `giftGallery`, `WebcastLinkMicSignalingMethod` ->
// `linkMicSignalingMethod`, `WebcastGameOCRPingMessage` -> `gameOcrPing`). So the five methods
// the public peers spell two ways (`WebcastAiLiveSummaryMessage` and `WebcastAILiveSummaryMessage`;
// AiSummary, BaLeadGen, GameOcrPing, MgPunishCenterAction), both spellings having a message, share
// one event. A name another event already has keeps the `Message` suffix:
// `WebcastHourlyRankMessage` -> `hourlyRankMessage` (`hourlyRank` is WebcastHourlyRankRewardMessage's).
//
// Adding a method is one line in `methodEventSchemas`: the event name, and its schema (or both
// spellings' schemas); the types below follow from the table.
import type { DescMessage, Message, MessageShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import * as webcast from "@tiklive/proto";
import { type AnyMessageHandler, defineHandler } from "./registry.js";
import type { TikTokEvent } from "./types.js";
import { type EventBase, mapBase } from "./user.js";

/**
 * Event name -> the schema of the Webcast method it comes from (two for the acronym-casing
 * twins). The method name is the schema's message name.
 */
export const methodEventSchemas = {
  activityQuizCard: webcast.WebcastActivityQuizCardMessageSchema,
  activityQuizUserIdentity: webcast.WebcastActivityQuizUserIdentityMessageSchema,
  aiLiveSummary: [webcast.WebcastAiLiveSummaryMessageSchema, webcast.WebcastAILiveSummaryMessageSchema],
  aiSummary: [webcast.WebcastAiSummaryMessageSchema, webcast.WebcastAISummaryMessageSchema],
  anchorGetSubQuota: webcast.WebcastAnchorGetSubQuotaMessageSchema,
  anchorGrowLevel: webcast.WebcastAnchorGrowLevelMessageSchema,
  anchorReminderWord: webcast.WebcastAnchorReminderWordMessageSchema,
  anchorTaskReminder: webcast.WebcastAnchorTaskReminderMessageSchema,
  anchorToolModification: webcast.WebcastAnchorToolModificationMessageSchema,
  asset: webcast.WebcastAssetMessageSchema,
  audienceReserveUserState: webcast.WebcastAudienceReserveUserStateMessageSchema,
  authorizationNotify: webcast.WebcastAuthorizationNotifyMessageSchema,
  avatarGenerateResult: webcast.WebcastAvatarGenerateResultMessageSchema,
  avatarReportDelete: webcast.WebcastAvatarReportDeleteMessageSchema,
  avatarStyleResult: webcast.WebcastAvatarStyleResultMessageSchema,
  baLeadGen: [webcast.WebcastBaLeadGenMessageSchema, webcast.WebcastBALeadGenMessageSchema],
  backpack: webcast.WebcastBackpackMessageSchema,
  bizSticker: webcast.WebcastBizStickerMessageSchema,
  boostedUsers: webcast.WebcastBoostedUsersMessageSchema,
  cohostReserve: webcast.WebcastCohostReserveMessageSchema,
  cohostTopic: webcast.WebcastCohostTopicMessageSchema,
  coldStart: webcast.WebcastColdStartMessageSchema,
  commentTray: webcast.WebcastCommentTrayMessageSchema,
  comments: webcast.WebcastCommentsMessageSchema,
  commercialCustom: webcast.WebcastCommercialCustomMessageSchema,
  commonPopup: webcast.WebcastCommonPopupMessageSchema,
  commonToast: webcast.WebcastCommonToastMessageSchema,
  competition: webcast.WebcastCompetitionMessageSchema,
  countdown: webcast.WebcastCountdownMessageSchema,
  countdownForAll: webcast.WebcastCountdownForAllMessageSchema,
  digg: webcast.WebcastDiggMessageSchema,
  donation: webcast.WebcastDonationMessageSchema,
  donationInfo: webcast.WebcastDonationInfoMessageSchema,
  donationStickerModifyMethod: webcast.WebcastDonationStickerModifyMethodSchema,
  ecBarrage: webcast.WebcastEcBarrageMessageSchema,
  ecDraw: webcast.WebcastEcDrawMessageSchema,
  ecTaskRefreshCouponList: webcast.WebcastEcTaskRefreshCouponListMessageSchema,
  effectControl: webcast.WebcastEffectControlMessageSchema,
  effectPreloading: webcast.WebcastEffectPreloadingMessageSchema,
  envelopePortal: webcast.WebcastEnvelopePortalMessageSchema,
  epi: webcast.WebcastEpiMessageSchema,
  event: webcast.WebcastEventMessageSchema,
  fansEvent: webcast.WebcastFansEventMessageSchema,
  feedUserRoomMonitor: webcast.WebcastFeedUserRoomMonitorMessageSchema,
  followCard: webcast.WebcastFollowCardMessageSchema,
  forceFetchRecommendations: webcast.WebcastForceFetchRecommendationsMessageSchema,
  gameEmoteUpdate: webcast.WebcastGameEmoteUpdateMessageSchema,
  gameGuessPinCard: webcast.WebcastGameGuessPinCardMessageSchema,
  gameGuessToast: webcast.WebcastGameGuessToastMessageSchema,
  gameGuessWidgets: webcast.WebcastGameGuessWidgetsMessageSchema,
  gameMoment: webcast.WebcastGameMomentMessageSchema,
  gameOcrPing: [webcast.WebcastGameOcrPingMessageSchema, webcast.WebcastGameOCRPingMessageSchema],
  gameRecommendCreateGuess: webcast.WebcastGameRecommendCreateGuessMessageSchema,
  gameReqSetGuess: webcast.WebcastGameReqSetGuessMessageSchema,
  gameServerFeature: webcast.WebcastGameServerFeatureMessageSchema,
  gameSettingChange: webcast.WebcastGameSettingChangeMessageSchema,
  giftCollectionUpdate: webcast.WebcastGiftCollectionUpdateMessageSchema,
  giftGallery: webcast.WebcastGiftGalleryMessageSchema,
  giftGuide: webcast.WebcastGiftGuideMessageSchema,
  giftNotice: webcast.WebcastGiftNoticeMessageSchema,
  giftProgress: webcast.WebcastGiftProgressMessageSchema,
  giftRecordCapsule: webcast.WebcastGiftRecordCapsuleMessageSchema,
  giftUnlock: webcast.WebcastGiftUnlockMessageSchema,
  giftUpdate: webcast.WebcastGiftUpdateMessageSchema,
  goodyBag: webcast.WebcastGoodyBagMessageSchema,
  greeting: webcast.WebcastGreetingMessageSchema,
  groupLiveMemberNotify: webcast.WebcastGroupLiveMemberNotifyMessageSchema,
  guessQuestionAudit: webcast.WebcastGuessQuestionAuditMessageSchema,
  guestInvite: webcast.WebcastGuestInviteMessageSchema,
  guestInviteGuide: webcast.WebcastGuestInviteGuideMessageSchema,
  guestShowdown: webcast.WebcastGuestShowdownMessageSchema,
  guideTask: webcast.WebcastGuideTaskMessageSchema,
  hashtag: webcast.WebcastHashtagMessageSchema,
  highlightFragementReady: webcast.WebcastHighlightFragementReadySchema,
  hotRoom: webcast.WebcastHotRoomMessageSchema,
  hourlyRankMessage: webcast.WebcastHourlyRankMessageSchema,
  inRoomBannerEvent: webcast.WebcastInRoomBannerEventSchema,
  inRoomBannerRefresh: webcast.WebcastInRoomBannerRefreshMessageSchema,
  interactionHubGoal: webcast.WebcastInteractionHubGoalMessageSchema,
  interactiveEffect: webcast.WebcastInteractiveEffectMessageSchema,
  karaokeQueue: webcast.WebcastKaraokeQueueMessageSchema,
  karaokeQueueList: webcast.WebcastKaraokeQueueListMessageSchema,
  karaokeRedDot: webcast.WebcastKaraokeRedDotMessageSchema,
  karaokeReq: webcast.WebcastKaraokeReqMessageSchema,
  karaokeSwitch: webcast.WebcastKaraokeSwitchMessageSchema,
  karaokeYouSingReq: webcast.WebcastKaraokeYouSingReqMessageSchema,
  linkBusiness: webcast.WebcastLinkBusinessMessageSchema,
  linkLayout: webcast.WebcastLinkLayoutMessageSchema,
  linkMicAd: webcast.WebcastLinkMicAdMessageSchema,
  linkMicAnchorGuide: webcast.WebcastLinkMicAnchorGuideMessageSchema,
  linkMicBattleVictoryLap: webcast.WebcastLinkMicBattleVictoryLapSchema,
  linkMicSignalingMethod: webcast.WebcastLinkMicSignalingMethodSchema,
  linkScreenChange: webcast.WebcastLinkScreenChangeMessageSchema,
  linkmicAnimation: webcast.WebcastLinkmicAnimationMessageSchema,
  linkmicAudienceNotice: webcast.WebcastLinkmicAudienceNoticeMessageSchema,
  linkmicBattleNotice: webcast.WebcastLinkmicBattleNoticeMessageSchema,
  liveInfoAuditNotice: webcast.WebcastLiveInfoAuditNoticeMessageSchema,
  liveJourney: webcast.WebcastLiveJourneyMessageSchema,
  liveShow: webcast.WebcastLiveShowMessageSchema,
  mgPunishCenterAction: [
    webcast.WebcastMgPunishCenterActionMessageSchema,
    webcast.WebcastMGPunishCenterActionMessageSchema,
  ],
  middleTouch: webcast.WebcastMiddleTouchMessageSchema,
  multiGuestSuggest: webcast.WebcastMultiGuestSuggestMessageSchema,
  newAnchorGuide: webcast.WebcastNewAnchorGuideMessageSchema,
  noticeboard: webcast.WebcastNoticeboardMessageSchema,
  noticeboardReview: webcast.WebcastNoticeboardReviewMessageSchema,
  oChannelAnchor: webcast.WebcastOChannelAnchorMessageSchema,
  oChannelModify: webcast.WebcastOChannelModifyMessageSchema,
  oChannelUser: webcast.WebcastOChannelUserMessageSchema,
  oecLiveHotRoom: webcast.WebcastOecLiveHotRoomMessageSchema,
  oecLiveManager: webcast.WebcastOecLiveManagerMessageSchema,
  paidContentLiveShopping: webcast.WebcastPaidContentLiveShoppingMessageSchema,
  partnershipCardChange: webcast.WebcastPartnershipCardChangeMessageSchema,
  partnershipDownloadCount: webcast.WebcastPartnershipDownloadCountMessageSchema,
  partnershipDropsAnchor: webcast.WebcastPartnershipDropsAnchorMessageSchema,
  partnershipDropsCardChange: webcast.WebcastPartnershipDropsCardChangeMessageSchema,
  partnershipTaskShow: webcast.WebcastPartnershipTaskShowMessageSchema,
  pictionaryEnd: webcast.WebcastPictionaryEndMessageSchema,
  pictionaryExit: webcast.WebcastPictionaryExitMessageSchema,
  pictionaryStart: webcast.WebcastPictionaryStartMessageSchema,
  pictionaryUpdate: webcast.WebcastPictionaryUpdateMessageSchema,
  playTogether: webcast.WebcastPlayTogetherMessageSchema,
  playbook: webcast.WebcastPlaybookMessageSchema,
  popularCard: webcast.WebcastPopularCardMessageSchema,
  portal: webcast.WebcastPortalMessageSchema,
  previewGameMoment: webcast.WebcastPreviewGameMomentMessageSchema,
  privilegeAdvance: webcast.WebcastPrivilegeAdvanceMessageSchema,
  privilegeDynamicEffect: webcast.WebcastPrivilegeDynamicEffectMessageSchema,
  projectDModifyH5: webcast.WebcastProjectDModifyH5Schema,
  promoteAdStatus: webcast.WebcastPromoteAdStatusMessageSchema,
  questionDelete: webcast.WebcastQuestionDeleteMessageSchema,
  questionSelected: webcast.WebcastQuestionSelectedMessageSchema,
  questionSlideDown: webcast.WebcastQuestionSlideDownMessageSchema,
  questionSwitch: webcast.WebcastQuestionSwitchMessageSchema,
  quickChatList: webcast.WebcastQuickChatListMessageSchema,
  rankToast: webcast.WebcastRankToastMessageSchema,
  realTimePerformancePage: webcast.WebcastRealTimePerformancePageMessageSchema,
  realtimeLiveCenterMethod: webcast.WebcastRealtimeLiveCenterMethodSchema,
  roomBottom: webcast.WebcastRoomBottomMessageSchema,
  roomEvent: webcast.WebcastRoomEventMessageSchema,
  roomSticker: webcast.WebcastRoomStickerMessageSchema,
  roomStreamAdaptation: webcast.WebcastRoomStreamAdaptationMessageSchema,
  screenChat: webcast.WebcastScreenChatMessageSchema,
  shareGuide: webcast.WebcastShareGuideMessageSchema,
  shortTouch: webcast.WebcastShortTouchMessageSchema,
  specialPush: webcast.WebcastSpecialPushMessageSchema,
  starCommentNotification: webcast.WebcastStarCommentNotificationMessageSchema,
  starCommentPush: webcast.WebcastStarCommentPushMessageSchema,
  streamStatus: webcast.WebcastStreamStatusMessageSchema,
  subContractStatus: webcast.WebcastSubContractStatusMessageSchema,
  subQueue: webcast.WebcastSubQueueMessageSchema,
  subTimerSticker: webcast.WebcastSubTimerStickerMessageSchema,
  subWave: webcast.WebcastSubWaveMessageSchema,
  subscriptionGuide: webcast.WebcastSubscriptionGuideMessageSchema,
  tray: webcast.WebcastTrayMessageSchema,
  upgrade: webcast.WebcastUpgradeMessageSchema,
  userStats: webcast.WebcastUserStatsMessageSchema,
  videoLiveCouponRcmd: webcast.WebcastVideoLiveCouponRcmdMessageSchema,
  videoLiveGoodsOrder: webcast.WebcastVideoLiveGoodsOrderMessageSchema,
  videoLiveGoodsRcmd: webcast.WebcastVideoLiveGoodsRcmdMessageSchema,
  walletLiveRewardsRatio: webcast.WebcastWalletLiveRewardsRatioMessageSchema,
  wallpaper: webcast.WebcastWallpaperMessageSchema,
  wallpaperReview: webcast.WebcastWallpaperReviewMessageSchema,
  weeklyRankReward: webcast.WebcastWeeklyRankRewardMessageSchema,
  wishlistUpdate: webcast.WebcastWishlistUpdateMessageSchema,
} as const satisfies Record<string, DescMessage | readonly DescMessage[]>;

type Table = typeof methodEventSchemas;

/** Name of a generic Webcast method event, e.g. `giftGallery`. */
export type MethodEventName = keyof Table;

type SchemaOf<N extends MethodEventName> = Extract<
  Table[N] extends readonly (infer S)[] ? S : Table[N],
  DescMessage
>;

type MethodOfTypeName<T> = T extends `tiklive.webcast.v1.${infer M}` ? M : never;

/** The decoded message of method event `N`: the generated protobuf-es type of its method's message. */
export type MethodEventData<N extends MethodEventName> = MessageShape<SchemaOf<N>>;

/** The wire method name of method event `N` (either spelling for the acronym-casing twins). */
export type MethodEventMethod<N extends MethodEventName> = MethodOfTypeName<MethodEventData<N>["$typeName"]>;

/**
 * A Webcast message tiklive has no friendly event for, as a typed event named after its method
 * (`WebcastGiftGalleryMessage` -> `giftGallery`): the fields every event has, from the message's
 * `common` header (defaults when it has none), and the whole decoded message as `data`.
 */
export interface MethodEvent<N extends MethodEventName> extends EventBase {
  /** The event name, e.g. `giftGallery`. */
  type: N;
  /** The wire method name, e.g. `WebcastGiftGalleryMessage`. */
  method: MethodEventMethod<N>;
  /** The decoded message, as its generated protobuf-es type from `@tiklive/proto` (named like the method). */
  data: MethodEventData<N>;
}

/** Every generic Webcast method event. */
export type AnyMethodEvent = { [N in MethodEventName]: MethodEvent<N> }[MethodEventName];

/** Every generic Webcast method event name. */
export const methodEventNames = Object.keys(methodEventSchemas) as readonly MethodEventName[];

const names: ReadonlySet<string> = new Set(methodEventNames);

/** True when `event` is a generic Webcast method event (its `data` is the decoded message). */
export function isMethodEvent(event: { readonly type: string }): event is AnyMethodEvent {
  return names.has(event.type);
}

type HeaderedMessage = Message & { common?: webcast.CommonMessageData };

function methodHandler(name: MethodEventName, schema: DescMessage): AnyMessageHandler {
  // Found by name: most methods have the header at field 1, some elsewhere
  // (WebcastWeeklyRankRewardMessage: field 3); a message without one gets the defaults.
  const field = schema.field["common"];
  const hasCommon =
    field?.fieldKind === "message" && field.message.typeName === webcast.CommonMessageDataSchema.typeName;
  return defineHandler(
    schema as GenMessage<HeaderedMessage>,
    [name],
    (message, envelope) =>
      ({
        type: name,
        ...mapBase(hasCommon ? message.common : undefined, envelope),
        data: message,
      }) as TikTokEvent,
  );
}

/** The handlers of the generic method events: one per method, no fast path. */
export const methodHandlers: readonly AnyMessageHandler[] = Object.entries(methodEventSchemas).flatMap(
  ([name, schemas]) =>
    (Array.isArray(schemas) ? (schemas as readonly DescMessage[]) : [schemas as DescMessage]).map((schema) =>
      methodHandler(name as MethodEventName, schema),
    ),
);

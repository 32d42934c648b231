import type { CoreEventName } from "./types.js";

/**
 * Every event name core produces, for runtime checks (e.g. a listener name typed in
 * plain JavaScript). The compiler checks that the list is exactly `CoreEventName`.
 */
export const coreEventNames = [
  "chat",
  "gift",
  "member",
  "like",
  "social",
  "follow",
  "share",
  "roomUser",
  "controlMessage",
  "streamEnd",
  "subNotify",
  "subscribe",
  "questionNew",
  "linkMicBattle",
  "linkMicArmies",
  "emote",
  "envelope",
  "superFanBox",
  "liveIntro",
  "barrage",
  "superFan",
  "superFanJoin",
  "roomMessage",
  "captionMessage",
  "pollMessage",
  "goalUpdate",
  "rankUpdate",
  "hourlyRank",
  "imDelete",
  "inRoomBanner",
  "linkMessage",
  "linkMicMethod",
  "roomPin",
  "unauthorizedMember",
  "linkLayer",
  "giftBroadcast",
  "system",
  "rankText",
  "linkMicBattleItemCard",
  "linkMicBattlePunishFinish",
  "linkMicBattleTask",
  "linkMicFanTicketMethod",
  "oecLiveShopping",
  "msgDetect",
  "roomVerify",
  "accessControl",
  "accessRecall",
  "boostCard",
  "bottomMessage",
  "capsule",
  "gameRankNotify",
  "giftDynamicRestriction",
  "giftPanelUpdate",
  "giftPrompt",
  "guide",
  "linkMicLayoutState",
  "linkState",
  "liveGameIntro",
  "marqueeAnnouncement",
  "notice",
  "partnershipDropsUpdate",
  "partnershipGameOffline",
  "partnershipPunish",
  "perception",
  "roomNotify",
  "speaker",
  "subPinEvent",
  "viewerPicksUpdate",
  "toast",
  "unknownMessage",
  "decodeError",
  "giftCompleted",
] as const satisfies readonly CoreEventName[];

// Fails to compile when an event is added to the union but not to the list.
type Missing = Exclude<CoreEventName, (typeof coreEventNames)[number]>;
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

const names: ReadonlySet<string> = new Set(coreEventNames);

/** True when `name` is an event core produces. */
export function isCoreEventName(name: unknown): name is CoreEventName {
  return typeof name === "string" && names.has(name);
}

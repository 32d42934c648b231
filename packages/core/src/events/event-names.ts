import { methodEventNames } from "./method-events.js";
import type { CoreEventName, CoreListenerName } from "./types.js";

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
  // The generic events of the methods tiklive has no friendly mapper for, from their table.
  ...methodEventNames,
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

/**
 * Listener names that hear events of other types. One message is one event, whose `type` is
 * the most specific name (a follow is `follow`, a super-fan box `superFanBox`); these names
 * hear it too, so a listener of `social` gets every social message, as in the peers' APIs,
 * without a second event in `events()` or NDJSON. `subNotify` is another name for `subscribe`.
 */
export const eventAliases = {
  social: ["follow", "share"],
  controlMessage: ["streamEnd"],
  envelope: ["superFanBox"],
  barrage: ["superFan", "superFanJoin"],
  subNotify: ["subscribe"],
} as const satisfies Readonly<Record<string, readonly CoreEventName[]>>;

/** Every name a listener can use: the event names and the {@link eventAliases}. */
export const coreListenerNames: readonly CoreListenerName[] = [
  ...coreEventNames,
  ...(Object.keys(eventAliases) as CoreListenerName[]).filter((n) => !names.has(n)),
];

const listenerNames: ReadonlySet<string> = new Set(coreListenerNames);

/** True when `name` is a name core events can be listened to by (an event name or an alias). */
export function isCoreListenerName(name: unknown): name is CoreListenerName {
  return typeof name === "string" && listenerNames.has(name);
}

const hearers = new Map<string, readonly string[]>();
for (const name of coreEventNames) hearers.set(name, [name]);
for (const [alias, members] of Object.entries(eventAliases)) {
  for (const member of members) hearers.set(member, [...(hearers.get(member) ?? [member]), alias]);
}

/**
 * The listener names that hear an event of this type: its own name first, then the aliases
 * that include it (`follow` -> `["follow", "social"]`). Unknown names hear only themselves.
 */
export function listenerNamesOf(type: string): readonly string[] {
  return hearers.get(type) ?? [type];
}

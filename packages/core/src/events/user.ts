import type {
  BadgeStruct,
  CommonMessageData,
  ImageModel,
  User as ProtoUser,
  UserIdentity,
} from "@tiklive/proto";

/** A badge shown next to a user's name (docs/protocol.md §9.5). */
export interface UserBadge {
  /** `image`, `text`, `string`, `combine`, or `unknown` (BadgeDisplayType 1-4). */
  kind: "image" | "text" | "string" | "combine" | "unknown";
  /** BadgeSceneType: 1 moderator, 4 subscriber, 6 top gifter, 8 gifter level, 10 team member... */
  sceneType: number;
  /** Level carried by the badge (`privilegeLogExtra.level`), when numeric. */
  level: number | undefined;
  /** Image URL for image/combine badges. */
  url: string | undefined;
  /** Text for text/string/combine badges. */
  text: string | undefined;
}

/** A TikTok user as events expose it: the names users know from docs/protocol.md §10/§11. */
export interface User {
  /** Numeric user id, as a string (19 digits do not fit a JS number). */
  userId: string;
  /** The @handle, without "@". */
  uniqueId: string;
  /** Display name. */
  nickname: string;
  secUid: string;
  /** Best avatar URL (100x100 webp, then jpeg, then the first), or undefined. */
  profilePictureUrl: string | undefined;
  /** Every avatar URL TikTok sent. */
  profilePictureUrls: string[];
  verified: boolean;
  badges: UserBadge[];
  /** Moderator of this room (badge scene 1, a "moderator" badge, or the message's user identity). */
  isModerator: boolean;
  /** Subscriber of the streamer (badge scene 4/7, a `/sub_` badge image, or the message's user identity). */
  isSubscriber: boolean;
  /** Has a "new gifter" badge. */
  isNewGifter: boolean;
  /** Rank among top gifters (from a `ranklist_top_gifter_<n>` badge), or undefined. */
  topGifterRank: number | undefined;
  /** Gifter level (badge scene 8), 0 when unknown. */
  gifterLevel: number;
  /** Team member (fan club) level (badge scene 10, else the fans club level), 0 when none. */
  teamMemberLevel: number;
  /** Relation to the viewer (0 none, 1 follows, 2 friends): followInfo.followStatus. */
  followRole: number;
  followInfo: { followingCount: number; followerCount: number; followStatus: number; pushStatus: number };
  /** Follows the streamer, when the message says so (chat/gift user identity). */
  isFollower: boolean;
  /** Has sent gifts to the streamer, when the message says so. */
  isGiftGiver: boolean;
}

/** Converts an int64 decimal string (or number) to a JS number; use only for counts, never ids. */
export function toNumber(value: string | number | bigint | undefined): number {
  if (value === undefined || value === "") return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** Picks the best URL of an image: 100x100 webp, then 100x100 jpeg, then the first without "shrink", then the first. */
export function pickImageUrl(image: ImageModel | undefined): string | undefined {
  const urls = image?.urlList ?? [];
  return (
    urls.find((u) => u.includes("100x100") && u.includes(".webp")) ??
    urls.find((u) => u.includes("100x100") && u.includes(".jpeg")) ??
    urls.find((u) => !u.includes("shrink")) ??
    urls[0]
  );
}

const badgeKinds = ["unknown", "image", "text", "string", "combine"] as const;

function mapBadge(badge: BadgeStruct): UserBadge {
  const level = badge.privilegeLogExtra?.level;
  const text =
    badge.text?.defaultPattern ||
    badge.text?.key ||
    badge.str?.str ||
    badge.combine?.str ||
    badge.combine?.text?.defaultPattern ||
    undefined;
  return {
    kind: badgeKinds[badge.displayType] ?? "unknown",
    sceneType: badge.sceneType,
    level: level !== undefined && /^\d+$/.test(level) ? Number(level) : undefined,
    url: pickImageUrl(badge.image?.image) ?? pickImageUrl(badge.combine?.icon),
    text,
  };
}

/** Maps a list of protobuf badges to {@link UserBadge}s. */
export function mapBadges(list: readonly BadgeStruct[]): UserBadge[] {
  return list.map(mapBadge);
}

const emptyFollowInfo = Object.freeze({
  followingCount: 0,
  followerCount: 0,
  followStatus: 0,
  pushStatus: 0,
});

/**
 * Maps a protobuf User to the friendly {@link User}. `identity` (the message's
 * UserIdentity, on chat/gift/emote) adds what the room knows about the user.
 */
export function mapUser(user: ProtoUser | undefined, identity?: UserIdentity): User {
  const badges = mapBadges(user?.badgeList ?? []);
  const avatar = user?.avatarThumb ?? user?.avatarMedium ?? user?.avatarLarge;
  let isModerator = identity?.isModeratorOfAnchor === true || user?.userAttr?.isAdmin === true;
  let isSubscriber = identity?.isSubscriberOfAnchor === true;
  let isNewGifter = false;
  let topGifterRank: number | undefined;
  let gifterLevel = 0;
  let teamMemberLevel = 0;
  for (const badge of badges) {
    const url = badge.url ?? "";
    const text = (badge.text ?? "").toLowerCase();
    if (badge.sceneType === 1 || text.includes("moderator")) isModerator = true;
    if (badge.sceneType === 4 || badge.sceneType === 7 || url.includes("/sub_")) isSubscriber = true;
    if (url.includes("live_ng_") || text.includes("live_ng_")) isNewGifter = true;
    if (badge.sceneType === 8 && badge.level !== undefined) gifterLevel = badge.level;
    if (badge.sceneType === 10 && badge.level !== undefined) teamMemberLevel = badge.level;
    const rank = /ranklist_top_gifter_(\d+)/.exec(url);
    if (rank !== null) topGifterRank = Number(rank[1]);
  }
  if (teamMemberLevel === 0) teamMemberLevel = user?.fansClub?.data?.level ?? 0;
  const follow = user?.followInfo;
  return {
    userId: user === undefined ? "0" : user.id !== "0" ? user.id : user.idStr || "0",
    uniqueId: user?.displayId ?? "",
    nickname: user?.nickname ?? "",
    secUid: user?.secUid ?? "",
    profilePictureUrl: pickImageUrl(avatar),
    profilePictureUrls: avatar?.urlList ?? [],
    verified: user?.verified ?? false,
    badges,
    isModerator,
    isSubscriber,
    isNewGifter,
    topGifterRank,
    gifterLevel,
    teamMemberLevel,
    followRole: toNumber(follow?.followStatus),
    followInfo:
      follow === undefined
        ? { ...emptyFollowInfo }
        : {
            followingCount: toNumber(follow.followingCount),
            followerCount: toNumber(follow.followerCount),
            followStatus: toNumber(follow.followStatus),
            pushStatus: toNumber(follow.pushStatus),
          },
    isFollower: identity?.isFollowerOfAnchor === true || user?.isFollower === true,
    isGiftGiver: identity?.isGiftGiverOfAnchor === true,
  };
}

/** Fields every message event has. */
export interface EventBase {
  /** Message id (the dedup key, and what `imDelete` refers to). */
  msgId: string;
  /** Room the message belongs to ("0" when TikTok left it out). */
  roomId: string;
  /** When TikTok created the message, epoch milliseconds (0 when absent). */
  createTime: number;
  /** The wire method name, e.g. `WebcastChatMessage`. */
  method: string;
  /** True for backlog messages (the initial batch), when TikTok marks them. */
  isHistory: boolean;
  /** The i18n key TikTok uses to classify the message (`common.displayText.key`), or "". */
  displayKey: string;
}

/** The envelope fields a mapper needs from the fetch result entry. */
export interface MessageEnvelope {
  method: string;
  msgId: string;
  isHistory: boolean;
}

/** Builds the {@link EventBase} from a message's `common` header and its envelope. */
export function mapBase(common: CommonMessageData | undefined, envelope: MessageEnvelope): EventBase {
  const msgId = common !== undefined && common.msgId !== "0" ? common.msgId : envelope.msgId;
  return {
    msgId,
    roomId: common?.roomId ?? "0",
    createTime: toNumber(common?.createTime),
    method: envelope.method,
    isHistory: envelope.isHistory,
    displayKey: common?.displayText?.key ?? "",
  };
}

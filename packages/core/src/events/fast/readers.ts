// Partial decoders of the hottest messages: they read only the fields the event mappers use
// (docs/protocol.md §9/§10 numbers), into objects with the generated types' field names and
// defaults, and skip the rest. The mappers then run unchanged; `raw` is decoded in full only
// if someone reads it. An equivalence test checks these against the full decode.
import {
  BadgeStructSchema,
  CombineBadgeStructSchema,
  CommonMessageDataSchema,
  ContributorSchema,
  EmoteModelSchema,
  EmoteWithIndexSchema,
  FansClubDataSchema,
  FansClubMemberSchema,
  FollowInfoSchema,
  GiftStructSchema,
  ImageBadgeSchema,
  ImageModelSchema,
  PrivilegeLogExtraSchema,
  StringBadgeSchema,
  TextBadgeSchema,
  TextSchema,
  UserAttrSchema,
  UserIdentitySchema,
  UserSchema,
  WebcastChatMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLikeMessageSchema,
  WebcastMemberMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
} from "@tiklive/proto";
import { type MessageReader, messageReader, nested, WireReader } from "./wire-reader.js";

const str = (r: WireReader) => r.string();

// Repeated message fields append; the rest replace (the last occurrence wins).
const image = messageReader(ImageModelSchema, () => ({ urlList: [] as string[] }), {
  1: [2, (r, t) => t.urlList.push(r.string())],
});
const readImage = nested(image);

const text = messageReader(TextSchema, () => ({ key: "", defaultPattern: "" }), {
  1: [2, (r, t) => (t.key = str(r))],
  2: [2, (r, t) => (t.defaultPattern = str(r))],
});

const common = messageReader(
  CommonMessageDataSchema,
  () => ({
    method: "",
    msgId: "0",
    roomId: "0",
    createTime: "0",
    displayText: undefined as ReturnType<typeof text> | undefined,
  }),
  {
    1: [2, (r, t) => (t.method = str(r))],
    2: [0, (r, t) => (t.msgId = r.int64())],
    3: [0, (r, t) => (t.roomId = r.int64())],
    4: [0, (r, t) => (t.createTime = r.int64())],
    8: [2, (r, t) => (t.displayText = textNested(r))],
  },
);

const identity = messageReader(
  UserIdentitySchema,
  () => ({
    isGiftGiverOfAnchor: false,
    isSubscriberOfAnchor: false,
    isMutualFollowingWithAnchor: false,
    isFollowerOfAnchor: false,
    isModeratorOfAnchor: false,
    isAnchor: false,
  }),
  {
    1: [0, (r, t) => (t.isGiftGiverOfAnchor = r.bool())],
    2: [0, (r, t) => (t.isSubscriberOfAnchor = r.bool())],
    3: [0, (r, t) => (t.isMutualFollowingWithAnchor = r.bool())],
    4: [0, (r, t) => (t.isFollowerOfAnchor = r.bool())],
    5: [0, (r, t) => (t.isModeratorOfAnchor = r.bool())],
    6: [0, (r, t) => (t.isAnchor = r.bool())],
  },
);

const followInfo = messageReader(
  FollowInfoSchema,
  () => ({ followingCount: "0", followerCount: "0", followStatus: "0", pushStatus: "0" }),
  {
    1: [0, (r, t) => (t.followingCount = r.int64())],
    2: [0, (r, t) => (t.followerCount = r.int64())],
    3: [0, (r, t) => (t.followStatus = r.int64())],
    4: [0, (r, t) => (t.pushStatus = r.int64())],
  },
);

const fansClubData = messageReader(FansClubDataSchema, () => ({ level: 0 }), {
  2: [0, (r, t) => (t.level = r.int32())],
});
const fansClub = messageReader(
  FansClubMemberSchema,
  () => ({ data: undefined as { level: number } | undefined }),
  {
    1: [2, (r, t) => (t.data = fansClubDataNested(r))],
  },
);
const userAttr = messageReader(UserAttrSchema, () => ({ isAdmin: false }), {
  2: [0, (r, t) => (t.isAdmin = r.bool())],
});

const privilege = messageReader(PrivilegeLogExtraSchema, () => ({ level: "" }), {
  5: [2, (r, t) => (t.level = str(r))],
});
const imageBadge = messageReader(
  ImageBadgeSchema,
  () => ({ image: undefined as ReturnType<typeof image> | undefined }),
  {
    2: [2, (r, t) => (t.image = readImage(r))],
  },
);
const textBadge = messageReader(TextBadgeSchema, () => ({ key: "", defaultPattern: "" }), {
  2: [2, (r, t) => (t.key = str(r))],
  3: [2, (r, t) => (t.defaultPattern = str(r))],
});
const stringBadge = messageReader(StringBadgeSchema, () => ({ str: "" }), {
  2: [2, (r, t) => (t.str = str(r))],
});
const combineBadge = messageReader(
  CombineBadgeStructSchema,
  () => ({
    icon: undefined as ReturnType<typeof image> | undefined,
    text: undefined as ReturnType<typeof textBadge> | undefined,
    str: "",
  }),
  {
    2: [2, (r, t) => (t.icon = readImage(r))],
    3: [2, (r, t) => (t.text = textBadgeNested(r))],
    4: [2, (r, t) => (t.str = str(r))],
  },
);
const badge = messageReader(
  BadgeStructSchema,
  () => ({
    displayType: 0,
    sceneType: 0,
    privilegeLogExtra: undefined as { level: string } | undefined,
    image: undefined as ReturnType<typeof imageBadge> | undefined,
    text: undefined as ReturnType<typeof textBadge> | undefined,
    str: undefined as { str: string } | undefined,
    combine: undefined as ReturnType<typeof combineBadge> | undefined,
  }),
  {
    1: [0, (r, t) => (t.displayType = r.int32())],
    3: [0, (r, t) => (t.sceneType = r.int32())],
    12: [2, (r, t) => (t.privilegeLogExtra = privilegeNested(r))],
    20: [2, (r, t) => (t.image = imageBadgeNested(r))],
    21: [2, (r, t) => (t.text = textBadgeNested(r))],
    22: [2, (r, t) => (t.str = stringBadgeNested(r))],
    23: [2, (r, t) => (t.combine = combineBadgeNested(r))],
  },
);
const readBadge = nested(badge);

type ImageLike = ReturnType<typeof image>;
const user = messageReader(
  UserSchema,
  () => ({
    id: "0",
    nickname: "",
    avatarThumb: undefined as ImageLike | undefined,
    avatarMedium: undefined as ImageLike | undefined,
    avatarLarge: undefined as ImageLike | undefined,
    verified: false,
    followInfo: undefined as ReturnType<typeof followInfo> | undefined,
    fansClub: undefined as ReturnType<typeof fansClub> | undefined,
    userAttr: undefined as { isAdmin: boolean } | undefined,
    displayId: "",
    secUid: "",
    badgeList: [] as ReturnType<typeof badge>[],
    idStr: "",
    isFollower: false,
  }),
  {
    1: [0, (r, t) => (t.id = r.int64())],
    3: [2, (r, t) => (t.nickname = str(r))],
    9: [2, (r, t) => (t.avatarThumb = readImage(r))],
    10: [2, (r, t) => (t.avatarMedium = readImage(r))],
    11: [2, (r, t) => (t.avatarLarge = readImage(r))],
    12: [0, (r, t) => (t.verified = r.bool())],
    22: [2, (r, t) => (t.followInfo = followInfoNested(r))],
    24: [2, (r, t) => (t.fansClub = fansClubNested(r))],
    32: [2, (r, t) => (t.userAttr = userAttrNested(r))],
    38: [2, (r, t) => (t.displayId = str(r))],
    46: [2, (r, t) => (t.secUid = str(r))],
    64: [2, (r, t) => t.badgeList.push(readBadge(r))],
    1028: [2, (r, t) => (t.idStr = str(r))],
    1029: [0, (r, t) => (t.isFollower = r.bool())],
  },
);
const readUser = nested(user);
const readCommon = nested(common);
const readIdentity = nested(identity);
type UserLike = ReturnType<typeof user>;

const emote = messageReader(
  EmoteModelSchema,
  () => ({ emoteId: "", image: undefined as ImageLike | undefined }),
  {
    1: [2, (r, t) => (t.emoteId = str(r))],
    2: [2, (r, t) => (t.image = readImage(r))],
  },
);
const emoteWithIndex = messageReader(
  EmoteWithIndexSchema,
  () => ({ index: 0, emote: undefined as ReturnType<typeof emote> | undefined }),
  {
    1: [0, (r, t) => (t.index = r.int32())],
    2: [2, (r, t) => (t.emote = emoteNested(r))],
  },
);

/** WebcastChatMessage: the fields `mapChat` reads. */
export const chatReader = messageReader(
  WebcastChatMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    user: undefined as UserLike | undefined,
    content: "",
    atUser: undefined as UserLike | undefined,
    emotes: [] as ReturnType<typeof emoteWithIndex>[],
    contentLanguage: "",
    userIdentity: undefined as ReturnType<typeof identity> | undefined,
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [2, (r, t) => (t.user = readUser(r))],
    3: [2, (r, t) => (t.content = str(r))],
    12: [2, (r, t) => (t.atUser = readUser(r))],
    13: [2, (r, t) => t.emotes.push(emoteWithIndexNested(r))],
    14: [2, (r, t) => (t.contentLanguage = str(r))],
    18: [2, (r, t) => (t.userIdentity = readIdentity(r))],
  },
);

const giftStruct = messageReader(
  GiftStructSchema,
  () => ({
    image: undefined as ImageLike | undefined,
    describe: "",
    id: "0",
    type: 0,
    diamondCount: 0,
    name: "",
  }),
  {
    1: [2, (r, t) => (t.image = readImage(r))],
    2: [2, (r, t) => (t.describe = str(r))],
    5: [0, (r, t) => (t.id = r.int64())],
    11: [0, (r, t) => (t.type = r.int32())],
    12: [0, (r, t) => (t.diamondCount = r.int32())],
    16: [2, (r, t) => (t.name = str(r))],
  },
);

/** WebcastGiftMessage: the fields `mapGift` reads. */
export const giftReader = messageReader(
  WebcastGiftMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    giftId: "0",
    groupCount: 0,
    repeatCount: 0,
    comboCount: 0,
    user: undefined as UserLike | undefined,
    toUser: undefined as UserLike | undefined,
    repeatEnd: 0,
    groupId: "0",
    gift: undefined as ReturnType<typeof giftStruct> | undefined,
    userIdentity: undefined as ReturnType<typeof identity> | undefined,
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [0, (r, t) => (t.giftId = r.int64())],
    4: [0, (r, t) => (t.groupCount = r.int32())],
    5: [0, (r, t) => (t.repeatCount = r.int32())],
    6: [0, (r, t) => (t.comboCount = r.int32())],
    7: [2, (r, t) => (t.user = readUser(r))],
    8: [2, (r, t) => (t.toUser = readUser(r))],
    9: [0, (r, t) => (t.repeatEnd = r.int32())],
    11: [0, (r, t) => (t.groupId = r.int64())],
    15: [2, (r, t) => (t.gift = giftStructNested(r))],
    32: [2, (r, t) => (t.userIdentity = readIdentity(r))],
  },
);

/** WebcastMemberMessage: the fields `mapMember` reads. */
export const memberReader = messageReader(
  WebcastMemberMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    user: undefined as UserLike | undefined,
    memberCount: 0,
    enterType: 0,
    action: 0,
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [2, (r, t) => (t.user = readUser(r))],
    3: [0, (r, t) => (t.memberCount = r.int32())],
    9: [0, (r, t) => (t.enterType = r.int32())],
    10: [0, (r, t) => (t.action = r.int32())],
  },
);

/** WebcastLikeMessage: the fields `mapLike` reads. */
export const likeReader = messageReader(
  WebcastLikeMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    count: 0,
    total: "0",
    user: undefined as UserLike | undefined,
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [0, (r, t) => (t.count = r.int32())],
    3: [0, (r, t) => (t.total = r.int64())],
    5: [2, (r, t) => (t.user = readUser(r))],
  },
);

/** WebcastSocialMessage: the fields `mapSocial` reads. */
export const socialReader = messageReader(
  WebcastSocialMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    user: undefined as UserLike | undefined,
    shareType: "0",
    action: "0",
    shareTarget: "",
    followCount: "0",
    shareCount: 0,
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [2, (r, t) => (t.user = readUser(r))],
    3: [0, (r, t) => (t.shareType = r.int64())],
    4: [0, (r, t) => (t.action = r.int64())],
    5: [2, (r, t) => (t.shareTarget = str(r))],
    6: [0, (r, t) => (t.followCount = r.int64())],
    8: [0, (r, t) => (t.shareCount = r.int32())],
  },
);

const contributor = messageReader(
  ContributorSchema,
  () => ({ score: "0", user: undefined as UserLike | undefined, rank: "0" }),
  {
    1: [0, (r, t) => (t.score = r.int64())],
    2: [2, (r, t) => (t.user = readUser(r))],
    3: [0, (r, t) => (t.rank = r.int64())],
  },
);

/** WebcastRoomUserSeqMessage: the fields `mapRoomUser` reads. */
export const roomUserReader = messageReader(
  WebcastRoomUserSeqMessageSchema,
  () => ({
    common: undefined as ReturnType<typeof common> | undefined,
    ranks: [] as ReturnType<typeof contributor>[],
    total: "0",
    totalUser: "0",
  }),
  {
    1: [2, (r, t) => (t.common = readCommon(r))],
    2: [2, (r, t) => t.ranks.push(contributorNested(r))],
    3: [0, (r, t) => (t.total = r.int64())],
    7: [0, (r, t) => (t.totalUser = r.int64())],
  },
);

// Nested readers, made once (the field handlers above run after module initialisation).
const combineBadgeNested = nested(combineBadge);
const contributorNested = nested(contributor);
const emoteNested = nested(emote);
const emoteWithIndexNested = nested(emoteWithIndex);
const fansClubNested = nested(fansClub);
const fansClubDataNested = nested(fansClubData);
const followInfoNested = nested(followInfo);
const giftStructNested = nested(giftStruct);
const imageBadgeNested = nested(imageBadge);
const privilegeNested = nested(privilege);
const stringBadgeNested = nested(stringBadge);
const textNested = nested(text);
const textBadgeNested = nested(textBadge);
const userAttrNested = nested(userAttr);

export type { MessageReader };

/** The fields of a message's `common` header that every event carries (docs/protocol.md §9.1). */
export type CommonHeader = ReturnType<typeof common>;

/**
 * The `common` header (field 1) of any Webcast message, known method or not, read without the
 * rest of the message: undefined when the payload has none, or it is not protobuf, or the header
 * does not match CommonMessageData. Never throws.
 */
export function readCommonHeader(payload: Uint8Array): CommonHeader | undefined {
  const reader = new WireReader(payload);
  try {
    while (reader.pos < payload.length) {
      const tag = reader.uint32();
      // Field 1, LEN: the header. (Real messages start with it.)
      if (tag === 0x0a) return readCommon(reader);
      if (tag >>> 3 === 0) return undefined;
      reader.skip(tag & 7, tag >>> 3);
    }
  } catch {
    // Not protobuf, or a header that does not decode: no header.
  }
  return undefined;
}

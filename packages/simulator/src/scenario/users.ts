import { create } from "@bufbuild/protobuf";
import { createRandom, hashSeed, type Random } from "@tiklive/core/internal";
import {
  BadgeDisplayType,
  BadgeSceneType,
  type BadgeStruct,
  BadgeStructSchema,
  CombineBadgeStructSchema,
  FollowInfoSchema,
  ImageBadgeSchema,
  ImageModelSchema,
  PrivilegeLogExtraSchema,
  TextBadgeSchema,
  type User,
  UserAttrSchema,
  UserHonorSchema,
  type UserIdentity,
  UserIdentitySchema,
  UserSchema,
} from "@tiklive/proto";
import { snowflakeId } from "../snowflake.js";

/** A viewer or host of a simulated room. */
export interface SimUser {
  /** Numeric user id (19 digits). */
  readonly id: string;
  /** The @handle (`User.displayId`). */
  readonly uniqueId: string;
  readonly nickname: string;
  readonly secUid: string;
  readonly bio: string;
  /** 32 hex characters naming the avatar on the CDN. */
  readonly avatarKey: string;
  /** `x-expires` of the signed avatar URLs (epoch seconds). */
  readonly avatarExpires: number;
  readonly avatarSignature: string;
  readonly followerCount: number;
  readonly followingCount: number;
  /** Relation to the viewer (0 none, 1 following, 2 friends). */
  readonly followStatus: number;
  readonly verified: boolean;
  readonly moderator: boolean;
  readonly subscriber: boolean;
  /** Gifter level (badge scene 8); 0 for none. */
  readonly gifterLevel: number;
  /** Team member level (badge scene 10); 0 for none. */
  readonly teamLevel: number;
  /** 1-3 for a top-gifter badge; 0 for none. */
  readonly topGifterRank: number;
  readonly followsHost: boolean;
}

// Handles and nicknames: emoji, RTL, CJK, Cyrillic, mathematical letters and
// flags on purpose, because real rooms are full of them.
const handles = [
  "luna.moon",
  "mariam_star",
  "daniel.tlv",
  "sakura_chan",
  "minjun.kim",
  "zoe_plays",
  "maria_fancy",
  "marce5004",
  "ahmed.cairo",
  "joseluis_mx",
  "dj_krush",
  "neha.sings",
  "aqiang88",
  "ana.brasil",
  "ivan_petrov",
  "fatima.z",
  "noah.gg",
  "emma_draws",
  "liam.codes",
  "olivia.k",
  "yuki_snow",
  "omar.rides",
  "chloe.bakes",
  "lucas_fc",
  "mila_dance",
  "ethan.ok",
  "sofia_ar",
  "hiro.tokyo",
  "ali.baba",
  "lea.paris",
  "tom_the_cat",
  "nina.nyc",
  "kai.surf",
  "amir.tehran",
  "ella.lux",
  "ben.builds",
  "ravi.mumbai",
  "jade.art",
  "felix.de",
  "ines.lisboa",
] as const;

const nicknames = [
  "Luna 🌙",
  "مريم ✨",
  "דניאל",
  "さくら🌸",
  "김민준",
  "Zoë",
  "𝓜𝓪𝓻𝓲𝓪",
  "🧜‍♀️🌸Marce5004🌸🧜‍♀️",
  "أحمد 🇪🇬",
  "José Luis 🇲🇽",
  "DJ_Krush",
  "नेहा 🎤",
  "阿强",
  "Ana 🇧🇷",
  "Иван Петров",
  "فاطمة",
  "Noah",
  "Emma ✏️",
  "Liam</>",
  "Olivia K.",
  "雪 ❄️",
  "Omar 🏍️",
  "Chloé 🧁",
  "Lucas ⚽",
  "Mila 💃",
  "Ethan",
  "Sofía",
  "ヒロ",
  "علي",
  "Léa 🇫🇷",
  "Tom the Cat 🐱",
  "Nina 🗽",
  "Kai 🏄",
  "امیر",
  "Ella ✨✨",
  "Ben 🔨",
  "रवि",
  "Jade 🎨",
  "Felix",
  "Inês",
] as const;

/** Builds `count` distinct viewers for one room. Deterministic for a given random stream. */
export function createUserPool(random: Random, count: number, startTime: number): SimUser[] {
  const users: SimUser[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const base = handles[i % handles.length] as string;
    let uniqueId = i < handles.length ? base : `${base}${random.int(10, 9999)}`;
    while (seen.has(uniqueId)) uniqueId = `${base}${random.int(10, 99999)}`;
    seen.add(uniqueId);
    const nickname = nicknames[i % nicknames.length] as string;
    users.push(makeUser(random, uniqueId, nickname, startTime, i));
  }
  return users;
}

// Hosts do not depend on the scenario's start time: the room lookups show the
// same owner before and after the stream starts.
const hostEpoch = 1_735_689_600_000;

/** The host of a room (its streamer), derived from its handle, name and room id alone. */
export function createHostUser(uniqueId: string, nickname: string, roomId: string): SimUser {
  const random = createRandom(hashSeed("host", uniqueId, roomId));
  const base = makeUser(random, uniqueId, nickname, hostEpoch, -1);
  return {
    ...base,
    verified: true,
    moderator: false,
    subscriber: false,
    gifterLevel: 0,
    teamLevel: 0,
    topGifterRank: 0,
    followerCount: 120_000 + random.int(0, 900_000),
  };
}

function makeUser(
  random: Random,
  uniqueId: string,
  nickname: string,
  startTime: number,
  index: number,
): SimUser {
  // Accounts are years older than the stream: ids in the 66xx-72xx range like real ones.
  const accountTime = startTime - random.int(200, 2500) * 86_400_000;
  return {
    id: snowflakeId(random, accountTime),
    uniqueId,
    nickname,
    secUid: `MS4wLjABAAAA${random.token(64)}`,
    bio: random.pick([
      "",
      "streamer & gamer",
      "just vibes ✨",
      "🇧🇷 | 21",
      "artist / illustrator",
      "not a bot",
    ]),
    avatarKey: random.hex(32),
    avatarExpires: Math.floor(startTime / 1000) + 172_800,
    avatarSignature: `${random.token(27)}%3D`,
    followerCount: random.int(0, 50_000),
    followingCount: random.int(0, 3_000),
    followStatus: random.weighted([
      [0, 6],
      [1, 3],
      [2, 1],
    ] as const),
    verified: false,
    moderator: index >= 0 && index % 13 === 3,
    subscriber: index >= 0 && index % 5 === 1,
    gifterLevel: random.chance(0.6) ? random.int(1, 45) : 0,
    teamLevel: random.chance(0.3) ? random.int(1, 20) : 0,
    topGifterRank: index >= 0 && index < 3 ? index + 1 : 0,
    followsHost: random.chance(0.6),
  };
}

/** The four avatar URLs real messages carry (shrunk webp first, then 100x100 webp/jpeg). */
export function avatarUrls(user: SimUser): string[] {
  const path = `tos-maliva-avt-0068/${user.avatarKey}`;
  const query = `?x-expires=${user.avatarExpires}&x-signature=${user.avatarSignature}`;
  return [
    `https://p77-sign-va.tiktokcdn.com/${path}~tplv-tiktok-shrink:72:72.webp${query}`,
    `https://p77-sign-va.tiktokcdn.com/${path}~c5_100x100.webp${query}`,
    `https://p16-sign-va.tiktokcdn.com/${path}~c5_100x100.webp${query}`,
    `https://p77-sign-va.tiktokcdn.com/${path}~c5_100x100.jpeg${query}`,
  ];
}

const cdn = "https://p16-webcast.tiktokcdn.com";
const cdn2 = "https://p19-webcast.tiktokcdn.com";

function badgeImage(uri: string) {
  return create(ImageModelSchema, {
    urlList: [`${cdn}/${uri}~tplv-obj.image`, `${cdn2}/${uri}~tplv-obj.image`],
    uri,
  });
}

/** The badges a user shows: moderator, subscriber, gifter level, team level, top gifter (docs/protocol.md §9.5). */
export function userBadges(user: SimUser): BadgeStruct[] {
  const badges: BadgeStruct[] = [];
  if (user.moderator) {
    badges.push(
      create(BadgeStructSchema, {
        displayType: BadgeDisplayType.TEXT,
        priorityType: 10,
        sceneType: BadgeSceneType.ADMIN,
        position: 1,
        display: true,
        text: create(TextBadgeSchema, {
          displayType: BadgeDisplayType.TEXT,
          key: "pm_mt_moderator_im",
          defaultPattern: "Moderator",
        }),
      }),
    );
  }
  if (user.topGifterRank > 0) {
    badges.push(
      create(BadgeStructSchema, {
        displayType: BadgeDisplayType.IMAGE,
        priorityType: 15,
        sceneType: BadgeSceneType.RANK_LIST,
        position: 1,
        display: true,
        image: create(ImageBadgeSchema, {
          displayType: BadgeDisplayType.IMAGE,
          image: badgeImage(`webcast-va/ranklist_top_gifter_${user.topGifterRank}.png`),
        }),
      }),
    );
  }
  if (user.gifterLevel > 0) {
    const bucket = Math.min(9, Math.ceil(user.gifterLevel / 5));
    badges.push(
      create(BadgeStructSchema, {
        displayType: BadgeDisplayType.COMBINE,
        priorityType: 20,
        sceneType: BadgeSceneType.USER_GRADE,
        position: 1,
        display: true,
        openweburl:
          "sslocal://webcast_lynxview_popup?use_spark=1&url=https%3A%2F%2Flf16-gecko-source.tiktokcdn.com%2Fobj%2Fbyte-gurd-source-sg%2Ftiktok%2Ffe%2Flive%2Ftiktok_live_revenue_user_level_main%2Fsrc%2Fpages%2Fprivilege%2Fpanel%2Ftemplate.js",
        privilegeLogExtra: create(PrivilegeLogExtraSchema, {
          dataVersion: "2",
          privilegeId: "7138381176787539748",
          privilegeVersion: "0",
          privilegeOrderId: "mock_fix_width_transparent_7138381176787539748",
          level: String(user.gifterLevel),
        }),
        combine: create(CombineBadgeStructSchema, {
          badgeDisplayType: BadgeDisplayType.COMBINE,
          icon: badgeImage(`webcast-va/grade_badge_icon_lite_lv${bucket}_v1.png`),
          str: String(user.gifterLevel),
        }),
      }),
    );
  }
  if (user.teamLevel > 0) {
    badges.push(
      create(BadgeStructSchema, {
        displayType: BadgeDisplayType.COMBINE,
        priorityType: 30,
        sceneType: BadgeSceneType.FANS,
        position: 1,
        display: true,
        privilegeLogExtra: create(PrivilegeLogExtraSchema, {
          dataVersion: "1",
          privilegeId: "7196929090442513157",
          privilegeVersion: "0",
          level: String(user.teamLevel),
        }),
        combine: create(CombineBadgeStructSchema, {
          badgeDisplayType: BadgeDisplayType.COMBINE,
          icon: badgeImage(
            `webcast-va/fans_badge_icon_lv${Math.min(5, Math.ceil(user.teamLevel / 4))}_v0.png`,
          ),
          str: String(user.teamLevel),
        }),
      }),
    );
  }
  if (user.subscriber) {
    badges.push(
      create(BadgeStructSchema, {
        displayType: BadgeDisplayType.IMAGE,
        priorityType: 40,
        sceneType: BadgeSceneType.SUBSCRIBER,
        position: 1,
        display: true,
        image: create(ImageBadgeSchema, {
          displayType: BadgeDisplayType.IMAGE,
          image: badgeImage("webcast-va/sub_badge_v3_lv1.png"),
        }),
      }),
    );
  }
  return badges;
}

/** The protobuf `User` of a {@link SimUser}, with the fields real messages carry (docs/protocol.md §9.4). */
export function toProtoUser(user: SimUser): User {
  return create(UserSchema, {
    id: user.id,
    nickname: user.nickname,
    bioDescription: user.bio,
    avatarThumb: create(ImageModelSchema, {
      urlList: avatarUrls(user),
      uri: `100x100/tos-maliva-avt-0068/${user.avatarKey}`,
    }),
    verified: user.verified,
    followInfo: create(FollowInfoSchema, {
      followingCount: String(user.followingCount),
      followerCount: String(user.followerCount),
      followStatus: String(user.followStatus),
    }),
    payGrade: create(UserHonorSchema, {}),
    userAttr: create(UserAttrSchema, { isAdmin: user.moderator }),
    displayId: user.uniqueId,
    secUid: user.secUid,
    badgeList: userBadges(user),
  });
}

/** The author's relation to the host, as chat, gift and emote messages carry it. */
export function toUserIdentity(user: SimUser): UserIdentity {
  return create(UserIdentitySchema, {
    isGiftGiverOfAnchor: user.gifterLevel > 0,
    isSubscriberOfAnchor: user.subscriber,
    isFollowerOfAnchor: user.followsHost,
    isModeratorOfAnchor: user.moderator,
  });
}

// The live corpus: push frames shaped like a busy real room's traffic, synthesised from
// our schema's generated types (@tiklive/proto) with a seeded PRNG, so that the decode
// benchmark sees what a client sees in production rather than a few payloads on repeat.
//
// Why: the vectors corpus (corpus.ts) re-wraps 44 real payloads, so the same users, URLs
// and strings come back in every frame; gzip finds them within its 32 KiB window and the
// decoders' caches (strings, hidden classes, branch predictors) stay hot. Live traffic
// is the opposite: almost every message carries a different user, with its own ids,
// nickname, signed avatar URLs and badges.
//
// What a frame holds (docs/protocol.md §2-§3, §9, §10):
// - 10-40 messages, wrapped as TikTok does: BaseProtoMessage{method, payload, msgId} ->
//   ProtoMessageFetchResult{messages, cursor, internalExt, now, fetchInterval, fetchType 1,
//   needAck on every third} -> gzip -> WebcastPushFrame{seqId, logId, headers{compress_type:
//   gzip}, payloadEncoding "pb", payloadType "msg"}. The messages are a continuous stream cut
//   into frames: a frame whose encoded size (gzip included) would leave 5-20 KiB takes fewer
//   or more messages from the stream; nothing is dropped or redrawn.
// - A method mix by weight ({@link liveMix}): chat 27, like 20, member 18, gift 12 (streaks:
//   the same sender, groupId and a growing repeatCount over several messages, repeatEnd on the
//   last), social 5 (follow 4, share 1), roomUserSeq 4 (the top 3 gifters as full users), and
//   14 of secondary messages (battle armies, emotes, rank updates and rank texts, banners,
//   goals, subscriptions, anonymous joins, deletes, pins).
// - Users: a fresh user for every message (a gift streak's steps, the ranks of roomUserSeq,
//   battle supporters and pinned chats are the only repeats, as in a real room): a 19-digit id,
//   a unique @handle, a nickname drawn across Latin (with diacritics), Arabic, Hebrew, CJK,
//   Hangul, Cyrillic, Devanagari, Thai, Greek and "fancy" mathematical letters, with emoji
//   (skin tones, ZWJ sequences, flags) and decorations, a secUid, 2-3 signed avatar URLs with
//   TikTok CDN query strings (x-expires, x-signature and, for most, refresh_token, nonce, shp,
//   shcp...), a medium avatar for a quarter of them, follow counts, and 0-6 badges (gifter
//   level, fan club, subscriber, moderator, top gifter, event, first-gift, friends), each with
//   its privilege fields (PrivilegeLogExtra) and image URLs. Chat lines mix languages and
//   emoji; some mention another (fresh) user.
// - Deterministic: `createRandom(seed)` from @tiklive/core/internal; the same options give
//   byte-identical frames on every machine (and every Node version: gzip level 6 is zlib's).
import { gzipSync } from "node:zlib";
import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { encodeFetchResult, encodePushFrame } from "@tiklive/core";
import { createRandom, hashSeed, type Random } from "@tiklive/core/internal";
import {
  BadgeDisplayType,
  BadgeSceneType,
  type BadgeStruct,
  BadgeStructSchema,
  BattleUserArmiesSchema,
  BattleUserArmySchema,
  CombineBadgeBackgroundSchema,
  CombineBadgeStructSchema,
  CommentQualityScoreSchema,
  type CommonMessageData,
  CommonMessageDataSchema,
  ContributorSchema,
  EmoteModelSchema,
  FansClubDataSchema,
  FansClubMemberSchema,
  FollowInfoSchema,
  FontStyleSchema,
  GiftMessagePrioritySchema,
  GiftMonitorInfoSchema,
  GiftStructSchema,
  GoalIndicatorSchema,
  ImageBadgeSchema,
  type ImageModel,
  ImageModelSchema,
  LikeEffectSchema,
  LikeSpecifiedDisplayTextSchema,
  LinkMicArmiesTriggerReason,
  LinkmicStatus,
  LiveStreamGoalContributorSchema,
  LiveStreamGoalSchema,
  LiveStreamSubGoalGiftSchema,
  LiveStreamSubGoalSchema,
  MemberMessageAction,
  PaddingInfoSchema,
  PrivilegeLogExtraSchema,
  ProfitRankType,
  RankAnimationInfoSchema,
  RankUpdateSchema,
  RoomPinAction,
  StringBadgeSchema,
  type Text,
  TextBadgeSchema,
  type TextFormat,
  TextFormatSchema,
  TextPieceGiftSchema,
  TextPiecePatternRefSchema,
  TextPieceSchema,
  TextPieceUserSchema,
  TextSchema,
  type User,
  UserAttrSchema,
  UserHonorSchema,
  UserIdentitySchema,
  UserSchema,
  type WebcastChatMessage,
  WebcastChatMessageSchema,
  WebcastEmoteChatMessageSchema,
  WebcastGiftMessageSchema,
  WebcastGoalUpdateMessageSchema,
  WebcastImDeleteMessageSchema,
  WebcastInRoomBannerMessageSchema,
  WebcastLikeMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastMemberMessageSchema,
  WebcastRankTextMessageSchema,
  WebcastRankUpdateMessageSchema,
  WebcastRoomPinMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
  WebcastSubNotifyMessageSchema,
  WebcastUnauthorizedMemberMessageSchema,
} from "@tiklive/proto";
import type { Corpus, CorpusSummary } from "./corpus.js";

/** How the live corpus is drawn. The same options give byte-identical frames. */
export interface LiveCorpusOptions {
  /** PRNG seed. Default 20250301. */
  seed?: number;
  /** Number of push frames. Default 400. */
  frames?: number;
  /** Messages per frame, inclusive range (the draw; the size band can move it by a few). Default [10, 40]. */
  messagesPerFrame?: readonly [number, number];
  /** Size band of one encoded push frame in bytes, gzip included. Default [5 KiB, 20 KiB]. */
  frameBytes?: readonly [number, number];
  /** Payloads kept per method in {@link LiveCorpus.samples} (for the per-message breakdown). Default 40. */
  samplesPerMethod?: number;
}

/** One message payload of the corpus, as the per-message breakdown takes them. */
export interface MessageSample {
  id: string;
  /** The wire method. */
  type: string;
  payload: Uint8Array;
}

/** The built live corpus. */
export interface LiveCorpus extends Corpus {
  /** The first `samplesPerMethod` payloads of each method, in stream order. */
  samples: MessageSample[];
}

/** What the users of a live corpus look like (part of its summary). */
export interface UserStats {
  /** Messages that carry a user (author, joiner, sender, ...). */
  messagesWithUser: number;
  /** Distinct user ids among them. */
  distinctUsers: number;
  /** Distinct user ids across the corpus, every embedded user counted (ranks, mentions, supporters). */
  distinctUsersAnywhere: number;
  /** Badges per distinct user: count of users with 0, 1, ... 6 badges. */
  badgesPerUser: number[];
  /** Users whose nickname has a character outside ASCII (scripts, emoji), percent. */
  nonAsciiNicknamePercent: number;
  /** Mean length of an avatar URL, characters. */
  meanAvatarUrlLength: number;
}

/**
 * Weight of each kind of message in the stream. Primary methods first; the secondary kinds
 * (14 in all) are what a busy room also carries and what "decode everything" pays for.
 */
export const liveMix = {
  chat: 27,
  like: 20,
  member: 18,
  gift: 12,
  follow: 4,
  share: 1,
  roomUserSeq: 4,
  linkMicArmies: 3,
  emote: 1.5,
  rankUpdate: 1.5,
  rankText: 1,
  inRoomBanner: 1,
  goalUpdate: 1,
  subNotify: 1,
  unauthorizedMember: 2,
  imDelete: 1,
  roomPin: 1,
} as const;
type Kind = keyof typeof liveMix;

const defaults = {
  seed: 20250301,
  frames: 400,
  messagesPerFrame: [10, 40] as const,
  frameBytes: [5 * 1024, 20 * 1024] as const,
  samplesPerMethod: 40,
};

// ---------------------------------------------------------------- text pools

// The pools below are written as rows of words (`list`, split on spaces) or of phrases
// (`phrases`, split on " | "), so that the data stays readable at a glance.
const list = (...rows: string[]): readonly string[] => rows.flatMap((row) => row.split(" "));
const phrases = (...rows: string[]): readonly string[] => rows.flatMap((row) => row.split(" | "));

// Given names by script. Real rooms are international: about 6 in 10 nicknames leave ASCII
// (scripts, diacritics, emoji, decorations); about half of the users in the captured payloads do.
const latinNames = list(
  "Luna Mateo Sofía Lucas Emma Noah Olivia Liam Valentina Santiago Camila João Ana Gabriel Inês Léa",
  "Chloé Zoë Björn Søren Ayşe Mehmet Nguyễn Trần Lê Zoltán Łukasz Agnieszka Dvořák Renée Andrés",
  "Jose María Ximena Joaquín Chiara Giulia Marco Paulo Thiago Kai Mila Ethan Jade Felix Nina Omar",
  "Amir Fatima Aaliyah Kwame Ama Chidi Ngozi Tavita Malia Keanu Sione Rangi Aroha",
);
const scriptNames: Readonly<Record<string, readonly string[]>> = {
  arabic: list("مريم أحمد فاطمة علي يوسف نور خالد سارة ليلى عمر"),
  persian: list("امیر زهرا رضا نگار مهدی"),
  hebrew: list("דניאל נועה יוסי תמר אורי"),
  japanese: list("さくら ゆい ハルト ヒロ 雪 陽菜 蓮 あおい"),
  chinese: list("阿强 小美 王芳 李娜 张伟 晨曦 小龙"),
  korean: list("김민준 이서연 박지훈 최유나 정하늘"),
  cyrillic: list("Иван Анастасия Дмитрий Олена Мария Сергей Ксюша"),
  devanagari: list("नेहा रवि प्रिया अर्जुन आरव"),
  thai: list("สมชาย มะลิ น้องเมย์ ปลา"),
  greek: list("Γιώργος Ελένη Νίκος"),
};
const surnames = list(
  "Silva García Müller Nowak Kowalski Rossi Dubois Smith Nguyen Kim Yılmaz Öztürk Petrov Santos",
  "Oliveira Hernández López Ibrahim Haddad Cohen",
);
const emoji = list("✨ 🌸 👑 ♥️ ❤️ 🔥 💎 🦋 🌙 ⭐ 🐐 💀 🥀 🌹 🎀 🧸 🍓 🍒 🐱 🐺 ⚽ 🎮 🎧 💫 🌈 😈 😇 🤍 🖤 💜");
const emojiZwj = list("🧜‍♀️ 👩‍💻 🏳️‍🌈 👨‍👩‍👧 🧑‍🎤 🐻‍❄️ ❤️‍🔥 👁️‍🗨️ 🙋🏽‍♀️ 👋🏿 💅🏻 🤷🏼‍♂️");
const flags = list("🇧🇷 🇲🇽 🇪🇬 🇺🇸 🇩🇪 🇫🇷 🇹🇷 🇮🇩 🇵🇭 🇳🇬 🇵🇱 🇪🇨 🇸🇦 🇻🇳 🇯🇵");
const decorations: readonly (readonly [string, string])[] = [
  ["꧁", "꧂"],
  ["★彡", "彡★"],
  ["•", "•"],
  ["『", "』"],
  ["✿", "✿"],
  ["〖", "〗"],
  ["ツ", ""],
  ["", " ♡"],
  ["【", "】"],
];
const handleWords = list(
  "moon star gamer queen king baby official real x tv live vibes lover fan boss fit art music dance",
  "cooks plays the mr its",
);

/** Chat lines by language (`contentLanguage`), with the emoji, scripts and lengths real rooms show. */
const chatLines: readonly (readonly [string, readonly string[]])[] = [
  [
    "en",
    phrases(
      "hello from Berlin 👋 | first time here! | love this stream ❤️ | what game is this?",
      "can you say hi to my mom? | LOL 😂😂😂 | GG | that was insane | who else is here from the FYP?",
      "tap tap tap ❤️❤️❤️ | W stream fr | bro really said that 💀",
      "how long have you been streaming today | play the song again pls 🎵",
      "i just got here what did i miss | ur voice is so calming | follow me back pls 🥺",
      "this is my favorite live on the app, no cap | sending roses 🌹🌹🌹 | where are you from?",
    ),
  ],
  [
    "es",
    phrases(
      "hola desde México 🇲🇽 | saludos a todos | qué linda 😍 | VAMOS 🔥🔥 | jajajaja | de dónde eres?",
      "te amo mi reina 👑 | buenas noches desde Argentina 🇦🇷 | sígueme porfa | cuántos años tienes?",
    ),
  ],
  [
    "pt",
    phrases(
      "olá do Brasil 🇧🇷🇧🇷 | kkkkkkk | que live boa | manda um salve pra mim | tmj 🤝 | boa noite galera",
      "sou de Portugal 🇵🇹 | perfeita demais 😍",
    ),
  ],
  [
    "ar",
    phrases(
      "مرحبا بالجميع 👋 من القاهرة | ما شاء الله | تحياتي من السعودية 🇸🇦 | الله يحفظك | احبك ❤️",
      "منور يا غالي",
    ),
  ],
  [
    "id",
    phrases(
      "halo kak 👋 | salam dari Jakarta 🇮🇩 | wkwkwk | semangat kak! | mantap 🔥 | boleh follow balik kak?",
    ),
  ],
  ["tr", phrases("selam türkiye'den 🇹🇷 | çok güzelsin | kanka harikasın | takip eder misin?")],
  ["ja", phrases("こんにちは！日本から見てます | かわいい💕 | すごい！ | 初見です🙌")],
  ["ko", phrases("안녕하세요~ 처음 왔어요 | 대박 ㅋㅋㅋ | 사랑해요 💜")],
  ["ru", phrases("Привет из Москвы! | ахахах 😂 | ты лучшая ❤️ | откуда ты?")],
  ["vi", phrases("chào mọi người 👋 | xinh quá trời | hay quá 🔥")],
  ["hi", phrases("नमस्ते भारत से 🙏 | बहुत बढ़िया | aap kahan se ho?")],
  ["th", phrases("สวัสดีค่ะ | 555555 | น่ารักมาก 💖")],
  ["pl", phrases("siema | pozdro z Polski 🇵🇱 | ale akcja")],
  ["de", phrases("Grüße aus Wien 🇦🇹 | mega Stream | wie heißt das Lied?")],
  ["fr", phrases("coucou de Paris 🇫🇷 | trop bien 😂 | tu viens d'où ?")],
  ["un", phrases("🔥🔥🔥 | 👑👑👑 | ❤️❤️❤️❤️ | 😂😂 | 🌹 | 👏🏽👏🏽👏🏽 | 🧜‍♀️🌸🧜‍♀️ | 🏳️‍🌈✨")],
];

// The ranking scores a real comment carries (22-24 per chat in the captured payloads).
const scoreVersions = list(
  "user_type_rule community-flagged commentator_id default default_app rankV3 ttp_rule_rerank",
  "timestamp_desc tikcast_community_comment_18866_v7_r655069",
  "tikcast_community_comment_18866_v7_r655069_desc idc_rule_rerank v13_r712088 v12_r702075",
  "v13_r765166 v13_r765167 v13_r765169 v13_r767122 v13_r770804 v13_r770805 v13_r770806 v13_r770807",
  "v13_r770808 v13_r770810 v13_r762104",
);

// Real avatar CDN hosts, buckets (with their data centre) and variants; the x-signature differs per URL.
const avatarHosts = list(
  "p16-sign-va.tiktokcdn.com p77-sign-va.tiktokcdn.com p16-sign-useast2a.tiktokcdn.com",
  "p19-sign.tiktokcdn-us.com p16-sign-sg.tiktokcdn.com p77-sign-sg.tiktokcdn.com",
  "p16-common-sign-va.tiktokcdn-us.com",
);
const avatarBuckets: readonly (readonly [string, string])[] = [
  ["tos-maliva-avt-0068", "maliva"],
  ["tos-useast2a-avt-0068-euttp", "useast2a"],
  ["tos-alisg-avt-0068", "alisg"],
  ["tos-useast5-avt-0068-tx", "useast5"],
  ["musically-maliva-obj", "maliva"],
];
const avatarVariants = list(
  "~tplv-tiktokx-cropcenter:100:100.webp ~tplv-tiktokx-cropcenter:100:100.jpeg",
  "~tplv-tiktok-shrink:72:72.webp ~c5_100x100.webp ~c5_100x100.jpeg",
);
const idcs = list("useast2a maliva alisg useast5 my2 sg1");
const webcastCdn = list("https://p16-webcast.tiktokcdn.com https://p19-webcast.tiktokcdn.com");
const gradeOpenWebUrl =
  "sslocal://webcast_lynxview_popup?use_spark=1&url=https%3A%2F%2Flf16-gecko-source.tiktokcdn.com%2Fobj%2Fbyte-gurd-source-sg%2Ftiktok%2Ffe%2Flive%2Ftiktok_live_revenue_user_level_main%2Fsrc%2Fpages%2Fprivilege%2Fpanel%2Ftemplate.js&hide_status_bar=0&hide_nav_bar=1&container_bg_color=00000000&height=90%25&bdhm_bid=tiktok_live_revenue_user_level_main&use_forest=1";
const fansOpenWebUrl =
  "sslocal://webcast_lynxview_popup?use_spark=1&url=https%3A%2F%2Flf16-gecko-source.tiktokcdn.com%2Fobj%2Fbyte-gurd-source-sg%2Ftiktok%2Ffe%2Flive%2Ffans_club%2Fsrc%2Fpages%2Fmain%2Ftemplate.js&hide_status_bar=0&hide_nav_bar=1&container_bg_color=00000000&height=90%25&bdhm_bid=fans_club&use_forest=1";

interface Gift {
  id: number;
  name: string;
  diamonds: number;
  /** 1 streakable, 2 sent once. */
  type: 1 | 2;
}
const gifts: readonly Gift[] = [
  { id: 5655, name: "Rose", diamonds: 1, type: 1 },
  { id: 5269, name: "TikTok", diamonds: 1, type: 1 },
  { id: 6064, name: "GG", diamonds: 1, type: 1 },
  { id: 5827, name: "Ice Cream Cone", diamonds: 1, type: 1 },
  { id: 7934, name: "Heart Me", diamonds: 1, type: 1 },
  { id: 6427, name: "Hat and Mustache", diamonds: 99, type: 1 },
  { id: 5487, name: "Finger Heart", diamonds: 5, type: 1 },
  { id: 5658, name: "Perfume", diamonds: 20, type: 1 },
  { id: 5879, name: "Doughnut", diamonds: 30, type: 1 },
  { id: 5660, name: "Hand Hearts", diamonds: 100, type: 1 },
  { id: 6104, name: "Cap", diamonds: 99, type: 1 },
  { id: 5585, name: "Confetti", diamonds: 100, type: 2 },
  { id: 6267, name: "Corgi", diamonds: 299, type: 2 },
  { id: 7168, name: "Money Gun", diamonds: 500, type: 2 },
  { id: 11046, name: "Galaxy", diamonds: 1000, type: 2 },
  { id: 6089, name: "Sports Car", diamonds: 7000, type: 2 },
  { id: 6369, name: "Lion", diamonds: 29999, type: 2 },
  { id: 7312, name: "TikTok Universe", diamonds: 34999, type: 2 },
];

// ---------------------------------------------------------------- users

interface LiveUser {
  id: string;
  uniqueId: string;
  nickname: string;
  secUid: string;
  /** The full protobuf user, as authors, joiners and senders carry it. */
  proto: User;
  /** The slim user of like display texts: id, nickname, displayId, secUid. */
  slim: User;
  badges: number;
  gifter: boolean;
  subscriber: boolean;
  moderator: boolean;
  follower: boolean;
}

const white = (): TextFormat => create(TextFormatSchema, { color: "#ffffffff", weight: 400 });
const gold = (): TextFormat => create(TextFormatSchema, { color: "#ffface15", weight: 400 });
const blue = (): TextFormat => create(TextFormatSchema, { color: "#ff8ce7ff", weight: 400 });

/** A 19-digit id with epoch seconds in its high bits (TikTok's msgIds decode that way). */
function snowflake(random: Random, timeMs: number): string {
  const seconds = BigInt(Math.floor(timeMs / 1000));
  return ((seconds << 32n) | BigInt(Math.floor(random.next() * 0x100000000))).toString();
}

/** An URL-encoded base64 HMAC of `bytes` random bytes, as in `x-signature=`. */
function signature(random: Random, bytes = 20): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (let i = 0; i < Math.ceil((bytes * 4) / 3); i++) {
    const c = alphabet[Math.floor(random.next() * 64)] as string;
    out += c === "+" ? "%2B" : c === "/" ? "%2F" : c;
  }
  return `${out}%3D`;
}

const mathScript = (text: string): string =>
  [...text]
    .map((c) => {
      const code = c.codePointAt(0) as number;
      if (code >= 65 && code <= 90) return String.fromCodePoint(0x1d4d0 + code - 65);
      if (code >= 97 && code <= 122) return String.fromCodePoint(0x1d4ea + code - 97);
      return c;
    })
    .join("");

const asciiFold = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[^\x20-\x7e]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

class UserFactory {
  readonly handles = new Set<string>();
  readonly ids = new Set<string>();
  constructor(
    private readonly random: Random,
    private readonly nowMs: () => number,
  ) {}

  private nickname(): string {
    const r = this.random;
    let core: string;
    const script = r.weighted<string>([
      ["latin", 55],
      ["handle", 15],
      ["arabic", 5],
      ["persian", 1],
      ["hebrew", 1],
      ["japanese", 3],
      ["chinese", 2],
      ["korean", 2],
      ["cyrillic", 5],
      ["devanagari", 2.5],
      ["thai", 1.5],
      ["greek", 1],
      ["fancy", 3],
    ]);
    if (script === "latin") {
      core = r.pick(latinNames);
      if (r.chance(0.35)) core += ` ${r.pick(surnames)}`;
      if (r.chance(0.1)) core = core.toUpperCase();
    } else if (script === "fancy")
      core = mathScript(r.pick(latinNames).normalize("NFD").replace(/\p{M}/gu, ""));
    else if (script === "handle")
      core = `${asciiFold(r.pick(latinNames))}${r.pick(["", ".", "_"])}${r.pick(handleWords)}${r.chance(0.5) ? r.int(1, 999) : ""}`;
    else core = r.pick(scriptNames[script] as readonly string[]);
    if (r.chance(0.15)) core += r.int(1, 99);
    // A quarter of the nicknames carry emoji, flags or decorations.
    const style = r.next();
    if (style < 0.09) core = `${core} ${r.pick(emoji)}`;
    else if (style < 0.14) core = `${r.pick(emoji)}${core}${r.pick(emoji)}`;
    else if (style < 0.18) core = `${core} ${r.pick(flags)}`;
    else if (style < 0.2) core = `${r.pick(emojiZwj)}${core}${r.pick(emojiZwj)}`;
    else if (style < 0.23) {
      const [a, b] = r.pick(decorations);
      core = `${a}${core}${b}`;
    } else if (style < 0.25)
      core = `${r.pick(emoji)}${r.pick(emoji)}${r.pick(emoji)} ${core} ${r.pick(flags)}${r.pick(emoji)}`;
    return core;
  }

  private handle(nickname: string): string {
    const r = this.random;
    let base = asciiFold(nickname);
    if (base.length < 3) base = asciiFold(r.pick(latinNames));
    for (;;) {
      const sep = r.pick(["", ".", "_", "__", "."]);
      const word = r.chance(0.3) ? `${sep}${r.pick(handleWords)}` : "";
      const digits = r.chance(0.7) ? `${r.chance(0.3) ? "_" : ""}${r.int(1, 99999)}` : "";
      const handle = `${base}${word}${digits}`.slice(0, 24);
      if (!this.handles.has(handle)) {
        this.handles.add(handle);
        return handle;
      }
    }
  }

  private avatar(
    key: string,
    bucket: string,
    idc: string,
    count: number,
    variants: readonly string[],
    size: string,
  ): ImageModel {
    const r = this.random;
    const expires = Math.floor(this.nowMs() / 1000) + r.int(2, 4) * 86_400;
    const longQuery = r.chance(0.75);
    const urlList: string[] = [];
    for (let i = 0; i < count; i++) {
      const host = r.pick(avatarHosts);
      const variant = variants[i % variants.length] as string;
      const query = longQuery
        ? `?dr=${r.int(10000, 19999)}&refresh_token=${r.hex(8)}&x-expires=${expires}&x-signature=${signature(r)}&t=${r.hex(8)}&ps=${r.hex(8)}&shp=a5d48078&shcp=${r.pick(["fdd36af4", "81f88b70", "317596d8"])}&idc=${idc}`
        : `?x-expires=${expires}&x-signature=${signature(r)}`;
      urlList.push(`https://${host}/${bucket}/${key}${variant}${query}`);
    }
    return create(ImageModelSchema, { urlList, uri: `${size}/${bucket}/${key}` });
  }

  private badgeImage(uri: string): ImageModel {
    return create(ImageModelSchema, { urlList: webcastCdn.map((h) => `${h}/${uri}~tplv-obj.image`), uri });
  }

  private badges(user: {
    gifterLevel: number;
    fansLevel: number;
    subscriber: boolean;
    moderator: boolean;
  }): BadgeStruct[] {
    const r = this.random;
    const out: BadgeStruct[] = [];
    const now = this.nowMs();
    if (user.moderator) {
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.TEXT,
          priorityType: 10,
          sceneType: BadgeSceneType.ADMIN,
          position: 2,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "0",
            privilegeId: "0",
            privilegeVersion: "0",
            level: "0",
          }),
          text: create(TextBadgeSchema, {
            displayType: BadgeDisplayType.TEXT,
            key: "pm_mt_moderator_im",
            defaultPattern: "Moderator",
          }),
        }),
      );
    }
    if (r.chance(0.03)) {
      const rank = r.int(1, 3);
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.IMAGE,
          priorityType: 15,
          sceneType: BadgeSceneType.RANK_LIST,
          position: 1,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "1",
            privilegeId: `71${r.digits(17)}`,
            privilegeVersion: "0",
            level: String(rank),
          }),
          image: create(ImageBadgeSchema, {
            displayType: BadgeDisplayType.IMAGE,
            image: this.badgeImage(`webcast-va/ranklist_top_gifter_${rank}_v2.png`),
          }),
        }),
      );
    }
    if (user.gifterLevel > 0) {
      const lv = user.gifterLevel;
      const bucket = Math.min(10, Math.ceil(lv / 5));
      const colour = r.pick(["#99789EE7", "#995F90EF", "#9950B5D9", "#99F2A43C", "#99E75F7E"]);
      const padding = create(PaddingInfoSchema, {
        useSpecific: true,
        middlePadding: lv < 10 ? 3 : 4,
        badgeWidth: 32,
      });
      const privilegeId = `713838${r.digits(13)}`;
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.COMBINE,
          priorityType: 20,
          sceneType: BadgeSceneType.USER_GRADE,
          position: 1,
          display: true,
          openweburl: gradeOpenWebUrl,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "2",
            privilegeId,
            privilegeVersion: "0",
            privilegeOrderId: `mock_fix_width_transparent_${privilegeId}`,
            level: String(lv),
          }),
          combine: create(CombineBadgeStructSchema, {
            badgeDisplayType: BadgeDisplayType.COMBINE,
            icon: create(ImageModelSchema, {
              ...this.badgeImage(`webcast-va/grade_badge_icon_lite_lv${bucket}_v1.png`),
              openWebUrl: gradeOpenWebUrl,
            }),
            str: String(lv),
            padding,
            fontStyle: create(FontStyleSchema, {}),
            background: create(CombineBadgeBackgroundSchema, { backgroundColorCode: colour }),
            backgroundDarkMode: create(CombineBadgeBackgroundSchema, { backgroundColorCode: colour }),
            publicScreenShowStyle: 14,
            personalCardShowStyle: 15,
            paddingNewFont: padding,
          }),
        }),
      );
    }
    if (user.fansLevel > 0) {
      const lv = user.fansLevel;
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.COMBINE,
          priorityType: 30,
          sceneType: BadgeSceneType.FANS,
          position: 1,
          display: true,
          openweburl: fansOpenWebUrl,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "2",
            privilegeId: `7196929${r.digits(12)}`,
            privilegeVersion: "0",
            level: String(lv),
          }),
          combine: create(CombineBadgeStructSchema, {
            badgeDisplayType: BadgeDisplayType.COMBINE,
            icon: this.badgeImage(`webcast-va/fans_badge_icon_lv${Math.min(8, Math.ceil(lv / 4))}_v0.png`),
            str: r.pick(["Fam", "Lunáticos", "ツFC", "크루", "Ailem", "Gang", "NEST", "家族"]),
            padding: create(PaddingInfoSchema, {
              useSpecific: true,
              middlePadding: 2,
              badgeWidth: 24,
              leftPadding: 4,
            }),
            background: create(CombineBadgeBackgroundSchema, { backgroundColorCode: "#CCFF4E7A" }),
            publicScreenShowStyle: 14,
            personalCardShowStyle: 15,
          }),
        }),
      );
    }
    if (user.subscriber) {
      const months = r.int(1, 36);
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.IMAGE,
          priorityType: 40,
          sceneType: BadgeSceneType.SUBSCRIBER,
          position: 1,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "1",
            privilegeId: `72${r.digits(17)}`,
            privilegeVersion: "0",
            level: String(months),
            startTime: String(Math.floor(now / 1000) - months * 2_592_000),
            endTime: String(Math.floor(now / 1000) + r.int(1, 30) * 86_400),
          }),
          image: create(ImageBadgeSchema, {
            displayType: BadgeDisplayType.IMAGE,
            image: this.badgeImage(`webcast-va/sub_${r.hex(32)}~tplv-obj.png`),
          }),
        }),
      );
    }
    if (r.chance(0.12)) {
      const event = r.pick([
        "ramadan_2025",
        "summer_fest",
        "lunar_new_year",
        "creator_awards",
        "world_cup_fan",
      ]);
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.IMAGE,
          priorityType: 50,
          sceneType: BadgeSceneType.ACTIVITY,
          position: 1,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "1",
            privilegeId: `74${r.digits(17)}`,
            privilegeVersion: "0",
            privilegeOrderId: `act_${event}_${r.digits(8)}`,
            level: String(r.int(1, 5)),
            startTime: String(Math.floor(now / 1000) - 864_000),
            endTime: String(Math.floor(now / 1000) + 1_728_000),
          }),
          image: create(ImageBadgeSchema, {
            displayType: BadgeDisplayType.IMAGE,
            image: this.badgeImage(`webcast-sg/${event}_badge_lv${r.int(1, 5)}.png`),
          }),
        }),
      );
    }
    if (r.chance(0.08)) {
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.IMAGE,
          priorityType: 60,
          sceneType: BadgeSceneType.FIRST_RECHARGE,
          position: 1,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "1",
            privilegeId: `70${r.digits(17)}`,
            privilegeVersion: "0",
            level: "1",
          }),
          image: create(ImageBadgeSchema, {
            displayType: BadgeDisplayType.IMAGE,
            image: this.badgeImage("webcast-va/new_gifter_badge_v2.png"),
          }),
        }),
      );
    }
    if (r.chance(0.05)) {
      out.push(
        create(BadgeStructSchema, {
          displayType: BadgeDisplayType.STRING,
          priorityType: 70,
          sceneType: BadgeSceneType.FRIENDS,
          position: 2,
          display: true,
          privilegeLogExtra: create(PrivilegeLogExtraSchema, {
            dataVersion: "0",
            privilegeId: "0",
            privilegeVersion: "0",
          }),
          str: create(StringBadgeSchema, { displayType: BadgeDisplayType.STRING, str: "Friends" }),
        }),
      );
    }
    return out.slice(0, 6);
  }

  /** A new viewer, never seen before in this corpus. */
  create(): LiveUser {
    const r = this.random;
    const now = this.nowMs();
    let id: string;
    do {
      // Accounts are years older than the stream: ids in the 66xx-74xx range like real ones.
      id = snowflake(r, now - r.int(30, 2800) * 86_400_000);
    } while (this.ids.has(id));
    this.ids.add(id);
    const nickname = this.nickname();
    const uniqueId = this.handle(nickname);
    const secUid = `MS4wLjABAAAA${r.token(64)}`;
    const [bucket, idc] = r.pick(avatarBuckets);
    const key = bucket === "musically-maliva-obj" ? r.digits(16) : r.hex(32);
    const gifterLevel = r.chance(0.55) ? Math.min(50, Math.floor(1 + -Math.log(1 - r.next()) * 8)) : 0;
    const fansLevel = r.chance(0.3) ? r.int(1, 30) : 0;
    const subscriber = r.chance(0.12);
    const moderator = r.chance(0.04);
    const badgeList = this.badges({ gifterLevel, fansLevel, subscriber, moderator });
    const followers = Math.floor(Math.exp(r.next() * Math.log(2_000_000)));
    const proto = create(UserSchema, {
      id,
      nickname,
      bioDescription: r.chance(0.3)
        ? r.pick([
            "",
            "streamer & gamer 🎮",
            "just vibes ✨",
            "🇧🇷 | 21",
            "artist / illustrator",
            "not a bot",
            `IG: @${uniqueId}`,
          ])
        : "",
      avatarThumb: this.avatar(key, bucket, idc, r.int(2, 3), avatarVariants.slice(r.int(0, 2)), "100x100"),
      avatarMedium: r.chance(0.25)
        ? this.avatar(
            key,
            bucket,
            idc,
            2,
            ["~tplv-tiktokx-cropcenter:720:720.webp", "~tplv-tiktokx-cropcenter:720:720.jpeg"],
            "720x720",
          )
        : undefined,
      followInfo: create(FollowInfoSchema, {
        followingCount: String(r.int(0, 7500)),
        followerCount: String(followers),
        followStatus: String(
          r.weighted([
            [0, 6],
            [1, 3],
            [2, 1],
          ] as const),
        ),
      }),
      payGrade: create(UserHonorSchema, {}),
      fansClub:
        fansLevel > 0
          ? create(FansClubMemberSchema, {
              data: create(FansClubDataSchema, {
                clubName: r.pick(["Fam", "Lunáticos", "ツFC", "크루", "Ailem", "Gang", "NEST", "家族"]),
                level: fansLevel,
                userFansClubStatus: 1,
              }),
            })
          : undefined,
      userAttr: create(UserAttrSchema, { isAdmin: moderator }),
      displayId: uniqueId,
      secUid,
      badgeList,
      idStr: r.chance(0.4) ? id : "",
    });
    const slim = create(UserSchema, { id, nickname, displayId: uniqueId, secUid });
    return {
      id,
      uniqueId,
      nickname,
      secUid,
      proto,
      slim,
      badges: badgeList.length,
      gifter: gifterLevel > 0,
      subscriber,
      moderator,
      follower: r.chance(0.55),
    };
  }
}

// ---------------------------------------------------------------- messages

interface Built {
  method: string;
  msgId: string;
  payload: Uint8Array;
  /** The users the message carries (author first), for the summary. */
  users: LiveUser[];
  /** The message's own user when it is a new one (not a streak's later step, a rank, a pin): the summary counts them. */
  main: LiveUser | undefined;
}

function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
  return toBinary(schema, create(schema, init));
}

interface Streak {
  user: LiveUser;
  gift: Gift;
  groupId: string;
  count: number;
  stepsLeft: number;
}

/** The stream of one busy room: every call to `next()` is one message, in time order. */
class RoomStream {
  readonly users: UserFactory;
  private readonly msgIds = new Set<string>();
  private readonly host: LiveUser;
  private readonly opponent: LiveUser;
  private readonly roomId: string;
  private readonly battleId: string;
  private readonly channelId: string;
  private viewers: number;
  private totalUsers: number;
  private likeTotal: number;
  private followTotal: number;
  private fanTickets = 0;
  private goalProgress = 0;
  private readonly goalId: string;
  private hostScore = 0;
  private opponentScore = 0;
  private readonly streaks: Streak[] = [];
  /** Diamonds per gifter, for roomUserSeq ranks and battle supporters. */
  private readonly gifters = new Map<string, { user: LiveUser; diamonds: number }>();
  private readonly recentChats: { msgId: string; userId: string; proto: WebcastChatMessage }[] = [];
  private readonly kinds: readonly (readonly [Kind, number])[];
  time: number;

  constructor(
    private readonly random: Random,
    startMs: number,
  ) {
    this.time = startMs;
    this.users = new UserFactory(random.fork("users"), () => this.time);
    this.host = this.users.create();
    this.opponent = this.users.create();
    this.roomId = snowflake(random, startMs - 3_600_000);
    this.battleId = snowflake(random, startMs - 120_000);
    this.channelId = snowflake(random, startMs - 120_000);
    this.goalId = snowflake(random, startMs - 7_200_000);
    this.viewers = random.int(800, 6000);
    this.totalUsers = this.viewers * random.int(3, 8);
    this.likeTotal = random.int(10_000, 900_000);
    this.followTotal = random.int(1_000, 500_000);
    this.kinds = Object.entries(liveMix) as [Kind, number][];
  }

  private newMsgId(): string {
    for (;;) {
      const id = snowflake(this.random, this.time);
      if (!this.msgIds.has(id)) {
        this.msgIds.add(id);
        return id;
      }
    }
  }

  private common(
    method: string,
    extra: {
      displayText?: Text;
      describe?: string;
      clientSendTime?: string;
      isShowMsg?: boolean;
      foldType?: string;
      anchorFoldType?: string;
      foldTypeForWeb?: string;
      anchorFoldTypeForWeb?: string;
    } = {},
  ): { msgId: string; common: CommonMessageData } {
    const r = this.random;
    const msgId = this.newMsgId();
    const fold = String(r.int(1, 2));
    return {
      msgId,
      common: create(CommonMessageDataSchema, {
        method,
        msgId,
        roomId: this.roomId,
        createTime: String(this.time),
        isShowMsg: true,
        foldType: fold,
        anchorFoldType: String(r.int(1, 2)),
        fromIdc: r.pick(idcs),
        roomMessageHeatLevel: String(r.int(1, 5)),
        foldTypeForWeb: fold,
        anchorFoldTypeForWeb: String(r.int(1, 2)),
        ...extra,
      }),
    };
  }

  private userText(key: string, pattern: string, user: User, format = white(), withColon = false): Text {
    return create(TextSchema, {
      key,
      defaultPattern: pattern,
      defaultFormat: format,
      pieces: [
        create(TextPieceSchema, {
          type: 11,
          format: blue(),
          userValue: create(TextPieceUserSchema, { user, withColon }),
        }),
      ],
    });
  }

  private identity(u: LiveUser) {
    return create(UserIdentitySchema, {
      isGiftGiverOfAnchor: u.gifter,
      isSubscriberOfAnchor: u.subscriber,
      isFollowerOfAnchor: u.follower,
      isModeratorOfAnchor: u.moderator,
    });
  }

  private topGifters(n: number): { user: LiveUser; diamonds: number }[] {
    return [...this.gifters.values()].sort((a, b) => b.diamonds - a.diamonds).slice(0, n);
  }

  /** The next message of the stream; time moves on by a few tens of ms. */
  next(): Built {
    this.time += this.random.int(5, 80);
    this.viewers = Math.max(50, this.viewers + this.random.int(-3, 4));
    const kind = this.random.weighted(this.kinds);
    switch (kind) {
      case "chat":
        return this.chat();
      case "like":
        return this.like();
      case "member":
        return this.member();
      case "gift":
        return this.gift();
      case "follow":
      case "share":
        return this.social(kind);
      case "roomUserSeq":
        return this.roomUserSeq();
      case "linkMicArmies":
        return this.armies();
      case "emote":
        return this.emote();
      case "rankUpdate":
        return this.rankUpdate();
      case "rankText":
        return this.rankText();
      case "inRoomBanner":
        return this.banner();
      case "goalUpdate":
        return this.goal();
      case "subNotify":
        return this.subNotify();
      case "unauthorizedMember":
        return this.unauthorized();
      case "imDelete":
        return this.imDelete();
      case "roomPin":
        return this.pin();
    }
  }

  private chat(): Built {
    const r = this.random;
    const method = "WebcastChatMessage";
    const user = this.users.create();
    const [language, lines] = r.pick(chatLines);
    let content = r.pick(lines);
    if (r.chance(0.15)) content = `${content} ${r.pick(lines)}`;
    if (r.chance(0.1)) content = `${content} ${r.pick(emoji)}${r.pick(emoji)}`;
    const at = r.chance(0.08) ? this.users.create() : undefined;
    if (at !== undefined) content = `@${at.nickname} ${content}`;
    const { msgId, common } = this.common(method, { clientSendTime: String(this.time - r.int(200, 1500)) });
    const versions = scoreVersions.slice(0, r.int(12, scoreVersions.length));
    if (at !== undefined) versions.push(`at_user_${at.id}`);
    const proto = create(WebcastChatMessageSchema, {
      common,
      user: user.proto,
      content,
      atUser: at?.proto,
      contentLanguage: language,
      userIdentity: this.identity(user),
      commentQualityScores: versions.map((version) =>
        create(CommentQualityScoreSchema, {
          version,
          score:
            version === "commentator_id"
              ? user.id
              : version === "user_type_rule"
                ? String(r.pick([100000, 200000, 300000]))
                : version === "community-flagged"
                  ? String(r.int(100000, 999999))
                  : String(this.time * 1000 + r.int(0, 99_999_999)),
        }),
      ),
      commentTag: [0],
    });
    this.recentChats.push({ msgId, userId: user.id, proto });
    if (this.recentChats.length > 50) this.recentChats.shift();
    return {
      method,
      msgId,
      payload: toBinary(WebcastChatMessageSchema, proto),
      users: at === undefined ? [user] : [user, at],
      main: user,
    };
  }

  private like(): Built {
    const r = this.random;
    const method = "WebcastLikeMessage";
    const user = this.users.create();
    const count = Math.min(15, 1 + Math.floor(-Math.log(1 - r.next()) * 4));
    this.likeTotal += count;
    const text = () => this.userText("pm_mt_msg_viewer", "{0:user} liked the LIVE", user.slim);
    const { msgId, common } = this.common(method, { displayText: text() });
    const payload = encode(WebcastLikeMessageSchema, {
      common,
      count,
      total: String(this.likeTotal),
      user: user.proto,
      specifiedDisplayText: r.chance(0.5)
        ? [create(LikeSpecifiedDisplayTextSchema, { uid: this.host.id, displayText: text() })]
        : [],
      effectCnt: String(r.int(1, 3)),
      likeEffect: [create(LikeEffectSchema, { effectCnt: "1", effectIntervalMs: "500" })],
    });
    return { method, msgId, payload, users: [user], main: user };
  }

  private member(): Built {
    const r = this.random;
    const method = "WebcastMemberMessage";
    const user = this.users.create();
    this.viewers += 1;
    this.totalUsers += 1;
    const colour = create(TextFormatSchema, { color: "#b8ffffff", weight: 400 });
    const text = () => this.userText("live_room_enter_toast", "{0:user} joined", user.proto, colour);
    const { msgId, common } = this.common(method, { displayText: text() });
    const payload = encode(WebcastMemberMessageSchema, {
      common,
      user: user.proto,
      memberCount: this.viewers,
      action: MemberMessageAction.JOINED,
      enterType: 1,
      userId: user.id,
      anchorDisplayText: text(),
      clientEnterSource: r.pick([
        "unknown",
        "homepage_hot-live_cell",
        "live_merge-live_cover",
        "others_homepage-live_cell",
        "homepage_follow-live_cell",
      ]),
      clientEnterType: r.pick(["click", "draw", "slide"]),
    });
    return { method, msgId, payload, users: [user], main: user };
  }

  private giftImage(gift: Gift): ImageModel {
    const key = createRandom(hashSeed("gift", gift.id)).hex(32);
    return create(ImageModelSchema, {
      urlList: [
        `https://p19-webcast.tiktokcdn.com/img/maliva/webcast-va/${key}~tplv-obj.webp`,
        `https://p16-webcast.tiktokcdn.com/img/maliva/webcast-va/${key}~tplv-obj.webp`,
      ],
      uri: `webcast-va/${key}`,
      avgColor: "#523749",
    });
  }

  private gift(): Built {
    const r = this.random;
    const method = "WebcastGiftMessage";
    // Most gift messages continue an open streak (the same sender, groupId, a growing count).
    let streak: Streak;
    let fresh = false;
    if (this.streaks.length > 0 && r.chance(0.6)) {
      streak = this.streaks[r.int(0, this.streaks.length - 1)] as Streak;
      streak.count += r.chance(0.7) ? 1 : r.int(2, 10);
      streak.stepsLeft -= 1;
    } else {
      const gift = r.chance(0.85)
        ? r.pick(gifts.filter((g) => g.type === 1 && g.diamonds <= 30))
        : r.pick(gifts.filter((g) => g.type === 2 || g.diamonds > 30));
      streak = {
        user: this.users.create(),
        gift,
        groupId: String(this.time - r.int(0, 500)),
        count: 1,
        stepsLeft: gift.type === 1 ? r.int(1, 12) : 0,
      };
      fresh = true;
      if (streak.stepsLeft > 0) this.streaks.push(streak);
      if (this.streaks.length > 6) (this.streaks.shift() as Streak).stepsLeft = 0;
    }
    const end = streak.stepsLeft <= 0;
    if (end) {
      const i = this.streaks.indexOf(streak);
      if (i >= 0) this.streaks.splice(i, 1);
    }
    const { user, gift } = streak;
    const diamonds = gift.diamonds * streak.count;
    this.fanTickets += gift.diamonds;
    const entry = this.gifters.get(user.id) ?? { user, diamonds: 0 };
    entry.diamonds += gift.diamonds;
    this.gifters.set(user.id, entry);
    const text = create(TextSchema, {
      key: "webcast_aweme_gift_send_message",
      defaultPattern: "{0:user} sent {1:gift} {2:string}",
      defaultFormat: gold(),
      pieces: [
        create(TextPieceSchema, {
          type: 11,
          format: blue(),
          userValue: create(TextPieceUserSchema, { user: user.proto, withColon: true }),
        }),
        create(TextPieceSchema, {
          type: 12,
          giftValue: create(TextPieceGiftSchema, {
            giftId: String(gift.id),
            nameRef: create(TextPiecePatternRefSchema, {
              key: `live_gift_copywriting_${gift.id}`,
              defaultPattern: gift.name,
            }),
            colorId: "-1",
          }),
        }),
        create(TextPieceSchema, { type: 1, format: gold(), stringValue: `x${streak.count}` }),
      ],
    });
    const { msgId, common } = this.common(method, {
      displayText: text,
      describe: `${user.nickname}: gifted the host ${streak.count} ${gift.name}`,
    });
    const logId = `${new Date(this.time).toISOString().replace(/\D/g, "").slice(0, 14)}${r.hex(18).toUpperCase()}`;
    const sendStart = this.time - r.int(300, 600);
    const payload = encode(WebcastGiftMessageSchema, {
      common,
      giftId: String(gift.id),
      fanTicketCount: diamonds,
      groupCount: 1,
      repeatCount: streak.count,
      comboCount: streak.count,
      user: user.proto,
      repeatEnd: end ? 1 : 0,
      groupId: streak.groupId,
      roomFanTicketCount: String(this.fanTickets),
      priority: create(GiftMessagePrioritySchema, {
        queueSizes: ["-1", "-1", "50", "150"],
        selfQueuePriority: "1",
        priority: 3,
      }),
      gift: create(GiftStructSchema, {
        image: this.giftImage(gift),
        describe: `Sent ${gift.name}`,
        duration: 1000,
        id: String(gift.id),
        forLinkmic: true,
        combo: gift.type === 1,
        type: gift.type,
        diamondCount: gift.diamonds,
        isDisplayedOnPanel: true,
        name: gift.name,
        icon: this.giftImage(gift),
        giftVerticalScenarios: [0],
      }),
      logId,
      sendType: "1",
      trayDisplayText: create(TextSchema, {}),
      monitorExtra: JSON.stringify({
        from_user_id: Number(user.id.slice(0, 16)),
        send_gift_profit_api_start_ms: sendStart + 170,
        anchor_id: Number(this.host.id.slice(0, 16)),
        from_idc: r.pick(idcs),
        msg_id: Number(msgId.slice(0, 16)),
        repeat_end: end ? 1 : 0,
        to_user_id: Number(this.host.id.slice(0, 16)),
        gift_type: gift.type,
        repeat_count: streak.count,
        send_profitapi_dur: r.int(100, 300),
        send_gift_send_message_success_ms: this.time,
        profitapi_message_dur: r.int(200, 400),
        log_id: logId,
        gift_id: gift.id,
        send_gift_profit_core_start_ms: sendStart + 230,
        send_gift_req_start_ms: sendStart,
        room_id: Number(this.roomId.slice(0, 16)),
      }),
      monitorInfo: create(GiftMonitorInfoSchema, {
        anchorId: this.host.id,
        sendGiftProfitApiStartMs: String(sendStart + 170),
        sendGiftProfitCoreStartMs: String(sendStart + 230),
        sendGiftReqStartMs: String(sendStart),
        sendGiftSendMessageSuccessMs: String(this.time),
        sendProfitapiDur: String(r.int(100, 300)),
        toUserId: this.host.id,
        sendGiftStartClientLocalMs: String(sendStart - r.int(500, 2500)),
        fromPlatform: r.pick(["android", "ios", "web"]),
        fromVersion: r.pick(["310403", "330904", "340102"]),
      }),
      colorId: "-1",
      userIdentity: this.identity(user),
      linkmicGiftExpressionStrategy: 1,
      disableGiftTracking: true,
    });
    return { method, msgId, payload, users: [user], main: fresh ? user : undefined };
  }

  private social(kind: "follow" | "share"): Built {
    const r = this.random;
    const method = "WebcastSocialMessage";
    const user = this.users.create();
    const follow = kind === "follow";
    if (follow) this.followTotal += 1;
    const { msgId, common } = this.common(method, {
      displayText: follow
        ? this.userText("pm_main_follow_message_viewer_2", "{0:user} followed the LIVE creator", user.proto)
        : this.userText("pm_mt_guidance_share", "{0:user} shared the LIVE", user.proto),
    });
    const payload = follow
      ? encode(WebcastSocialMessageSchema, {
          common,
          user: user.proto,
          action: "1",
          shareTarget: this.host.id,
          followCount: String(this.followTotal),
          showDurationMs: "3000",
          followType: 1,
        })
      : encode(WebcastSocialMessageSchema, {
          common,
          user: user.proto,
          shareType: "1",
          action: "3",
          shareTarget: "-1",
          shareCount: r.int(1, 40),
          showDurationMs: "3000",
        });
    return { method, msgId, payload, users: [user], main: user };
  }

  private roomUserSeq(): Built {
    const method = "WebcastRoomUserSeqMessage";
    const { msgId, common } = this.common(method, {
      isShowMsg: false,
      foldType: "0",
      anchorFoldType: "0",
      foldTypeForWeb: "0",
      anchorFoldTypeForWeb: "0",
    });
    const top = this.topGifters(3);
    const payload = encode(WebcastRoomUserSeqMessageSchema, {
      common,
      ranks: top.map((t, i) =>
        create(ContributorSchema, {
          score: String(t.diamonds),
          user: create(UserSchema, { ...t.user.proto, linkMicStats: LinkmicStatus.ENABLE, idStr: t.user.id }),
          rank: String(i + 1),
        }),
      ),
      total: String(this.viewers),
      popStr: this.viewers >= 1000 ? `${(this.viewers / 1000).toFixed(1)}K` : String(this.viewers),
      popularity: String(this.viewers),
      totalUser: String(this.totalUsers),
      anonymous: String(this.random.int(0, 40)),
    });
    return { method, msgId, payload, users: top.map((t) => t.user), main: undefined };
  }

  private armies(): Built {
    const r = this.random;
    const method = "WebcastLinkMicArmies";
    const { msgId, common } = this.common(method);
    const gift = r.pick(gifts);
    const from = this.topGifters(8);
    this.hostScore += gift.diamonds * r.int(1, 5);
    this.opponentScore += r.int(0, 60);
    const army = (anchor: LiveUser, score: number, supporters: { user: LiveUser; diamonds: number }[]) =>
      create(BattleUserArmiesSchema, {
        userArmies: supporters.map((s) =>
          create(BattleUserArmySchema, {
            userId: s.user.id,
            score: String(s.diamonds),
            nickname: s.user.nickname,
            avatarThumb: s.user.proto.avatarThumb,
            diamondScore: String(s.diamonds),
            userIdStr: s.user.id,
          }),
        ),
        hostscore: String(score),
        anchorIdStr: anchor.id,
      });
    const hostSide = from.slice(0, r.int(1, 5));
    const payload = encode(WebcastLinkMicArmiesSchema, {
      common,
      battleId: this.battleId,
      armies: {
        [this.host.id]: army(this.host, this.hostScore, hostSide),
        [this.opponent.id]: army(this.opponent, this.opponentScore, []),
      },
      channelId: this.channelId,
      sendGiftSuccessTime: String(this.time - r.int(50, 300)),
      updateBattleScoreTime: String(this.time),
      triggerReason: LinkMicArmiesTriggerReason.SCORE_UPDATE,
      fromUserId: hostSide[0]?.user.id ?? this.host.id,
      giftId: String(gift.id),
      giftCount: 1,
      giftIconImage: this.giftImage(gift),
      totalDiamondCount: gift.diamonds,
      repeatCount: 1,
      logId: `${r.digits(14)}${r.hex(18).toUpperCase()}`,
    });
    return { method, msgId, payload, users: hostSide.map((s) => s.user), main: undefined };
  }

  private emote(): Built {
    const r = this.random;
    const method = "WebcastEmoteChatMessage";
    const user = this.users.create();
    const { msgId, common } = this.common(method);
    const uri = `webcast-va/sub_emote_${r.hex(32)}`;
    const payload = encode(WebcastEmoteChatMessageSchema, {
      common,
      user: user.proto,
      emoteList: [
        create(EmoteModelSchema, {
          emoteId: `7${r.digits(18)}`,
          image: create(ImageModelSchema, {
            urlList: webcastCdn.map((h) => `${h}/${uri}~tplv-obj.image`),
            uri,
            height: 100,
            width: 100,
          }),
          emoteType: 1,
          packageId: `7${r.digits(18)}`,
        }),
      ],
      userIdentity: this.identity(user),
    });
    return { method, msgId, payload, users: [user], main: user };
  }

  private rankUpdate(): Built {
    const r = this.random;
    const method = "WebcastRankUpdateMessage";
    const { msgId, common } = this.common(method, { isShowMsg: false });
    const daily = r.chance(0.5);
    const payload = encode(WebcastRankUpdateMessageSchema, {
      common,
      updates: [
        create(RankUpdateSchema, {
          rankType: daily ? 8 : 0,
          ownRank: r.chance(0.5) ? String(r.int(1, 200)) : "0",
          defaultContent: create(TextSchema, {
            key: daily ? "pm_mt_daily_entrance" : "pm_mt_hourly_entrance",
            defaultPattern: daily ? "Daily Ranking" : "Hourly Ranking",
            defaultFormat: white(),
          }),
          countdown: String(r.int(60, 86_400)),
          animationInfo: create(RankAnimationInfoSchema, {}),
          belongType: daily ? 8 : 0,
          requestFirstShowType: daily ? ProfitRankType.TYPE_DAILY_RANK : ProfitRankType.TYPE_HOURLY_RANK,
          supportedVersion: "290100",
        }),
      ],
      groupType: 1,
      rankPriority: "10",
    });
    return { method, msgId, payload, users: [], main: undefined };
  }

  private rankText(): Built {
    const r = this.random;
    const method = "WebcastRankTextMessage";
    const user = this.users.create();
    const place = String(r.int(1, 3));
    const pattern = "{0:user} just became the No. {1:string} viewer!";
    const withUser = () =>
      create(TextSchema, {
        key: "pm_mt_topviewer_comment",
        defaultPattern: pattern,
        defaultFormat: white(),
        pieces: [
          create(TextPieceSchema, { type: 11, userValue: create(TextPieceUserSchema, { user: user.proto }) }),
          create(TextPieceSchema, { type: 1, stringValue: place }),
        ],
      });
    const { msgId, common } = this.common(method, { displayText: withUser() });
    const payload = encode(WebcastRankTextMessageSchema, {
      common,
      scene: 1,
      ownerIdxAfterUpdate: place,
      selfGetBadgeMsg: create(TextSchema, {
        key: "pm_mt_topviewer_comment",
        defaultPattern: pattern,
        defaultFormat: white(),
        pieces: [create(TextPieceSchema, { type: 1, stringValue: place })],
      }),
      otherGetBadgeMsg: withUser(),
      curUserId: user.id,
    });
    return { method, msgId, payload, users: [user], main: user };
  }

  private banner(): Built {
    const r = this.random;
    const method = "WebcastInRoomBannerMessage";
    const { msgId, common } = this.common(method);
    const activity = `op_component-open-2-${r.digits(19)}`;
    const t = Math.floor(this.time / 1000);
    const top = this.topGifters(3);
    const jsonData = JSON.stringify({
      debug: false,
      [activity]: {
        _just_anchor: true,
        activity_time: { start_time: t - 250_000, end_time: t + 9_600, show_time: t + 140_000 },
        banner_data: {
          activity_name: activity,
          create_at: t,
          now_millis: this.time,
          time_zone: r.pick([7200, -18000, 10800, 25200, -10800]),
          tz_location_name: r.pick([
            "Europe/Berlin",
            "America/New_York",
            "Asia/Riyadh",
            "Asia/Jakarta",
            "America/Sao_Paulo",
          ]),
          anchor_crowd_result: [r.token(8)],
          audience_crowd_result: [],
          rank_lists: [
            {
              feature_fe_id: r.token(8),
              l1_index: 0,
              interval: r.int(10, 90),
              nickname: this.host.nickname,
              rank: r.int(1, 100),
              delta_score: r.int(1, 5000),
              is_settled: false,
              as_anchor: true,
              role_type: 1,
              top_users: top.map((x) => ({ id: x.user.id, nickname: x.user.nickname, score: x.diamonds })),
            },
          ],
          tasks: [],
          pk1v1s: [],
        },
        banner_switch_ranklist: "v1",
        user: this.host.id,
      },
      user: this.host.id,
    });
    const payload = encode(WebcastInRoomBannerMessageSchema, {
      common,
      jsonData,
      position: 1,
      actionType: 1,
    });
    return { method, msgId, payload, users: [], main: undefined };
  }

  private goal(): Built {
    const r = this.random;
    const method = "WebcastGoalUpdateMessage";
    const { msgId, common } = this.common(method);
    const user = this.users.create();
    const rose = gifts[0] as Gift;
    const count = r.int(1, 10);
    this.goalProgress += count;
    const sub = create(LiveStreamSubGoalSchema, {
      type: 1,
      id: String(rose.id),
      progress: String(this.goalProgress),
      target: String(Math.max(1000, this.goalProgress * 2)),
      gift: create(LiveStreamSubGoalGiftSchema, {
        name: rose.name,
        icon: this.giftImage(rose),
        diamondCount: 1,
        type: 1,
      }),
      idStr: String(rose.id),
    });
    const contributors = this.topGifters(r.int(1, 4));
    const payload = encode(WebcastGoalUpdateMessageSchema, {
      common,
      indicator: create(GoalIndicatorSchema, { key: "live_goal_indicator_stream_goal", op: 3 }),
      goal: create(LiveStreamGoalSchema, {
        id: this.goalId,
        type: 1,
        status: 2,
        subGoals: [sub],
        description: r.pick([
          "ajudem com a metinha...",
          "1000 roses = dance 💃",
          "meta de hoje 🌹",
          "goal for the new mic 🎤",
        ]),
        auditStatus: 1,
        cycleType: 1,
        startTime: String(Math.floor(this.time / 1000) - 1400),
        expireTime: String(Math.floor(this.time / 1000) + 14_400),
        contributors: contributors.map((c) =>
          create(LiveStreamGoalContributorSchema, {
            userId: c.user.id,
            avatar: c.user.proto.avatarThumb,
            displayId: c.user.uniqueId,
            score: String(c.diamonds),
            userIdStr: c.user.id,
            inRoom: true,
          }),
        ),
        contributorsLength: contributors.length,
        idStr: this.goalId,
      }),
      contributorId: user.id,
      contributorAvatar: user.proto.avatarThumb,
      contributorDisplayId: user.uniqueId,
      contributeSubgoal: sub,
      contributeCount: String(count),
      contributeScore: String(count),
      contributorIdStr: user.id,
    });
    return { method, msgId, payload, users: [user, ...contributors.map((c) => c.user)], main: user };
  }

  private subNotify(): Built {
    const r = this.random;
    const method = "WebcastSubNotifyMessage";
    const user = this.users.create();
    const { msgId, common } = this.common(method, {
      displayText: this.userText("ttlive_subscribe_notify_message", "{0:user} subscribed", user.proto),
    });
    const payload = encode(WebcastSubNotifyMessageSchema, {
      common,
      user: user.proto,
      exhibitionType: 1,
      subMonth: String(r.int(1, 24)),
      subscribeType: 1,
      oldSubscribeStatus: 2,
      subscribingStatus: 1,
      messageDisplayStyle: 1,
    });
    return { method, msgId, payload, users: [user], main: user };
  }

  private unauthorized(): Built {
    const method = "WebcastUnauthorizedMemberMessage";
    const { msgId, common } = this.common(method);
    const payload = encode(WebcastUnauthorizedMemberMessageSchema, {
      common,
      action: 1,
      nickNamePrefix: create(TextSchema, {
        key: "web_nonlogin_im_1",
        defaultPattern: "Viewer%s",
        defaultFormat: white(),
      }),
      nickName: this.random.digits(6),
      enterText: create(TextSchema, {
        key: "live_room_enter_toast",
        defaultPattern: "{0:user} joined",
        defaultFormat: white(),
      }),
    });
    return { method, msgId, payload, users: [], main: undefined };
  }

  private imDelete(): Built {
    const r = this.random;
    const method = "WebcastImDeleteMessage";
    const { msgId, common } = this.common(method);
    const victims = this.recentChats.length === 0 ? [] : [r.pick(this.recentChats)];
    const payload = encode(WebcastImDeleteMessageSchema, {
      common,
      deleteMsgIds: r.chance(0.5) ? victims.map((v) => v.msgId) : [],
      deleteUserIds: victims.map((v) => v.userId),
    });
    return { method, msgId, payload, users: [], main: undefined };
  }

  private pin(): Built {
    const method = "WebcastRoomPinMessage";
    if (this.recentChats.length === 0) return this.chat();
    const chat = this.random.pick(this.recentChats).proto;
    const { msgId, common } = this.common(method);
    const payload = encode(WebcastRoomPinMessageSchema, {
      common,
      chatMessage: chat,
      method: "WebcastChatMessage",
      pinTime: String(this.time),
      operator: this.host.proto,
      action: RoomPinAction.PIN,
      displayDuration: "60",
      pinMsgId: chat.common?.msgId ?? "0",
    });
    return { method, msgId, payload, users: [], main: undefined };
  }
}

// ---------------------------------------------------------------- frames

/** Builds the live corpus in memory. Deterministic; ~1-2 s for 400 frames. */
export function buildLiveCorpus(options: LiveCorpusOptions = {}): LiveCorpus {
  const seed = options.seed ?? defaults.seed;
  const count = options.frames ?? defaults.frames;
  const [minMessages, maxMessages] = options.messagesPerFrame ?? defaults.messagesPerFrame;
  const [minBytes, maxBytes] = options.frameBytes ?? defaults.frameBytes;
  const samplesPerMethod = options.samplesPerMethod ?? defaults.samplesPerMethod;
  const random = createRandom(seed);
  const sizes = random.fork("sizes");
  const startMs = 1_740_830_400_000; // 2025-03-01T12:00:00Z
  const room = new RoomStream(random.fork("room"), startMs);
  const logIdBase = 7_476_000_000_000_000_000n;

  const frames: Uint8Array[] = [];
  const counts: number[] = [];
  const methods: Record<string, number> = {};
  const samples: MessageSample[] = [];
  const sampled: Record<string, number> = {};
  const mainUsers = new Set<string>();
  const allUsers = new Map<string, LiveUser>();
  let messagesWithUser = 0;
  let inflatedBytes = 0;
  let messages = 0;
  const queue: Built[] = [];

  const wrap = (batch: readonly Built[], i: number): { frame: Uint8Array; inflated: number } => {
    const now = room.time;
    const cursor = `t-${now}_r-1_d-1_u-1_h-${7_476_100_000_000_000_000n + BigInt(i)}`;
    const result = encodeFetchResult({
      messages: batch.map((m) => ({
        method: m.method,
        payload: m.payload,
        msgId: m.msgId,
        msgType: 0,
        offset: "0",
        isHistory: false,
      })),
      cursor,
      fetchInterval: "1000",
      now: String(now),
      internalExt: `internal_src:dim|wss_push_room_id:${7_476_000_000_000_000_001n}|wss_push_did:${7_476_000_000_000_000_002n}|first_req_ms:${startMs}|fetch_time:${now}|seq:${i + 1}|wss_info:0-${now}-0-0|next_cursor:${cursor}`,
      fetchType: 1,
      needAck: i % 3 === 0,
    });
    const payload = new Uint8Array(gzipSync(result));
    const frame = encodePushFrame({
      seqId: String(i + 1),
      logId: String(logIdBase + BigInt(i)),
      headers: { compress_type: "gzip" },
      payloadEncoding: "pb",
      payloadType: "msg",
      payload,
    });
    return { frame, inflated: result.length };
  };

  // Encoded bytes per message so far: caps the draw before the first gzip, so that a frame
  // rarely needs a second try (each try is a gzip of ~80 KiB).
  let bytesPerMessage = 0;
  for (let i = 0; i < count; i++) {
    let n = sizes.int(minMessages, maxMessages);
    if (bytesPerMessage > 0) n = Math.max(1, Math.min(n, Math.floor((maxBytes * 0.97) / bytesPerMessage)));
    for (let attempt = 0; ; attempt++) {
      while (queue.length < n) queue.push(room.next());
      const built = wrap(queue.slice(0, n), i);
      // Cut the stream where the frame fits the size band: fewer messages when too large,
      // more when too small (the draw is the start; a frame moves by a few messages at most).
      if (attempt < 20 && built.frame.length > maxBytes && n > 1) {
        n -= Math.max(1, Math.floor((n * (built.frame.length - maxBytes)) / built.frame.length));
        continue;
      }
      if (attempt < 20 && built.frame.length < minBytes && n < maxMessages * 4) {
        n += Math.max(1, Math.ceil((n * (minBytes - built.frame.length)) / built.frame.length));
        continue;
      }
      if (built.frame.length < minBytes || built.frame.length > maxBytes)
        throw new Error(
          `live corpus: frame ${i} is ${built.frame.length} bytes, outside ${minBytes}-${maxBytes}`,
        );
      const batch = queue.splice(0, n);
      bytesPerMessage = (bytesPerMessage * i + built.frame.length / n) / (i + 1);
      frames.push(built.frame);
      counts.push(n);
      inflatedBytes += built.inflated;
      messages += n;
      for (const m of batch) {
        methods[m.method] = (methods[m.method] ?? 0) + 1;
        if ((sampled[m.method] ?? 0) < samplesPerMethod) {
          sampled[m.method] = (sampled[m.method] ?? 0) + 1;
          samples.push({ id: m.msgId, type: m.method, payload: m.payload });
        }
        if (m.users.length > 0) messagesWithUser += 1;
        if (m.main !== undefined) mainUsers.add(m.main.id);
        for (const u of m.users) allUsers.set(u.id, u);
      }
      break;
    }
    // About a second between frames, as a busy room's pushes arrive.
    room.time += sizes.int(200, 900);
  }

  const users = [...allUsers.values()];
  const badgesPerUser = Array.from({ length: 7 }, () => 0);
  for (const u of users) badgesPerUser[u.badges] = (badgesPerUser[u.badges] ?? 0) + 1;
  let urlChars = 0;
  let urlCount = 0;
  for (const u of users)
    for (const url of u.proto.avatarThumb?.urlList ?? []) {
      urlChars += url.length;
      urlCount += 1;
    }
  const stats: UserStats = {
    messagesWithUser,
    distinctUsers: mainUsers.size,
    distinctUsersAnywhere: users.length,
    badgesPerUser,
    nonAsciiNicknamePercent:
      users.length === 0
        ? 0
        : Math.round((1000 * users.filter((u) => /[^\x20-\x7e]/.test(u.nickname)).length) / users.length) /
          10,
    meanAvatarUrlLength: urlCount === 0 ? 0 : Math.round(urlChars / urlCount),
  };
  const frameSizes = frames.map((f) => f.length).sort((a, b) => a - b);
  const sortedCounts = [...counts].sort((a, b) => a - b);
  const summary: CorpusSummary = {
    kind: "live",
    seed,
    frames: frames.length,
    messages,
    methods: Object.fromEntries(Object.entries(methods).sort((a, b) => b[1] - a[1])),
    frameBytes: {
      min: frameSizes[0] ?? 0,
      median: frameSizes[Math.floor(frameSizes.length / 2)] ?? 0,
      max: frameSizes[frameSizes.length - 1] ?? 0,
      total: frameSizes.reduce((s, x) => s + x, 0),
    },
    messagesPerFrame: {
      min: sortedCounts[0] ?? 0,
      median: sortedCounts[Math.floor(sortedCounts.length / 2)] ?? 0,
      max: sortedCounts[sortedCounts.length - 1] ?? 0,
    },
    inflatedBytes,
    distinctPayloads: messages,
    users: stats,
  };
  return { frames, summary, samples };
}

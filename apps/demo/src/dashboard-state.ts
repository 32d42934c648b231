// The dashboard's model: folds client events into what the page shows (chat, gift streaks,
// top gifters, viewer series, counters, battle, connection) and hands out two views of it:
// a full snapshot for a page that (re)connects, and small deltas the server sends in batches.
// It is pure (no I/O, an injectable clock), so it is unit-tested without sockets.
import type { ClientEventMap, GiftCompletedEvent, GiftEvent, User } from "@tiklive/client";

/** The client events the dashboard listens to (the client decodes only what is listened to). */
export const dashboardEventNames = [
  "chat",
  "emote",
  "gift",
  "giftCompleted",
  "member",
  "like",
  "follow",
  "share",
  "roomUser",
  "subscribe",
  "questionNew",
  "envelope",
  "pollMessage",
  "goalUpdate",
  "roomPin",
  "imDelete",
  "liveIntro",
  "roomMessage",
  "linkMicBattle",
  "linkMicArmies",
  "streamEnd",
] as const satisfies readonly (keyof ClientEventMap)[];

/** A client event the dashboard folds in. */
export type DashboardEvent = ClientEventMap[(typeof dashboardEventNames)[number]];

/** A user as the page gets it: only what it renders. All text is untrusted. */
export interface WireUser {
  id: string;
  uniqueId: string;
  nickname: string;
  /** Avatar URL (https only), when pictures are on. */
  avatar?: string;
  mod?: true;
  sub?: true;
  verified?: true;
  /** Gifter level badge. */
  gifter?: number;
  /** Fan club (team member) level badge. */
  fan?: number;
  /** Top gifter rank badge (1-3). */
  top?: number;
}

/** One line of the chat column. */
export interface ChatLine {
  id: string;
  t: number;
  kind: "chat" | "emote" | "system";
  user?: WireUser;
  text: string;
}

/** One gift of the gift feed; a streak keeps its `key` and is updated in place. */
export interface GiftRow {
  key: string;
  t: number;
  user: WireUser;
  giftId: string;
  giftName: string;
  /** Diamonds per unit. */
  unit: number;
  image?: string;
  /** Units so far (xN). */
  count: number;
  /** True while the streak may still grow. */
  streaking: boolean;
  /** True once `giftCompleted` counted it; `diamonds` is then final. */
  done: boolean;
  diamonds: number;
}

/** One line of the activity feed (follows, shares, subscriptions, questions, battles, connection). */
export interface ActivityItem {
  id: string;
  t: number;
  kind:
    | "follow"
    | "share"
    | "subscribe"
    | "question"
    | "envelope"
    | "poll"
    | "goal"
    | "battle"
    | "stream"
    | "connection";
  user?: WireUser;
  text: string;
}

/** A gifter of the top-gifters list. */
export interface Gifter {
  user: WireUser;
  diamonds: number;
  gifts: number;
}

/** One side of a battle. */
export interface BattleSide {
  userId: string;
  uniqueId: string;
  nickname: string;
  avatar?: string;
  points: number;
  supporters: { nickname: string; score: number }[];
  result?: "win" | "lose" | "draw";
}

/** The battle (PK) of the stream, while it runs and after it finished. */
export interface Battle {
  id: string;
  status: "running" | "finished" | "ended";
  startedAt: number;
  sides: BattleSide[];
}

/** What the dashboard knows about the connection. */
export interface Connection {
  mode: "simulator" | "tiktok";
  status:
    | "starting"
    | "connecting"
    | "connected"
    | "reconnecting"
    | "ended"
    | "offline"
    | "waiting"
    | "error"
    | "stopped";
  transport: string | null;
  reconnects: number;
  roomId: string | null;
  signer: string | null;
  since: number;
  /** One human line about what happens next ("next stream in 5 s", "retrying in 30 s"). */
  detail: string | null;
  lastError: { code: string; message: string } | null;
}

/** The stream being shown. */
export interface StreamInfo {
  /** 1 for the first stream of this demo session, 2 for the next... */
  number: number;
  uniqueId: string;
  nickname: string;
  title: string;
  startedAt: number;
  ended: boolean;
  simulated: boolean;
}

/** Counters of the stream. */
export interface Counters {
  viewers: number;
  peakViewers: number;
  totalViewers: number;
  /** The room's like total as TikTok reports it. */
  likes: number;
  follows: number;
  shares: number;
  joins: number;
  chats: number;
  /** Finished gift sends (one per `giftCompleted`). */
  gifts: number;
  /** Sum of `giftCompleted.diamonds`: each streak counted once. */
  diamonds: number;
  events: number;
  eventsPerSecond: number;
}

/** A viewer-count sample: [epoch ms of its bucket, viewers]. */
export type ViewerPoint = [number, number];

/** Everything the page shows: sent when a page connects and whenever a new stream starts. */
export interface DashboardSnapshot {
  seq: number;
  /** Whether the page may load avatar and gift pictures (off for the simulator's made-up CDN URLs). */
  images: boolean;
  stream: StreamInfo;
  connection: Connection;
  counters: Counters;
  chat: ChatLine[];
  pinned: ChatLine | null;
  gifts: GiftRow[];
  activity: ActivityItem[];
  viewers: ViewerPoint[];
  topGifters: Gifter[];
  gifterCount: number;
  battle: Battle | null;
}

/** What changed since the previous delta. Absent fields did not change. */
export interface DashboardDelta {
  seq: number;
  chat?: ChatLine[];
  removedChat?: string[];
  pinned?: ChatLine | null;
  gifts?: GiftRow[];
  activity?: ActivityItem[];
  /** New or updated samples: a point with the time of the page's last point replaces it. */
  viewers?: ViewerPoint[];
  counters?: Counters;
  topGifters?: Gifter[];
  gifterCount?: number;
  battle?: Battle | null;
  connection?: Connection;
  stream?: StreamInfo;
}

/** Numbers for tests and the stats endpoint. */
export interface DashboardStats {
  seq: number;
  stream: StreamInfo;
  connection: Connection;
  counters: Counters;
  /** Sum and count of every `giftCompleted` the server received (and sent on) this stream. */
  giftCompleted: { count: number; diamonds: number };
  /** Sum of diamonds over all gifters (equals `giftCompleted.diamonds`). */
  gifterDiamonds: number;
  gifterCount: number;
  topGifters: { userId: string; uniqueId: string; nickname: string; diamonds: number }[];
  viewerPoints: number;
  chatLines: number;
}

/** Options of {@link DashboardState}. */
export interface DashboardStateOptions {
  /** Send avatar and gift picture URLs to the page. Default true. */
  images?: boolean;
  /** Chat lines kept (and sent in one delta at most). Default 200. */
  maxChat?: number;
  /** Gift rows kept. Default 40. */
  maxGifts?: number;
  /** Activity lines kept. Default 40. */
  maxActivity?: number;
  /** Entries of the top-gifters list. Default 10. */
  topGifters?: number;
  /** Width of a viewer-chart sample, in ms. Default 1000. */
  viewerBucketMs?: number;
  /** Samples kept. Default 3600. */
  maxViewerPoints?: number;
  /** Removes secrets from error text before it reaches the page. Default: identity. */
  redact?: (text: string) => string;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

const maxTextLength = 500;

function clip(text: string): string {
  return text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text;
}

function httpsUrl(url: string | undefined): string | undefined {
  return url?.startsWith("https://") ? url : undefined;
}

function emptyCounters(): Counters {
  return {
    viewers: 0,
    peakViewers: 0,
    totalViewers: 0,
    likes: 0,
    follows: 0,
    shares: 0,
    joins: 0,
    chats: 0,
    gifts: 0,
    diamonds: 0,
    events: 0,
    eventsPerSecond: 0,
  };
}

/** A key that is the same for every message of one streak and for its `giftCompleted`. */
function streakKey(userId: string, giftId: string, groupId: string, msgId: string): string {
  return groupId !== "" && groupId !== "0" ? `${userId}:${giftId}:${groupId}` : `msg:${msgId}`;
}

/** The dashboard's state; see the file header. */
export class DashboardState {
  readonly images: boolean;
  readonly #maxChat: number;
  readonly #maxGifts: number;
  readonly #maxActivity: number;
  readonly #topN: number;
  readonly #bucketMs: number;
  readonly #maxViewerPoints: number;
  readonly #redact: (text: string) => string;
  readonly #now: () => number;

  #seq = 0;
  #stream: StreamInfo;
  #connection: Connection;
  #counters = emptyCounters();
  #chat: ChatLine[] = [];
  #pinned: ChatLine | null = null;
  #gifts = new Map<string, GiftRow>();
  #activity: ActivityItem[] = [];
  #viewers: ViewerPoint[] = [];
  #gifters = new Map<string, Gifter>();
  #top: Gifter[] = [];
  #topStale = false;
  #battle: Battle | null = null;
  #completed = { count: 0, diamonds: 0 };
  #activityIds = 0;
  #rate: { t: number; events: number }[] = [];

  // What changed since the last delta.
  #dirty = {
    chat: [] as ChatLine[],
    removedChat: [] as string[],
    pinned: false,
    gifts: new Map<string, GiftRow>(),
    activity: [] as ActivityItem[],
    viewers: new Map<number, ViewerPoint>(),
    counters: false,
    gifters: false,
    battle: false,
    connection: false,
    stream: false,
  };
  #resync = true;

  constructor(
    stream: Omit<StreamInfo, "ended" | "startedAt">,
    connection: Pick<Connection, "mode">,
    options: DashboardStateOptions = {},
  ) {
    this.images = options.images ?? true;
    this.#maxChat = options.maxChat ?? 200;
    this.#maxGifts = options.maxGifts ?? 40;
    this.#maxActivity = options.maxActivity ?? 40;
    this.#topN = options.topGifters ?? 10;
    this.#bucketMs = options.viewerBucketMs ?? 1000;
    this.#maxViewerPoints = options.maxViewerPoints ?? 3600;
    this.#redact = options.redact ?? ((text) => text);
    this.#now = options.now ?? Date.now;
    this.#stream = { ...stream, startedAt: this.#now(), ended: false };
    this.#connection = {
      mode: connection.mode,
      status: "starting",
      transport: null,
      reconnects: 0,
      roomId: null,
      signer: null,
      since: this.#now(),
      detail: null,
      lastError: null,
    };
  }

  /** Starts a new stream: clears everything but the connection; pages get a fresh snapshot. */
  reset(stream: Omit<StreamInfo, "ended" | "startedAt">): void {
    this.#stream = { ...stream, startedAt: this.#now(), ended: false };
    this.#counters = emptyCounters();
    this.#chat = [];
    this.#pinned = null;
    this.#gifts.clear();
    this.#activity = [];
    this.#viewers = [];
    this.#gifters.clear();
    this.#top = [];
    this.#topStale = false;
    this.#battle = null;
    this.#completed = { count: 0, diamonds: 0 };
    this.#rate = [];
    this.#clearDirty();
    this.#resync = true;
  }

  /** Updates the stream's name or title (from room info or the live intro). */
  setStream(patch: Partial<Pick<StreamInfo, "nickname" | "title" | "uniqueId">>): void {
    const next = { ...this.#stream };
    if (patch.nickname) next.nickname = patch.nickname;
    if (patch.title) next.title = patch.title;
    if (patch.uniqueId) next.uniqueId = patch.uniqueId;
    if (
      next.nickname === this.#stream.nickname &&
      next.title === this.#stream.title &&
      next.uniqueId === this.#stream.uniqueId
    )
      return;
    this.#stream = next;
    this.#dirty.stream = true;
  }

  /** Updates the connection; `since` moves when the status changes. */
  setConnection(patch: Partial<Omit<Connection, "mode" | "since">>): void {
    const next: Connection = { ...this.#connection, ...patch };
    if (patch.lastError)
      next.lastError = { code: patch.lastError.code, message: this.#redact(clip(patch.lastError.message)) };
    if (patch.detail) next.detail = this.#redact(patch.detail);
    if (next.status !== this.#connection.status) next.since = this.#now();
    this.#connection = next;
    this.#dirty.connection = true;
  }

  get connection(): Connection {
    return { ...this.#connection };
  }

  get stream(): StreamInfo {
    return { ...this.#stream };
  }

  /** Adds a line to the activity feed. */
  note(kind: ActivityItem["kind"], text: string, user?: WireUser): void {
    const item: ActivityItem = {
      id: `a${++this.#activityIds}`,
      t: this.#now(),
      kind,
      text: this.#redact(clip(text)),
    };
    if (user !== undefined) item.user = user;
    this.#activity.push(item);
    if (this.#activity.length > this.#maxActivity)
      this.#activity.splice(0, this.#activity.length - this.#maxActivity);
    this.#dirty.activity.push(item);
    if (this.#dirty.activity.length > this.#maxActivity)
      this.#dirty.activity.splice(0, this.#dirty.activity.length - this.#maxActivity);
  }

  /** Marks the stream as ended. */
  endStream(): void {
    if (this.#stream.ended) return;
    this.#stream = { ...this.#stream, ended: true };
    this.#dirty.stream = true;
  }

  /** The page's view of a user. */
  user(user: User): WireUser {
    const out: WireUser = {
      id: user.userId,
      uniqueId: clip(user.uniqueId),
      nickname: clip(user.nickname || user.uniqueId),
    };
    const avatar = this.images ? httpsUrl(user.profilePictureUrl) : undefined;
    if (avatar !== undefined) out.avatar = avatar;
    if (user.isModerator) out.mod = true;
    if (user.isSubscriber) out.sub = true;
    if (user.verified) out.verified = true;
    if (user.gifterLevel > 0) out.gifter = user.gifterLevel;
    if (user.teamMemberLevel > 0) out.fan = user.teamMemberLevel;
    if (user.topGifterRank !== undefined && user.topGifterRank > 0) out.top = user.topGifterRank;
    return out;
  }

  /** Folds one client event in. */
  apply(event: DashboardEvent): void {
    this.#counters.events += 1;
    this.#dirty.counters = true;
    switch (event.type) {
      case "chat":
        this.#counters.chats += 1;
        this.#addChat({
          id: event.msgId,
          t: event.createTime || this.#now(),
          kind: "chat",
          user: this.user(event.user),
          text: clip(event.comment),
        });
        break;
      case "emote":
        this.#addChat({
          id: event.msgId,
          t: event.createTime || this.#now(),
          kind: "emote",
          user: this.user(event.user),
          text: "sent a sticker",
        });
        break;
      case "roomMessage":
        if (event.content !== "")
          this.#addChat({
            id: event.msgId,
            t: event.createTime || this.#now(),
            kind: "system",
            text: clip(event.content),
          });
        break;
      case "imDelete": {
        const ids = new Set(event.deleteMsgIds);
        const before = this.#chat.length;
        this.#chat = this.#chat.filter((line) => !ids.has(line.id));
        if (this.#chat.length !== before || this.#dirty.chat.some((line) => ids.has(line.id))) {
          this.#dirty.chat = this.#dirty.chat.filter((line) => !ids.has(line.id));
          this.#dirty.removedChat.push(...ids);
        }
        if (this.#pinned !== null && ids.has(this.#pinned.id)) this.#setPinned(null);
        break;
      }
      case "roomPin":
        if (event.action === "unpin") this.#setPinned(null);
        else if (event.action === "pin" && event.pinnedComment !== undefined) {
          const line: ChatLine = {
            id: event.pinMsgId || event.msgId,
            t: event.createTime || this.#now(),
            kind: "chat",
            text: clip(event.pinnedComment),
          };
          if (event.pinnedUser !== undefined) line.user = this.user(event.pinnedUser);
          this.#setPinned(line);
        }
        break;
      case "gift":
        this.#gift(event);
        break;
      case "giftCompleted":
        this.#giftCompleted(event);
        break;
      case "member":
        if (event.action === 1) this.#counters.joins += 1;
        if (event.viewerCount > 0) this.#viewerCount(event.viewerCount);
        break;
      case "roomUser":
        this.#viewerCount(event.viewerCount);
        if (event.totalViewers > this.#counters.totalViewers)
          this.#counters.totalViewers = event.totalViewers;
        break;
      case "like":
        if (event.totalLikeCount > this.#counters.likes) this.#counters.likes = event.totalLikeCount;
        break;
      case "follow":
        this.#counters.follows += 1;
        this.note("follow", "followed the host", this.user(event.user));
        break;
      case "share":
        this.#counters.shares += 1;
        this.note("share", "shared the LIVE", this.user(event.user));
        break;
      case "subscribe":
        this.note(
          "subscribe",
          event.subMonth > 1 ? `subscribed (month ${event.subMonth})` : "subscribed",
          this.user(event.user),
        );
        break;
      case "questionNew":
        this.note("question", `asked: ${event.questionText}`, this.user(event.user));
        break;
      case "envelope":
        this.note(
          "envelope",
          `${event.sendUserName || "someone"} dropped a treasure chest: ${event.diamondCount} diamonds for ${event.peopleCount} viewers`,
        );
        break;
      case "pollMessage":
        if (event.kind === "start")
          this.note("poll", `Poll started: ${event.options.map((o) => o.text).join(" / ")}`);
        else if (event.kind === "end") {
          const best = [...event.options].sort((a, b) => b.votes - a.votes)[0];
          this.note(
            "poll",
            best === undefined ? "Poll ended" : `Poll ended: ${best.text} wins with ${best.votes} votes`,
          );
        }
        break;
      case "goalUpdate": {
        const goal = event.subGoals[0];
        this.note(
          "goal",
          goal === undefined
            ? `Goal: ${event.description}`
            : `Goal "${event.description}": ${goal.progress}/${goal.target} ${goal.giftName}`,
        );
        break;
      }
      case "liveIntro":
        // The room title (from room info) wins over the intro text.
        this.setStream({
          nickname: event.host.nickname,
          uniqueId: event.host.uniqueId,
          ...(this.#stream.title === "" ? { title: event.description } : {}),
        });
        break;
      case "linkMicBattle":
        this.#battleEvent(event);
        break;
      case "linkMicArmies":
        this.#armies(event);
        break;
      case "streamEnd":
        this.endStream();
        this.note("stream", event.reason === "suspended" ? "The stream was suspended" : "The stream ended");
        break;
    }
  }

  #addChat(line: ChatLine): void {
    this.#chat.push(line);
    if (this.#chat.length > this.#maxChat) this.#chat.splice(0, this.#chat.length - this.#maxChat);
    // A page shows at most maxChat lines, so a delta never needs more.
    this.#dirty.chat.push(line);
    if (this.#dirty.chat.length > this.#maxChat)
      this.#dirty.chat.splice(0, this.#dirty.chat.length - this.#maxChat);
  }

  #setPinned(line: ChatLine | null): void {
    this.#pinned = line;
    this.#dirty.pinned = true;
  }

  #gift(event: GiftEvent): void {
    const key = streakKey(event.user.userId, event.giftId, event.groupId, event.msgId);
    const known = this.#gifts.get(key);
    if (known?.done) return; // a late duplicate of a streak already counted
    const row: GiftRow = known ?? {
      key,
      t: event.createTime || this.#now(),
      user: this.user(event.user),
      giftId: event.giftId,
      giftName: clip(event.giftName || `Gift ${event.giftId}`),
      unit: event.diamondCount,
      count: 0,
      streaking: false,
      done: false,
      diamonds: 0,
    };
    const image = this.images ? httpsUrl(event.giftPictureUrl) : undefined;
    if (image !== undefined) row.image = image;
    row.count = Math.max(row.count, event.repeatCount);
    row.streaking = event.isStreaking;
    row.diamonds = row.count * row.unit;
    this.#putGift(row);
  }

  #giftCompleted(event: GiftCompletedEvent): void {
    this.#completed.count += 1;
    this.#completed.diamonds += event.diamonds;
    this.#counters.gifts += 1;
    this.#counters.diamonds += event.diamonds;

    const key = streakKey(event.user.userId, event.giftId, event.groupId, event.lastGift.msgId);
    const row: GiftRow = this.#gifts.get(key) ?? {
      key,
      t: event.lastGift.createTime || this.#now(),
      user: this.user(event.user),
      giftId: event.giftId,
      giftName: clip(event.giftName || `Gift ${event.giftId}`),
      unit: event.diamondCount,
      count: 0,
      streaking: false,
      done: false,
      diamonds: 0,
    };
    row.count = event.repeatCount;
    row.streaking = false;
    row.done = true;
    row.diamonds = event.diamonds;
    this.#putGift(row);

    const gifter = this.#gifters.get(event.user.userId) ?? {
      user: this.user(event.user),
      diamonds: 0,
      gifts: 0,
    };
    gifter.diamonds += event.diamonds;
    gifter.gifts += 1;
    this.#gifters.set(event.user.userId, gifter);
    this.#dirty.gifters = true;
    this.#topStale = true;
  }

  #putGift(row: GiftRow): void {
    // Re-inserting keeps the map in order of last change; the oldest rows go first.
    this.#gifts.delete(row.key);
    this.#gifts.set(row.key, row);
    while (this.#gifts.size > this.#maxGifts) {
      const oldest = this.#gifts.keys().next().value as string;
      this.#gifts.delete(oldest);
    }
    this.#dirty.gifts.delete(row.key);
    this.#dirty.gifts.set(row.key, { ...row });
  }

  #viewerCount(viewers: number): void {
    this.#counters.viewers = viewers;
    if (viewers > this.#counters.peakViewers) this.#counters.peakViewers = viewers;
    const bucket = Math.floor(this.#now() / this.#bucketMs) * this.#bucketMs;
    const last = this.#viewers.at(-1);
    const point: ViewerPoint = [bucket, viewers];
    if (last !== undefined && last[0] === bucket) this.#viewers[this.#viewers.length - 1] = point;
    else {
      this.#viewers.push(point);
      if (this.#viewers.length > this.#maxViewerPoints)
        this.#viewers.splice(0, this.#viewers.length - this.#maxViewerPoints);
    }
    this.#dirty.viewers.set(bucket, point);
  }

  #battleEvent(event: ClientEventMap["linkMicBattle"]): void {
    // 4 open, 5 finish, 3 cancel, 6 cut short (docs/protocol.md §10.9).
    if (event.action === 4) {
      this.#battle = {
        id: event.battleId,
        status: "running",
        startedAt: this.#now(),
        sides: event.battleUsers.map((u) => {
          const side: BattleSide = {
            userId: u.userId,
            uniqueId: clip(u.uniqueId),
            nickname: clip(u.nickname || u.uniqueId),
            points: 0,
            supporters: [],
          };
          const avatar = this.images ? httpsUrl(u.profilePictureUrl) : undefined;
          if (avatar !== undefined) side.avatar = avatar;
          return side;
        }),
      };
      const names = this.#battle.sides.map((s) => s.nickname).join(" vs ");
      this.note("battle", `Battle started: ${names}`);
    } else if (
      this.#battle !== null &&
      this.#battle.id === event.battleId &&
      (event.action === 5 || event.action === 3 || event.action === 6)
    ) {
      const battle = this.#battle;
      battle.status = event.action === 5 ? "finished" : "ended";
      for (const result of event.battleResults) {
        const side = battle.sides.find((s) => s.userId === result.userId);
        if (side === undefined) continue;
        if (result.score > side.points) side.points = result.score;
      }
      if (battle.status === "finished") {
        const best = Math.max(...battle.sides.map((s) => s.points));
        const leaders = battle.sides.filter((s) => s.points === best).length;
        for (const side of battle.sides)
          side.result = side.points < best ? "lose" : leaders > 1 ? "draw" : "win";
        const winner = battle.sides.find((s) => s.result === "win");
        this.note(
          "battle",
          winner === undefined
            ? "Battle ended in a draw"
            : `Battle won by ${winner.nickname} with ${winner.points} points`,
        );
      } else {
        this.note("battle", "Battle cancelled");
      }
    } else {
      return;
    }
    this.#dirty.battle = true;
  }

  #armies(event: ClientEventMap["linkMicArmies"]): void {
    const battle = this.#battle;
    if (battle === null || battle.id !== event.battleId) return;
    for (const army of event.battleArmies) {
      const side = battle.sides.find((s) => s.userId === army.hostUserId);
      if (side === undefined) continue;
      side.points = army.points;
      side.supporters = [...army.participants]
        .sort((a, b) => b.score - a.score)
        .slice(0, 3)
        .map((p) => ({ nickname: clip(p.nickname), score: p.score }));
    }
    this.#dirty.battle = true;
  }

  #topGifters(): Gifter[] {
    if (this.#topStale) {
      this.#topStale = false;
      this.#top = [...this.#gifters.values()]
        .sort((a, b) => b.diamonds - a.diamonds || a.user.id.localeCompare(b.user.id))
        .slice(0, this.#topN)
        .map((g) => ({ ...g }));
    }
    return this.#top;
  }

  #eventsPerSecond(): number {
    const now = this.#now();
    this.#rate.push({ t: now, events: this.#counters.events });
    while (this.#rate.length > 2 && now - (this.#rate[0] as { t: number }).t > 3000) this.#rate.shift();
    const first = this.#rate[0] as { t: number; events: number };
    const seconds = (now - first.t) / 1000;
    return seconds <= 0 ? 0 : Math.round((this.#counters.events - first.events) / seconds);
  }

  /** True when pages need a full snapshot (a new stream started) instead of a delta. */
  get needsResync(): boolean {
    return this.#resync;
  }

  /** Says that every page got a snapshot after the last {@link reset}. */
  resynced(): void {
    this.#resync = false;
  }

  /** The whole state. It includes pending changes: take the delta for other pages first. */
  snapshot(): DashboardSnapshot {
    const top = this.#topGifters();
    return {
      seq: this.#seq,
      images: this.images,
      stream: { ...this.#stream },
      connection: { ...this.#connection },
      counters: { ...this.#counters },
      chat: [...this.#chat],
      pinned: this.#pinned,
      gifts: [...this.#gifts.values()].map((row) => ({ ...row })),
      activity: [...this.#activity],
      viewers: [...this.#viewers],
      topGifters: top,
      gifterCount: this.#gifters.size,
      battle: this.#battle === null ? null : structuredClone(this.#battle),
    };
  }

  /** The changes since the last delta (or snapshot), or undefined when nothing changed. */
  takeDelta(): DashboardDelta | undefined {
    const d = this.#dirty;
    const eps = this.#eventsPerSecond();
    if (eps !== this.#counters.eventsPerSecond) {
      this.#counters.eventsPerSecond = eps;
      d.counters = true;
    }
    const changed =
      d.chat.length > 0 ||
      d.removedChat.length > 0 ||
      d.pinned ||
      d.gifts.size > 0 ||
      d.activity.length > 0 ||
      d.viewers.size > 0 ||
      d.counters ||
      d.gifters ||
      d.battle ||
      d.connection ||
      d.stream;
    if (!changed) return undefined;
    const delta: DashboardDelta = { seq: ++this.#seq };
    if (d.chat.length > 0) delta.chat = d.chat;
    if (d.removedChat.length > 0) delta.removedChat = d.removedChat;
    if (d.pinned) delta.pinned = this.#pinned;
    if (d.gifts.size > 0) delta.gifts = [...d.gifts.values()];
    if (d.activity.length > 0) delta.activity = d.activity;
    if (d.viewers.size > 0) delta.viewers = [...d.viewers.values()];
    if (d.counters) delta.counters = { ...this.#counters };
    if (d.gifters) {
      delta.topGifters = this.#topGifters();
      delta.gifterCount = this.#gifters.size;
    }
    if (d.battle) delta.battle = this.#battle === null ? null : structuredClone(this.#battle);
    if (d.connection) delta.connection = { ...this.#connection };
    if (d.stream) delta.stream = { ...this.#stream };
    this.#clearDirty();
    return delta;
  }

  #clearDirty(): void {
    this.#dirty = {
      chat: [],
      removedChat: [],
      pinned: false,
      gifts: new Map(),
      activity: [],
      viewers: new Map(),
      counters: false,
      gifters: false,
      battle: false,
      connection: false,
      stream: false,
    };
  }

  /** Numbers for the stats endpoint and tests. */
  stats(): DashboardStats {
    const all = [...this.#gifters.values()];
    const top = [...all]
      .sort((a, b) => b.diamonds - a.diamonds || a.user.id.localeCompare(b.user.id))
      .slice(0, this.#topN);
    return {
      seq: this.#seq,
      stream: { ...this.#stream },
      connection: { ...this.#connection },
      counters: { ...this.#counters },
      giftCompleted: { ...this.#completed },
      gifterDiamonds: all.reduce((sum, g) => sum + g.diamonds, 0),
      gifterCount: all.length,
      topGifters: top.map((g) => ({
        userId: g.user.id,
        uniqueId: g.user.uniqueId,
        nickname: g.user.nickname,
        diamonds: g.diamonds,
      })),
      viewerPoints: this.#viewers.length,
      chatLines: this.#chat.length,
    };
  }
}

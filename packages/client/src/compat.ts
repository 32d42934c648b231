// WebcastPushConnection: the constructor, options, methods, event names and flat event data of
// tiktok-live-connector 1.x, on top of TikTokLiveClient, so a 1.x bot switches by changing its
// import. New code should use TikTokLiveClient (typed events, reconnect state, events()).
import { EventEmitter } from "node:events";
import type { CoreEvent, GiftEvent, User } from "@tiklive/core";
import { TikTokLiveClient } from "./client.js";
import type { ClientEvent, ClientEventMap, ClientEventName } from "./client-events.js";
import type { ClientOptions } from "./client-options.js";
import type { GiftInfo, RoomInfo } from "./web-api.js";

/** Options of tiktok-live-connector 1.x, plus any {@link ClientOptions} (signer, proxy, URLs...). */
export interface WebcastPushConnectionOptions extends ClientOptions {
  /** 1.x: extra options for the HTTP client. Only `headers` and `timeout` are honoured. */
  requestOptions?: { headers?: Record<string, string>; timeout?: number };
  /** 1.x: extra options for the WebSocket. Only `headers` is honoured. */
  websocketOptions?: { headers?: Record<string, string> };
  /** 1.x: options of the sign provider. `apiKey`/`signApiKey` and `signServerUrl` are honoured. */
  signProviderOptions?: { apiKey?: string; signServerUrl?: string };
}

/** The 1.x connection state. */
export interface WebcastPushConnectionState {
  isConnected: boolean;
  upgradedToWebsocket: boolean;
  roomId: string | undefined;
  roomInfo: RoomInfo | undefined;
  availableGifts: GiftInfo[] | undefined;
}

/** The flat user fields 1.x puts on every event. */
export interface LegacyUserFields {
  userId: string;
  secUid: string;
  uniqueId: string;
  nickname: string;
  profilePictureUrl: string | undefined;
  followRole: number;
  userBadges: {
    type: string;
    badgeSceneType: number;
    displayType: number;
    url?: string;
    label?: string;
    level?: number;
  }[];
  userSceneTypes: number[];
  userDetails: { createTime: string; bioDescription: string; profilePictureUrls: string[] };
  followInfo: { followingCount: number; followerCount: number; followStatus: number; pushStatus: number };
  isModerator: boolean;
  isNewGifter: boolean;
  isSubscriber: boolean;
  topGifterRank: number | null;
  gifterLevel: number;
  teamMemberLevel: number;
}

const displayTypes = { image: 1, text: 2, string: 3, combine: 4, unknown: 0 } as const;

/** The 1.x flat user fields of a user. */
export function legacyUser(user: User): LegacyUserFields {
  return {
    userId: user.userId,
    secUid: user.secUid,
    uniqueId: user.uniqueId,
    nickname: user.nickname,
    profilePictureUrl: user.profilePictureUrl,
    followRole: user.followRole,
    userBadges: user.badges.map((b) => ({
      type: b.kind === "combine" ? "privilege" : b.kind,
      badgeSceneType: b.sceneType,
      displayType: displayTypes[b.kind],
      ...(b.url === undefined ? {} : { url: b.url }),
      ...(b.text === undefined ? {} : { label: b.text }),
      ...(b.level === undefined ? {} : { level: b.level }),
    })),
    userSceneTypes: user.badges.map((b) => b.sceneType),
    userDetails: { createTime: "0", bioDescription: "", profilePictureUrls: user.profilePictureUrls },
    followInfo: user.followInfo,
    isModerator: user.isModerator,
    isNewGifter: user.isNewGifter,
    isSubscriber: user.isSubscriber,
    topGifterRank: user.topGifterRank ?? null,
    gifterLevel: user.gifterLevel,
    teamMemberLevel: user.teamMemberLevel,
  };
}

function common(event: { msgId: string; createTime: number; displayKey: string; raw: unknown }) {
  const label =
    (event.raw as { common?: { displayText?: { defaultPattern?: string } } }).common?.displayText
      ?.defaultPattern ?? "";
  return { msgId: event.msgId, createTime: String(event.createTime), displayType: event.displayKey, label };
}

/** Converts a client event to the flat data 1.x emitted for it (docs/protocol.md §11.4). */
export function toLegacyData(event: CoreEvent, gifts: GiftInfo[] | undefined): Record<string, unknown> {
  switch (event.type) {
    case "chat":
      return {
        comment: event.comment,
        contentLanguage: event.language,
        emotes: event.emotes,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "gift":
      return legacyGift(event, gifts);
    case "member":
      return {
        actionId: event.action,
        memberCount: event.viewerCount,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "like":
      return {
        likeCount: event.likeCount,
        totalLikeCount: event.totalLikeCount,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "social":
    case "follow":
    case "share":
      return {
        followCount: event.followCount,
        shareCount: event.shareCount,
        shareType: event.shareType,
        shareTarget: event.shareTarget,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "roomUser":
      return {
        viewerCount: event.viewerCount,
        topViewers: event.topViewers.map((v) => ({ user: legacyUser(v.user), coinCount: v.coinCount })),
        ...common(event),
      };
    case "questionNew":
      return {
        questionText: event.questionText,
        questionId: event.questionId,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "linkMicBattle":
      return {
        battleId: event.battleId,
        battleStatus: event.action,
        battleUsers: event.battleUsers.map((u) => ({
          userId: u.userId,
          uniqueId: u.uniqueId,
          nickname: u.nickname,
          profilePictureUrl: u.profilePictureUrl,
        })),
        ...common(event),
      };
    case "linkMicArmies":
      return {
        battleId: event.battleId,
        battleStatus: event.triggerReason,
        battleArmies: event.battleArmies.map((a) => ({
          hostUserId: a.hostUserId,
          points: a.points,
          participants: a.participants.map((p) => ({
            userId: p.userId,
            nickname: p.nickname,
            score: p.score,
          })),
        })),
        ...common(event),
      };
    case "liveIntro":
      return {
        id: event.raw.id,
        description: event.description,
        language: event.language,
        ...legacyUser(event.host),
        ...common(event),
      };
    case "emote":
      return {
        emoteId: event.emotes[0]?.emoteId,
        emoteImageUrl: event.emotes[0]?.imageUrl,
        emotes: event.emotes,
        ...legacyUser(event.user),
        ...common(event),
      };
    case "subscribe":
      return { subMonth: event.subMonth, ...legacyUser(event.user), ...common(event) };
    case "streamEnd":
      return { action: event.action };
    default:
      return { ...event };
  }
}

function legacyGift(event: GiftEvent, gifts: GiftInfo[] | undefined): Record<string, unknown> {
  // Gift list ids are JSON numbers, message ids strings: compare as strings (docs/protocol.md §10.2).
  const extended = gifts?.find((g) => g.id === event.giftId);
  return {
    giftId: event.giftId,
    repeatCount: event.repeatCount,
    repeatEnd: event.repeatEnd,
    groupId: event.groupId,
    giftType: event.giftType,
    giftName: event.giftName,
    diamondCount: event.diamondCount,
    describe: event.describe,
    giftPictureUrl: event.giftPictureUrl,
    receiverUserId: event.toUser?.userId,
    timestamp: event.createTime,
    gift: {
      gift_id: event.giftId,
      repeat_count: event.repeatCount,
      repeat_end: event.repeatEnd ? 1 : 0,
      gift_type: event.giftType,
    },
    ...(extended === undefined ? {} : { extendedGiftInfo: extended.raw }),
    ...legacyUser(event.user),
    ...common(event),
  };
}

// 1.x event name -> the client events it is built from (the client's `social` listener name
// already hears follows and shares; 1.x emits `follow`/`share` besides, from their own names).
const sources: Record<string, ClientEventName[]> = {};

/**
 * tiktok-live-connector 1.x's `WebcastPushConnection`, backed by {@link TikTokLiveClient}.
 * Same constructor, options, methods, event names and flat event data; plus reconnect,
 * dedup and typed errors underneath.
 */
export class WebcastPushConnection extends EventEmitter {
  readonly #uniqueId: string;
  readonly #options: ClientOptions;
  #client: TikTokLiveClient;
  readonly #bridged = new Set<string>();

  constructor(uniqueId: string, options: WebcastPushConnectionOptions = {}) {
    super();
    this.#uniqueId = uniqueId;
    const { requestOptions, websocketOptions, signProviderOptions, ...rest } = options;
    this.#options = {
      ...rest,
      requestHeaders: { ...requestOptions?.headers, ...rest.requestHeaders },
      websocketHeaders: { ...websocketOptions?.headers, ...rest.websocketHeaders },
      ...(requestOptions?.timeout === undefined ? {} : { requestTimeoutMs: requestOptions.timeout }),
      ...(signProviderOptions?.apiKey === undefined ? {} : { signApiKey: signProviderOptions.apiKey }),
      ...(signProviderOptions?.signServerUrl === undefined
        ? {}
        : { signServerUrl: signProviderOptions.signServerUrl }),
    };
    this.#client = new TikTokLiveClient(uniqueId, this.#options);
    // Bridge an event from the client only once someone listens (decode-on-demand stays intact).
    this.on("newListener", (name: string | symbol) => {
      if (typeof name === "string") this.#bridge(name);
    });
  }

  #bridge(name: string): void {
    if (this.#bridged.has(name) || name === "newListener" || name === "removeListener") return;
    this.#bridged.add(name);
    const client = this.#client;
    switch (name) {
      case "connected":
        client.on("connected", () => this.emit("connected", this.getState()));
        return;
      case "disconnected":
        client.on("disconnected", () => this.emit("disconnected"));
        return;
      case "websocketConnected":
        client.on("websocketConnected", (e) =>
          this.emit("websocketConnected", { connection: { url: e.url } }),
        );
        return;
      case "error":
        // 1.x emits errors only when someone listens; otherwise the client logs them.
        client.on("error", (e) => this.emit("error", e.error));
        return;
      case "rawData":
        client.on("rawData", (e) => this.emit("rawData", e.method, e.payload));
        return;
      case "decodedData":
        client.on("decodedData", (e) => this.emit("decodedData", e.method, e.data, e.payload));
        return;
      default: {
        const names = sources[name] ?? [name as ClientEventName];
        for (const source of names) {
          try {
            const forward = (event: ClientEvent) =>
              this.emit(name, toLegacyData(event as CoreEvent, client.getState().availableGifts));
            client.on(source as ClientEventName, forward as (event: ClientEventMap[ClientEventName]) => void);
          } catch {
            // Not a tiklive event: nothing will ever be emitted under that name.
          }
        }
      }
    }
  }

  /** Connects; resolves with the 1.x state. `roomId` skips the room lookup. */
  async connect(roomId?: string): Promise<WebcastPushConnectionState> {
    if (roomId !== undefined) {
      this.#client = new TikTokLiveClient(this.#uniqueId, { ...this.#options, roomId });
      const names = [...this.#bridged];
      this.#bridged.clear();
      for (const name of names) this.#bridge(name);
    }
    await this.#client.connect();
    return this.getState();
  }

  /** Disconnects. */
  disconnect(): void {
    void this.#client.disconnect();
  }

  /** The 1.x state. */
  getState(): WebcastPushConnectionState {
    const state = this.#client.getState();
    return {
      isConnected: state.status === "connected",
      upgradedToWebsocket: state.transport === "websocket",
      roomId: state.roomId,
      roomInfo: state.roomInfo,
      availableGifts: state.availableGifts,
    };
  }

  /** Room info of the user's room. */
  getRoomInfo(): Promise<RoomInfo> {
    return this.#client.getRoomInfo();
  }

  /** The room's gift list. */
  getAvailableGifts(): Promise<GiftInfo[]> {
    return this.#client.getAvailableGifts();
  }

  /** Sends a chat message (needs `sessionId`). A `sessionId` argument overrides the option. */
  async sendMessage(text: string, sessionId?: string): Promise<void> {
    if (sessionId !== undefined && sessionId !== this.#options.sessionId) {
      const sender = new TikTokLiveClient(this.#uniqueId, {
        ...this.#options,
        sessionId,
        ...(this.#client.getState().roomId === undefined ? {} : { roomId: this.#client.getState().roomId }),
      });
      await sender.sendMessage(text);
      return;
    }
    await this.#client.sendMessage(text);
  }
}

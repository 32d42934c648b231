// The facade users hold: listeners and iterators, state, lookups, connect and disconnect. The
// work is done by small parts, each in its own file: the event hub (who hears what), the
// message pipeline (results to events), the connection loop (read, reconnect, resume), the
// reconnect policy, the room lookup and the web API.
import {
  ErrorCode,
  isCoreListenerName,
  normalizeRoomId,
  normalizeUniqueId,
  TikLiveError,
} from "@tiklive/core";
import { createRedactor, linkSignals, redactDeep } from "@tiklive/core/internal";
import type {
  ClientEvent,
  ClientEventMap,
  ClientEventName,
  ClientState,
  DisconnectReason,
} from "./client-events.js";
import { type ClientOptions, type ResolvedClientOptions, resolveClientOptions } from "./client-options.js";
import { ConnectionLoop, type LoopHost } from "./connection-loop.js";
import type { Listener } from "./emitter.js";
import { EventHub } from "./event-hub.js";
import { MessagePipeline } from "./message-pipeline.js";
import { createReconnectPolicy } from "./reconnect-policy.js";
import { lookupRoom } from "./room-lookup.js";
import {
  type GiftInfo,
  type LiveStatus,
  liveFromStatus,
  type RoomInfo,
  type RoomLookup,
  WebApi,
} from "./web-api.js";

const controlNames: ReadonlySet<string> = new Set([
  "connected",
  "disconnected",
  "reconnecting",
  "gap",
  "error",
  "rawData",
  "decodedData",
  "websocketConnected",
]);

/** Options of `connect()`. */
export interface ConnectOptions {
  /** Aborting it cancels a connect in progress, or disconnects. */
  signal?: AbortSignal;
}

/** Options of `events()`. */
export interface EventsOptions<K extends ClientEventName = ClientEventName> {
  /** Ends the iteration when aborted. */
  signal?: AbortSignal;
  /** Only these events. Default: every event. */
  only?: readonly K[];
}

// One connect(): its abort controller, its loop, and a promise settled when it is torn down.
interface Active {
  controller: AbortController;
  loop: ConnectionLoop;
  done: Promise<void>;
}

/**
 * Connects to a TikTok LIVE room by the streamer's @username and emits typed events:
 * uniqueId -> room lookup -> sign -> transport (WebSocket, falling back to polling) -> events,
 * with reconnect and resume through the signer, msgId dedup, a stall watchdog and gift
 * streaks counted once. Everything is per instance.
 */
export class TikTokLiveClient {
  /** The normalised uniqueId (the @handle without "@"). */
  readonly uniqueId: string;
  readonly #options: ResolvedClientOptions;
  readonly #web: WebApi;
  readonly #hub: EventHub<ClientEventMap>;
  readonly #pipeline: MessagePipeline;
  readonly #redact: (text: string) => string;
  #state: ClientState;
  #active: Active | undefined;

  constructor(uniqueIdOrUrl: string, options: ClientOptions = {}) {
    this.uniqueId = normalizeUniqueId(uniqueIdOrUrl);
    this.#options = resolveClientOptions(options);
    this.#redact = createRedactor(this.#options.secrets);
    this.#web = new WebApi({
      webUrl: this.#options.webUrl,
      webcastUrl: this.#options.webcastUrl,
      device: this.#options.device,
      deviceId: this.#options.deviceId,
      params: this.#options.clientParams,
      headers: this.#options.requestHeaders,
      cookies: () => [{ name: "tt-target-idc", value: this.#options.ttTargetIdc }],
      timeoutMs: this.#options.requestTimeoutMs,
      maxResponseBytes: this.#options.maxResponseBytes,
      dispatcher: this.#options.dispatcher,
      secrets: this.#options.secrets,
    });
    this.#hub = new EventHub<ClientEventMap>(
      (error, name) => {
        this.#log(
          "error",
          `a listener of "${String(name)}" threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
      // Which messages must be decoded depends on who listens.
      () => this.#pipeline?.invalidate(),
    );
    this.#pipeline = new MessagePipeline(
      { heard: (name) => this.#hub.heard(name), dispatch: (event) => this.#dispatch(event) },
      {
        dedupCapacity: this.#options.dedupCapacity,
        dedupWindowMs: this.#options.dedupWindowMs,
        clock: this.#options.clock,
        giftStreakTimeoutMs: this.#options.giftStreakTimeoutMs,
      },
    );
    this.#state = this.#initialState();
  }

  #initialState(): ClientState {
    return {
      status: "disconnected",
      uniqueId: this.uniqueId,
      roomId: this.#options.roomId,
      live: "unknown",
      roomInfo: undefined,
      availableGifts: undefined,
      transport: undefined,
      signer: undefined,
      reconnects: 0,
      cursor: "",
    };
  }

  // ---------------------------------------------------------------- listeners

  /** Adds a listener; returns a function that removes it. */
  on<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): () => void {
    this.#checkName(name);
    return this.#hub.on(name, listener);
  }

  /** Adds a listener called at most once; returns a function that removes it (as `off` does). */
  once<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): () => void {
    this.#checkName(name);
    return this.#hub.once(name, listener);
  }

  /** Removes a listener added with `on` or `once`. */
  off<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): void {
    this.#hub.off(name, listener);
  }

  /** Removes every listener (of one event, or of all). */
  removeAllListeners(name?: ClientEventName): void {
    this.#hub.removeAllListeners(name);
  }

  /** Number of listeners of an event. */
  listenerCount(name: ClientEventName): number {
    return this.#hub.listenerCount(name);
  }

  #checkName(name: string): void {
    if (!isCoreListenerName(name) && !controlNames.has(name))
      throw new TikLiveError(ErrorCode.InvalidInput, `"${name}" is not a tiklive event`);
  }

  /**
   * Every event as an async iterable: `for await (const event of client.events({ signal }))`.
   * Ends after `disconnected`, or when the signal aborts.
   */
  events<K extends ClientEventName = ClientEventName>(
    options: EventsOptions<K> = {},
  ): AsyncIterableIterator<ClientEventMap[K]> {
    for (const name of options.only ?? []) this.#checkName(name);
    return this.#hub.subscribe<ClientEventMap[K]>(options.only, options.signal);
  }

  #dispatch(event: ClientEvent): void {
    this.#hub.dispatch(event as ClientEventMap[ClientEventName]);
  }

  #emitError(error: TikLiveError): void {
    // Never swallowed: with nobody listening, errors go to the logger.
    if (!this.#hub.heard("error")) this.#log("error", `${error.code}: ${error.message}`);
    this.#dispatch({ type: "error", error });
  }

  #log(level: "debug" | "info" | "warn" | "error", message: string, data?: Record<string, unknown>): void {
    const fn = this.#options.logger[level];
    if (fn !== undefined)
      fn.call(
        this.#options.logger,
        this.#redact(message),
        data === undefined ? undefined : (redactDeep(data, this.#redact) as Record<string, unknown>),
      );
  }

  // ---------------------------------------------------------------- state and lookups

  /** A snapshot of the client's state. */
  getState(): ClientState {
    return { ...this.#state };
  }

  /** Finds the user's room: the live page's SIGI_STATE, then `api-live/user/room`, then the signer (docs/protocol.md §8). */
  async lookupRoom(options: { signal?: AbortSignal } = {}): Promise<RoomLookup> {
    if (this.#options.roomId !== undefined)
      return {
        roomId: this.#options.roomId,
        uniqueId: this.uniqueId,
        live: "unknown",
        status: undefined,
        source: "option",
      };
    return lookupRoom(this.#web, this.#options.signer, this.uniqueId, options.signal);
  }

  /** Whether the user is live now: "live", "offline", or "unknown" when TikTok would not say. */
  async isLive(options: { signal?: AbortSignal } = {}): Promise<LiveStatus> {
    const room = await this.lookupRoom(options);
    if (room.roomId === "") return "offline";
    try {
      return liveFromStatus((await this.#web.roomInfo(room.roomId, options.signal)).status);
    } catch {
      return room.live;
    }
  }

  /** Room info (`webcast/room/info/`) of the current room, or of the user's room when not connected. */
  async getRoomInfo(options: { signal?: AbortSignal } = {}): Promise<RoomInfo> {
    const roomId = this.#state.roomId ?? (await this.lookupRoom(options)).roomId;
    const info = await this.#web.roomInfo(roomId, options.signal);
    this.#state.roomInfo = info;
    return info;
  }

  /** The room's gift list; ids are strings (docs/protocol.md §12). */
  async getAvailableGifts(options: { signal?: AbortSignal } = {}): Promise<GiftInfo[]> {
    const roomId = this.#state.roomId ?? (await this.lookupRoom(options)).roomId;
    const gifts = await this.#web.giftList(roomId, options.signal);
    this.#state.availableGifts = gifts;
    return gifts;
  }

  /**
   * Sends a chat message to the room through the signer's chat route. Needs `sessionId`, and a
   * signer that supports it and was allowed to receive the session (`forwardSession`).
   */
  async sendMessage(text: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (typeof text !== "string" || text.trim() === "")
      throw new TikLiveError(ErrorCode.InvalidInput, "the message is empty");
    if (this.#options.session === undefined)
      throw new TikLiveError(
        ErrorCode.SessionRequired,
        "sending chat needs a TikTok sessionId (option sessionId)",
      );
    const { sendChat } = this.#options.signer;
    if (sendChat === undefined)
      throw new TikLiveError(
        ErrorCode.FeatureDisabled,
        `the signer "${this.#options.signer.name}" cannot send chat`,
      );
    const roomId = this.#state.roomId ?? (await this.lookupRoom(options)).roomId;
    await sendChat.call(this.#options.signer, {
      roomId,
      content: text,
      session: this.#options.session,
      signal: options.signal,
    });
  }

  // ---------------------------------------------------------------- connect

  /**
   * Connects: finds the room, checks it is live, signs, opens the first transport that works,
   * and resolves with the state once the stream is open. Rejects with a `TikLiveError`.
   */
  async connect(options: ConnectOptions = {}): Promise<ClientState> {
    if (this.#state.status !== "disconnected") {
      throw new TikLiveError(ErrorCode.AlreadyConnected, `the client is already ${this.#state.status}`);
    }
    const controller = new AbortController();
    // Not AbortSignal.any: it holds its sources weakly in Node 20 (see core's linkSignals).
    const linked = linkSignals([controller.signal, options.signal]);
    const signal = linked.signal;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((r) => (resolveDone = r)).finally(() => linked.dispose());
    this.#state = { ...this.#initialState(), status: "connecting" };
    this.#pipeline.reset();
    const loop = new ConnectionLoop(this.#loopHost(), this.uniqueId, signal);
    const active: Active = { controller, loop, done };
    this.#active = active;
    try {
      const roomId = await this.#findLiveRoom(signal);
      await loop.start(roomId);
    } catch (error) {
      const failure = this.#abortAware(error, signal);
      controller.abort();
      await loop.close();
      this.#active = undefined;
      this.#state.status = "disconnected";
      this.#state.transport = undefined;
      resolveDone();
      throw failure;
    }
    void loop
      .run()
      .catch((error: unknown) => ({
        reason: "error" as const,
        error: TikLiveError.from(error, ErrorCode.NetworkError),
      }))
      .then((ending) => this.#teardown(active, ending.reason, ending.error))
      .finally(resolveDone);
    return this.getState();
  }

  // The room, checked live (room info when asked), and the gift list when asked.
  async #findLiveRoom(signal: AbortSignal): Promise<string> {
    const room = await this.lookupRoom({ signal });
    if (room.roomId === "")
      throw new TikLiveError(ErrorCode.UserOffline, `@${this.uniqueId} is not live`, { retryable: false });
    this.#state.roomId = room.roomId;
    this.#state.live = room.live;
    if (this.#options.fetchRoomInfoOnConnect) {
      const info = await this.#web.roomInfo(room.roomId, signal);
      this.#state.roomInfo = info;
      this.#state.live = liveFromStatus(info.status);
      if (info.status === 4)
        throw new TikLiveError(
          ErrorCode.UserOffline,
          `@${this.uniqueId} is not live (room ${room.roomId} has ended)`,
          {
            retryable: false,
            details: { roomId: room.roomId, status: 4 },
          },
        );
    } else if (room.live === "offline") {
      throw new TikLiveError(ErrorCode.UserOffline, `@${this.uniqueId} is not live`, {
        retryable: false,
        details: { roomId: room.roomId, source: room.source },
      });
    }
    if (this.#options.enableExtendedGiftInfo)
      this.#state.availableGifts = await this.#web.giftList(room.roomId, signal);
    return room.roomId;
  }

  // What one connect()'s loop works with. The state object is this connect()'s: the loop keeps
  // it current, getState() copies it.
  #loopHost(): LoopHost {
    const options = this.#options;
    return {
      options,
      state: this.#state,
      pipeline: this.#pipeline,
      web: this.#web,
      transport: options.transport,
      policy: createReconnectPolicy(options.reconnect, options.random, options.clock),
      dispatch: (event) => this.#dispatch(event),
      emitError: (error) => this.#emitError(error),
      log: (level, message) => this.#log(level, message),
    };
  }

  #abortAware(error: unknown, signal: AbortSignal): TikLiveError {
    if (signal.aborted && !(error instanceof TikLiveError && error.code !== ErrorCode.Aborted)) {
      return new TikLiveError(ErrorCode.Aborted, "connect() was aborted", { cause: error, retryable: false });
    }
    return TikLiveError.from(error, ErrorCode.NetworkError, undefined, { secrets: this.#options.secrets });
  }

  async #teardown(active: Active, reason: DisconnectReason, error: TikLiveError | undefined): Promise<void> {
    active.controller.abort();
    await active.loop.close();
    // Streaks cut off by the disconnect are closed now, so every gift is counted once.
    this.#pipeline.flushStreaks();
    if (this.#active === active) this.#active = undefined;
    this.#state.status = "disconnected";
    this.#state.transport = undefined;
    if (reason === "streamEnd" || reason === "offline") this.#state.live = "offline";
    if (error !== undefined) this.#emitError(error);
    this.#dispatch({ type: "disconnected", reason, error });
    this.#hub.endAll();
  }

  /** Disconnects and waits until every socket and timer is released. Safe to call at any time. */
  async disconnect(): Promise<void> {
    const active = this.#active;
    if (active === undefined) return;
    active.controller.abort();
    await active.loop.close();
    await active.done;
  }

  /**
   * Enters another room on the open connection where the transport supports it (the
   * WebSocket does), else reconnects to it. Accepts a uniqueId, a profile/live URL or a room id.
   */
  async switchRoom(target: string, options: { signal?: AbortSignal } = {}): Promise<ClientState> {
    const connection = this.#active?.loop.connection;
    if (connection === undefined || this.#state.status !== "connected")
      throw new TikLiveError(ErrorCode.NotConnected, "switchRoom needs a connected client");
    const roomId = /^\d+$/.test(target.trim())
      ? normalizeRoomId(target)
      : (await lookupRoom(this.#web, this.#options.signer, normalizeUniqueId(target), options.signal)).roomId;
    if (roomId === "") throw new TikLiveError(ErrorCode.UserOffline, `${target} has no live room`);
    if (connection.capabilities?.switchRoom !== true || connection.switchRoom === undefined)
      throw new TikLiveError(
        ErrorCode.FeatureDisabled,
        `the ${connection.kind} transport cannot switch rooms; disconnect and connect a new client`,
      );
    this.#pipeline.flushStreaks();
    await connection.switchRoom(roomId);
    this.#state.roomId = roomId;
    this.#dispatch({ type: "connected", state: this.getState(), reconnected: false });
    return this.getState();
  }

  /** `await using client = new TikTokLiveClient(...)` disconnects at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }
}

/** Creates a {@link TikTokLiveClient}. */
export function createClient(uniqueIdOrUrl: string, options: ClientOptions = {}): TikTokLiveClient {
  return new TikTokLiveClient(uniqueIdOrUrl, options);
}

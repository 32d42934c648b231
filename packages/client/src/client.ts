import {
  type CoreEvent,
  type CoreEventName,
  createDeduplicator,
  createEventDecoder,
  createGiftStreakAggregator,
  ErrorCode,
  type EventDecoder,
  type FetchResult,
  type GiftEvent,
  type GiftStreakAggregator,
  isCoreEventName,
  normalizeRoomId,
  normalizeUniqueId,
  type SignedSession,
  TikLiveError,
  type TransportConnection,
  type TransportEvent,
} from "@tiklive/core";
import {
  type AsyncQueue,
  createAsyncQueue,
  createRedactor,
  linkSignals,
  redactDeep,
  sleep,
  toGiftCompletedEvent,
} from "@tiklive/core/internal";
import type {
  ClientEvent,
  ClientEventMap,
  ClientEventName,
  ClientState,
  DisconnectReason,
  ReconnectingEvent,
} from "./client-events.js";
import {
  backoffDelay,
  type ClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "./client-options.js";
import { type Listener, TypedEmitter } from "./emitter.js";
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

interface Active {
  controller: AbortController;
  connection: TransportConnection | undefined;
  iterator: AsyncIterator<TransportEvent> | undefined;
  done: Promise<void>;
}

type Outcome =
  | { kind: "ended" }
  | { kind: "aborted" }
  | { kind: "closed"; code: number }
  | { kind: "stall" }
  | { kind: "frameError"; error: TikLiveError }
  | { kind: "error"; error: TikLiveError };

/**
 * Connects to a TikTok LIVE room by the streamer's @username and emits typed events:
 * uniqueId -> room lookup -> sign -> transport (WebSocket, falling back to polling) -> events,
 * with reconnect and resume from the last cursor, msgId dedup, a stall watchdog and gift
 * streaks counted once. Everything is per instance.
 */
export class TikTokLiveClient {
  /** The normalised uniqueId (the @handle without "@"). */
  readonly uniqueId: string;
  readonly #options: ResolvedClientOptions;
  readonly #web: WebApi;
  readonly #emitter: TypedEmitter<ClientEventMap>;
  readonly #iterators = new Set<{ queue: AsyncQueue<ClientEvent>; only: ReadonlySet<string> | undefined }>();
  readonly #redact: (text: string) => string;
  #state: ClientState;
  #active: Active | undefined;
  #decoder: EventDecoder;
  #streaks: GiftStreakAggregator<GiftEvent>;
  #streakTimer: ReturnType<typeof setTimeout> | undefined;
  #session: SignedSession | undefined;
  #internalExt = "";
  #lastEventAt = 0;
  #streamEnded = false;

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
      cookies: () => [{ name: "tt-target-idc", value: this.#options.session?.ttTargetIdc ?? "useast1a" }],
      timeoutMs: this.#options.requestTimeoutMs,
      dispatcher: this.#options.dispatcher,
      secrets: this.#options.secrets,
    });
    this.#emitter = new TypedEmitter<ClientEventMap>(
      (error, name) => {
        this.#log(
          "error",
          `a listener of "${String(name)}" threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
      // Which messages must be decoded depends on who listens.
      () => this.#decoder?.invalidate(),
    );
    this.#decoder = this.#createDecoder();
    this.#streaks = createGiftStreakAggregator<GiftEvent>({ timeoutMs: this.#options.giftStreakTimeoutMs });
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

  #createDecoder(): EventDecoder {
    return createEventDecoder({
      dedup:
        this.#options.dedupCapacity === false
          ? false
          : createDeduplicator({ capacity: this.#options.dedupCapacity }),
      wants: (name) => this.#wants(name),
    });
  }

  // Decode-on-demand: a message is decoded only when its events have a listener, an
  // events() iterator wants them, or the client needs them itself (stream end, streaks).
  #wants(name: CoreEventName): boolean {
    if (name === "streamEnd" || name === "controlMessage") return true;
    if (this.#emitter.listenerCount("decodedData") > 0) return true;
    return this.#heard(name) || (name === "gift" && this.#heard("giftCompleted"));
  }

  // Whether a listener or an events() iterator takes events of this name.
  #heard(name: ClientEventName): boolean {
    if (this.#emitter.listenerCount(name) > 0) return true;
    for (const { only } of this.#iterators) if (only === undefined || only.has(name)) return true;
    return false;
  }

  // ---------------------------------------------------------------- listeners

  /** Adds a listener; returns a function that removes it. */
  on<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): () => void {
    this.#checkName(name);
    return this.#emitter.on(name, listener);
  }

  /** Adds a listener called at most once; returns a function that removes it (as `off` does). */
  once<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): () => void {
    this.#checkName(name);
    return this.#emitter.once(name, listener);
  }

  /** Removes a listener added with `on` or `once`. */
  off<K extends ClientEventName>(name: K, listener: Listener<ClientEventMap[K]>): void {
    this.#emitter.off(name, listener);
  }

  /** Removes every listener (of one event, or of all). */
  removeAllListeners(name?: ClientEventName): void {
    this.#emitter.removeAllListeners(name);
  }

  /** Number of listeners of an event. */
  listenerCount(name: ClientEventName): number {
    return this.#emitter.listenerCount(name);
  }

  #checkName(name: string): void {
    if (!isCoreEventName(name) && !controlNames.has(name))
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
    const entry = {
      queue: undefined as unknown as AsyncQueue<ClientEvent>,
      only: options.only === undefined ? undefined : new Set<string>(options.only),
    };
    const onAbort = () => {
      entry.queue.end();
      this.#iterators.delete(entry);
      this.#decoder.invalidate();
    };
    entry.queue = createAsyncQueue<ClientEvent>({
      onReturn: () => {
        this.#iterators.delete(entry);
        this.#decoder.invalidate();
        options.signal?.removeEventListener("abort", onAbort);
      },
    });
    this.#iterators.add(entry);
    this.#decoder.invalidate();
    if (options.signal?.aborted) entry.queue.end();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    return entry.queue as AsyncIterableIterator<ClientEventMap[K]>;
  }

  #dispatch(event: ClientEvent): void {
    this.#emitter.emit(event.type as ClientEventName, event as never);
    for (const entry of this.#iterators) {
      if (entry.only === undefined || entry.only.has(event.type)) entry.queue.push(event);
    }
  }

  #emitError(error: TikLiveError): void {
    const heard = this.#heard("error");
    // Never swallowed: with nobody listening, errors go to the logger.
    if (!heard) this.#log("error", `${error.code}: ${error.message}`);
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

  /** Finds the user's room: the live page's SIGI_STATE, then `api-live/user/room`, then the signer (PROTOCOL.md §8). */
  async lookupRoom(options: { signal?: AbortSignal } = {}): Promise<RoomLookup> {
    if (this.#options.roomId !== undefined)
      return {
        roomId: this.#options.roomId,
        uniqueId: this.uniqueId,
        live: "unknown",
        status: undefined,
        source: "option",
      };
    return this.#lookup(this.uniqueId, options.signal);
  }

  // The lookup steps for any uniqueId (this client's, or a room switch's target).
  async #lookup(uniqueId: string, signal: AbortSignal | undefined): Promise<RoomLookup> {
    const failures: TikLiveError[] = [];
    for (const step of [
      () => this.#web.roomFromHtml(uniqueId, signal),
      () => this.#web.roomFromApi(uniqueId, signal),
    ]) {
      try {
        const found = await step();
        if (found.roomId !== "") return found;
        failures.push(
          new TikLiveError(ErrorCode.UserOffline, `@${uniqueId} has no live room`, {
            retryable: false,
            details: { source: found.source },
          }),
        );
      } catch (error) {
        const failure = TikLiveError.from(error, ErrorCode.InvalidResponse);
        if (failure.code === ErrorCode.Aborted) throw failure;
        failures.push(failure);
      }
    }
    if (this.#options.signer.resolveRoomId !== undefined) {
      try {
        const found = await this.#options.signer.resolveRoomId(uniqueId, { signal: signal });
        return {
          roomId: found.roomId,
          uniqueId: uniqueId,
          live: found.isLive === undefined ? "unknown" : found.isLive ? "live" : "offline",
          status: undefined,
          source: "signer",
        };
      } catch (error) {
        failures.push(TikLiveError.from(error, ErrorCode.InvalidResponse));
      }
    }
    // The most telling outcome wins: a user that does not exist, then offline, then a block.
    for (const code of [
      ErrorCode.UserNotFound,
      ErrorCode.UserOffline,
      ErrorCode.AgeRestricted,
      ErrorCode.Blocked,
    ]) {
      const found = failures.find((f) => f.code === code);
      if (found !== undefined) {
        throw new TikLiveError(code, found.message, {
          retryable: found.retryable,
          cause: found,
          details: {
            ...found.details,
            attempts: failures.map((f) => ({ code: f.code, message: f.message })),
          },
        });
      }
    }
    const last = failures.at(-1);
    throw new TikLiveError(
      last?.code ?? ErrorCode.InvalidResponse,
      `could not find the room of @${uniqueId}: ${last?.message ?? "no lookup succeeded"}`,
      {
        cause: last,
        details: { attempts: failures.map((f) => ({ code: f.code, message: f.message })) },
      },
    );
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

  /** The room's gift list; ids are strings (PROTOCOL.md §12). */
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
    const active: Active = {
      controller,
      connection: undefined,
      iterator: undefined,
      done: new Promise<void>((r) => (resolveDone = r)).finally(() => linked.dispose()),
    };
    this.#active = active;
    this.#state = { ...this.#initialState(), status: "connecting" };
    this.#streamEnded = false;
    this.#decoder = this.#createDecoder();
    try {
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
            { retryable: false, details: { roomId: room.roomId, status: 4 } },
          );
      } else if (room.live === "offline") {
        throw new TikLiveError(ErrorCode.UserOffline, `@${this.uniqueId} is not live`, {
          retryable: false,
          details: { roomId: room.roomId, source: room.source },
        });
      }
      if (this.#options.enableExtendedGiftInfo)
        this.#state.availableGifts = await this.#web.giftList(room.roomId, signal);
      const session = await this.#sign(room.roomId, "", signal);
      await this.#open(active, session, "", signal);
      this.#state.live = "live";
      this.#afterOpen(false, this.#options.processInitialData ? session.fetchResult : undefined);
    } catch (error) {
      const failure = this.#abortAware(error, signal);
      controller.abort();
      await active.connection?.close().catch(() => {});
      this.#active = undefined;
      this.#state.status = "disconnected";
      this.#state.transport = undefined;
      resolveDone();
      throw failure;
    }
    void this.#pump(active, signal).finally(resolveDone);
    return this.getState();
  }

  #abortAware(error: unknown, signal: AbortSignal): TikLiveError {
    if (signal.aborted && !(error instanceof TikLiveError && error.code !== ErrorCode.Aborted)) {
      return new TikLiveError(ErrorCode.Aborted, "connect() was aborted", { cause: error, retryable: false });
    }
    return TikLiveError.from(error, ErrorCode.NetworkError, undefined, { secrets: this.#options.secrets });
  }

  async #sign(roomId: string, cursor: string, signal: AbortSignal): Promise<SignedSession> {
    const session = await this.#options.signer.sign({
      roomId,
      uniqueId: this.uniqueId,
      cursor,
      userAgent: this.#options.device.userAgent,
      platform: "web",
      session: this.#options.session,
      signal,
    });
    if (session.roomId !== roomId) this.#state.roomId = normalizeRoomId(session.roomId);
    this.#session = session;
    this.#state.signer = session.signer;
    return session;
  }

  // Opens the first transport that works; a WebSocket that cannot be established falls back to polling.
  async #open(active: Active, session: SignedSession, cursor: string, signal: AbortSignal): Promise<void> {
    const failures: TikLiveError[] = [];
    for (const transport of this.#options.transports) {
      if (signal.aborted) break;
      const connection = transport.connect({
        session,
        cursor: cursor === "" ? session.fetchResult.cursor : cursor,
        internalExt:
          cursor === ""
            ? session.fetchResult.internalExt
            : this.#internalExt || session.fetchResult.internalExt,
        signal,
      });
      const iterator = connection[Symbol.asyncIterator]();
      try {
        const first = await iterator.next();
        if (first.done === true || first.value.type !== "open")
          throw new TikLiveError(
            ErrorCode.ConnectionClosed,
            `the ${transport.kind} transport ended before opening`,
          );
        active.connection = connection;
        active.iterator = iterator;
        this.#state.transport = connection.kind;
        if (this.#state.cursor === "") this.#state.cursor = session.fetchResult.cursor;
        if (this.#internalExt === "") this.#internalExt = session.fetchResult.internalExt;
        return;
      } catch (error) {
        await connection.close().catch(() => {});
        const failure = TikLiveError.from(error, ErrorCode.NetworkError);
        failures.push(failure);
        this.#log(
          "warn",
          `the ${transport.kind} transport could not open: ${failure.code}: ${failure.message}`,
        );
      }
    }
    const last = failures.at(-1);
    throw new TikLiveError(
      last?.code ?? ErrorCode.Aborted,
      `no transport could open the stream: ${failures.map((f) => `${f.code}: ${f.message}`).join("; ") || "aborted"}`,
      {
        cause: last,
        retryable: failures.some((f) => f.retryable),
        details: {
          attempts: failures.map((f) => ({ code: f.code, message: f.message, details: f.details })),
        },
      },
    );
  }

  #afterOpen(reconnected: boolean, initial: FetchResult | undefined): void {
    this.#state.status = "connected";
    this.#lastEventAt = Date.now();
    this.#dispatch({ type: "connected", state: this.getState(), reconnected });
    if (this.#state.transport === "websocket")
      this.#dispatch({ type: "websocketConnected", url: this.#session?.fetchResult.pushServer });
    if (initial !== undefined) this.#handleResult(initial, false);
  }

  // ---------------------------------------------------------------- the stream

  async #pump(active: Active, signal: AbortSignal): Promise<void> {
    let attempt = 0;
    // Set once the room was seen offline while reconnecting and one last resume from the
    // cursor was made to fetch what was sent before the end (the stream end included).
    let draining = false;
    let reason: DisconnectReason = "client";
    let finalError: TikLiveError | undefined;
    for (;;) {
      const outcome = await this.#stream(active, signal);
      if (outcome.kind === "ended") {
        reason = "streamEnd";
        break;
      }
      if (outcome.kind === "aborted" || signal.aborted) break;
      const error = "error" in outcome ? outcome.error : undefined;
      if (error !== undefined && outcome.kind === "error" && !error.retryable) {
        // Reported once, by the teardown, with the disconnect.
        reason = "error";
        finalError = error;
        break;
      }
      if (outcome.kind === "error" || outcome.kind === "frameError") this.#emitError(outcome.error);
      // Reconnect, resuming from the last cursor.
      await active.connection?.close().catch(() => {});
      active.connection = undefined;
      const lostAt = this.#lastEventAt;
      let reconnected = false;
      // The latest failure decides the wait: a 429 on re-sign carries the signer's retry time.
      let lastError = error;
      while (!signal.aborted) {
        attempt += 1;
        if (!this.#options.reconnect.enabled || attempt > this.#options.reconnect.maxAttempts) {
          reason = "error";
          finalError = new TikLiveError(
            ErrorCode.ConnectionClosed,
            this.#options.reconnect.enabled
              ? `gave up after ${attempt - 1} reconnect attempts`
              : "the connection was lost and reconnecting is disabled",
            {
              cause: lastError,
              retryable: false,
            },
          );
          break;
        }
        const delayMs = Math.max(
          backoffDelay(this.#options.reconnect, attempt, this.#options.random),
          lastError?.retryAfterMs ?? 0,
        );
        const event: ReconnectingEvent = {
          type: "reconnecting",
          attempt,
          delayMs,
          reason: reconnectReason(outcome),
          error: lastError,
        };
        this.#state.status = "reconnecting";
        this.#dispatch(event);
        try {
          await sleep(delayMs, signal);
          if (this.#options.fetchRoomInfoOnConnect) {
            const info = await this.#web.roomInfo(this.#state.roomId ?? "", signal);
            this.#state.roomInfo = info;
            if (info.status === 4) {
              this.#state.live = "offline";
              if (draining || this.#state.cursor === "") {
                reason = "offline";
                this.#dispatch({
                  type: "gap",
                  from: lostAt,
                  until: Date.now(),
                  reason: "offline",
                  lostMessages: undefined,
                });
                break;
              }
              // The room ended while we were away: resume once from the cursor to receive
              // what was sent before the end, then stop.
              draining = true;
            }
          }
          const cursor = this.#state.cursor;
          const session = await this.#sign(this.#state.roomId ?? "", cursor, signal);
          await this.#open(active, session, cursor, signal);
          this.#state.reconnects += 1;
          if (cursor === "")
            this.#dispatch({
              type: "gap",
              from: lostAt,
              until: Date.now(),
              reason: "noCursor",
              lostMessages: undefined,
            });
          // The new session's first messages overlap what we have; dedup drops the repeats.
          this.#afterOpen(true, session.fetchResult);
          reconnected = true;
          attempt = 0;
          break;
        } catch (failure) {
          if (signal.aborted) break;
          const typed = TikLiveError.from(failure, ErrorCode.NetworkError);
          lastError = typed;
          if (!typed.retryable) {
            // Reported once, by the teardown, with the disconnect.
            reason = "error";
            finalError = typed;
            break;
          }
          this.#emitError(typed);
        }
      }
      if (!reconnected) break;
    }
    await this.#teardown(active, reason, finalError);
  }

  // Reads one connection until it ends; returns why.
  async #stream(active: Active, signal: AbortSignal): Promise<Outcome> {
    const iterator = active.iterator;
    if (iterator === undefined)
      return { kind: "error", error: new TikLiveError(ErrorCode.NotConnected, "no open connection") };
    for (;;) {
      let next: IteratorResult<TransportEvent>;
      try {
        next = await this.#nextWithStall(iterator);
      } catch (error) {
        if (signal.aborted) return { kind: "aborted" };
        if (error === stalled) return { kind: "stall" };
        return { kind: "error", error: TikLiveError.from(error, ErrorCode.ConnectionClosed) };
      }
      if (next.done === true) return signal.aborted ? { kind: "aborted" } : { kind: "closed", code: 0 };
      const event = next.value;
      this.#lastEventAt = Date.now();
      switch (event.type) {
        case "result":
          this.#handleResult(event.result, true);
          if (this.#streamEnded) return { kind: "ended" };
          break;
        case "frameError":
          // A WebSocket frame that did not decode lost its messages: resume from the last good
          // cursor to get them again. Polling keeps its cursor and re-fetches by itself.
          if (active.connection?.kind === "websocket") return { kind: "frameError", error: event.error };
          this.#emitError(event.error);
          break;
        case "closed":
          return this.#streamEnded ? { kind: "ended" } : { kind: "closed", code: event.code };
        default:
          break;
      }
    }
  }

  #nextWithStall(iterator: AsyncIterator<TransportEvent>): Promise<IteratorResult<TransportEvent>> {
    const ms = this.#options.stallTimeoutMs;
    if (ms === 0) return iterator.next();
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(stalled), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  #handleResult(result: FetchResult, streamed: boolean): void {
    if (streamed) {
      if (result.cursor !== "" && result.cursor !== "0") this.#state.cursor = result.cursor;
      if (result.internalExt !== "") this.#internalExt = result.internalExt;
    }
    const wantsRaw = this.#heard("rawData");
    const wantsDecoded = this.#heard("decodedData");
    for (const raw of result.messages) {
      if (wantsRaw)
        this.#dispatch({ type: "rawData", method: raw.method, msgId: raw.msgId, payload: raw.payload });
      const events = this.#decoder.decodeMessage(raw);
      if (wantsDecoded && events.length > 0) {
        const first = events[0] as CoreEvent;
        this.#dispatch({
          type: "decodedData",
          method: raw.method,
          msgId: raw.msgId,
          data: "raw" in first ? first.raw : undefined,
          events,
          payload: raw.payload,
        });
      }
      for (const event of events) {
        this.#dispatch(event);
        if (event.type === "gift") this.#pushGift(event);
        if (event.type === "streamEnd") this.#streamEnded = true;
      }
    }
  }

  #pushGift(gift: GiftEvent): void {
    for (const done of this.#streaks.push(gift, Date.now())) this.#dispatch(toGiftCompletedEvent(done));
    this.#scheduleStreakExpiry();
  }

  #scheduleStreakExpiry(): void {
    if (this.#streakTimer !== undefined) clearTimeout(this.#streakTimer);
    this.#streakTimer = undefined;
    const deadline = this.#streaks.nextDeadline();
    if (deadline === undefined) return;
    this.#streakTimer = setTimeout(
      () => {
        this.#streakTimer = undefined;
        for (const done of this.#streaks.expire(Date.now())) this.#dispatch(toGiftCompletedEvent(done));
        this.#scheduleStreakExpiry();
      },
      Math.max(0, deadline - Date.now()),
    );
    this.#streakTimer.unref?.();
  }

  async #teardown(active: Active, reason: DisconnectReason, error: TikLiveError | undefined): Promise<void> {
    active.controller.abort();
    await active.connection?.close().catch(() => {});
    active.connection = undefined;
    active.iterator = undefined;
    if (this.#streakTimer !== undefined) clearTimeout(this.#streakTimer);
    this.#streakTimer = undefined;
    // Streaks cut off by the disconnect are closed now, so every gift is counted once.
    for (const done of this.#streaks.flush(Date.now())) this.#dispatch(toGiftCompletedEvent(done));
    if (this.#active === active) this.#active = undefined;
    this.#state.status = "disconnected";
    this.#state.transport = undefined;
    if (reason === "streamEnd" || reason === "offline") this.#state.live = "offline";
    if (error !== undefined) this.#emitError(error);
    this.#dispatch({ type: "disconnected", reason, error });
    for (const entry of this.#iterators) entry.queue.end();
    this.#iterators.clear();
    this.#decoder.invalidate();
  }

  /** Disconnects and waits until every socket and timer is released. Safe to call at any time. */
  async disconnect(): Promise<void> {
    const active = this.#active;
    if (active === undefined) return;
    active.controller.abort();
    await active.connection?.close().catch(() => {});
    await active.done;
  }

  /**
   * Enters another room on the open connection where the transport supports it (the
   * WebSocket does), else reconnects to it. Accepts a uniqueId, a profile/live URL or a room id.
   */
  async switchRoom(target: string, options: { signal?: AbortSignal } = {}): Promise<ClientState> {
    const active = this.#active;
    if (active?.connection === undefined || this.#state.status !== "connected")
      throw new TikLiveError(ErrorCode.NotConnected, "switchRoom needs a connected client");
    const roomId = /^\d+$/.test(target.trim())
      ? normalizeRoomId(target)
      : (await this.#lookup(normalizeUniqueId(target), options.signal)).roomId;
    if (roomId === "") throw new TikLiveError(ErrorCode.UserOffline, `${target} has no live room`);
    if (active.connection.switchRoom === undefined)
      throw new TikLiveError(
        ErrorCode.FeatureDisabled,
        `the ${active.connection.kind} transport cannot switch rooms; disconnect and connect a new client`,
      );
    for (const done of this.#streaks.flush(Date.now())) this.#dispatch(toGiftCompletedEvent(done));
    await active.connection.switchRoom(roomId);
    this.#state.roomId = roomId;
    this.#dispatch({ type: "connected", state: this.getState(), reconnected: false });
    return this.getState();
  }

  /** `await using client = new TikTokLiveClient(...)` disconnects at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }
}

const stalled = Symbol("stalled");

function reconnectReason(outcome: Outcome): ReconnectingEvent["reason"] {
  switch (outcome.kind) {
    case "error":
      return outcome.error.code === ErrorCode.ConnectionClosed && outcome.error.details["code"] === 1006
        ? "drop"
        : "error";
    case "closed":
    case "stall":
    case "frameError":
      return outcome.kind;
    default:
      return "error";
  }
}

/** Creates a {@link TikTokLiveClient}. */
export function createClient(uniqueIdOrUrl: string, options: ClientOptions = {}): TikTokLiveClient {
  return new TikTokLiveClient(uniqueIdOrUrl, options);
}

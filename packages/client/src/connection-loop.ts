// One connect() of a client, from the first signed session to the disconnect: read the open
// connection until it ends, then reconnect (or stop) by the reconnect policy, resuming through
// the signer. A signed session is single-use (docs/protocol.md §1): every reconnect asks the
// signer for a new one, passing the last cursor, and opens the push connection only from what
// that new session returned; dedup drops what its initial messages repeat.
import {
  type CoreEvent,
  ErrorCode,
  normalizeRoomId,
  type SignedSession,
  TikLiveError,
  type Transport,
  type TransportConnection,
  type TransportEvent,
} from "@tiklive/core";
import { base64Encode } from "@tiklive/core/internal";
import type {
  ClientControlEvent,
  ClientState,
  DisconnectReason,
  ReconnectingEvent,
} from "./client-events.js";
import type { ResolvedClientOptions } from "./client-options.js";
import type { MessagePipeline } from "./message-pipeline.js";
import type { ReconnectPolicy } from "./reconnect-policy.js";
import { startStallWatchdog } from "./stall-watchdog.js";
import type { WebApi } from "./web-api.js";

/** What the loop needs from its client. */
export interface LoopHost {
  readonly options: ResolvedClientOptions;
  /** The client's state; the loop keeps roomId, transport, signer, cursor and reconnects current. */
  readonly state: ClientState;
  readonly pipeline: MessagePipeline;
  readonly web: WebApi;
  /** The transport (the client's fallback of WebSocket and polling, by default). */
  readonly transport: Transport;
  readonly policy: ReconnectPolicy;
  dispatch(event: ClientControlEvent): void;
  emitError(error: TikLiveError): void;
  log(level: "debug" | "info" | "warn" | "error", message: string): void;
}

/** How the loop ended. */
export interface LoopEnding {
  reason: DisconnectReason;
  error?: TikLiveError | undefined;
}

// Why one connection stopped.
type Outcome =
  | { kind: "ended" }
  | { kind: "aborted" }
  | { kind: "closed"; code: number }
  | { kind: "stall" }
  | { kind: "badFrames"; error: TikLiveError }
  | { kind: "error"; error: TikLiveError };

export class ConnectionLoop {
  readonly #host: LoopHost;
  readonly #uniqueId: string;
  readonly #signal: AbortSignal;
  #connection: TransportConnection | undefined;
  #iterator: AsyncIterator<TransportEvent> | undefined;
  #lastFrameAt = 0;
  #badFramesInARow = 0;
  // While the room is seen offline when reconnecting: the cursor the last resume ("drain") started
  // from, and how many drains were made. A drain fetches what was sent before the end (the
  // stream end included); another is made only when the last one brought something.
  #drainedFrom: string | undefined;
  #drains = 0;

  constructor(host: LoopHost, uniqueId: string, signal: AbortSignal) {
    this.#host = host;
    this.#uniqueId = uniqueId;
    this.#signal = signal;
  }

  /** The open connection, if any (for switchRoom). */
  get connection(): TransportConnection | undefined {
    return this.#connection;
  }

  /** Signs and opens the first connection. Rejects with a TikLiveError; connect() reports it. */
  async start(roomId: string): Promise<void> {
    const session = await this.#sign(roomId, "");
    await this.#open(session);
    this.#afterOpen(false, session, this.#host.options.processInitialData);
  }

  /** Reads and reconnects until the stream ends, the client stops, or the policy gives up. */
  async run(): Promise<LoopEnding> {
    for (;;) {
      const outcome = await this.#read();
      if (outcome.kind === "ended") return { reason: "streamEnd" };
      if (outcome.kind === "aborted" || this.#signal.aborted) return { reason: "client" };
      const ending = await this.#reconnect(outcome);
      if (ending !== undefined) return ending;
    }
  }

  /** Closes the open connection, if any. */
  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#iterator = undefined;
    await connection?.close().catch(() => {});
  }

  // ---------------------------------------------------------------- one connection

  // Reads the open connection until it ends; returns why.
  async #read(): Promise<Outcome> {
    const connection = this.#connection;
    const iterator = this.#iterator;
    if (connection === undefined || iterator === undefined) {
      return { kind: "error", error: new TikLiveError(ErrorCode.NotConnected, "no open connection") };
    }
    const { options, pipeline } = this.#host;
    let stalled = false;
    const watchdog = startStallWatchdog(options.stallTimeoutMs, options.clock, () => {
      stalled = true;
      void connection.close().catch(() => {});
    });
    try {
      for (;;) {
        let next: IteratorResult<TransportEvent>;
        try {
          next = await iterator.next();
        } catch (error) {
          if (this.#signal.aborted) return { kind: "aborted" };
          if (stalled) return { kind: "stall" };
          return { kind: "error", error: TikLiveError.from(error, ErrorCode.ConnectionClosed) };
        }
        if (next.done === true) {
          if (this.#signal.aborted) return { kind: "aborted" };
          return stalled ? { kind: "stall" } : { kind: "closed", code: 0 };
        }
        const event = next.value;
        this.#lastFrameAt = options.clock.now();
        watchdog.touch();
        switch (event.type) {
          case "result": {
            this.#badFramesInARow = 0;
            const { cursor } = event.result;
            if (cursor !== "" && cursor !== "0") this.#host.state.cursor = cursor;
            pipeline.handle(event.result);
            if (pipeline.ended) return { kind: "ended" };
            break;
          }
          case "frameError": {
            const error = this.#badFrame(event);
            if (error !== undefined) return { kind: "badFrames", error };
            break;
          }
          case "closed":
            return pipeline.ended ? { kind: "ended" } : { kind: "closed", code: event.code };
          default:
            break;
        }
      }
    } finally {
      watchdog.stop();
    }
  }

  // A frame that did not decode: skip it, say what was lost, keep the socket. Only a run of
  // bad frames (maxConsecutiveBadFrames with no good frame between) reconnects: one corrupt
  // frame says nothing about the next, and a reconnect costs a sign request.
  #badFrame(event: Extract<TransportEvent, { type: "frameError" }>): TikLiveError | undefined {
    const { options, pipeline, state } = this.#host;
    const ids = { logId: event.logId, seqId: event.seqId };
    const decodeError: CoreEvent = {
      type: "decodeError",
      method: "",
      msgId: "",
      payloadBase64: base64Encode(event.frame.subarray(0, maxReportedFrameBytes)),
      payloadSize: event.frame.byteLength,
      ...ids,
      error: event.error,
    };
    pipeline.emit(decodeError);
    // A push transport cannot fetch the frame again: its messages are gone. A polled one keeps
    // its cursor and asks again, so nothing is lost there.
    if (this.#connection?.capabilities?.push === true) {
      this.#host.dispatch({
        type: "gap",
        from: event.receivedAt,
        until: event.receivedAt,
        reason: "badFrame",
        lostMessages: undefined,
        ...ids,
      });
    }
    this.#badFramesInARow += 1;
    if (this.#badFramesInARow < options.maxConsecutiveBadFrames) return undefined;
    this.#badFramesInARow = 0;
    return new TikLiveError(
      ErrorCode.MalformedFrame,
      `${options.maxConsecutiveBadFrames} frames in a row did not decode; reconnecting`,
      { retryable: true, cause: event.error, details: { roomId: state.roomId, ...ids } },
    );
  }

  // ---------------------------------------------------------------- reconnecting

  // After a connection ended: reconnect (returns undefined) or say why the loop must stop.
  async #reconnect(
    outcome: Exclude<Outcome, { kind: "ended" } | { kind: "aborted" }>,
  ): Promise<LoopEnding | undefined> {
    const { options, policy, state, web } = this.#host;
    let error = "error" in outcome ? outcome.error : undefined;
    // A fatal error is reported once, by the teardown, with the disconnect.
    if (error !== undefined && !error.retryable) return { reason: "error", error };
    if (error !== undefined) this.#host.emitError(error);
    await this.close();
    const lostAt = this.#lastFrameAt;
    for (;;) {
      const decision = policy.next(error);
      if (!decision.retry) {
        if (decision.why === "fatal") return { reason: "error", error };
        return {
          reason: "error",
          error: new TikLiveError(
            ErrorCode.ConnectionClosed,
            decision.why === "disabled"
              ? "the connection was lost and reconnecting is disabled"
              : `gave up after ${decision.attempt} reconnect attempts`,
            { cause: error, retryable: false },
          ),
        };
      }
      // Reconnecting costs a sign request; when the budget is empty, wait for it and say so.
      const budgetWaitMs = options.signer.budget?.waitTime() ?? 0;
      const event: ReconnectingEvent = {
        type: "reconnecting",
        attempt: decision.attempt,
        delayMs: Math.max(decision.delayMs, budgetWaitMs),
        reason: reconnectReason(outcome),
        signBudgetWaitMs: budgetWaitMs,
        error,
      };
      state.status = "reconnecting";
      this.#host.dispatch(event);
      try {
        await options.clock.sleep(Math.max(decision.delayMs, budgetWaitMs), this.#signal);
        const roomId = state.roomId ?? "";
        let draining = false;
        if (options.fetchRoomInfoOnConnect) {
          const info = await web.roomInfo(roomId, this.#signal);
          state.roomInfo = info;
          if (info.status === 4) {
            state.live = "offline";
            // The room ended while we were away: resume from the cursor to receive what was sent
            // before the end, then stop. A drain that was cut short (the connection failed again)
            // is followed by another as long as each moves the cursor, at most
            // reconnect.maxAttempts of them; what is left then is reported as a gap.
            if (
              state.cursor === "" ||
              state.cursor === this.#drainedFrom ||
              this.#drains >= options.reconnect.maxAttempts
            ) {
              this.#host.dispatch({
                type: "gap",
                from: lostAt,
                until: options.clock.now(),
                reason: "offline",
                lostMessages: undefined,
              });
              return { reason: "offline" };
            }
            draining = true;
          } else {
            this.#drainedFrom = undefined;
            this.#drains = 0;
          }
        }
        const cursor = state.cursor;
        const session = await this.#sign(roomId, cursor);
        await this.#open(session);
        // A drain counts once its session opened (a failed sign or open is retried as usual).
        if (draining) {
          this.#drainedFrom = cursor;
          this.#drains += 1;
        }
        state.reconnects += 1;
        if (cursor === "") {
          this.#host.dispatch({
            type: "gap",
            from: lostAt,
            until: options.clock.now(),
            reason: "noCursor",
            lostMessages: undefined,
          });
        }
        policy.reset();
        // The new session's first messages overlap what we have; dedup drops the repeats.
        this.#afterOpen(true, session, true);
        return undefined;
      } catch (failure) {
        if (this.#signal.aborted) return { reason: "client" };
        error = TikLiveError.from(failure, ErrorCode.NetworkError);
        if (!error.retryable) return { reason: "error", error };
        this.#host.emitError(error);
      }
    }
  }

  // ---------------------------------------------------------------- sessions

  async #sign(roomId: string, cursor: string): Promise<SignedSession> {
    const { options, state } = this.#host;
    const waitMs = options.signer.budget?.waitTime() ?? 0;
    if (waitMs > 0) {
      this.#host.log(
        "info",
        `the sign budget is empty: waiting ${Math.ceil(waitMs / 1000)} s for a sign request`,
      );
    }
    const session = await options.signer.sign({
      roomId,
      uniqueId: this.#uniqueId,
      cursor,
      userAgent: options.device.userAgent,
      platform: "web",
      session: options.session,
      signal: this.#signal,
    });
    state.roomId = session.roomId === roomId ? roomId : normalizeRoomId(session.roomId);
    state.signer = session.signer;
    return session;
  }

  // Opens the session with the transport; the push URL comes from the session alone.
  async #open(session: SignedSession): Promise<void> {
    const connection = this.#host.transport.connect({ session, signal: this.#signal });
    const iterator = connection[Symbol.asyncIterator]();
    try {
      const first = await iterator.next();
      if (first.done === true || first.value.type !== "open") {
        throw new TikLiveError(
          ErrorCode.ConnectionClosed,
          `the ${connection.kind} transport ended before opening`,
        );
      }
    } catch (error) {
      await connection.close().catch(() => {});
      throw TikLiveError.from(error, ErrorCode.NetworkError);
    }
    this.#connection = connection;
    this.#iterator = iterator;
    this.#host.state.transport = connection.kind;
    this.#host.state.cursor = session.fetchResult.cursor || this.#host.state.cursor;
  }

  #afterOpen(reconnected: boolean, session: SignedSession, processInitial: boolean): void {
    const { options, state, pipeline } = this.#host;
    state.status = "connected";
    state.live = "live";
    this.#lastFrameAt = options.clock.now();
    this.#badFramesInARow = 0;
    this.#host.dispatch({ type: "connected", state: { ...state }, reconnected });
    if (this.#connection?.capabilities?.push === true) {
      this.#host.dispatch({ type: "websocketConnected", url: session.fetchResult.pushServer });
    }
    if (processInitial) pipeline.handle(session.fetchResult);
  }
}

// A bad frame's bytes in its decodeError event are cut here: enough to look at, never a
// copy of a multi-megabyte frame.
const maxReportedFrameBytes = 64 * 1024;

function reconnectReason(
  outcome: Exclude<Outcome, { kind: "ended" } | { kind: "aborted" }>,
): ReconnectingEvent["reason"] {
  switch (outcome.kind) {
    case "error":
      return outcome.error.code === ErrorCode.ConnectionClosed && outcome.error.details["code"] === 1006
        ? "drop"
        : "error";
    case "badFrames":
      return "frameError";
    default:
      return outcome.kind;
  }
}

// Fetch results in, events out: decode what someone wants, drop duplicates, count gift
// streaks once, notice the stream's end. One per client; `reset()` on every connect().
import {
  type CoreEvent,
  type CoreEventName,
  createDeduplicator,
  createEventDecoder,
  createGiftStreakAggregator,
  type EventDecoder,
  type FetchResult,
  type GiftEvent,
  type GiftStreakAggregator,
} from "@tiklive/core";
import { toGiftCompletedEvent } from "@tiklive/core/internal";
import type { ClientEvent, ClientEventName } from "./client-events.js";

/** What the pipeline needs from its client. */
export interface PipelineHost {
  /** Whether a listener or iterator takes events of this name. */
  heard(name: ClientEventName): boolean;
  dispatch(event: ClientEvent): void;
}

/** Options of {@link MessagePipeline}, from the client's resolved options. */
export interface PipelineOptions {
  dedupCapacity: number | false;
  /** How long an id is remembered, on `clock`. */
  dedupWindowMs: number;
  /** The client's clock (the dedup window's time). */
  clock: { now(): number };
  giftStreakTimeoutMs: number;
}

export class MessagePipeline {
  readonly #host: PipelineHost;
  readonly #options: PipelineOptions;
  #decoder: EventDecoder;
  #streaks: GiftStreakAggregator<GiftEvent>;
  #streakTimer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  constructor(host: PipelineHost, options: PipelineOptions) {
    this.#host = host;
    this.#options = options;
    this.#decoder = this.#createDecoder();
    this.#streaks = createGiftStreakAggregator<GiftEvent>({ timeoutMs: options.giftStreakTimeoutMs });
  }

  /** True once a `streamEnd` went through. */
  get ended(): boolean {
    return this.#ended;
  }

  /** A fresh start for a new connect(): new dedup window, no stream end seen. */
  reset(): void {
    this.#decoder = this.#createDecoder();
    this.#ended = false;
  }

  /** Who listens changed: decode-on-demand must ask again. */
  invalidate(): void {
    this.#decoder.invalidate();
  }

  /** Decodes and dispatches the messages of one fetch result, in order. */
  handle(result: FetchResult): void {
    const host = this.#host;
    const wantsRaw = host.heard("rawData");
    const wantsDecoded = host.heard("decodedData");
    for (const raw of result.messages) {
      if (wantsRaw)
        host.dispatch({ type: "rawData", method: raw.method, msgId: raw.msgId, payload: raw.payload });
      const events = this.#decoder.decodeMessage(raw);
      if (wantsDecoded && events.length > 0) {
        const first = events[0] as CoreEvent;
        host.dispatch({
          type: "decodedData",
          method: raw.method,
          msgId: raw.msgId,
          data: "raw" in first ? first.raw : undefined,
          events,
          payload: raw.payload,
        });
      }
      for (const event of events) {
        host.dispatch(event);
        if (event.type === "gift") this.#pushGift(event);
        if (event.type === "streamEnd") this.#ended = true;
      }
    }
  }

  /** Dispatches a core event that did not come from a message (a bad frame's decodeError). */
  emit(event: CoreEvent): void {
    this.#host.dispatch(event);
  }

  /** Closes every open streak now (disconnect, room switch), so each gift is counted once. */
  flushStreaks(): void {
    if (this.#streakTimer !== undefined) clearTimeout(this.#streakTimer);
    this.#streakTimer = undefined;
    for (const done of this.#streaks.flush(Date.now())) this.#host.dispatch(toGiftCompletedEvent(done));
  }

  #createDecoder(): EventDecoder {
    return createEventDecoder({
      dedup:
        this.#options.dedupCapacity === false
          ? false
          : createDeduplicator({
              capacity: this.#options.dedupCapacity,
              windowMs: this.#options.dedupWindowMs,
              clock: this.#options.clock,
            }),
      wants: (name) => this.#wants(name),
    });
  }

  // Decode-on-demand: a message is decoded only when its events have a listener, an
  // events() iterator wants them, or the client needs them itself (stream end, streaks).
  #wants(name: CoreEventName): boolean {
    if (name === "streamEnd" || name === "controlMessage") return true;
    const host = this.#host;
    if (host.heard("decodedData")) return true;
    return host.heard(name) || (name === "gift" && host.heard("giftCompleted"));
  }

  #pushGift(gift: GiftEvent): void {
    for (const done of this.#streaks.push(gift, Date.now())) this.#host.dispatch(toGiftCompletedEvent(done));
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
        for (const done of this.#streaks.expire(Date.now())) this.#host.dispatch(toGiftCompletedEvent(done));
        this.#scheduleStreakExpiry();
      },
      Math.max(0, deadline - Date.now()),
    );
    this.#streakTimer.unref?.();
  }
}

import { ErrorCode, TikLiveError } from "@tiklive/core";
import type {
  ScenarioContext,
  ScenarioDefinition,
  ScenarioFieldValue,
  ScenarioMessage,
  ScenarioTick,
} from "./scenario/scenario-types.js";
import { createHostUser, type SimUser } from "./scenario/users.js";

/** A tick as the room published it. */
export interface PublishedTick {
  /** 0-based index among the room's published ticks. */
  readonly index: number;
  /** Sequence number of its first message. */
  readonly firstSeq: number;
  /** Scenario time of the tick (epoch ms). */
  readonly timeMs: number;
  /** Wall-clock time it was published (epoch ms). */
  readonly publishedAt: number;
  readonly messages: readonly ScenarioMessage[];
  /** True for messages that are not part of the scenario (chat sent through the sign server's chat route). */
  readonly injected: boolean;
}

/** A run of consecutive published messages. */
export interface MessageRange {
  /** Sequence number of the first message (may be later than asked for when retention dropped older ones). */
  readonly startSeq: number;
  /** Sequence number after the last message. */
  readonly endSeq: number;
  readonly messages: readonly ScenarioMessage[];
  /** Scenario time (epoch ms) of the tick of the last message. */
  readonly timeMs: number;
}

/** One entry of a room's expected scenario. */
export interface ScenarioEntry {
  /** Sequence number the message gets when published (0-based). */
  readonly seq: number;
  /** Index of its tick. */
  readonly tick: number;
  /** When its tick is published, in scenario ms after the room starts. */
  readonly atMs: number;
  readonly method: string;
  readonly msgId: string;
  readonly createTime: number;
  readonly fields: Readonly<Record<string, ScenarioFieldValue>>;
  readonly endsStream: boolean;
  /** The encoded message. */
  readonly payload: Uint8Array;
}

/** The lifecycle state of a room's timeline. */
export type RoomState = "idle" | "running" | "paused" | "ended" | "offline";

/** Everything a {@link Room} is made from. */
export interface RoomInit {
  readonly index: number;
  readonly uniqueId: string;
  readonly roomId: string;
  readonly nickname: string;
  readonly title: string;
  /** False for a room that is offline (it went live before, it is not live now). */
  readonly live: boolean;
  readonly scenario: ScenarioDefinition;
  readonly context: Omit<ScenarioContext, "startTime"> & { readonly startTime: number | undefined };
  /** Playback speed factor (2 = twice as fast). */
  readonly speed: number;
  /** How long published messages stay resumable, in ms. */
  readonly retentionMs: number;
  /** Wall clock (epoch ms). */
  readonly now: () => number;
  /** Monotonic clock (ms). */
  readonly monotonic: () => number;
}

/**
 * One room: its identity, its live status and its timeline. The timeline publishes
 * the scenario's ticks at their times (scaled by `speed`); every connection and
 * poll of the room reads the same published sequence, from its cursor on.
 */
export class Room {
  readonly index: number;
  readonly uniqueId: string;
  readonly roomId: string;
  readonly nickname: string;
  readonly title: string;
  readonly scenario: ScenarioDefinition;
  /** Whether the room was configured live (false: offline, went live before). */
  readonly configuredLive: boolean;
  private readonly init: RoomInit;
  // Published ticks; the ones before `oldest` fell out of retention (dropped in
  // batches, so pruning stays O(1) per tick however long the stream runs).
  private ticks: PublishedTick[] = [];
  private oldest = 0;
  private head = 0;
  private tickCount = 0;
  private iterator: Iterator<ScenarioTick> | undefined;
  private pending: ScenarioTick | undefined;
  private exhausted = false;
  private startedAt: number | undefined;
  private pausedElapsed = 0;
  private timer: NodeJS.Timeout | undefined;
  private fixedStartTime: number | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  /** Lifecycle state of the timeline. */
  state: RoomState;
  /** Wall-clock time the stream started (epoch ms), once it has. */
  liveSince: number | undefined;
  /** Wall-clock time the room was created (epoch ms). */
  readonly createdAt: number;
  /** Current viewers, cumulative viewers, total likes and followers, as the published messages say. */
  readonly stats = { viewers: 0, totalUser: 0, likes: 0, followers: 0 };

  constructor(init: RoomInit) {
    this.init = init;
    this.index = init.index;
    this.uniqueId = init.uniqueId;
    this.roomId = init.roomId;
    this.nickname = init.nickname;
    this.title = init.title;
    this.scenario = init.scenario;
    this.configuredLive = init.live;
    this.state = init.live ? "idle" : "offline";
    this.createdAt = init.now();
  }

  /** The host user, as messages show it. */
  get host(): SimUser {
    return createHostUser(this.uniqueId, this.nickname, this.roomId);
  }

  /** Epoch ms of scenario time zero: the `startTime` option, else fixed the first time it is needed. */
  get startTime(): number {
    this.fixedStartTime ??= this.init.context.startTime ?? this.init.now();
    return this.fixedStartTime;
  }

  /** The scenario context of this room. */
  get context(): ScenarioContext {
    return { ...this.init.context, startTime: this.startTime };
  }

  /** True while the stream is live (not offline, not ended). Faults are applied by the simulator on top. */
  get live(): boolean {
    return this.state !== "offline" && this.state !== "ended";
  }

  /** True once the stream-end message was published. */
  get ended(): boolean {
    return this.state === "ended";
  }

  /** Sequence number after the last published message. */
  get headSeq(): number {
    return this.head;
  }

  /** Sequence number of the oldest message still retained. */
  get firstRetainedSeq(): number {
    return this.ticks[this.oldest]?.firstSeq ?? this.head;
  }

  /** Scenario time (epoch ms) now, for a room that has started. */
  get scenarioNow(): number {
    return this.startTime + Math.floor(this.elapsed());
  }

  /** Calls `listener` after every publish. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private elapsed(): number {
    if (this.startedAt === undefined) return this.pausedElapsed;
    return (this.init.monotonic() - this.startedAt) * this.init.speed;
  }

  private ensureIterator(): void {
    if (this.iterator !== undefined) return;
    this.iterator = this.scenario.ticks(this.context)[Symbol.iterator]();
    this.pullNext();
    this.liveSince ??= this.init.now();
  }

  private pullNext(): void {
    if (this.iterator === undefined || this.exhausted) return;
    const next = this.iterator.next();
    if (next.done === true) {
      this.exhausted = true;
      this.pending = undefined;
    } else {
      this.pending = next.value;
    }
  }

  /** Starts (or resumes) the timeline. No-op for offline, ended or running rooms. */
  start(): void {
    if (this.closed || (this.state !== "idle" && this.state !== "paused")) return;
    this.ensureIterator();
    this.startedAt = this.init.monotonic() - this.pausedElapsed / this.init.speed;
    this.state = "running";
    this.publishDue();
  }

  /** Pauses the timeline (published messages stay; nothing new until `start`). */
  pause(): void {
    if (this.state !== "running") return;
    this.pausedElapsed = this.elapsed();
    this.startedAt = undefined;
    this.clearTimer();
    this.state = "paused";
  }

  /**
   * Publishes the next `ticks` ticks now, whatever their time. Works in every
   * state but offline and ended (a never-started room becomes paused). Returns the
   * number of messages published.
   */
  advance(ticks = 1): number {
    if (this.closed || this.state === "offline" || this.state === "ended") return 0;
    this.ensureIterator();
    if (this.state === "idle") this.state = "paused";
    let published = 0;
    for (let i = 0; i < ticks && this.pending !== undefined && !this.ended; i++) {
      const tick = this.pending;
      this.pullNext();
      published += this.publish(tick.messages, this.startTime + tick.atMs, false);
    }
    if (this.state === "running") this.schedule();
    return published;
  }

  /** Publishes a message that is not part of the scenario (e.g. chat sent through the chat route). */
  inject(message: ScenarioMessage): void {
    if (this.closed) return;
    this.publish([message], this.scenarioNow, true);
  }

  private publishDue(): void {
    this.clearTimer();
    if (this.state !== "running") return;
    const elapsed = this.elapsed();
    while (this.pending !== undefined && this.pending.atMs <= elapsed && this.state === "running") {
      const tick = this.pending;
      this.pullNext();
      this.publish(tick.messages, this.startTime + tick.atMs, false);
    }
    this.schedule();
  }

  private schedule(): void {
    this.clearTimer();
    if (this.state !== "running" || this.pending === undefined) return;
    const delay = Math.max(0, (this.pending.atMs - this.elapsed()) / this.init.speed);
    // Not unref'd: while the simulator is open its server keeps the process alive
    // anyway, and close() clears this timer (the lifecycle test counts handles).
    this.timer = setTimeout(() => this.publishDue(), Math.ceil(delay));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(messages: readonly ScenarioMessage[], timeMs: number, injected: boolean): number {
    if (messages.length === 0) return 0;
    const tick: PublishedTick = {
      index: this.tickCount,
      firstSeq: this.head,
      timeMs: Math.round(timeMs),
      publishedAt: this.init.now(),
      messages,
      injected,
    };
    this.tickCount += 1;
    this.head += messages.length;
    this.ticks.push(tick);
    for (const m of messages) this.track(m);
    if (messages.some((m) => m.endsStream === true)) {
      this.state = "ended";
      this.clearTimer();
    }
    this.prune();
    for (const listener of [...this.listeners]) listener();
    return messages.length;
  }

  private track(m: ScenarioMessage): void {
    const f = m.fields;
    const num = (key: string): number | undefined =>
      typeof f[key] === "number" ? (f[key] as number) : undefined;
    switch (m.method) {
      case "WebcastLikeMessage":
        this.stats.likes = num("total") ?? this.stats.likes;
        break;
      case "WebcastRoomUserSeqMessage":
        this.stats.viewers = num("total") ?? this.stats.viewers;
        this.stats.totalUser = num("totalUser") ?? this.stats.totalUser;
        break;
      case "WebcastMemberMessage":
        this.stats.viewers = num("memberCount") ?? this.stats.viewers;
        break;
      case "WebcastSocialMessage":
        this.stats.followers = num("followCount") ?? this.stats.followers;
        break;
    }
  }

  private prune(): void {
    const limit = this.init.now() - this.init.retentionMs;
    // Keep the newest tick even when it is old: a room never forgets where its head is.
    while (
      this.ticks.length - this.oldest > 1 &&
      (this.ticks[this.oldest] as PublishedTick).publishedAt < limit
    )
      this.oldest += 1;
    if (this.oldest > 1024 && this.oldest * 2 > this.ticks.length) {
      this.ticks = this.ticks.slice(this.oldest);
      this.oldest = 0;
    }
  }

  private tickIndexOf(seq: number): number {
    let lo = this.oldest;
    let hi = this.ticks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.ticks[mid] as PublishedTick).firstSeq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The messages from `fromSeq` to the end of the tick that holds it, at most
   * `max`: what one `msg` frame carries. `undefined` when nothing is published
   * from there yet. A position older than retention resumes at the oldest retained message.
   */
  frameFrom(fromSeq: number, max: number): MessageRange | undefined {
    this.prune();
    const from = Math.max(fromSeq, this.firstRetainedSeq);
    if (from >= this.head || max <= 0) return undefined;
    const tick = this.ticks[this.tickIndexOf(from)] as PublishedTick;
    const offset = from - tick.firstSeq;
    const messages = tick.messages.slice(offset, offset + max);
    return { startSeq: from, endSeq: from + messages.length, messages, timeMs: tick.timeMs };
  }

  /** Up to `max` messages from `fromSeq` on, across ticks (sign and polling responses). */
  rangeFrom(fromSeq: number, max: number): MessageRange {
    this.prune();
    const from = Math.max(fromSeq, this.firstRetainedSeq);
    const messages: ScenarioMessage[] = [];
    let seq = from;
    let timeMs =
      this.ticks.length > 0 ? (this.ticks[this.ticks.length - 1] as PublishedTick).timeMs : this.startTime;
    while (seq < this.head && messages.length < max) {
      const frame = this.frameFrom(seq, max - messages.length);
      if (frame === undefined) break;
      messages.push(...frame.messages);
      seq = frame.endSeq;
      timeMs = frame.timeMs;
    }
    if (from >= this.head) timeMs = this.lastTimeMs();
    return { startSeq: Math.min(from, this.head), endSeq: seq, messages, timeMs };
  }

  /** The last `n` published messages (the backlog a fresh sign response carries). */
  recent(n: number): MessageRange {
    return this.rangeFrom(Math.max(this.firstRetainedSeq, this.head - n), n);
  }

  /** Scenario time of the newest published tick (or scenario time zero). */
  lastTimeMs(): number {
    const last = this.ticks[this.ticks.length - 1];
    return last === undefined ? this.startTime : last.timeMs;
  }

  /** The retained published ticks, oldest first. */
  published(): readonly PublishedTick[] {
    return this.ticks.slice(this.oldest);
  }

  /**
   * The whole scenario of this room, regenerated from its seed: what a client that
   * receives everything must end up with. `limit` caps an endless scenario
   * (required for one, else `invalid_input`).
   */
  expected(limit?: number): ScenarioEntry[] {
    if (!this.scenario.finite && this.init.context.length === undefined && limit === undefined) {
      throw new TikLiveError(
        ErrorCode.InvalidInput,
        `the scenario of room ${this.uniqueId} is endless: pass a limit`,
        { retryable: false },
      );
    }
    const max = limit ?? Number.POSITIVE_INFINITY;
    const out: ScenarioEntry[] = [];
    let tick = 0;
    for (const t of this.scenario.ticks(this.context)) {
      for (const m of t.messages) {
        if (out.length >= max) return out;
        out.push({
          seq: out.length,
          tick,
          atMs: t.atMs,
          method: m.method,
          msgId: m.msgId,
          createTime: m.createTime,
          fields: m.fields,
          endsStream: m.endsStream === true,
          payload: m.payload,
        });
      }
      tick += 1;
    }
    return out;
  }

  /** Stops the timeline for good (simulator close). */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.listeners.clear();
  }
}

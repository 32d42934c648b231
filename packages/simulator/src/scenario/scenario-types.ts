/** A key field of a scenario message, for comparing "delivered == scenario" (ids are strings). */
export type ScenarioFieldValue = string | number | boolean;

/** One message of a room's timeline, already encoded. */
export interface ScenarioMessage {
  /** The wire method (`BaseProtoMessage.method`), e.g. `WebcastChatMessage`. */
  readonly method: string;
  /** The 19-digit id, equal to `common.msgId` and `BaseProtoMessage.msgId`. */
  readonly msgId: string;
  /** `common.createTime`, epoch milliseconds. */
  readonly createTime: number;
  /** The encoded message (`BaseProtoMessage.payload`). */
  readonly payload: Uint8Array;
  /** Key decoded fields (`user.uniqueId`, `content`, `repeatCount`, ...), for tests and inspection. */
  readonly fields: Readonly<Record<string, ScenarioFieldValue>>;
  /** True for the message that ends the stream (`WebcastControlMessage` action 3 or 4). */
  readonly endsStream?: boolean;
}

/** A group of messages published together: one `msg` frame for a client that keeps up. */
export interface ScenarioTick {
  /** When it is published, in ms after the room starts (before `speed` is applied). */
  readonly atMs: number;
  readonly messages: readonly ScenarioMessage[];
}

/** What a scenario generator knows about the room it plays in. */
export interface ScenarioContext {
  readonly roomId: string;
  readonly uniqueId: string;
  readonly nickname: string;
  /** The seed of this room's scenario (already mixed with the room). */
  readonly seed: number;
  /** Epoch ms of scenario time zero: every createTime and msgId derives from it. */
  readonly startTime: number;
  /** Messages per second. */
  readonly rate: number;
  /** Total messages, the stream end included; `undefined` for an endless scenario. */
  readonly length: number | undefined;
  /** Most messages in one tick. */
  readonly maxBatch: number;
  /** Messages published at time 0 (the backlog the first sign response carries). */
  readonly historySize: number;
}

/** A scenario: a deterministic function from a context to a timeline of ticks. */
export interface ScenarioDefinition {
  /** `default`, `load`, or `replay:<file>`. */
  readonly name: string;
  /** True when the timeline ends (with a stream end for scripted scenarios). */
  readonly finite: boolean;
  /** Generates the ticks. Calling it twice with the same context yields the same bytes. */
  ticks(context: ScenarioContext): Iterable<ScenarioTick>;
}

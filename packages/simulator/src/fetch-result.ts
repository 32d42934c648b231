import { create, toBinary } from "@bufbuild/protobuf";
import { encodeFetchResult, type FetchResultInit } from "@tiklive/core";
import type { Random } from "@tiklive/core/internal";
import { CommonMessageDataSchema, WebcastRoomMessageSchema } from "@tiklive/proto";
import { encodeCursor, encodeInternalExt } from "./cursor.js";
import type { ScenarioMessage } from "./scenario/scenario-types.js";
import { snowflakeId } from "./snowflake.js";

/** What a fetch result covers: a room, the position after its last message, and the time. */
export interface ResultPosition {
  roomId: string;
  /** Sequence number after the last message (the new cursor's position). */
  endSeq: number;
  /** Scenario time (epoch ms) of the last message. */
  timeMs: number;
}

/** An encoded fetch result with its cursor and internalExt. */
export interface BuiltResult {
  bytes: Uint8Array;
  cursor: string;
  internalExt: string;
}

/**
 * Encodes a `ProtoMessageFetchResult` (docs/protocol.md §3.1) for a run of messages:
 * BaseProtoMessage.msgId equals common.msgId; cursor and internalExt name the
 * position after the last message (see cursor.ts).
 */
export function buildFetchResult(
  messages: readonly ScenarioMessage[],
  position: ResultPosition,
  did: string,
  extra: Omit<FetchResultInit, "messages" | "cursor" | "internalExt"> & { isHistory?: boolean },
): BuiltResult {
  const cursorPosition = {
    roomId: position.roomId,
    seq: position.endSeq,
    timeMs: Math.floor(position.timeMs),
  };
  const cursor = encodeCursor(cursorPosition);
  const internalExt = encodeInternalExt(cursorPosition, did);
  const { isHistory, ...rest } = extra;
  const bytes = encodeFetchResult({
    ...rest,
    messages: messages.map((m) => ({
      method: m.method,
      payload: m.payload,
      msgId: m.msgId,
      isHistory: isHistory === true,
    })),
    cursor,
    internalExt,
  });
  return { bytes, cursor, internalExt };
}

/** The method of the `unknown-method` fault: no schema anywhere knows it. */
export const unknownFaultMethod = "WebcastTikliveSimUnknownMessage";

/**
 * The extra message of the `unknown-method` fault: a well-formed message (with a
 * `common`) under a method name that has no schema.
 */
export function unknownMethodMessage(random: Random, roomId: string, timeMs: number): ScenarioMessage {
  const msgId = snowflakeId(random, timeMs);
  const common = create(CommonMessageDataSchema, {
    method: unknownFaultMethod,
    msgId,
    roomId,
    createTime: String(timeMs),
  });
  const payload = toBinary(
    WebcastRoomMessageSchema,
    create(WebcastRoomMessageSchema, { common, content: "a message no schema knows" }),
  );
  return {
    method: unknownFaultMethod,
    msgId,
    createTime: timeMs,
    payload,
    fields: { fault: "unknown-method" },
  };
}

/**
 * The extra message of the `bad-payload` fault: method `WebcastChatMessage`, but
 * the payload is truncated protobuf (field 1 claims 5 bytes, 1 follows), so it
 * fails to decode with the chat schema.
 */
export function badPayloadMessage(random: Random, timeMs: number): ScenarioMessage {
  const msgId = snowflakeId(random, timeMs);
  return {
    method: "WebcastChatMessage",
    msgId,
    createTime: timeMs,
    payload: Uint8Array.of(0x0a, 0x05, 0x08),
    fields: { fault: "bad-payload" },
  };
}

/** Bytes that are not a push frame: field 1 length-delimited with a length running past the end. */
export const corruptFrameBytes: Uint8Array = Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02);

/** A gzip member whose deflate data uses the reserved block type 3: every inflater rejects it. */
export const corruptGzipBytes: Uint8Array = Uint8Array.of(
  0x1f,
  0x8b,
  0x08,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0xff,
  0xff,
  0xff,
  0xff,
  0xff,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
);

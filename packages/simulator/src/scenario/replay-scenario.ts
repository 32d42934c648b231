import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { decodeFetchResult } from "@tiklive/core";
import { CommonMessageDataSchema, ControlAction, WebcastControlMessageSchema } from "@tiklive/proto";
import type { Recording } from "../recording/recording.js";
import type {
  ScenarioDefinition,
  ScenarioFieldValue,
  ScenarioMessage,
  ScenarioTick,
} from "./scenario-types.js";

/**
 * A scenario that plays a recording back: one tick per recorded `msg` frame (and
 * per `fetch` line), at the recorded times (scaled by the simulator's `speed`),
 * with the recorded message bytes unchanged. A message seen twice (the sign
 * response's backlog is usually repeated on the socket) plays once.
 */
export function createReplayScenario(recording: Recording, name = "replay"): ScenarioDefinition {
  return {
    name,
    finite: true,
    ticks: () => replayTicks(recording),
  };
}

function* replayTicks(recording: Recording): Generator<ScenarioTick> {
  const seen = new Set<string>();
  let origin: number | undefined;
  for (const frame of recording.frames) {
    if (frame.payloadType !== "msg" && frame.payloadType !== "fetch") continue;
    const result = decodeFetchResult(frame.payload);
    const messages: ScenarioMessage[] = [];
    for (const raw of result.messages) {
      const message = replayMessage(raw.method, raw.payload.slice(), raw.msgId);
      if (seen.has(message.msgId)) continue;
      seen.add(message.msgId);
      messages.push(message);
    }
    if (messages.length === 0) continue;
    origin ??= frame.t;
    yield { atMs: frame.t - origin, messages };
  }
}

function replayMessage(method: string, payload: Uint8Array, envelopeMsgId: string): ScenarioMessage {
  const common = readCommon(payload);
  const msgId = envelopeMsgId !== "0" ? envelopeMsgId : (common?.msgId ?? "0");
  const createTime = Number(common?.createTime ?? "0");
  const fields: Record<string, ScenarioFieldValue> = {};
  let endsStream = false;
  if (method === "WebcastControlMessage") {
    try {
      const action = fromBinary(WebcastControlMessageSchema, payload).action;
      fields.action = action;
      endsStream = action === ControlAction.STREAM_ENDED || action === ControlAction.STREAM_SUSPENDED;
    } catch {
      // A control message that does not decode is replayed as is.
    }
  }
  const message: ScenarioMessage = { method, msgId, createTime, payload, fields };
  return endsStream ? { ...message, endsStream } : message;
}

// Field 1 of every event message is `common` (docs/protocol.md §10); decoding only it
// works for any method, known or not.
function readCommon(payload: Uint8Array) {
  try {
    const reader = new BinaryReader(payload);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited)
        return fromBinary(CommonMessageDataSchema, reader.bytes());
      reader.skip(wire, field);
    }
  } catch {
    // Not protobuf: no common.
  }
  return undefined;
}

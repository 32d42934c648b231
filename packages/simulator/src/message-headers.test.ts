// Every message the simulator publishes carries the common header real ones do (docs/protocol.md
// §9.1): a non-zero msgId equal to the envelope's, the envelope's method, the room id and a
// createTime. Clients de-duplicate, order and log by it, unknown methods included.
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { createEventDecoder, decodeFetchResult, encodeFetchResult } from "@tiklive/core";
import { createRandom } from "@tiklive/core/internal";
import { CommonMessageDataSchema } from "@tiklive/proto";
import { describe, expect, it } from "vitest";
import { unknownMethodMessage } from "./fetch-result.js";
import type { ScenarioMessage } from "./scenario/scenario-types.js";
import { startSimulator } from "./simulator.js";

function commonOf(payload: Uint8Array) {
  const reader = new BinaryReader(payload);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited)
      return fromBinary(CommonMessageDataSchema, reader.bytes());
    reader.skip(wire, field);
  }
  return undefined;
}

function expectHeaders(messages: readonly ScenarioMessage[], roomId: string): void {
  const seen = new Set<string>();
  for (const m of messages) {
    const common = commonOf(m.payload);
    expect(common, m.method).toBeDefined();
    expect(BigInt(common?.msgId ?? "0"), m.method).toBeGreaterThan(0n);
    expect(common?.msgId, m.method).toBe(m.msgId);
    expect(common?.method).toBe(m.method);
    expect(common?.roomId, m.method).toBe(roomId);
    expect(Number(common?.createTime), m.method).toBe(m.createTime);
    expect(seen.has(m.msgId), `${m.method} ${m.msgId} repeats`).toBe(false);
    seen.add(m.msgId);
  }
}

describe("simulated messages speak like TikTok", () => {
  for (const scenario of ["default", "load"] as const) {
    it(`every published message of the ${scenario} scenario has msgId, method, roomId and createTime in its header`, async () => {
      const sim = await startSimulator({
        seed: 9,
        scenario,
        length: 700,
        rate: 1000,
        startMode: "manual",
        rooms: [{ uniqueId: "headers" }],
      });
      try {
        const room = sim.room("headers");
        while (room.advance(50) > 0) {
          // publish the whole scenario
        }
        const messages = room.publishedTicks().flatMap((t) => t.messages);
        expect(messages.length).toBe(700);
        // Every kind the scenario has, not only the hot ones.
        if (scenario === "default")
          for (const method of [
            "WebcastRoomMessage",
            "WebcastPollMessage",
            "WebcastCaptionMessage",
            "WebcastGoalUpdateMessage",
            "WebcastControlMessage",
          ])
            expect(messages.some((m) => m.method === method)).toBe(true);
        expectHeaders(messages, room.roomId);
      } finally {
        await sim.close();
      }
    });
  }

  it("the unknown-method fault's message has a header too, which the decoder keeps", () => {
    const roomId = "7300993857827228449";
    const message = unknownMethodMessage(createRandom(3), roomId, 1_767_225_600_000);
    expectHeaders([message], roomId);
    const result = decodeFetchResult(
      encodeFetchResult({
        messages: [{ method: message.method, msgId: message.msgId, payload: message.payload }],
      }),
    );
    expect(createEventDecoder().decode(result)).toMatchObject([
      {
        type: "unknownMessage",
        method: message.method,
        msgId: message.msgId,
        roomId,
        createTime: message.createTime,
      },
    ]);
  });
});

import { mutate, randomBytes, sampleFrame, samplePayloads } from "@tiklive/test-support/fuzz";
import { createRandom } from "@tiklive/test-support/random";
import { describe, expect, it } from "vitest";
import { TikLiveError } from "./errors.js";
import { createEventDecoder } from "./events/decoder.js";
import { decodeFetchResult, decodeMsgFrame, decodePushFrame } from "./frame-codec.js";

// Every outcome must be a value or a TikLiveError: never another exception, never a hang.
function outcome(fn: () => unknown): "ok" | string {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (!(error instanceof TikLiveError))
      throw new Error(`untyped error escaped the codec: ${String(error)}`, { cause: error });
    return error.code;
  }
}

describe("the codec under random, truncated and corrupted input", () => {
  const payloads = samplePayloads();

  it("random bytes: 3000 frames and fetch results", () => {
    const random = createRandom(1);
    const codes = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(random, 600);
      codes.add(outcome(() => decodePushFrame(bytes)));
      codes.add(outcome(() => decodeFetchResult(bytes)));
      codes.add(outcome(() => decodeMsgFrame(bytes)));
    }
    expect(codes.has("malformed_frame")).toBe(true);
  });

  it("corrupted real frames: 3000 gzip and plain frames through the full frame-to-events path", () => {
    const random = createRandom(2);
    const decoder = createEventDecoder({ dedup: false });
    const codes = new Map<string, number>();
    let events = 0;
    for (let i = 0; i < 3000; i++) {
      const frame = mutate(random, sampleFrame(random, payloads, i % 3 !== 0));
      const code = outcome(() => {
        events += decoder.decodeFrame(frame).events.length;
      });
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // Corruption shows up as every kind of typed outcome, and many frames still decode.
    expect(codes.get("ok")).toBeGreaterThan(100);
    expect(codes.get("malformed_frame") ?? 0).toBeGreaterThan(0);
    expect(codes.get("decompression_failed") ?? 0).toBeGreaterThan(0);
    expect(events).toBeGreaterThan(0);
  });

  it("corrupted message payloads: 5000 become events or decodeError events, never exceptions", () => {
    const random = createRandom(3);
    const decoder = createEventDecoder({ dedup: false });
    let errors = 0;
    for (let i = 0; i < 5000; i++) {
      const sample = payloads[Math.floor(random.next() * payloads.length)] as {
        method: string;
        payload: Uint8Array;
      };
      const payload = mutate(random, sample.payload);
      const events = decoder.decodeMessage({
        method: sample.method,
        payload,
        msgId: String(i),
        msgType: 0,
        offset: "0",
        isHistory: false,
      });
      for (const event of events) {
        if (event.type === "decodeError") {
          errors += 1;
          expect(event.error).toBeInstanceOf(TikLiveError);
          expect(event.method).toBe(sample.method);
          expect(Buffer.from(event.payloadBase64, "base64").equals(Buffer.from(payload))).toBe(true);
        }
      }
    }
    expect(errors).toBeGreaterThan(0);
    expect(decoder.stats.errors).toBe(errors);
  });

  it("deeply nested unknown groups are refused by a recursion limit, not the stack", () => {
    // 100 000 nested start-group tags of unknown field 99 ((99 << 3) | 3 = 795 = 0x9b 0x06).
    const bytes = new Uint8Array(200_000);
    for (let i = 0; i < bytes.length; i += 2) {
      bytes[i] = 0x9b;
      bytes[i + 1] = 0x06;
    }
    const decoder = createEventDecoder();
    const events = decoder.decodeMessage({
      method: "WebcastChatMessage",
      payload: bytes,
      msgId: "1",
      msgType: 0,
      offset: "0",
      isHistory: false,
    });
    expect(events.map((e) => e.type)).toEqual(["decodeError"]);
    expect(outcome(() => decodePushFrame(bytes))).toBe("malformed_frame");
  });
});

import { startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { mutate, rng } from "../../../../../test/support/fuzz.js";
import { base64ToBytes, loadRealVectors } from "../../../../../test/support/vectors.js";
import { TikLiveError } from "../../errors.js";
import { createEventDecoder } from "../decoder.js";
import { primaryHandlers } from "../handlers.js";
import type { CoreEvent } from "../types.js";

const fastMethods = new Set(
  primaryHandlers.filter((h) => "fast" in h && h.fast !== undefined).map((h) => h.method),
);
const withoutRaw = (events: CoreEvent[]) =>
  events.map((event) => {
    const { raw: _raw, ...rest } = event as CoreEvent & { raw?: unknown };
    return rest;
  });

function both(method: string, payload: Uint8Array) {
  const message = { method, payload, msgId: "0", msgType: 0, offset: "0", isHistory: false };
  return {
    fast: createEventDecoder({ dedup: false }).decodeMessage(message),
    full: createEventDecoder({ dedup: false, fast: false }).decodeMessage(message),
  };
}

function expectSame(method: string, payload: Uint8Array) {
  const { fast, full } = both(method, payload);
  expect(withoutRaw(fast)).toEqual(withoutRaw(full));
  // `raw` is decoded on first access, once, and equals the full decode.
  fast.forEach((event, i) => {
    const a = (event as { raw?: unknown }).raw;
    expect(a).toEqual((full[i] as { raw?: unknown }).raw);
    expect((event as { raw?: unknown }).raw).toBe(a);
  });
}

describe("fast decoders give exactly the events of the full decode", () => {
  it("covers the six hottest messages", () => {
    expect([...fastMethods].sort()).toEqual([
      "WebcastChatMessage",
      "WebcastGiftMessage",
      "WebcastLikeMessage",
      "WebcastMemberMessage",
      "WebcastRoomUserSeqMessage",
      "WebcastSocialMessage",
    ]);
  });

  const vectors = loadRealVectors();
  it.skipIf(!vectors)("on every real captured payload", () => {
    const cases = (vectors ?? []).filter((v) => fastMethods.has(v.type));
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const v of cases) expectSame(v.type, base64ToBytes(v.base64));
  });

  const scenario = async (seed: number, length: number) => {
    const sim = await startSimulator({ seed, length, rooms: [{ uniqueId: "fast_path" }] });
    try {
      return sim.room("fast_path").scenario();
    } finally {
      await sim.close();
    }
  };

  it("on every message of a long simulator scenario (every kind of user, badge, gift and streak)", async () => {
    const entries = await scenario(7, 1500);
    let checked = 0;
    for (const entry of entries) {
      if (!fastMethods.has(entry.method)) continue;
      expectSame(entry.method, entry.payload);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("on corrupted payloads: both paths either fail with a decodeError or give the same events", async () => {
    const random = rng(11);
    const samples = (await scenario(3, 300)).filter((e) => fastMethods.has(e.method));
    let failures = 0;
    for (let i = 0; i < 3000; i++) {
      const sample = samples[Math.floor(random() * samples.length)];
      if (sample === undefined) continue;
      const payload = mutate(random, sample.payload);
      const { fast, full } = both(sample.method, payload);
      const fastFailed = fast.some((e) => e.type === "decodeError");
      if (fastFailed) {
        failures += 1;
        const error = fast.find((e) => e.type === "decodeError");
        expect(error?.type === "decodeError" && error.error).toBeInstanceOf(TikLiveError);
        continue;
      }
      // The fast path skips fields it does not read, so it may accept what the full decode
      // rejects; whatever it does produce must then agree with the fields the full decode read.
      if (!full.some((e) => e.type === "decodeError")) expect(withoutRaw(fast)).toEqual(withoutRaw(full));
    }
    expect(failures).toBeGreaterThan(100);
  });
});

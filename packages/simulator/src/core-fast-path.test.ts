// Core's fast decoders agree with the full decode on every simulated message: every kind of
// user, badge, gift and streak the scenarios produce, and seeded corruptions of them. (Here and
// not in core: core's tests cannot use the simulator, which depends on core.)
import { TikLiveError } from "@tiklive/core";
import { decodeBothWays, expectSameEvents, fastMethods, withoutRaw } from "@tiklive/test-support/decoders";
import { mutate } from "@tiklive/test-support/fuzz";
import { createRandom } from "@tiklive/test-support/random";
import { describe, expect, it } from "vitest";
import { startSimulator } from "./simulator.js";

const scenario = async (seed: number, length: number) => {
  const sim = await startSimulator({ seed, length, rooms: [{ uniqueId: "fast_path" }] });
  try {
    return sim.room("fast_path").scenario();
  } finally {
    await sim.close();
  }
};

describe("core's fast decoders give exactly the events of the full decode", () => {
  it("on every message of a long simulator scenario (every kind of user, badge, gift and streak)", async () => {
    const entries = await scenario(7, 1500);
    let checked = 0;
    for (const entry of entries) {
      if (!fastMethods.has(entry.method)) continue;
      expectSameEvents(entry.method, entry.payload);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("on corrupted payloads: both paths either fail with a decodeError or give the same events", async () => {
    const random = createRandom(11);
    const samples = (await scenario(3, 300)).filter((e) => fastMethods.has(e.method));
    let failures = 0;
    for (let i = 0; i < 3000; i++) {
      const sample = samples[Math.floor(random.next() * samples.length)];
      if (sample === undefined) continue;
      const payload = mutate(random, sample.payload);
      const { fast, full } = decodeBothWays(sample.method, payload);
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

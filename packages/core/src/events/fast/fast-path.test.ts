// The fast decoders against the full decode on the real captured payloads. The simulator's
// tests check them on every simulated message too (simulator/src/core-fast-path.test.ts).
import { expectSameEvents, fastMethods } from "@tiklive/test-support/decoders";
import { base64ToBytes, loadRealVectors } from "@tiklive/test-support/vectors";
import { describe, expect, it } from "vitest";

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
    for (const v of cases) expectSameEvents(v.type, base64ToBytes(v.base64));
  });
});

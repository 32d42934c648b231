// End to end against @tiklive/simulator, a real local Euler-compatible sign server on
// 127.0.0.1: sign a room of its default configuration over a socket.

import { ErrorCode, TikLiveError } from "@tiklive/core";
import { startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { createEulerSigner } from "./euler-signer.js";
import { createSignerChain } from "./signer-chain.js";
import { userAgent } from "./testing/euler-fixtures.js";

describe("against @tiklive/simulator", () => {
  it("signs a live room of the default config: cursor, pushServer, cookies, canonical room id", async () => {
    const sim = await startSimulator();
    try {
      const room = sim.rooms.find((r) => r.live);
      expect(room).toBeDefined();
      for (const route of ["fetch", "connect"] as const) {
        const signer = createEulerSigner({ baseUrl: sim.signUrl, route });
        const session = await signer.sign({
          roomId: room!.roomId,
          uniqueId: room!.uniqueId,
          userAgent,
          platform: "web",
        });
        expect(session.roomId).toBe(room!.roomId);
        expect(session.fetchResult.cursor).not.toBe("");
        expect(session.fetchResult.pushServer).toBe(sim.pushUrl);
        expect(session.fetchResult.internalExt).not.toBe("");
        // Every cookie of the comma-joined x-set-tt-cookie, not only the first.
        expect(session.cookies.map((c) => c.name)).toContain("ttwid");
        expect(session.cookies.length).toBeGreaterThan(1);
        expect(session.cookies.every((c) => c.name !== "" && c.value !== "")).toBe(true);
        expect(session.requestId).toBeTruthy();
      }
      // The room id route resolves the same room, and tells the missing from the never-live.
      const signer = createEulerSigner({ baseUrl: sim.signUrl, forwardSession: true });
      expect(await signer.resolveRoomId(`@${room!.uniqueId}`)).toEqual({
        roomId: room!.roomId,
        isLive: true,
      });
      const ghost = await signer.resolveRoomId("no_such_user_here").catch((e: unknown) => e);
      expect(TikLiveError.is(ghost, ErrorCode.UserNotFound)).toBe(true);
      const newbie = await signer.resolveRoomId("sim_newbie").catch((e: unknown) => e);
      expect(TikLiveError.is(newbie, ErrorCode.UserOffline)).toBe(true);
      // Chat goes through with the session forwarded.
      await signer.sendChat({
        roomId: room!.roomId,
        content: "hello from the signer test",
        session: { sessionId: "sim-session-1234", ttTargetIdc: "useast1a" },
      });
    } finally {
      await sim.close();
    }
  });

  it("its sign faults come back typed: 429 with the retry time, the fallback stub as signer_degraded", async () => {
    const sim = await startSimulator();
    try {
      const room = sim.rooms.find((r) => r.live)!;
      const signer = createEulerSigner({ baseUrl: sim.signUrl });
      sim.addFault("sign-429@retry-after=3,times=1");
      const limited = await signer
        .sign({ roomId: room.roomId, userAgent, platform: "web" })
        .catch((e: unknown) => e);
      expect(TikLiveError.is(limited, ErrorCode.SignRateLimited)).toBe(true);
      expect((limited as TikLiveError).retryAfterMs).toBe(3000);
      expect((limited as TikLiveError).details["limitLabel"]).toBe("minute");

      sim.addFault("sign-stub@times=1");
      const stub = await signer
        .sign({ roomId: room.roomId, userAgent, platform: "web" })
        .catch((e: unknown) => e);
      expect(TikLiveError.is(stub, ErrorCode.SignerDegraded)).toBe(true);

      // Faults spent: signing works again.
      expect(
        (await signer.sign({ roomId: room.roomId, userAgent, platform: "web" })).fetchResult.pushServer,
      ).toBe(sim.pushUrl);
    } finally {
      await sim.close();
    }
  });

  it("a wrong key is sign_unauthorized; a chain falls over to the signer with the right one", async () => {
    const sim = await startSimulator({ apiKey: "sim-right-key-123" });
    try {
      const room = sim.rooms.find((r) => r.live)!;
      const wrong = createEulerSigner({ name: "wrong", baseUrl: sim.signUrl, apiKey: "sim-wrong-key-456" });
      const error = await wrong
        .sign({ roomId: room.roomId, userAgent, platform: "web" })
        .catch((e: unknown) => e);
      expect(TikLiveError.is(error, ErrorCode.SignUnauthorized)).toBe(true);
      expect(String((error as Error).message)).not.toContain("sim-wrong-key-456");

      const chain = createSignerChain([
        wrong,
        createEulerSigner({ name: "right", baseUrl: sim.signUrl, apiKey: "sim-right-key-123" }),
      ]);
      const session = await chain.sign({ roomId: room.roomId, userAgent, platform: "web" });
      expect(session.signer).toBe("right");
      expect(chain.status()[0]?.state).toBe("unauthorized");
    } finally {
      await sim.close();
    }
  });
});

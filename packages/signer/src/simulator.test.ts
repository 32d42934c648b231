// End to end against @tiklive/simulator, a real local Euler-compatible sign server on
// 127.0.0.1: sign a room of its default configuration over a socket.

import { ErrorCode, TikLiveError } from "@tiklive/core";
import { startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { createEulerSigner } from "./euler-signer.js";
import { createSignerChain } from "./signer-chain.js";
import { instantClock, userAgent } from "./testing/euler-fixtures.js";

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
      const clock = instantClock();
      const signer = createEulerSigner({ baseUrl: sim.signUrl, clock });
      sim.addFault("sign-429@retry-after=3,times=1");
      const limited = await signer
        .sign({ roomId: room.roomId, userAgent, platform: "web" })
        .catch((e: unknown) => e);
      expect(TikLiveError.is(limited, ErrorCode.SignRateLimited)).toBe(true);
      expect((limited as TikLiveError).retryAfterMs).toBe(3000);
      expect((limited as TikLiveError).details["limitLabel"]).toBe("minute");
      // The 429 blocked the signer's budget for its retry time: the next sign waits it out.
      expect(signer.budget?.waitTime()).toBe(3000);

      sim.addFault("sign-stub@times=1");
      const stub = await signer
        .sign({ roomId: room.roomId, userAgent, platform: "web" })
        .catch((e: unknown) => e);
      expect(TikLiveError.is(stub, ErrorCode.SignerDegraded)).toBe(true);

      expect(clock.slept).toEqual([3000]);

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

  it("with a key, its rate_limits route sets the budget: asked once, not counted as a sign request", async () => {
    const key = "sim-budget-key-789";
    const sim = await startSimulator({ apiKey: key });
    try {
      const room = sim.rooms.find((r) => r.live)!;
      const debug: string[] = [];
      const signer = createEulerSigner({
        baseUrl: sim.signUrl,
        apiKey: key,
        clock: instantClock(),
        logger: { debug: (m) => debug.push(m) },
      });
      for (let i = 0; i < 3; i++) await signer.sign({ roomId: room.roomId, userAgent, platform: "web" });
      expect(sim.signRequests().map((r) => [r.route, r.status])).toEqual([
        ["rate_limits", 200],
        ["fetch", 200],
        ["fetch", 200],
        ["fetch", 200],
      ]);
      // The simulator's limits (60 a minute), read before the first sign.
      expect(debug).toContain(
        `signer "euler@${new URL(sim.signUrl).host}" rateLimits: 60/60 per minute, 1000/1000 per hour, 10000/10000 per day`,
      );
      expect(signer.budget?.waitTime()).toBe(0);
      // Another signer asks again: the three signs counted, its own question did not.
      const other: string[] = [];
      await createEulerSigner({
        name: "other",
        baseUrl: sim.signUrl,
        apiKey: key,
        logger: { debug: (m) => other.push(m) },
      }).sign({ roomId: room.roomId, userAgent, platform: "web" });
      expect(other).toContain(
        'signer "other" rateLimits: 57/60 per minute, 997/1000 per hour, 9997/10000 per day',
      );
    } finally {
      await sim.close();
    }
  });
});

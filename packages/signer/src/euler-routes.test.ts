// The Euler signer's other routes (docs/protocol.md §7.3): room id lookup and sending chat.
import { ErrorCode } from "@tiklive/core";
import { failure } from "@tiklive/test-support/rejection";
import { describe, expect, it } from "vitest";
import { createEulerSigner } from "./euler-signer.js";
import { apiKey, intercept, mockEuler, roomId, sessionId } from "./testing/euler-fixtures.js";

const json = { "content-type": "application/json" };

describe("resolveRoomId", () => {
  it("resolves through GET /webcast/room_id?uniqueId=, normalizing the input", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/webcast/room_id", {
      body: JSON.stringify({
        code: 200,
        message: "OK",
        ok: true,
        routes_attempted: ["html"],
        is_live: true,
        room_id: roomId,
        source: "html",
      }),
      headers: json,
    });
    const lookup = await createEulerSigner({ dispatcher: agent, apiKey }).resolveRoomId(
      "https://www.tiktok.com/@Some_User/live",
    );
    expect(lookup).toEqual({ roomId, isLive: true });
    expect(seen[0]!.url.searchParams.get("uniqueId")).toBe("some_user");
    expect(seen[0]!.url.searchParams.get("client")).toBe("tiklive");
    expect(seen[0]!.headers["x-api-key"]).toBe(apiKey);
    expect(seen[0]!.url.href).not.toContain(apiKey);
  });

  it("uses GET /webcast/anchors/{uniqueId}/room_id with roomIdRoute: 'anchors'", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/webcast/anchors/", {
      body: JSON.stringify({ code: 200, ok: true, room_id: roomId }),
      headers: json,
    });
    const lookup = await createEulerSigner({ dispatcher: agent, roomIdRoute: "anchors" }).resolveRoomId(
      "@someone",
    );
    expect(lookup).toEqual({ roomId, isLive: undefined });
    expect(seen[0]!.url.pathname).toBe("/webcast/anchors/someone/room_id");
  });

  it("keeps every digit of a 19-digit room_id sent as a JSON number", async () => {
    const { agent, pool } = mockEuler();
    // 7312345678901234567 is not representable as a double: JSON.parse gives 7312345678901234000.
    expect(String(JSON.parse("7312345678901234567"))).not.toBe("7312345678901234567");
    intercept(pool, "/webcast/room_id", {
      body: `{"code":200,"ok":true,"routes_attempted":[{"name":"api","room_id":1}],"is_live":false,"room_id": 7312345678901234567,"source":"api"}`,
      headers: json,
    });
    expect(await createEulerSigner({ dispatcher: agent }).resolveRoomId("someone")).toEqual({
      roomId: "7312345678901234567",
      isLive: false,
    });
  });

  it("accepts a small room_id sent as a JSON number", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", { body: `{"code":200,"ok":true,"room_id":123456}`, headers: json });
    expect((await createEulerSigner({ dispatcher: agent }).resolveRoomId("someone")).roomId).toBe("123456");
  });

  it("is user_not_found when the server says the user does not exist", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", {
      body: JSON.stringify({ code: 200, ok: false, message: "User not found", room_id: null }),
      headers: json,
    });
    const error = await failure(createEulerSigner({ dispatcher: agent }).resolveRoomId("ghost_user"));
    expect(error.code).toBe(ErrorCode.UserNotFound);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("ghost_user");
  });

  it("is user_not_found for a 404 that says so", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", {
      status: 404,
      body: JSON.stringify({ code: 404, ok: false, message: "user_not_found" }),
      headers: json,
    });
    expect((await failure(createEulerSigner({ dispatcher: agent }).resolveRoomId("ghost_user"))).code).toBe(
      ErrorCode.UserNotFound,
    );
  });

  it("is user_offline for a user that has never been live", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", {
      status: 404,
      body: JSON.stringify({
        code: 404,
        ok: false,
        message: "This user has never been live.",
        is_live: false,
        room_id: null,
      }),
      headers: json,
    });
    const error = await failure(createEulerSigner({ dispatcher: agent }).resolveRoomId("newbie"));
    expect(error.code).toBe(ErrorCode.UserOffline);
    expect(error.retryable).toBe(false);
  });

  it("is invalid_response for a 404 that does not say why", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", {
      status: 404,
      body: "Not Here",
      headers: { "content-type": "text/plain" },
    });
    expect((await failure(createEulerSigner({ dispatcher: agent }).resolveRoomId("someone"))).code).toBe(
      ErrorCode.InvalidResponse,
    );
  });

  it("is invalid_response when ok without a room id, or with another message", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      "/webcast/room_id",
      { body: JSON.stringify({ code: 200, ok: true, room_id: "0" }), headers: json },
      { times: 1 },
    );
    intercept(
      pool,
      "/webcast/room_id",
      { body: JSON.stringify({ code: 500, ok: false, message: "All routes failed" }), headers: json },
      { times: 1 },
    );
    intercept(pool, "/webcast/room_id", { body: "<html>oops</html>" }, { times: 1 });
    const signer = createEulerSigner({ dispatcher: agent });
    expect((await failure(signer.resolveRoomId("someone"))).code).toBe(ErrorCode.InvalidResponse);
    const second = await failure(signer.resolveRoomId("someone"));
    expect(second.code).toBe(ErrorCode.InvalidResponse);
    expect(second.message).toContain("All routes failed");
    expect((await failure(signer.resolveRoomId("someone"))).message).toMatch(/did not answer JSON/);
  });

  it("explains that the key lacks permission on HTTP 403 or a JSON code 401/403", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      "/webcast/room_id",
      { status: 403, body: JSON.stringify({ code: 403, message: "Forbidden" }), headers: json },
      { times: 1 },
    );
    intercept(
      pool,
      "/webcast/room_id",
      { status: 200, body: JSON.stringify({ code: 401, ok: false, message: "Unauthorized" }), headers: json },
      { times: 1 },
    );
    const signer = createEulerSigner({ dispatcher: agent, apiKey });
    for (let i = 0; i < 2; i++) {
      const error = await failure(signer.resolveRoomId("someone"));
      expect(error.code).toBe(ErrorCode.SignUnauthorized);
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/lacks permission for the room id route/);
    }
  });

  it("is sign_premium_required on 402 (HTTP or JSON code)", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/room_id", { status: 402, body: "{}", headers: json }, { times: 1 });
    intercept(
      pool,
      "/webcast/room_id",
      { body: JSON.stringify({ code: 402, ok: false, message: "Upgrade" }), headers: json },
      { times: 1 },
    );
    const signer = createEulerSigner({ dispatcher: agent });
    expect((await failure(signer.resolveRoomId("someone"))).code).toBe(ErrorCode.SignPremiumRequired);
    expect((await failure(signer.resolveRoomId("someone"))).code).toBe(ErrorCode.SignPremiumRequired);
  });

  it("maps 429 and 5xx like the sign route", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      "/webcast/room_id",
      { status: 429, body: "{}", headers: { "retry-after": "3" } },
      { times: 1 },
    );
    intercept(pool, "/webcast/room_id", { status: 503, body: "down" }, { times: 1 });
    const signer = createEulerSigner({ dispatcher: agent });
    const limited = await failure(signer.resolveRoomId("someone"));
    expect(limited.code).toBe(ErrorCode.SignRateLimited);
    expect(limited.retryAfterMs).toBe(3000);
    expect((await failure(signer.resolveRoomId("someone"))).code).toBe(ErrorCode.SignerUnavailable);
  });

  it("rejects an invalid uniqueId before any request", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/", { body: "{}" });
    expect(
      (await failure(createEulerSigner({ dispatcher: agent }).resolveRoomId("https://evil.example/@x"))).code,
    ).toBe(ErrorCode.InvalidInput);
    expect(seen).toHaveLength(0);
  });
});

describe("sendChat", () => {
  const session = { sessionId, ttTargetIdc: "useast1a" };
  const chatPath = `/webcast/rooms/${roomId}/chat`;
  const ok = JSON.stringify({
    code: 200,
    message: "OK",
    data: { status_code: 0, data: {}, extra: { now: 1 } },
  });

  it("posts {content} with the session in x-cookie-header", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, chatPath, { body: ok, headers: json }, { method: "POST" });
    await createEulerSigner({ dispatcher: agent, apiKey, forwardSession: true }).sendChat({
      roomId,
      content: "hello 👋",
      session,
    });
    const sent = seen[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url.pathname).toBe(chatPath);
    expect(JSON.parse(sent.body ?? "")).toEqual({ content: "hello 👋" });
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["x-cookie-header"]).toBe(`sessionid=${sessionId}; tt-target-idc=useast1a`);
    expect(sent.headers["x-api-key"]).toBe(apiKey);
    expect(sent.url.href).not.toContain(sessionId);
  });

  it("is feature_disabled without forwardSession, and sends nothing", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/", { body: ok }, { method: "POST" });
    const error = await failure(
      createEulerSigner({ dispatcher: agent }).sendChat({ roomId, content: "hi", session }),
    );
    expect(error.code).toBe(ErrorCode.FeatureDisabled);
    expect(error.message).toMatch(/forwardSession/);
    expect(seen).toHaveLength(0);
  });

  it("maps 401 to sign_unauthorized, 402/403 to sign_premium_required, 5xx and other statuses", async () => {
    const cases: [number, ErrorCode][] = [
      [401, ErrorCode.SignUnauthorized],
      [403, ErrorCode.SignPremiumRequired],
      [402, ErrorCode.SignPremiumRequired],
      [500, ErrorCode.SignerUnavailable],
      [400, ErrorCode.InvalidResponse],
    ];
    for (const [status, code] of cases) {
      const { agent, pool } = mockEuler();
      intercept(
        pool,
        chatPath,
        { status, body: JSON.stringify({ message: "no" }), headers: json },
        { method: "POST" },
      );
      const error = await failure(
        createEulerSigner({ dispatcher: agent, forwardSession: true }).sendChat({
          roomId,
          content: "hi",
          session,
        }),
      );
      expect(error.code, String(status)).toBe(code);
    }
  });

  it("is invalid_response with the server's message when the JSON code is not 200", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      chatPath,
      { body: JSON.stringify({ code: 500, message: "Failed to send chat" }), headers: json },
      { method: "POST" },
    );
    const error = await failure(
      createEulerSigner({ dispatcher: agent, forwardSession: true }).sendChat({
        roomId,
        content: "hi",
        session,
      }),
    );
    expect(error.code).toBe(ErrorCode.InvalidResponse);
    expect(error.message).toContain("Failed to send chat");
  });

  it("is invalid_response when TikTok's status_code is not 0", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      chatPath,
      { body: JSON.stringify({ code: 200, data: { status_code: 4001 } }), headers: json },
      { method: "POST" },
    );
    const error = await failure(
      createEulerSigner({ dispatcher: agent, forwardSession: true }).sendChat({
        roomId,
        content: "hi",
        session,
      }),
    );
    expect(error.code).toBe(ErrorCode.InvalidResponse);
    expect(error.details["tiktokStatusCode"]).toBe(4001);
  });

  it("validates room, content and session first", async () => {
    const signer = createEulerSigner({ dispatcher: mockEuler().agent, forwardSession: true });
    expect((await failure(signer.sendChat({ roomId: "x", content: "hi", session }))).code).toBe(
      ErrorCode.InvalidInput,
    );
    expect((await failure(signer.sendChat({ roomId, content: "  ", session }))).code).toBe(
      ErrorCode.InvalidInput,
    );
    expect(
      (await failure(signer.sendChat({ roomId, content: "hi", session: undefined as never }))).code,
    ).toBe(ErrorCode.SessionRequired);
    expect(
      (
        await failure(
          signer.sendChat({ roomId, content: "hi", session: { sessionId: "", ttTargetIdc: "x" } }),
        )
      ).code,
    ).toBe(ErrorCode.InvalidInput);
  });
});

import { ErrorCode, encodeFetchResult, type SignRequest, TikLiveError } from "@tiklive/core";
import { failure } from "@tiklive/test-support/rejection";
import { afterEach, describe, expect, it } from "vitest";
import { createEulerSigner } from "./euler-signer.js";
import {
  apiKey,
  closedPort,
  fetchResultBytes,
  intercept,
  jwtKey,
  type LocalServer,
  mockEuler,
  pushServer,
  roomId,
  sessionId,
  signHeaders,
  startServer,
  userAgent,
} from "./testing/euler-fixtures.js";
import { signerVersion } from "./version.js";

const request: SignRequest = { roomId, userAgent, platform: "web" };

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(handler: Parameters<typeof startServer>[0]): Promise<LocalServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

describe("createEulerSigner().sign", () => {
  it("returns a checked session from a real encoded fetch result, with every cookie", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const signer = createEulerSigner({ apiKey, jwtKey, dispatcher: agent, now: () => 1_700_000_000_123 });

    const session = await signer.sign(request);

    expect(signer.name).toBe("euler");
    expect(session.roomId).toBe(roomId);
    expect(session.signer).toBe("euler");
    expect(session.userAgent).toBe(userAgent);
    expect(session.requestId).toBe("req-123");
    expect(session.receivedAt).toBe(1_700_000_000_123);
    expect(session.cookies).toEqual([
      { name: "ttwid", value: "1%7Cabc%7C1700000000%7Cdef" },
      { name: "msToken", value: "xyz123" },
    ]);
    expect(session.fetchResult.cursor).toBe("1700000000000_7312345678901234567_1_1_0_0");
    expect(session.fetchResult.pushServer).toBe(pushServer);
    expect(session.fetchResult.internalExt).toContain("wss_push_room_id");
    expect(session.fetchResult.routeParams).toEqual({ imprp: "abc", wrss: "def" });
    expect(session.fetchResult.messages.map((m) => m.method)).toEqual(["WebcastChatMessage"]);

    expect(seen).toHaveLength(1);
    const sent = seen[0]!;
    expect(sent.url.pathname).toBe("/webcast/fetch");
    expect(Object.fromEntries(sent.url.searchParams)).toEqual({
      client: "tiklive",
      room_id: roomId,
      user_agent: userAgent,
      platform: "web",
      client_enter: "true",
    });
    expect(sent.headers["x-api-key"]).toBe(apiKey);
    expect(sent.headers["x-jwt-key"]).toBe(jwtKey);
    expect(sent.headers["accept"]).toBe("application/protobuf,application/json");
    expect(sent.headers["user-agent"]).toBe(`tiklive/${signerVersion}`);
    expect(sent.headers["x-cookie-header"]).toBeUndefined();
    // Never a key in the URL.
    expect(sent.url.href).not.toContain(apiKey);
    expect(sent.url.href).not.toContain(jwtKey);
  });

  it("sends cursor, unique_id, platform and its client name when given", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const signer = createEulerSigner({ dispatcher: agent, client: "my-bot" });
    await signer.sign({ ...request, cursor: "c-42", uniqueId: "@Some.User", platform: "mobile" });
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toMatchObject({
      client: "my-bot",
      cursor: "c-42",
      unique_id: "some.user",
      platform: "mobile",
    });
    expect(seen[0]!.headers["x-api-key"]).toBeUndefined();
  });

  it("uses the TS SDK route with route: 'connect'", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, `/webcast/rooms/${roomId}/connect`, {
      body: fetchResultBytes(),
      headers: signHeaders(),
    });
    const session = await createEulerSigner({ dispatcher: agent, route: "connect" }).sign(request);
    expect(session.fetchResult.pushServer).toBe(pushServer);
    expect(seen[0]!.url.pathname).toBe(`/webcast/rooms/${roomId}/connect`);
    expect(seen[0]!.url.searchParams.has("room_id")).toBe(false);
    expect(seen[0]!.url.searchParams.get("client_enter")).toBe("true");
  });

  it("adopts x-room-id as the canonical room id and ignores an invalid one", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      "/webcast/fetch",
      { body: fetchResultBytes(), headers: signHeaders({ "x-room-id": "7399999999999999999" }) },
      { times: 1 },
    );
    intercept(
      pool,
      "/webcast/fetch",
      { body: fetchResultBytes(), headers: signHeaders({ "x-room-id": "not-a-room" }) },
      { times: 1 },
    );
    const warnings: string[] = [];
    const signer = createEulerSigner({ dispatcher: agent, logger: { warn: (m) => warnings.push(m) } });
    expect((await signer.sign(request)).roomId).toBe("7399999999999999999");
    expect((await signer.sign(request)).roomId).toBe(roomId);
    expect(warnings.join("\n")).toMatch(/invalid x-room-id/);
  });

  it("takes x-log-id as the request id when x-request-id is absent", async () => {
    const { agent, pool } = mockEuler();
    const headers = signHeaders({ "x-log-id": "log-9" });
    delete headers["x-request-id"];
    intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers });
    expect((await createEulerSigner({ dispatcher: agent }).sign(request)).requestId).toBe("log-9");
  });

  it("parses cookies sent as several header lines by a real HTTP server", async () => {
    const local = await server((_req, res) => {
      res.setHeader("content-type", "application/x-protobuf");
      res.setHeader("x-set-tt-cookie", [
        "ttwid=one; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
        "msToken=two, odin_tt=three; HttpOnly",
      ]);
      res.end(Buffer.from(fetchResultBytes()));
    });
    const signer = createEulerSigner({ baseUrl: local.url });
    expect(signer.name).toBe(`euler@${new URL(local.url).host}`);
    const session = await signer.sign(request);
    expect(session.cookies).toEqual([
      { name: "ttwid", value: "one" },
      { name: "msToken", value: "two" },
      { name: "odin_tt", value: "three" },
    ]);
    expect(local.requests[0]!.url.pathname).toBe("/webcast/fetch");
  });

  it("keeps a base URL's path prefix", async () => {
    const { agent, pool } = mockEuler("https://sign.example.com");
    const seen = intercept(pool, "/prefix/webcast/fetch", {
      body: fetchResultBytes(),
      headers: signHeaders(),
    });
    await createEulerSigner({ dispatcher: agent, baseUrl: "https://sign.example.com/prefix/" }).sign(request);
    expect(seen[0]!.url.pathname).toBe("/prefix/webcast/fetch");
  });

  describe("session forwarding", () => {
    const withSession: SignRequest = { ...request, session: { sessionId, ttTargetIdc: "useast1a" } };

    it("does not send a session without forwardSession", async () => {
      const { agent, pool } = mockEuler();
      const seen = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
      const debug: string[] = [];
      await createEulerSigner({ dispatcher: agent, logger: { debug: (m) => debug.push(m) } }).sign(
        withSession,
      );
      expect(seen[0]!.headers["x-cookie-header"]).toBeUndefined();
      expect(JSON.stringify(seen[0])).not.toContain(sessionId);
      expect(debug.join("\n")).toMatch(/not forwarded/);
    });

    it("sends x-cookie-header with forwardSession, never the session in the URL", async () => {
      const { agent, pool } = mockEuler();
      const seen = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
      await createEulerSigner({ dispatcher: agent, forwardSession: true }).sign(withSession);
      expect(seen[0]!.headers["x-cookie-header"]).toBe(`sessionid=${sessionId}; tt-target-idc=useast1a`);
      expect(seen[0]!.url.href).not.toContain(sessionId);
      expect(seen[0]!.url.searchParams.has("session_id")).toBe(false);
      expect(seen[0]!.url.searchParams.has("tt_target_idc")).toBe(false);
    });

    it("sends nothing when the request has no session, even with forwardSession", async () => {
      const { agent, pool } = mockEuler();
      const seen = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
      await createEulerSigner({ dispatcher: agent, forwardSession: true }).sign(request);
      expect(seen[0]!.headers["x-cookie-header"]).toBeUndefined();
    });

    it("rejects a session value that would corrupt the header, without echoing it", async () => {
      const signer = createEulerSigner({ dispatcher: mockEuler().agent, forwardSession: true });
      const error = await failure(
        signer.sign({ ...request, session: { sessionId: `${sessionId}\r\nx: y`, ttTargetIdc: "useast1a" } }),
      );
      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(error.message).not.toContain(sessionId);
    });
  });

  describe("HTTP statuses", () => {
    async function signWith(
      status: number,
      body: string,
      headers: Record<string, string> = {},
      now?: () => number,
    ): Promise<TikLiveError> {
      const { agent, pool } = mockEuler();
      intercept(pool, "/webcast/fetch", { status, body, headers });
      return failure(
        createEulerSigner({ dispatcher: agent, apiKey, ...(now === undefined ? {} : { now }) }).sign(request),
      );
    }

    it.each([401, 403])("%i: sign_unauthorized, not retryable", async (status) => {
      const error = await signWith(status, JSON.stringify({ code: status, message: "Invalid API key" }));
      expect(error.code).toBe(ErrorCode.SignUnauthorized);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("Invalid API key");
      expect(error.details).toMatchObject({ status, signer: "euler", operation: "sign" });
    });

    it("402: sign_premium_required, not retryable", async () => {
      const error = await signWith(402, JSON.stringify({ message: "This feature requires a paid plan" }));
      expect(error.code).toBe(ErrorCode.SignPremiumRequired);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("paid plan");
    });

    it("429 with Retry-After seconds: retryAfterMs, and {message, limit_label} in details", async () => {
      const error = await signWith(
        429,
        JSON.stringify({ message: "Too many connections started", limit_label: "minute" }),
        { "retry-after": "17" },
      );
      expect(error.code).toBe(ErrorCode.SignRateLimited);
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(17_000);
      expect(error.details).toMatchObject({
        status: 429,
        message: "Too many connections started",
        limitLabel: "minute",
        retryAfterSource: "retry-after",
      });
      expect(error.message).toMatch(/minute.*Too many connections started.*retry in 17 s/);
    });

    it("429 with a Retry-After HTTP-date", async () => {
      const now = Date.UTC(2026, 9, 21, 7, 28, 0);
      const error = await signWith(429, "{}", { "retry-after": "Wed, 21 Oct 2026 07:30:00 GMT" }, () => now);
      expect(error.retryAfterMs).toBe(120_000);
    });

    it("429 with only X-RateLimit-Reset in epoch seconds", async () => {
      const now = Date.UTC(2026, 9, 21, 7, 28, 0);
      const error = await signWith(429, "{}", { "x-ratelimit-reset": String(now / 1000 + 42) }, () => now);
      expect(error.code).toBe(ErrorCode.SignRateLimited);
      expect(error.retryAfterMs).toBe(42_000);
      expect(error.details["retryAfterSource"]).toBe("x-ratelimit-reset");
    });

    it("429 without any retry header: no retryAfterMs, still rate-limited", async () => {
      const error = await signWith(429, "rate limited");
      expect(error.code).toBe(ErrorCode.SignRateLimited);
      expect(error.retryAfterMs).toBeUndefined();
    });

    it.each([500, 502, 503])("%i: signer_unavailable, retryable", async (status) => {
      const error = await signWith(status, "upstream failure");
      expect(error.code).toBe(ErrorCode.SignerUnavailable);
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`HTTP ${status}`);
    });

    it.each([400, 404, 302])("%i: invalid_response (redirects are not followed)", async (status) => {
      const error = await signWith(
        status,
        "nope",
        status === 302 ? { location: "https://elsewhere.example/" } : {},
      );
      expect(error.code).toBe(ErrorCode.InvalidResponse);
      expect(error.details["status"]).toBe(status);
    });
  });

  describe("network, timeouts and aborts", () => {
    it("a refused connection is signer_unavailable, retryable, with the errno in details", async () => {
      const port = await closedPort();
      const error = await failure(createEulerSigner({ baseUrl: `http://127.0.0.1:${port}` }).sign(request));
      expect(error.code).toBe(ErrorCode.SignerUnavailable);
      expect(error.retryable).toBe(true);
      expect(error.details["errorCode"]).toBe("ECONNREFUSED");
      expect(error.cause).toBeInstanceOf(Error);
    });

    it("a dispatcher error is signer_unavailable", async () => {
      const { agent, pool } = mockEuler();
      pool.intercept({ path: () => true }).replyWithError(new Error("socket hang up"));
      const error = await failure(createEulerSigner({ dispatcher: agent }).sign(request));
      expect(error.code).toBe(ErrorCode.SignerUnavailable);
      expect(error.message).toContain("socket hang up");
    });

    it("no answer within timeoutMs is a retryable timeout", async () => {
      const local = await server(() => {
        /* never answers */
      });
      const started = Date.now();
      const error = await failure(createEulerSigner({ baseUrl: local.url, timeoutMs: 150 }).sign(request));
      expect(error.code).toBe(ErrorCode.Timeout);
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("a body that stops halfway is a timeout too", async () => {
      const local = await server((_req, res) => {
        res.writeHead(200, { "content-type": "application/protobuf", "content-length": "1000" });
        res.write(Buffer.from([10, 2]));
      });
      const error = await failure(createEulerSigner({ baseUrl: local.url, timeoutMs: 150 }).sign(request));
      expect(error.code).toBe(ErrorCode.Timeout);
    });

    it("an endless body is refused at maxResponseBytes and its connection closed", async () => {
      let closed: () => void = () => {};
      const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
      const local = await server((_req, res) => {
        res.writeHead(200, { "content-type": "application/protobuf" });
        const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 1);
        res.on("close", () => {
          clearInterval(timer);
          closed();
        });
      });
      const error = await failure(
        createEulerSigner({ baseUrl: local.url, timeoutMs: 10_000, maxResponseBytes: 64 * 1024 }).sign(
          request,
        ),
      );
      expect([error.code, error.retryable, error.details["maxResponseBytes"]]).toEqual([
        ErrorCode.PayloadTooLarge,
        false,
        64 * 1024,
      ]);
      await connectionClosed;
    });

    it("the caller's abort is aborted, not retryable, and not a timeout", async () => {
      const local = await server(() => {
        /* never answers */
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("user left")), 50);
      const error = await failure(
        createEulerSigner({ baseUrl: local.url, timeoutMs: 5000 }).sign({
          ...request,
          signal: controller.signal,
        }),
      );
      expect(error.code).toBe(ErrorCode.Aborted);
      expect(error.retryable).toBe(false);
    });

    it("an already aborted signal sends no request", async () => {
      const { agent, pool } = mockEuler();
      const seen = intercept(pool, "/", { body: fetchResultBytes(), headers: signHeaders() });
      const error = await failure(
        createEulerSigner({ dispatcher: agent }).sign({ ...request, signal: AbortSignal.abort() }),
      );
      expect(error.code).toBe(ErrorCode.Aborted);
      expect(seen).toHaveLength(0);
    });
  });

  describe("degraded answers are signer_degraded, not a session", () => {
    async function signBody(
      body: Uint8Array | string,
      headers: Record<string, string | string[]> = signHeaders(),
    ): Promise<TikLiveError> {
      const { agent, pool } = mockEuler();
      intercept(pool, "/webcast/fetch", { body, headers });
      const error = await failure(createEulerSigner({ dispatcher: agent }).sign(request));
      expect(error.code).toBe(ErrorCode.SignerDegraded);
      expect(error.retryable).toBe(true);
      return error;
    }

    it("an empty 200 body", async () => {
      expect((await signBody("")).message).toMatch(/empty body/);
    });

    it("a body that is not protobuf", async () => {
      const error = await signBody(
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      );
      expect(error.message).toMatch(/not a protobuf fetch result/);
      expect(TikLiveError.is(error.cause, ErrorCode.MalformedFrame)).toBe(true);
    });

    it("a JSON body instead of protobuf", async () => {
      const error = await signBody(JSON.stringify({ code: 500, message: "fallback mode" }), {
        ...signHeaders(),
        "content-type": "application/json",
      });
      expect(error.message).toMatch(/application\/json.*fallback mode/);
    });

    it("a URL string as the body", async () => {
      const error = await signBody("wss://webcast.example/webcast/im/push/v2/?room_id=1", {
        ...signHeaders(),
        "content-type": "application/octet-stream",
      });
      expect(error.message).toMatch(/not a protobuf fetch result|missing/);
    });

    it("the fallback stub: a fetch result without cursor and pushServer", async () => {
      const error = await signBody(encodeFetchResult({ internalExt: "stub", isFirst: true }));
      expect(error.details["missing"]).toEqual(["cursor", "pushServer"]);
    });

    it("a push server that is not a URL", async () => {
      const error = await signBody(fetchResultBytes({ pushServer: "not a url" }));
      expect(error.details["missing"]).toEqual(["a valid pushServer URL"]);
    });

    it("no x-set-tt-cookie header (EMPTY_COOKIES)", async () => {
      const headers = signHeaders();
      delete headers["x-set-tt-cookie"];
      const error = await signBody(fetchResultBytes(), headers);
      expect(error.message).toMatch(/EMPTY_COOKIES/);
      expect(error.details["missing"]).toEqual(["cookies (x-set-tt-cookie; EMPTY_COOKIES)"]);
    });

    it("a cookie header without a usable cookie", async () => {
      await signBody(fetchResultBytes(), {
        ...signHeaders(),
        "x-set-tt-cookie": "ttwid=; Max-Age=0, garbage",
      });
    });
  });

  it("refuses a body over maxResponseBytes", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const error = await failure(createEulerSigner({ dispatcher: agent, maxResponseBytes: 16 }).sign(request));
    expect(error.code).toBe(ErrorCode.PayloadTooLarge);
  });

  it("validates the request before any network call", async () => {
    const { agent, pool } = mockEuler();
    const seen = intercept(pool, "/", { body: fetchResultBytes(), headers: signHeaders() });
    const signer = createEulerSigner({ dispatcher: agent });
    for (const bad of [
      { ...request, roomId: "12ab" },
      // biome-ignore lint/correctness/noPrecisionLoss: the point: a JS number cannot hold a room id
      { ...request, roomId: 7312345678901234567 as unknown as string },
      { ...request, userAgent: "" },
      { ...request, platform: "desktop" as "web" },
      { ...request, uniqueId: "not a user!" },
      { ...request, cursor: 5 as unknown as string },
    ]) {
      expect((await failure(signer.sign(bad))).code).toBe(ErrorCode.InvalidInput);
    }
    expect(seen).toHaveLength(0);
  });

  it("keeps everything per instance: two signers never share a key or a dispatcher", async () => {
    const a = mockEuler();
    const b = mockEuler();
    const seenA = intercept(a.pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const seenB = intercept(b.pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const signerA = createEulerSigner({ name: "a", apiKey: "key-aaaa-1111", dispatcher: a.agent });
    const signerB = createEulerSigner({ name: "b", apiKey: "key-bbbb-2222", dispatcher: b.agent });
    await Promise.all([signerA.sign(request), signerB.sign(request), signerA.sign(request)]);
    expect(seenA.map((s) => s.headers["x-api-key"])).toEqual(["key-aaaa-1111", "key-aaaa-1111"]);
    expect(seenB.map((s) => s.headers["x-api-key"])).toEqual(["key-bbbb-2222"]);
  });
});

describe("createEulerSigner options", () => {
  it("validates once, at creation", () => {
    const bad: unknown[] = [
      { baseUrl: "ftp://sign.example.com" },
      { baseUrl: "not a url" },
      { baseUrl: "https://sign.example.com/?x=1" },
      { baseUrl: "https://user:pass@sign.example.com" },
      { apiKey: "" },
      { apiKey: "abc" },
      { apiKey: `${apiKey}\n` },
      { jwtKey: 42 },
      { timeoutMs: 0 },
      { timeoutMs: 1.5 },
      { route: "websocket" },
      { roomIdRoute: "x" },
      { name: "" },
      { forwardSession: "yes" },
      { dispatcher: {} },
      { logger: 5 },
      null,
    ];
    for (const options of bad) {
      expect(() => createEulerSigner(options as never), JSON.stringify(options)).toThrow(TikLiveError);
    }
  });

  it("numeric options follow the same rules as the client's: whole ms a timer accepts, whole bytes", () => {
    for (const [options, name, message] of [
      [
        { timeoutMs: 3e9 },
        "timeoutMs",
        "must be a positive whole number of milliseconds at most 2147483647, got 3000000000",
      ],
      [
        { timeoutMs: 1.5 },
        "timeoutMs",
        "must be a positive whole number of milliseconds at most 2147483647, got 1.5",
      ],
      [{ timeoutMs: 0 }, "timeoutMs", "got 0"],
      [
        { maxResponseBytes: 1.5 },
        "maxResponseBytes",
        "must be a positive integer at most 268435456, got 1.5",
      ],
      [{ maxResponseBytes: 2 ** 30 }, "maxResponseBytes", "at most 268435456"],
    ] as const) {
      let error: unknown;
      try {
        createEulerSigner(options);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: ErrorCode.InvalidInput, details: { option: name } });
      expect((error as Error).message).toContain(`createEulerSigner: \`${name}\` must be`);
      expect((error as Error).message).toContain(message);
    }
  });

  it("never echoes a key that was put in the base URL", () => {
    let error: unknown;
    try {
      createEulerSigner({ baseUrl: `https://sign.example.com/?apiKey=${apiKey}` });
    } catch (e) {
      error = e;
    }
    expect(TikLiveError.is(error, ErrorCode.InvalidInput)).toBe(true);
    expect(String((error as Error).message)).not.toContain(apiKey);
  });

  it("warns when credentials would travel over plain http to another host", () => {
    const warnings: string[] = [];
    createEulerSigner({
      baseUrl: "http://sign.example.com",
      apiKey,
      logger: { warn: (m) => warnings.push(m) },
    });
    createEulerSigner({ baseUrl: "http://127.0.0.1:1", apiKey, logger: { warn: (m) => warnings.push(m) } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain http/);
  });

  it("has the documented defaults", () => {
    const signer = createEulerSigner();
    expect(signer.name).toBe("euler");
    expect(signer.baseUrl).toBe("https://api.eulerstream.com");
    expect(typeof signer.resolveRoomId).toBe("function");
    expect(typeof signer.sendChat).toBe("function");
  });
});

// The Euler signer's sign budget (docs/protocol.md §7.2): sign() draws one request from it
// before sending, waits when it is empty, and a 429 blocks it. Against an undici MockAgent, on
// fake time: no test sleeps for real.
import { inspect } from "node:util";
import { createSignBudget, ErrorCode, type SignRequest, TikLiveError } from "@tiklive/core";
import { failure } from "@tiklive/test-support/rejection";
import { settle, until } from "@tiklive/test-support/wait";
import { describe, expect, it } from "vitest";
import { parseRateLimits, parseResetAt } from "./euler-budget.js";
import { createEulerSigner } from "./euler-signer.js";
import {
  apiKey,
  fetchResultBytes,
  instantClock,
  intercept,
  jwtKey,
  manualClock,
  mockEuler,
  roomId,
  signHeaders,
  userAgent,
} from "./testing/euler-fixtures.js";

const request: SignRequest = { roomId, userAgent, platform: "web" };
const json = { "content-type": "application/json" };

/** A MockAgent Euler whose sign route always works; returns what each route saw. */
function euler(origin?: string) {
  const { agent, pool } = mockEuler(origin);
  const signs = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
  return { agent, pool, signs };
}

/** A `GET /webcast/rate_limits` answer. */
function rateLimitsBody(minute: { max: number; remaining: number; reset_at: unknown }, extra = {}) {
  return JSON.stringify({
    code: 200,
    message: "OK",
    minute,
    hour: { max: 1000, remaining: 990, reset_at: "2099-01-01T00:00:00.000Z" },
    day: { max: 10_000, remaining: 9990, reset_at: "2099-01-01T00:00:00.000Z" },
    load_shedding: { at: 0.9, chance: 0 },
    ...extra,
  });
}

describe("anonymous, on Euler's server", () => {
  it("5 signs pass at once; the 6th waits for the window and makes no request before it frees", async () => {
    const { agent, pool, signs } = euler();
    const limits = intercept(pool, "/webcast/rate_limits", { body: "{}", headers: json });
    const clock = manualClock();
    const signer = createEulerSigner({ dispatcher: agent, clock });
    expect(signer.budget).toBeDefined();

    const sessions = Promise.all(Array.from({ length: 6 }, () => signer.sign(request)));
    await until(() => signs.length === 5 && clock.sleeping === 1, { what: "5 requests and 1 sleeper" });
    expect(clock.slept).toEqual([60_000]);
    expect(signer.budget?.waitTime()).toBe(60_000);
    clock.advance(59_999);
    await settle(50);
    expect(signs).toHaveLength(5);

    clock.advance(1);
    expect(await sessions).toHaveLength(6);
    expect(signs).toHaveLength(6);
    // No key: the limits are known, and rate_limits is never asked.
    expect(limits).toHaveLength(0);
  });

  it("a 429 blocks the budget for the retry time (a minute when none is given)", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/fetch", { status: 429, headers: { "retry-after": "7" } }, { times: 1 });
    intercept(pool, "/webcast/fetch", { status: 429, body: "{}" }, { times: 1 });
    const signs = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const clock = instantClock();
    const signer = createEulerSigner({ dispatcher: agent, clock });

    const limited = await failure(signer.sign(request));
    expect(limited.code).toBe(ErrorCode.SignRateLimited);
    expect(limited.retryAfterMs).toBe(7000);
    expect(signer.budget?.waitTime()).toBe(7000);
    const blind = await failure(signer.sign(request));
    expect(blind.retryAfterMs).toBeUndefined();
    expect(clock.slept).toEqual([7000]);
    expect(signer.budget?.waitTime()).toBe(60_000);

    await signer.sign(request);
    expect(clock.slept).toEqual([7000, 60_000]);
    expect(signs).toHaveLength(1);
  });

  it("resolveRoomId and sendChat are not sign requests: they neither draw nor wait", async () => {
    const { agent, pool, signs } = euler();
    intercept(pool, "/webcast/room_id", {
      body: JSON.stringify({ code: 200, ok: true, is_live: true, room_id: roomId }),
      headers: json,
    });
    intercept(
      pool,
      `/webcast/rooms/${roomId}/chat`,
      { body: JSON.stringify({ code: 200, message: "ok", data: { status_code: 0 } }), headers: json },
      { method: "POST" },
    );
    const clock = instantClock();
    const signer = createEulerSigner({ dispatcher: agent, clock, forwardSession: true });
    for (let i = 0; i < 5; i++) await signer.sign(request);
    expect(signer.budget?.waitTime()).toBe(60_000);

    for (let i = 0; i < 3; i++) expect((await signer.resolveRoomId("someone")).roomId).toBe(roomId);
    await signer.sendChat({
      roomId,
      content: "hi",
      session: { sessionId: "abcdef123456", ttTargetIdc: "useast1a" },
    });
    expect(clock.slept).toEqual([]);
    expect(signer.budget?.waitTime()).toBe(60_000);
    expect(signs).toHaveLength(5);
  });

  it("the caller's signal aborts the wait: `aborted`, and no request is made", async () => {
    const { agent, signs } = euler();
    const clock = manualClock();
    const signer = createEulerSigner({ dispatcher: agent, clock });
    for (let i = 0; i < 5; i++) await signer.sign(request);
    const controller = new AbortController();
    const waiting = signer.sign({ ...request, signal: controller.signal });
    await until(() => clock.sleeping === 1);
    controller.abort(new Error("stop"));
    const error = await failure(waiting);
    expect(error.code).toBe(ErrorCode.Aborted);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('signer "euler" sign');
    expect(signs).toHaveLength(5);
  });

  it("budget: false has none; a budget passed in is used as it is, never filled from rate_limits", async () => {
    const { agent, pool, signs } = euler();
    const limits = intercept(pool, "/webcast/rate_limits", {
      body: rateLimitsBody({ max: 1, remaining: 0, reset_at: "2099-01-01T00:00:00.000Z" }),
      headers: json,
    });
    const clock = instantClock();
    const none = createEulerSigner({ dispatcher: agent, clock, budget: false });
    expect(none.budget).toBeUndefined();
    for (let i = 0; i < 8; i++) await none.sign(request);
    expect(clock.slept).toEqual([]);

    const budget = createSignBudget({ clock, windows: [{ max: 2, periodMs: 1000 }] });
    const given = createEulerSigner({ dispatcher: agent, clock, budget, apiKey });
    expect(given.budget).toBe(budget);
    for (let i = 0; i < 3; i++) await given.sign(request);
    expect(clock.slept).toEqual([1000]);
    expect(limits).toHaveLength(0);
    expect(signs).toHaveLength(11);
  });

  it("refuses a budget that is not a SignBudget, and a clock that is not a Clock", () => {
    for (const options of [{ budget: {} }, { budget: true }, { clock: { now: () => 0 } }]) {
      expect(() => createEulerSigner(options as never)).toThrowError(
        expect.objectContaining({ code: ErrorCode.InvalidInput }),
      );
    }
  });
});

describe("with an API key", () => {
  it("asks rate_limits once, before the first sign, and waits as it says (remaining 0: until reset_at)", async () => {
    const { agent, pool, signs } = euler();
    const clock = instantClock();
    const start = clock.now();
    const limits = intercept(pool, "/webcast/rate_limits", {
      body: rateLimitsBody({ max: 3, remaining: 0, reset_at: new Date(start + 30_000).toISOString() }),
      headers: json,
    });
    const debug: string[] = [];
    const signer = createEulerSigner({
      apiKey,
      dispatcher: agent,
      clock,
      logger: { debug: (m) => debug.push(m) },
    });
    // Nothing is asked before the first sign.
    expect(limits).toHaveLength(0);
    expect(signer.budget?.waitTime()).toBe(0);

    await signer.sign(request);
    expect(limits).toHaveLength(1);
    expect(limits[0]?.url.pathname).toBe("/webcast/rate_limits");
    expect(limits[0]?.headers["x-api-key"]).toBe(apiKey);
    expect(limits[0]?.url.href).not.toContain(apiKey);
    expect(clock.slept).toEqual([30_000]);
    expect(debug).toContain(
      'signer "euler" rateLimits: 0/3 per minute, 990/1000 per hour, 9990/10000 per day',
    );

    // From the reset on, 3 per minute: the 4th waits a minute after the reset.
    await signer.sign(request);
    await signer.sign(request);
    expect(clock.slept).toEqual([30_000]);
    await signer.sign(request);
    expect(clock.slept).toEqual([30_000, 60_000]);
    expect(limits).toHaveLength(1);
    expect(signs).toHaveLength(4);

    // Five minutes after the answer it asks again.
    await clock.sleep(5 * 60_000);
    await signer.sign(request);
    expect(limits).toHaveLength(2);
  });

  it("signs started together wait for one rate_limits answer", async () => {
    const { agent, pool, signs } = euler();
    const limits = intercept(pool, "/webcast/rate_limits", {
      body: rateLimitsBody({ max: 60, remaining: 60, reset_at: "2099-01-01T00:00:00Z" }),
      headers: json,
    });
    const signer = createEulerSigner({ jwtKey, dispatcher: agent, clock: instantClock() });
    await Promise.all(Array.from({ length: 4 }, () => signer.sign(request)));
    expect(limits).toHaveLength(1);
    expect(limits[0]?.headers["x-jwt-key"]).toBe(jwtKey);
    expect(signs).toHaveLength(4);
  });

  it("a 429 blocks the budget and makes it ask rate_limits again (not within 10 s of the last answer)", async () => {
    const { agent, pool } = mockEuler();
    const limits = intercept(pool, "/webcast/rate_limits", {
      body: rateLimitsBody({ max: 60, remaining: 60, reset_at: "2099-01-01T00:00:00Z" }),
      headers: json,
    });
    intercept(pool, "/webcast/fetch", { status: 429, headers: { "retry-after": "30" } }, { times: 1 });
    const signs = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const clock = instantClock();
    const signer = createEulerSigner({ apiKey, dispatcher: agent, clock });

    expect((await failure(signer.sign(request))).code).toBe(ErrorCode.SignRateLimited);
    expect(limits).toHaveLength(1);
    expect(signer.budget?.waitTime()).toBe(30_000);
    await signer.sign(request);
    expect(clock.slept).toEqual([30_000]);
    expect(limits).toHaveLength(2);
    expect(signs).toHaveLength(1);
  });

  it.each([
    ["HTTP 500", { status: 500, body: JSON.stringify({ message: "down" }) }],
    [
      "an answer that is not JSON",
      { body: "<html>maintenance</html>", headers: { "content-type": "text/html" } },
    ],
    ["an answer with no window", { body: JSON.stringify({ code: 200, message: "OK" }), headers: json }],
    ["an error code in the answer", { body: JSON.stringify({ code: 403, message: "no" }), headers: json }],
  ])(
    "rate_limits failing (%s): signs anyway, with the anonymous limits, and says so on debug",
    async (_name, reply) => {
      const { agent, pool, signs } = euler();
      const limits = intercept(pool, "/webcast/rate_limits", reply);
      const clock = instantClock();
      const debug: string[] = [];
      const signer = createEulerSigner({
        apiKey,
        dispatcher: agent,
        clock,
        logger: { debug: (m) => debug.push(m) },
      });
      for (let i = 0; i < 6; i++) await signer.sign(request);
      expect(signs).toHaveLength(6);
      expect(clock.slept).toEqual([60_000]);
      // Not asked again on every sign: the next try is after the refresh time.
      expect(limits).toHaveLength(1);
      const said = debug.filter((l) => l.includes("could not read the key's limits"));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain("using the anonymous limits");
    },
  );

  it("a refresh that fails keeps the limits the server reported before", async () => {
    const { agent, pool, signs } = euler();
    intercept(
      pool,
      "/webcast/rate_limits",
      { body: rateLimitsBody({ max: 2, remaining: 2, reset_at: "2099-01-01T00:00:00Z" }), headers: json },
      { times: 1 },
    );
    const failed = intercept(pool, "/webcast/rate_limits", { status: 503 });
    const clock = instantClock();
    const debug: string[] = [];
    const signer = createEulerSigner({
      apiKey,
      dispatcher: agent,
      clock,
      logger: { debug: (m) => debug.push(m) },
    });
    await signer.sign(request);
    await clock.sleep(5 * 60_000);
    clock.slept.length = 0;
    for (let i = 0; i < 3; i++) await signer.sign(request);
    expect(failed).toHaveLength(1);
    expect(debug.find((l) => l.includes("could not read"))).toContain(
      "keeping the limits it reported before",
    );
    // Still 2 a minute (not the anonymous 5): the third waits.
    expect(clock.slept).toEqual([60_000]);
    expect(signs).toHaveLength(4);
  });

  it("rate_limits unreachable: signs anyway", async () => {
    // No interceptor for the route: the MockAgent refuses the request (as a network error would).
    const { agent, signs } = euler();
    const signer = createEulerSigner({ apiKey, dispatcher: agent, clock: instantClock() });
    await signer.sign(request);
    expect(signs).toHaveLength(1);
  });

  it("on another sign server, a failed rate_limits leaves no local limit (the anonymous ones are Euler's)", async () => {
    const origin = "https://sign.example.com";
    const { agent, pool, signs } = euler(origin);
    const limits = intercept(pool, "/webcast/rate_limits", { status: 404, body: "not here" });
    const clock = instantClock();
    const signer = createEulerSigner({ apiKey, baseUrl: origin, dispatcher: agent, clock });
    for (let i = 0; i < 12; i++) await signer.sign(request);
    expect(clock.slept).toEqual([]);
    expect(limits).toHaveLength(1);
    expect(signs).toHaveLength(12);
  });

  it("the key is in no error and no log line, even when the server echoes it", async () => {
    const { agent, pool } = mockEuler();
    intercept(pool, "/webcast/rate_limits", {
      status: 401,
      body: JSON.stringify({ message: `bad key ${apiKey}` }),
      headers: { ...json, "x-request-id": apiKey },
    });
    intercept(pool, "/webcast/fetch", {
      status: 429,
      body: JSON.stringify({ message: `too many for ${apiKey}`, limit_label: apiKey }),
      headers: { ...json, "retry-after": "5", "x-request-id": apiKey },
    });
    const lines: string[] = [];
    const logger = {
      debug: (m: string, d?: Record<string, unknown>) => lines.push(m, inspect(d, { depth: 10 })),
      warn: (m: string, d?: Record<string, unknown>) => lines.push(m, inspect(d, { depth: 10 })),
    };
    const signer = createEulerSigner({ apiKey, dispatcher: agent, clock: instantClock(), logger });
    const errors = [await failure(signer.sign(request)), await failure(signer.sign(request))];
    expect(lines.join("\n")).toContain("could not read the key's limits");
    for (const error of errors) {
      expect(error.code).toBe(ErrorCode.SignRateLimited);
      const text = [inspect(error, { depth: 10 }), error.message, JSON.stringify(error.details)].join("\n");
      expect(text).not.toContain(apiKey);
    }
    expect(lines.join("\n")).not.toContain(apiKey);
  });
});

describe("a budget shared by two signers", () => {
  it("is never exceeded when both sign at once", async () => {
    const { agent, pool, signs } = euler();
    const limits = intercept(pool, "/webcast/rate_limits", { body: "{}", headers: json });
    const clock = manualClock();
    const budget = createSignBudget({ clock, windows: [{ max: 3, periodMs: 60_000 }] });
    const a = createEulerSigner({ name: "a", dispatcher: agent, clock, budget, apiKey });
    const b = createEulerSigner({ name: "b", dispatcher: agent, clock, budget });
    expect(a.budget).toBe(budget);
    expect(b.budget).toBe(budget);

    const all = Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).sign(request).then((s) => s.signer)),
    );
    await until(() => signs.length === 3 && clock.sleeping === 5, { what: "3 requests, 5 sleepers" });
    await settle(30);
    expect(signs).toHaveLength(3);

    clock.advance(60_000);
    await until(() => signs.length === 6 && clock.sleeping === 2, { what: "6 requests, 2 sleepers" });
    await settle(30);
    expect(signs).toHaveLength(6);

    clock.advance(60_000);
    expect((await all).sort()).toEqual(["a", "a", "a", "a", "b", "b", "b", "b"]);
    expect(signs).toHaveLength(8);
    expect(limits).toHaveLength(0);
  });
});

describe("parseRateLimits", () => {
  const now = Date.UTC(2025, 0, 1);

  it("reads minute, hour and day, with reset_at as ISO, epoch seconds, epoch ms or seconds from now", () => {
    expect(
      parseRateLimits(
        {
          code: 200,
          minute: { max: 10, remaining: 4, reset_at: new Date(now + 20_000).toISOString() },
          hour: { max: "100", remaining: "150", reset_at: (now + 600_000) / 1000 },
          day: { max: 1000, remaining: -3, reset_at: String(now + 3_600_000) },
          load_shedding: { at: 0.9, chance: 0.1 },
        },
        now,
      ),
    ).toEqual([
      { periodMs: 60_000, max: 10, remaining: 4, resetAt: now + 20_000 },
      { periodMs: 3_600_000, max: 100, remaining: 100, resetAt: now + 600_000 },
      { periodMs: 86_400_000, max: 1000, remaining: 0, resetAt: now + 3_600_000 },
    ]);
    expect(parseResetAt(42, now)).toBe(now + 42_000);
    expect(parseResetAt("soon", now)).toBeUndefined();
  });

  it("skips unusable windows; an unreadable reset_at counts as a full period from now", () => {
    expect(
      parseRateLimits(
        {
          minute: { max: 0, remaining: 0 },
          hour: { max: 2.5, remaining: 1 },
          day: { max: 5, remaining: 1, reset_at: null },
        },
        now,
      ),
    ).toEqual([{ periodMs: 86_400_000, max: 5, remaining: 1, resetAt: now + 86_400_000 }]);
  });

  it("undefined for no object, an error code, or no window", () => {
    for (const answer of [null, "x", [], { code: 429, minute: { max: 5, remaining: 0 } }, { code: 200 }]) {
      expect(parseRateLimits(answer, now)).toBeUndefined();
    }
  });
});

describe("errors", () => {
  it("a budget that throws fails the sign with its error (no request)", async () => {
    const { agent, signs } = euler();
    const budget = {
      waitTime: () => 0,
      acquire: async () => {
        throw new TikLiveError(ErrorCode.SignRateLimited, "pool exhausted", { retryAfterMs: 1000 });
      },
      penalize: () => {},
      report: () => {},
    };
    const error = await failure(createEulerSigner({ dispatcher: agent, budget }).sign(request));
    expect(error.code).toBe(ErrorCode.SignRateLimited);
    expect(signs).toHaveLength(0);
  });
});

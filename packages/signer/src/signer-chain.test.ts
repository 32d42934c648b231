import {
  createSignBudget,
  decodeFetchResult,
  ErrorCode,
  type SignedSession,
  type Signer,
  type SignRequest,
  TikLiveError,
} from "@tiklive/core";
import { failure } from "@tiklive/test-support/rejection";
import { describe, expect, it } from "vitest";
import { createEulerSigner } from "./euler-signer.js";
import { createSignerChain } from "./signer-chain.js";
import {
  fetchResultBytes,
  instantClock,
  intercept,
  mockEuler,
  roomId,
  signHeaders,
  userAgent,
} from "./testing/euler-fixtures.js";

const request: SignRequest = { roomId, userAgent, platform: "web" };

/** A scripted signer: each call takes the next outcome (the last one repeats). */
function scripted(
  name: string,
  outcomes: (TikLiveError | Error | "ok")[],
  extra: Partial<Signer> = {},
): Signer & { calls: number } {
  const signer = {
    name,
    calls: 0,
    async sign(req: SignRequest): Promise<SignedSession> {
      const outcome = outcomes[Math.min(signer.calls, outcomes.length - 1)];
      signer.calls += 1;
      if (outcome instanceof Error) throw outcome;
      return {
        roomId: req.roomId,
        fetchResult: decodeFetchResult(fetchResultBytes()),
        cookies: [{ name: "ttwid", value: name }],
        userAgent: req.userAgent,
        signer: `inner-${name}`,
        receivedAt: 0,
      };
    },
    ...extra,
  };
  return signer;
}

const rateLimited = (ms: number) =>
  new TikLiveError(ErrorCode.SignRateLimited, "rate-limited", { retryAfterMs: ms });
const unavailable = () => new TikLiveError(ErrorCode.SignerUnavailable, "HTTP 503");
const unauthorized = () => new TikLiveError(ErrorCode.SignUnauthorized, "bad key");

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe("createSignerChain", () => {
  it("fails over from a rate-limited signer and comes back to it after its retry time", async () => {
    const time = clock();
    const a = scripted("a", [rateLimited(5000), "ok"]);
    const b = scripted("b", ["ok"]);
    const chain = createSignerChain([a, b], { now: time.now });

    const first = await chain.sign(request);
    expect(first.signer).toBe("b");
    expect(first.cookies).toEqual([{ name: "ttwid", value: "b" }]);
    expect(chain.status()).toEqual([
      {
        name: "a",
        state: "rate_limited",
        nextTryAt: time.now() + 5000,
        consecutiveFailures: 1,
        lastError: { code: ErrorCode.SignRateLimited, message: "rate-limited", at: time.now() },
        lastServedAt: undefined,
      },
      {
        name: "b",
        state: "ready",
        nextTryAt: undefined,
        consecutiveFailures: 0,
        lastError: undefined,
        lastServedAt: time.now(),
      },
    ]);

    // Within A's retry time, A is not even asked.
    time.advance(4999);
    expect((await chain.sign(request)).signer).toBe("b");
    expect(a.calls).toBe(1);

    // After it, A serves again and is ready.
    time.advance(1);
    expect((await chain.sign(request)).signer).toBe("a");
    expect(a.calls).toBe(2);
    expect(chain.status()[0]).toMatchObject({
      name: "a",
      state: "ready",
      nextTryAt: undefined,
      consecutiveFailures: 0,
      lastError: undefined,
    });
  });

  it("when every signer is rate-limited, throws sign_rate_limited with the smallest retry time", async () => {
    const time = clock();
    const a = scripted("a", [rateLimited(5000)]);
    const b = scripted("b", [rateLimited(2000)]);
    const chain = createSignerChain([a, b], { now: time.now });

    const error = await failure(chain.sign(request));
    expect(error.code).toBe(ErrorCode.SignRateLimited);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.retryable).toBe(true);
    expect(error.details["failures"]).toEqual([
      {
        signer: "a",
        code: ErrorCode.SignRateLimited,
        message: "rate-limited",
        skipped: false,
        retryAfterMs: 5000,
      },
      {
        signer: "b",
        code: ErrorCode.SignRateLimited,
        message: "rate-limited",
        skipped: false,
        retryAfterMs: 2000,
      },
    ]);

    // Asked again while both cool down: fails fast, with the time left, and asks no one.
    time.advance(500);
    const again = await failure(chain.sign(request));
    expect(again.code).toBe(ErrorCode.SignRateLimited);
    expect(again.retryAfterMs).toBe(1500);
    expect(a.calls + b.calls).toBe(2);
  });

  it("skips an unauthorized signer for the long cooldown (default 10 min)", async () => {
    const time = clock();
    const a = scripted("a", [unauthorized(), "ok"]);
    const b = scripted("b", ["ok"]);
    const chain = createSignerChain([a, b], { now: time.now });
    expect((await chain.sign(request)).signer).toBe("b");
    expect(chain.status()[0]).toMatchObject({ state: "unauthorized", nextTryAt: time.now() + 600_000 });
    time.advance(5 * 60_000);
    expect((await chain.sign(request)).signer).toBe("b");
    expect(a.calls).toBe(1);
    time.advance(5 * 60_000);
    expect((await chain.sign(request)).signer).toBe("a");
  });

  it("skips an unavailable signer for cooldownMs (default 30 s), both configurable", async () => {
    const time = clock();
    const a = scripted("a", [unavailable(), "ok"]);
    const b = scripted("b", ["ok"]);
    const chain = createSignerChain([a, b], { now: time.now });
    await chain.sign(request);
    expect(chain.status()[0]).toMatchObject({ state: "unavailable", nextTryAt: time.now() + 30_000 });

    const c = scripted("c", [unavailable()]);
    const d = scripted("d", [unauthorized()]);
    const custom = createSignerChain([c, d, scripted("e", ["ok"])], {
      now: time.now,
      cooldownMs: 1000,
      authCooldownMs: 2000,
    });
    await custom.sign(request);
    expect(custom.status().map((s) => s.nextTryAt)).toEqual([
      time.now() + 1000,
      time.now() + 2000,
      undefined,
    ]);
    time.advance(1000);
    expect(custom.status().map((s) => s.state)).toEqual(["ready", "unauthorized", "ready"]);
  });

  it("uses cooldownMs for a rate limit without a retry time", async () => {
    const time = clock();
    const a = scripted("a", [new TikLiveError(ErrorCode.SignRateLimited, "429")]);
    const chain = createSignerChain([a, scripted("b", ["ok"])], { now: time.now, cooldownMs: 7000 });
    await chain.sign(request);
    expect(chain.status()[0]).toMatchObject({ state: "rate_limited", nextTryAt: time.now() + 7000 });
  });

  it("when every signer fails otherwise, throws the last error with the others in details", async () => {
    const time = clock();
    const a = scripted("a", [unavailable()]);
    const b = scripted("b", [unauthorized()]);
    const chain = createSignerChain([a, b], { now: time.now });
    const error = await failure(chain.sign(request));
    expect(error.code).toBe(ErrorCode.SignUnauthorized);
    expect(error.message).toMatch(/"b" failed: bad key/);
    expect(TikLiveError.is(error.cause, ErrorCode.SignUnauthorized)).toBe(true);
    // A will be retried in 30 s, so the chain's failure is retryable then.
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.details["signer"]).toBe("b");
    expect(error.details["failures"]).toEqual([
      {
        signer: "a",
        code: ErrorCode.SignerUnavailable,
        message: "HTTP 503",
        skipped: false,
        retryAfterMs: 30_000,
      },
      {
        signer: "b",
        code: ErrorCode.SignUnauthorized,
        message: "bad key",
        skipped: false,
        retryAfterMs: 600_000,
      },
    ]);
  });

  it("stops at once on an error about the request, blaming no signer", async () => {
    for (const code of [ErrorCode.InvalidInput, ErrorCode.Aborted, ErrorCode.UserNotFound]) {
      const a = scripted("a", [new TikLiveError(code, "the request")]);
      const b = scripted("b", ["ok"]);
      const chain = createSignerChain([a, b]);
      expect((await failure(chain.sign(request))).code).toBe(code);
      expect(b.calls).toBe(0);
      expect(chain.status()[0]?.state).toBe("ready");
    }
  });

  it("stops before the next signer when the caller aborts", async () => {
    const controller = new AbortController();
    const a: Signer = {
      name: "a",
      async sign() {
        controller.abort();
        throw unavailable();
      },
    };
    const b = scripted("b", ["ok"]);
    const error = await failure(createSignerChain([a, b]).sign({ ...request, signal: controller.signal }));
    expect(error.code).toBe(ErrorCode.Aborted);
    expect(b.calls).toBe(0);
  });

  it("wraps anything else a custom signer throws as signer_unavailable and fails over", async () => {
    const time = clock();
    const a = scripted("a", [new Error("boom")]);
    const chain = createSignerChain([a, scripted("b", ["ok"])], { now: time.now });
    expect((await chain.sign(request)).signer).toBe("b");
    expect(chain.status()[0]?.lastError).toMatchObject({ code: ErrorCode.SignerUnavailable });
    expect(chain.status()[0]?.lastError?.message).toContain("boom");
  });

  it("delegates resolveRoomId to the first member that has it and is up", async () => {
    const time = clock();
    const noLookup = scripted("plain", ["ok"]);
    const down = scripted("down", ["ok"], {
      resolveRoomId: async () => {
        throw unavailable();
      },
    });
    const up = scripted("up", ["ok"], { resolveRoomId: async () => ({ roomId: "42", isLive: true }) });
    const chain = createSignerChain([noLookup, down, up], { now: time.now });
    expect(await chain.resolveRoomId?.("someone")).toEqual({ roomId: "42", isLive: true });
    expect(chain.status().map((s) => s.state)).toEqual(["ready", "unavailable", "ready"]);

    const notFound = createSignerChain(
      [
        scripted("x", ["ok"], {
          resolveRoomId: async () => {
            throw new TikLiveError(ErrorCode.UserNotFound, "no such user");
          },
        }),
        up,
      ],
      { now: time.now },
    );
    expect((await failure(notFound.resolveRoomId!("ghost"))).code).toBe(ErrorCode.UserNotFound);

    expect(createSignerChain([noLookup]).resolveRoomId).toBeUndefined();
    expect(createSignerChain([noLookup]).sendChat).toBeUndefined();
  });

  it("delegates sendChat, moving past a member that has it disabled without blaming it", async () => {
    const sent: string[] = [];
    const disabled = scripted("disabled", ["ok"], {
      sendChat: async () => {
        throw new TikLiveError(ErrorCode.FeatureDisabled, "forwardSession is off");
      },
    });
    const enabled = scripted("enabled", ["ok"], {
      sendChat: async (r) => {
        sent.push(r.content);
      },
    });
    const chain = createSignerChain([disabled, enabled]);
    await chain.sendChat?.({
      roomId,
      content: "hi",
      session: { sessionId: "sess1234", ttTargetIdc: "useast1a" },
    });
    expect(sent).toEqual(["hi"]);
    expect(chain.status()[0]?.state).toBe("ready");

    const onlyDisabled = createSignerChain([disabled]);
    const error = await failure(
      onlyDisabled.sendChat!({
        roomId,
        content: "hi",
        session: { sessionId: "sess1234", ttTargetIdc: "useast1a" },
      }),
    );
    expect(error.code).toBe(ErrorCode.FeatureDisabled);
  });

  it("is a Signer itself: a chain can sit in a chain", async () => {
    const inner = createSignerChain([scripted("a", [unavailable()]), scripted("b", ["ok"])], {
      name: "inner",
    });
    const outer = createSignerChain([inner, scripted("c", ["ok"])], { name: "outer" });
    const session = await outer.sign(request);
    expect(outer.name).toBe("outer");
    expect(session.signer).toBe("inner");
    expect(outer.signers.map((s) => s.name)).toEqual(["inner", "c"]);
  });

  it("validates its signers and options at creation", () => {
    const a = scripted("a", ["ok"]);
    expect(() => createSignerChain([])).toThrow(TikLiveError);
    expect(() => createSignerChain([a, scripted("a", ["ok"])])).toThrow(/distinct `name`/);
    expect(() => createSignerChain([{ name: "x" } as unknown as Signer])).toThrow(/not a Signer/);
    expect(() => createSignerChain([a], { cooldownMs: -1 })).toThrow(TikLiveError);
    expect(() => createSignerChain([a], { authCooldownMs: 3e9 })).toThrow(
      "createSignerChain: `authCooldownMs` must be a non-negative whole number of milliseconds at most 2147483647, got 3000000000",
    );
    expect(() => createSignerChain([a], { authCooldownMs: Number.NaN })).toThrow(TikLiveError);
    expect(() => createSignerChain([a], { now: 5 as unknown as () => number })).toThrow(TikLiveError);
  });

  it("fails over between two real Euler signers (429 on one key, the other serves)", async () => {
    const { agent, pool } = mockEuler();
    intercept(
      pool,
      "/webcast/fetch",
      {
        status: 429,
        body: JSON.stringify({ message: "Too many", limit_label: "day" }),
        headers: { "retry-after": "60" },
      },
      { times: 1 },
    );
    intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() }, { times: 1 });
    const time = clock();
    const chain = createSignerChain(
      [
        createEulerSigner({ name: "paid", apiKey: "paid-key-1234", dispatcher: agent }),
        createEulerSigner({ name: "free", dispatcher: agent }),
      ],
      { now: time.now },
    );
    const session = await chain.sign(request);
    expect(session.signer).toBe("free");
    expect(chain.status()[0]).toMatchObject({
      name: "paid",
      state: "rate_limited",
      nextTryAt: time.now() + 60_000,
    });
  });
});

describe("createSignerChain and sign budgets", () => {
  /** A budget of `max` per minute on `time`, `used` of them already taken. */
  function budgetOf(time: ReturnType<typeof instantClock>, max: number, used = 0) {
    const budget = createSignBudget({ clock: time, windows: [{ max, periodMs: 60_000 }] });
    budget.report([{ periodMs: 60_000, max, remaining: max - used, resetAt: time.now() + 60_000 }]);
    return budget;
  }

  it("has no budget when no member has one", () => {
    expect(createSignerChain([scripted("a", ["ok"]), scripted("b", ["ok"])]).budget).toBeUndefined();
  });

  it("prefers a member whose budget has room to one that would wait", async () => {
    const time = instantClock();
    const a = scripted("a", ["ok"], { budget: budgetOf(time, 5, 5) });
    const b = scripted("b", ["ok"], { budget: budgetOf(time, 5, 0) });
    const chain = createSignerChain([a, b], { now: time.now });
    expect((await chain.sign(request)).signer).toBe("b");
    expect(a.calls).toBe(0);
    // With room in both, the order is the chain's again.
    const roomy = createSignerChain([scripted("c", ["ok"], { budget: budgetOf(time, 5) }), b]);
    expect((await roomy.sign(request)).signer).toBe("c");
    // All empty: the soonest free first.
    const later = scripted("later", ["ok"], { budget: createSignBudget({ clock: time }) });
    later.budget?.penalize(50_000);
    const sooner = scripted("sooner", ["ok"], { budget: createSignBudget({ clock: time }) });
    sooner.budget?.penalize(10_000);
    expect((await createSignerChain([later, sooner]).sign(request)).signer).toBe("sooner");
  });

  it("its budget view: the least wait among the members it would try; it takes nothing", async () => {
    const time = instantClock();
    const a = scripted("a", [rateLimited(5000), "ok"], { budget: budgetOf(time, 1, 0) });
    const b = scripted("b", ["ok"], { budget: createSignBudget({ clock: time }) });
    b.budget?.penalize(20_000);
    const c = scripted("c", ["ok"]);
    const chain = createSignerChain([a, b, c], { now: time.now });
    // c has no budget: it can always be tried.
    expect(chain.budget?.waitTime()).toBe(0);

    const ab = createSignerChain([a, b], { now: time.now });
    expect(ab.budget?.waitTime()).toBe(0);
    expect(await ab.budget?.acquire()).toBe(0);
    expect(a.budget?.waitTime()).toBe(0); // the view took nothing
    // a is rate-limited (5 s) and b waits 20 s: a is skipped, so the view says b's wait.
    expect((await ab.sign(request)).signer).toBe("b");
    expect(ab.status()[0]?.state).toBe("rate_limited");
    expect(ab.budget?.waitTime()).toBe(20_000);
    ab.budget?.penalize(99_000); // a no-op: members keep their own budgets
    expect(ab.budget?.waitTime()).toBe(20_000);
  });
});

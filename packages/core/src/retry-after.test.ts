import { describe, expect, it } from "vitest";
import { parseRetryAfter, sleep } from "./retry-after.js";

const now = Date.UTC(2026, 9, 21, 7, 28, 0); // Wed, 21 Oct 2026 07:28:00 GMT

describe("parseRetryAfter", () => {
  it("reads Retry-After delta-seconds", () => {
    expect(parseRetryAfter({ "retry-after": "120" }, now)).toEqual({
      retryAfterMs: 120_000,
      source: "retry-after",
    });
    expect(parseRetryAfter({ "Retry-After": " 0 " }, now)).toEqual({
      retryAfterMs: 0,
      source: "retry-after",
    });
  });

  it("reads a Retry-After HTTP-date relative to now, and a past date as 0", () => {
    expect(parseRetryAfter({ "retry-after": "Wed, 21 Oct 2026 07:29:30 GMT" }, now)).toEqual({
      retryAfterMs: 90_000,
      source: "retry-after",
    });
    expect(parseRetryAfter({ "retry-after": "Wed, 21 Oct 2026 07:00:00 GMT" }, now)).toEqual({
      retryAfterMs: 0,
      source: "retry-after",
    });
  });

  it("reads X-RateLimit-Reset as epoch seconds (what Euler sends)", () => {
    expect(parseRetryAfter({ "x-ratelimit-reset": String(now / 1000 + 45) }, now)).toEqual({
      retryAfterMs: 45_000,
      source: "x-ratelimit-reset",
    });
  });

  it("also accepts X-RateLimit-Reset as epoch milliseconds and as a small delta in seconds", () => {
    expect(parseRetryAfter({ "x-ratelimit-reset": String(now + 1500) }, now)?.retryAfterMs).toBe(1500);
    expect(parseRetryAfter({ "x-ratelimit-reset": "30" }, now)?.retryAfterMs).toBe(30_000);
    expect(parseRetryAfter({ "x-ratelimit-reset": "2.5" }, now)?.retryAfterMs).toBe(2500);
    expect(parseRetryAfter({ "x-ratelimit-reset": String(now / 1000 - 10) }, now)?.retryAfterMs).toBe(0);
  });

  it("prefers Retry-After over X-RateLimit-Reset", () => {
    expect(
      parseRetryAfter({ "retry-after": "5", "x-ratelimit-reset": String(now / 1000 + 600) }, now),
    ).toEqual({
      retryAfterMs: 5000,
      source: "retry-after",
    });
  });

  it("falls back to the next header when one is unparsable", () => {
    expect(
      parseRetryAfter({ "retry-after": "soon", "x-ratelimit-reset": String(now / 1000 + 7) }, now)
        ?.retryAfterMs,
    ).toBe(7000);
    expect(
      parseRetryAfter({ "retry-after": "-3", "x-ratelimit-reset": "abc", "ratelimit-reset": "12" }, now),
    ).toEqual({
      retryAfterMs: 12_000,
      source: "ratelimit-reset",
    });
    expect(parseRetryAfter({ "retry-after": "1.5" }, now)).toBeUndefined();
  });

  it("takes the first of several header lines", () => {
    expect(parseRetryAfter({ "retry-after": ["3", "9"] }, now)?.retryAfterMs).toBe(3000);
  });

  it("returns undefined without a usable header", () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "", "x-ratelimit-reset": undefined }, now)).toBeUndefined();
  });
});

describe("sleep", () => {
  it("resolves after the delay and rejects on abort", async () => {
    await sleep(5);
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});

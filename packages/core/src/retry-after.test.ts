import { describe, expect, it } from "vitest";
import { retryAfterMs, sleep } from "./retry-after.js";

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");
  it("reads Retry-After seconds and HTTP-dates, and prefers it", () => {
    expect(retryAfterMs({ retryAfter: "3" }, now)).toBe(3000);
    expect(retryAfterMs({ retryAfter: "1.5", rateLimitReset: String(now / 1000 + 60) }, now)).toBe(1500);
    expect(retryAfterMs({ retryAfter: "Sun, 22 Nov 2026 12:00:42 GMT" }, now)).toBe(42_000);
    expect(retryAfterMs({ retryAfter: "Sun, 22 Nov 2026 11:00:00 GMT" }, now)).toBe(0);
  });
  it("reads X-RateLimit-Reset as epoch seconds, epoch ms or delta seconds", () => {
    expect(retryAfterMs({ rateLimitReset: String(now / 1000 + 30) }, now)).toBe(30_000);
    expect(retryAfterMs({ rateLimitReset: String(now + 5000) }, now)).toBe(5000);
    expect(retryAfterMs({ rateLimitReset: "12" }, now)).toBe(12_000);
    expect(retryAfterMs({ rateLimitReset: String(now / 1000 - 30) }, now)).toBe(0);
  });
  it("is undefined when the headers say nothing usable", () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ retryAfter: "soon", rateLimitReset: "later" }, now)).toBeUndefined();
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

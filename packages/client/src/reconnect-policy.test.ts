import { ErrorCode, systemClock, TikLiveError } from "@tiklive/core";
import { describe, expect, it } from "vitest";
import { backoffDelay, createReconnectPolicy, type ReconnectSettings } from "./reconnect-policy.js";

const settings: ReconnectSettings = {
  enabled: true,
  maxAttempts: 3,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
};
const middle = () => 0.5;

describe("reconnect policy", () => {
  it("backs off exponentially with jitter, capped", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(settings, n, middle))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(settings, 1, () => 0)).toBe(800);
    expect(backoffDelay(settings, 1, () => 1)).toBe(1200);
  });

  it("gives up after maxAttempts in a row; reset() starts over", () => {
    const policy = createReconnectPolicy(settings, middle, systemClock);
    const drop = new TikLiveError(ErrorCode.ConnectionClosed, "drop");
    expect([1, 2, 3].map(() => policy.next(drop))).toEqual([
      { retry: true, attempt: 1, delayMs: 1000 },
      { retry: true, attempt: 2, delayMs: 2000 },
      { retry: true, attempt: 3, delayMs: 4000 },
    ]);
    expect(policy.next(drop)).toEqual({ retry: false, attempt: 3, why: "exhausted" });
    policy.reset();
    expect(policy.next(drop)).toEqual({ retry: true, attempt: 1, delayMs: 1000 });
  });

  it("never retries what cannot succeed, and waits a server's longer retry time (within timer limits)", () => {
    const policy = createReconnectPolicy(settings, middle, systemClock);
    const blocked = new TikLiveError(ErrorCode.Blocked, "403");
    expect(policy.next(blocked)).toEqual({ retry: false, attempt: 0, why: "fatal" });
    const limited = new TikLiveError(ErrorCode.SignRateLimited, "429", { retryAfterMs: 90_000 });
    expect(policy.next(limited)).toMatchObject({ retry: true, delayMs: 90_000 });
    const absurd = new TikLiveError(ErrorCode.SignRateLimited, "429", { retryAfterMs: 1e12 });
    expect(policy.next(absurd)).toMatchObject({ retry: true, delayMs: 2_147_483_647 });
    const off = createReconnectPolicy({ ...settings, enabled: false }, middle, systemClock);
    expect(off.next(undefined)).toEqual({ retry: false, attempt: 0, why: "disabled" });
  });
});

import { describe, expect, it } from "vitest";
import { ErrorCode, TikLiveError } from "./errors.js";
import { anonymousEulerLimits, type Clock, createSignBudget } from "./sign-budget.js";

// A clock that moves only when a sleeper asks it to: sleeping advances time at once.
function manualClock(start = 1_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
    },
  };
}

describe("createSignBudget", () => {
  it("defaults to the anonymous Euler limits: 5 at once, then the 6th a minute after the 1st", async () => {
    const clock = manualClock();
    const budget = createSignBudget({ clock });
    expect(anonymousEulerLimits.map((w) => [w.max, w.periodMs])).toEqual([
      [5, 60_000],
      [30, 3_600_000],
    ]);
    for (let i = 0; i < 5; i++) expect(await budget.acquire()).toBe(0);
    expect(budget.waitTime()).toBe(60_000);
    expect(await budget.acquire()).toBe(60_000);
    expect(clock.slept).toEqual([60_000]);
  });

  it("never more than 5 in any minute nor 30 in any hour, over 100 requests", async () => {
    const clock = manualClock();
    const budget = createSignBudget({ clock });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await budget.acquire();
      times.push(clock.now());
    }
    for (const [i, t] of times.entries()) {
      expect(times.filter((u, j) => j >= i && u < t + 60_000).length).toBeLessThanOrEqual(5);
      expect(times.filter((u, j) => j >= i && u < t + 3_600_000).length).toBeLessThanOrEqual(30);
    }
    // ... and not slower than that: the 31st request comes one hour after the 1st.
    expect((times[30] as number) - (times[0] as number)).toBe(3_600_000);
  });

  it("many callers at once: each window's count holds (the check and the take are one step)", async () => {
    let now = 0;
    const sleepers: { until: number; resolve: () => void }[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: (ms) => new Promise<void>((resolve) => sleepers.push({ until: now + ms, resolve })),
    };
    const budget = createSignBudget({ clock, windows: [{ max: 3, periodMs: 1_000 }] });
    const grants: number[] = [];
    const all = Promise.all(Array.from({ length: 9 }, () => budget.acquire().then(() => grants.push(now))));
    // Advance time in steps, waking whoever's sleep ended.
    for (let step = 0; step < 40 && grants.length < 9; step++) {
      await Promise.resolve();
      now += 100;
      for (const s of sleepers.splice(0)) {
        if (s.until <= now) s.resolve();
        else sleepers.push(s);
      }
      await new Promise((r) => setImmediate(r));
    }
    await all;
    for (const t of grants)
      expect(grants.filter((u) => u >= t && u < t + 1_000).length).toBeLessThanOrEqual(3);
    expect(grants.length).toBe(9);
  });

  it("a 429 blocks it until the retry time; a report sets what the server says is left", () => {
    const clock = manualClock();
    const budget = createSignBudget({ clock, windows: [{ max: 10, periodMs: 60_000 }] });
    budget.penalize(30_000);
    expect(budget.waitTime()).toBe(30_000);
    const fresh = createSignBudget({ clock, windows: [{ max: 10, periodMs: 60_000 }] });
    fresh.report([{ periodMs: 60_000, max: 10, remaining: 0, resetAt: clock.now() + 45_000 }]);
    expect(fresh.waitTime()).toBe(45_000);
    fresh.report([{ periodMs: 86_400_000, max: 100, remaining: 100, resetAt: clock.now() + 1 }]);
    expect(fresh.waitTime()).toBe(45_000);
  });

  it("acquire rejects with aborted when its signal aborts while it waits", async () => {
    const budget = createSignBudget({ windows: [{ max: 1, periodMs: 60_000 }] });
    await budget.acquire();
    const controller = new AbortController();
    const pending = budget.acquire(controller.signal);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe(ErrorCode.Aborted);
  });

  it("rejects bad windows with invalid_input", () => {
    for (const windows of [
      [],
      [{ max: 0, periodMs: 1 }],
      [{ max: 1.5, periodMs: 10 }],
      [{ max: 1, periodMs: -1 }],
    ]) {
      expect(() => createSignBudget({ windows })).toThrow(TikLiveError);
    }
  });
});

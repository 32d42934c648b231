import { describe, expect, it } from "vitest";
import { ErrorCode, TikLiveError } from "./errors.js";
import { delayOption, integerOption, maxTimerDelayMs, numberOption } from "./options.js";

function rejection(run: () => unknown): TikLiveError {
  try {
    run();
  } catch (error) {
    if (error instanceof TikLiveError) return error;
    throw error;
  }
  throw new Error("expected a TikLiveError");
}

describe("numberOption", () => {
  it("defaults, accepts, and refuses with a typed error naming the option", () => {
    expect(numberOption("timeoutMs", undefined, 10)).toBe(10);
    expect(numberOption("timeoutMs", 5, 10)).toBe(5);
    expect(numberOption("jitter", 0.5, 10)).toBe(0.5);
    expect(numberOption("stallTimeoutMs", 0, 10, { allowZero: true })).toBe(0);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number]) {
      const error = rejection(() => numberOption("timeoutMs", bad, 10));
      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/`timeoutMs` must be a positive number, got /);
      expect(error.details["option"]).toBe("timeoutMs");
    }
    expect(() => numberOption("stallTimeoutMs", -1, 10, { allowZero: true })).toThrow(
      /`stallTimeoutMs` must be a non-negative number, got -1/,
    );
  });

  it("checks integers and bounds, and says so", () => {
    expect(numberOption("maxAttempts", 3, 10, { integer: true, allowZero: true })).toBe(3);
    expect(() => numberOption("maxAttempts", 1.5, 10, { integer: true, allowZero: true })).toThrow(
      "`maxAttempts` must be a non-negative integer, got 1.5",
    );
    expect(numberOption("factor", 1, 2, { min: 1 })).toBe(1);
    expect(() => numberOption("factor", 0.5, 2, { min: 1 })).toThrow(
      "`factor` must be a number at least 1, got 0.5",
    );
    expect(() => numberOption("jitter", 2, 0.2, { min: 0, max: 1 })).toThrow(
      "`jitter` must be a number at least 0 and at most 1, got 2",
    );
    expect(() =>
      numberOption("maxResponseBytes", 2 ** 40, 10, { integer: true, max: 2 ** 30, caller: "createX" }),
    ).toThrow(`createX: \`maxResponseBytes\` must be a positive integer at most ${2 ** 30}, got ${2 ** 40}`);
  });

  it("delays are whole milliseconds a timer accepts: 3e9 would overflow and fire at once", () => {
    expect(maxTimerDelayMs).toBe(2 ** 31 - 1);
    expect(delayOption("stallTimeoutMs", maxTimerDelayMs, 1)).toBe(maxTimerDelayMs);
    expect(delayOption("stallTimeoutMs", 0, 1, { allowZero: true })).toBe(0);
    const error = rejection(() => delayOption("stallTimeoutMs", 3e9, 60_000, { allowZero: true }));
    expect([error.code, error.message]).toEqual([
      ErrorCode.InvalidInput,
      "`stallTimeoutMs` must be a non-negative whole number of milliseconds at most 2147483647, got 3000000000",
    ]);
    expect(() => delayOption("timeoutMs", 1.5, 10)).toThrow(/`timeoutMs` must be a positive whole number/);
    // A smaller max is kept; a larger one is clamped to what timers accept.
    expect(() => delayOption("x", 11, 1, { max: 10 })).toThrow(/at most 10,/);
    expect(() => delayOption("x", 2 ** 31, 1, { max: 2 ** 40 })).toThrow(/at most 2147483647,/);
  });

  it("integerOption is numberOption with integer: true", () => {
    expect(integerOption("capacity", undefined, 10_000)).toBe(10_000);
    expect(() => integerOption("capacity", 2.5, 10_000)).toThrow(
      "`capacity` must be a positive integer, got 2.5",
    );
  });
});

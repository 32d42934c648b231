import { describe, expect, it } from "vitest";
import { TikLiveError } from "./errors.js";
import { numberOption } from "./options.js";

describe("numberOption", () => {
  it("defaults, accepts, and refuses with a typed error naming the option", () => {
    expect(numberOption("timeoutMs", undefined, 10)).toBe(10);
    expect(numberOption("timeoutMs", 5, 10)).toBe(5);
    expect(numberOption("stallTimeoutMs", 0, 10, { allowZero: true })).toBe(0);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number]) {
      expect(() => numberOption("timeoutMs", bad, 10)).toThrow(/timeoutMs must be a positive number/);
    }
    expect(() => numberOption("stallTimeoutMs", -1, 10, { allowZero: true })).toThrow(TikLiveError);
  });
});

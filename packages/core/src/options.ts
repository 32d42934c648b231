import { ErrorCode, TikLiveError } from "./errors.js";

/**
 * Validates an optional numeric option once, at creation: returns `fallback` when it is
 * undefined, the value when it is a finite number above 0 (or at least 0 with `allowZero`),
 * and throws `invalid_input` naming the option otherwise.
 */
export function numberOption(
  name: string,
  value: number | undefined,
  fallback: number,
  options: { allowZero?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const allowZero = options.allowZero ?? false;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${String(value)}`,
    );
  }
  return value;
}

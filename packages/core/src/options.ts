import { ErrorCode, TikLiveError } from "./errors.js";

/**
 * The longest delay a timer accepts, in ms: 2^31-1 (about 24.8 days). Node's `setTimeout` and
 * `setInterval` (and so `AbortSignal.timeout`) fire after 1 ms instead of waiting a longer delay.
 */
export const maxTimerDelayMs = 2_147_483_647;

/** What a numeric option must be, beyond a finite number above 0. */
export interface NumberOptionRules {
  /** Accept 0 as well (e.g. "0 disables"). Default false. */
  allowZero?: boolean;
  /** Only whole numbers: counts, attempts, sizes in bytes. Default false. */
  integer?: boolean;
  /** Smallest accepted value (inclusive); replaces the "above 0" rule. Default none. */
  min?: number;
  /** Largest accepted value (inclusive). Default none. */
  max?: number;
  /**
   * `"delay"`: a time in ms handed to a timer: a whole number of ms of at most
   * {@link maxTimerDelayMs}, so that it never overflows and fires at once. Default: any number.
   */
  kind?: "delay";
  /** Who validates, put before the message: `"createEulerSigner"` gives "createEulerSigner: `timeoutMs` must…". */
  caller?: string;
}

/**
 * Validates an optional numeric option once, at creation: returns `fallback` when it is
 * undefined, the value when it is a finite number that follows `rules` (by default: above 0),
 * and throws `invalid_input` naming the option, saying what is accepted, otherwise.
 */
export function numberOption(
  name: string,
  value: number | undefined,
  fallback: number,
  rules: NumberOptionRules = {},
): number {
  if (value === undefined) return fallback;
  const delay = rules.kind === "delay";
  const integer = delay || rules.integer === true;
  const max = delay ? Math.min(rules.max ?? maxTimerDelayMs, maxTimerDelayMs) : rules.max;
  const min = rules.min;
  const positive = min === undefined && rules.allowZero !== true;
  const fits =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined ? value > 0 || (!positive && value === 0) : value >= min) &&
    (max === undefined || value <= max);
  if (fits) return value;
  const sign = min !== undefined ? "" : positive ? "positive " : "non-negative ";
  const what = delay ? "whole number of milliseconds" : integer ? "integer" : "number";
  const bounds = [
    min === undefined ? undefined : `at least ${min}`,
    max === undefined ? undefined : `at most ${max}`,
  ].filter((b) => b !== undefined);
  const shown = typeof value === "number" ? String(value) : typeof value;
  throw new TikLiveError(
    ErrorCode.InvalidInput,
    `${rules.caller === undefined ? "" : `${rules.caller}: `}\`${name}\` must be a ${sign}${what}${
      bounds.length === 0 ? "" : ` ${bounds.join(" and ")}`
    }, got ${shown}`,
    { retryable: false, details: { option: name } },
  );
}

/**
 * A delay option (ms, handed to a timer): a whole number of ms above 0 (or 0 with
 * `allowZero`) and at most {@link maxTimerDelayMs}. See {@link numberOption}.
 */
export function delayOption(
  name: string,
  value: number | undefined,
  fallback: number,
  rules: Omit<NumberOptionRules, "kind" | "integer"> = {},
): number {
  return numberOption(name, value, fallback, { ...rules, kind: "delay" });
}

/** A whole-number option (a count, attempts, a size in bytes). See {@link numberOption}. */
export function integerOption(
  name: string,
  value: number | undefined,
  fallback: number,
  rules: Omit<NumberOptionRules, "kind" | "integer"> = {},
): number {
  return numberOption(name, value, fallback, { ...rules, integer: true });
}

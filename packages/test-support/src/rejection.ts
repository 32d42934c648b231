import { TikLiveError } from "@tiklive/core";
import { expect } from "vitest";

/** Awaits a promise that must reject with a TikLiveError, and returns the error. */
export async function failure(promise: Promise<unknown>): Promise<TikLiveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a rejection").toBeInstanceOf(TikLiveError);
  return error as TikLiveError;
}

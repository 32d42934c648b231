// Core's fast decoders (the hottest messages, read straight off the wire) against the full
// protobuf decode: core's tests feed them the real vectors, the simulator's tests every
// simulated message.
import { type CoreEvent, createEventDecoder } from "@tiklive/core";
import { primaryHandlers } from "@tiklive/core/internal";
import { expect } from "vitest";

/** The methods core decodes with a fast path. */
export const fastMethods: ReadonlySet<string> = new Set(
  primaryHandlers.filter((h) => "fast" in h && h.fast !== undefined).map((h) => h.method),
);

/** The events without their lazily decoded `raw`. */
export const withoutRaw = (events: CoreEvent[]) =>
  events.map((event) => {
    const { raw: _raw, ...rest } = event as CoreEvent & { raw?: unknown };
    return rest;
  });

/** One message's events, decoded with the fast path and with the full decode only. */
export function decodeBothWays(method: string, payload: Uint8Array) {
  const message = { method, payload, msgId: "0", msgType: 0, offset: "0", isHistory: false };
  return {
    fast: createEventDecoder({ dedup: false }).decodeMessage(message),
    full: createEventDecoder({ dedup: false, fast: false }).decodeMessage(message),
  };
}

/** Asserts that both decodes give the same events, `raw` included (decoded once, on first access). */
export function expectSameEvents(method: string, payload: Uint8Array): void {
  const { fast, full } = decodeBothWays(method, payload);
  expect(withoutRaw(fast)).toEqual(withoutRaw(full));
  fast.forEach((event, i) => {
    const a = (event as { raw?: unknown }).raw;
    expect(a).toEqual((full[i] as { raw?: unknown }).raw);
    expect((event as { raw?: unknown }).raw).toBe(a);
  });
}

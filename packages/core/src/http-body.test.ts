import { describe, expect, it } from "vitest";
import { ErrorCode, TikLiveError } from "./errors.js";
import { maxErrorBodyBytes, readBody } from "./http-body.js";

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

// An async iterable that records whether it was ended early (as a Node Readable is destroyed).
function source(chunks: Uint8Array[], endless = false) {
  const state = { returned: false, pulled: 0 };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          state.pulled += 1;
          if (endless) return { done: false, value: chunks[i++ % chunks.length] as Uint8Array };
          const value = chunks[i++];
          return value === undefined ? { done: true, value: undefined } : { done: false, value };
        },
        async return() {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

function webStream(chunks: Uint8Array[], endless = false) {
  const state = { cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const value = endless ? chunks[i++ % chunks.length] : chunks[i++];
      if (value === undefined) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function refusal(promise: Promise<unknown>): Promise<TikLiveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TikLiveError)) throw new Error(`expected a TikLiveError, got ${String(error)}`);
  return error;
}

describe("readBody", () => {
  it("reads a body within the limit, in one piece", async () => {
    const { iterable, state } = source([bytes(3, 1), bytes(2, 2)]);
    expect(Array.from(await readBody(iterable, { maxBytes: 5 }))).toEqual([1, 1, 1, 2, 2]);
    expect(state.returned).toBe(false);
    const { stream } = webStream([bytes(4)]);
    expect((await readBody(stream, { maxBytes: 4 })).length).toBe(4);
    expect((await readBody(source([]).iterable, { maxBytes: 1 })).length).toBe(0);
  });

  it("refuses a larger body with payload_too_large and stops the source (an endless one too)", async () => {
    for (const make of [() => source([bytes(1024)], true), () => source([bytes(600), bytes(600)])]) {
      const { iterable, state } = make();
      const error = await refusal(
        readBody(iterable, { maxBytes: 1000, what: "the poll response", details: { status: 200 } }),
      );
      expect([error.code, error.retryable, error.message]).toEqual([
        ErrorCode.PayloadTooLarge,
        false,
        "the poll response exceeds 1000 bytes",
      ]);
      expect(error.details).toEqual({ status: 200, maxBytes: 1000 });
      expect(state.returned).toBe(true);
      expect(state.pulled).toBeLessThanOrEqual(2);
    }
    const web = webStream([bytes(1024)], true);
    expect((await refusal(readBody(web.stream, { maxBytes: 1000 }))).code).toBe(ErrorCode.PayloadTooLarge);
    expect(web.state.cancelled).toBe(true);
  });

  it("refuses at once when content-length says the body is too large", async () => {
    const { iterable, state } = source([bytes(10)]);
    const error = await refusal(readBody(iterable, { maxBytes: 5, headers: { "content-length": "10" } }));
    expect(error.code).toBe(ErrorCode.PayloadTooLarge);
    expect(state.pulled).toBe(0);
    expect(state.returned).toBe(true);
  });

  it("truncates instead when asked (error bodies), and stops the source", async () => {
    const { iterable, state } = source([bytes(3, 1), bytes(3, 2)], true);
    expect(Array.from(await readBody(iterable, { maxBytes: 4, truncate: true }))).toEqual([1, 1, 1, 2]);
    expect(state.returned).toBe(true);
    const web = webStream([bytes(100)], true);
    expect((await readBody(web.stream, { maxBytes: maxErrorBodyBytes, truncate: true })).length).toBe(
      maxErrorBodyBytes,
    );
    expect(web.state.cancelled).toBe(true);
  });

  it("uses the caller's error", async () => {
    const error = await refusal(
      readBody(source([bytes(10)]).iterable, {
        maxBytes: 5,
        tooLarge: (max) => new TikLiveError(ErrorCode.PayloadTooLarge, `mine: ${max}`),
      }),
    );
    expect(error.message).toBe("mine: 5");
  });

  it("passes on the source's own failure", async () => {
    const failing: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new Error("socket hang up")),
      }),
    };
    await expect(readBody(failing, { maxBytes: 5 })).rejects.toThrow("socket hang up");
  });
});

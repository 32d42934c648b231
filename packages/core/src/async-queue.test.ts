import { describe, expect, it, vi } from "vitest";
import { createAsyncQueue } from "./async-queue.js";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("createAsyncQueue", () => {
  it("delivers pushed items in order, then ends", async () => {
    const q = createAsyncQueue<number>();
    q.push(1);
    setTimeout(() => {
      q.push(2);
      q.push(3);
      q.end();
      q.push(4); // ignored after end
    }, 5);
    expect(await collect(q)).toEqual([1, 2, 3]);
  });

  it("delivers every item pushed before a failure, then throws it", async () => {
    const q = createAsyncQueue<string>();
    q.push("a");
    q.push("last frame before the drop");
    q.fail(new Error("dropped"));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of q) seen.push(item);
      })(),
    ).rejects.toThrow("dropped");
    expect(seen).toEqual(["a", "last frame before the drop"]);
  });

  it("tells the producer when the consumer stops early, once", async () => {
    const onReturn = vi.fn();
    const q = createAsyncQueue<number>({ onReturn });
    q.push(1);
    q.push(2);
    for await (const item of q) {
      expect(item).toBe(1);
      break;
    }
    await q.return();
    expect(onReturn).toHaveBeenCalledTimes(1);
    expect(q.closed).toBe(true);
    expect(q.size).toBe(0);
  });

  it("signals backpressure above the high-water mark and when drained", async () => {
    const onHigh = vi.fn();
    const onLow = vi.fn();
    const q = createAsyncQueue<number>({ highWaterMark: 3, onHigh, onLow });
    for (let i = 0; i < 10; i++) q.push(i);
    expect(onHigh).toHaveBeenCalledTimes(1);
    q.end();
    expect(await collect(q)).toHaveLength(10);
    expect(onLow).toHaveBeenCalledTimes(1);
  });

  it("keeps memory bounded while a long stream flows through", async () => {
    const q = createAsyncQueue<number>();
    let sum = 0;
    const consumer = (async () => {
      for await (const n of q) sum += n;
    })();
    for (let i = 0; i < 50_000; i++) q.push(1);
    q.end();
    await consumer;
    expect(sum).toBe(50_000);
  });
});

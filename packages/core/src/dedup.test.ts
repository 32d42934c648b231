import { describe, expect, it } from "vitest";
import { createDeduplicator } from "./dedup.js";

describe("createDeduplicator", () => {
  it("reports repeats and forgets the oldest ids beyond capacity", () => {
    const dedup = createDeduplicator({ capacity: 3 });
    expect(dedup.add("1")).toBe(true);
    expect(dedup.add("1")).toBe(false);
    expect(dedup.add("2")).toBe(true);
    expect(dedup.add("3")).toBe(true);
    expect(dedup.size).toBe(3);
    expect(dedup.add("4")).toBe(true); // evicts "1"
    expect(dedup.size).toBe(3);
    expect(dedup.has("1")).toBe(false);
    expect(dedup.add("1")).toBe(true);
    expect(dedup.add("3")).toBe(false);
  });

  it("never treats missing ids as duplicates", () => {
    const dedup = createDeduplicator();
    expect(dedup.add("0")).toBe(true);
    expect(dedup.add("0")).toBe(true);
    expect(dedup.add("")).toBe(true);
    expect(dedup.size).toBe(0);
  });

  it("stays bounded under a long stream", () => {
    const dedup = createDeduplicator({ capacity: 1000 });
    for (let i = 0; i < 100_000; i++) dedup.add(String(7_300_000_000_000_000_000n + BigInt(i)));
    expect(dedup.size).toBe(1000);
    dedup.clear();
    expect(dedup.size).toBe(0);
  });

  it("rejects a nonsensical capacity", () => {
    expect(() => createDeduplicator({ capacity: 0 })).toThrow(RangeError);
  });
});

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createDeduplicator, type Deduplicator, decimalToUint64 } from "./dedup.js";
import { TikLiveError } from "./errors.js";
import { uint64ToDecimal } from "./events/fast/wire-reader.js";

// A callable gc() without starting node with --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

/** Realistic msgIds: 19 digits around 7.4e18, made the way the fast decoder makes them. */
function realisticId(i: number): string {
  return uint64ToDecimal((0x0123_4567 + Math.imul(i, 7919)) >>> 0, 0x66b2_a7c4 + Math.floor(i / 1000));
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b_79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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
    expect(dedup.has("0")).toBe(false);
    expect(dedup.size).toBe(0);
    expect(dedup.retainedBytes).toBe(0);
  });

  it("stays bounded under a long stream", () => {
    const dedup = createDeduplicator({ capacity: 1000 });
    for (let i = 0; i < 100_000; i++) dedup.add(String(7_300_000_000_000_000_000n + BigInt(i)));
    expect(dedup.size).toBe(1000);
    dedup.clear();
    expect(dedup.size).toBe(0);
    expect(dedup.retainedBytes).toBe(0);
  });

  it("works down to a capacity of 1", () => {
    const dedup = createDeduplicator({ capacity: 1 });
    expect([dedup.add("1"), dedup.add("1"), dedup.add("2"), dedup.has("1"), dedup.add("2")]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(dedup.retainedBytes).toBe(12 + 2 * 2);
  });

  it("forgets the oldest first across the ring's growth and wrap-around", () => {
    const dedup = createDeduplicator({ capacity: 1000 });
    for (let i = 0; i < 3500; i++) expect(dedup.add(realisticId(i))).toBe(true);
    expect(dedup.size).toBe(1000);
    for (let i = 0; i < 2500; i++) expect(dedup.has(realisticId(i))).toBe(false);
    for (let i = 2500; i < 3500; i++) expect(dedup.add(realisticId(i))).toBe(false);
  });

  it.each([
    [{ capacity: 0 }, "capacity"],
    [{ capacity: 1.5 }, "capacity"],
    [{ windowMs: 0 }, "windowMs"],
    [{ windowMs: 1.5 }, "windowMs"],
    [{ windowMs: 2 ** 31 }, "windowMs"],
    [{ windowMs: Number.POSITIVE_INFINITY }, "windowMs"],
  ])("rejects %j with invalid_input naming %s", (options, name) => {
    let error: unknown;
    try {
      createDeduplicator(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TikLiveError);
    expect(error).toMatchObject({ code: "invalid_input", details: { option: name } });
    expect((error as Error).message).toContain(`createDeduplicator: \`${name}\` must be`);
  });

  describe("time window", () => {
    it("remembers an id for windowMs after it was added, a repeat not extending it", () => {
      const clock = manualClock();
      const dedup = createDeduplicator({ windowMs: 60_000, clock });
      expect(dedup.add("7400000000000000040")).toBe(true);
      clock.t += 30_000;
      expect(dedup.add("7400000000000000040")).toBe(false);
      expect(dedup.add("7400000000000000041")).toBe(true);
      clock.t += 29_999;
      expect(dedup.has("7400000000000000040")).toBe(true);
      expect(dedup.size).toBe(2);
      clock.t += 1; // 60 000 ms after the first add
      expect(dedup.has("7400000000000000040")).toBe(false);
      expect(dedup.has("7400000000000000041")).toBe(true);
      expect(dedup.size).toBe(1);
      expect(dedup.add("7400000000000000040")).toBe(true);
    });

    it("defaults to 10 minutes", () => {
      const clock = manualClock();
      const dedup = createDeduplicator({ clock });
      dedup.add("7400000000000000040");
      clock.t += 599_999;
      expect(dedup.has("7400000000000000040")).toBe(true);
      clock.t += 1;
      expect(dedup.has("7400000000000000040")).toBe(false);
    });

    it("releases its memory once every id has expired, and grows again from small", () => {
      const clock = manualClock();
      const dedup = createDeduplicator({ windowMs: 1000, clock });
      for (let i = 0; i < 5000; i++) dedup.add(realisticId(i));
      expect(dedup.retainedBytes).toBe(8192 * 12 + 16_384 * 2);
      clock.t += 1000;
      expect(dedup.size).toBe(0);
      expect(dedup.retainedBytes).toBe(0);
      dedup.add(realisticId(0));
      expect(dedup.retainedBytes).toBe(256 * 12 + 512 * 2);
    });

    it("treats a clock going backwards as standing still", () => {
      const clock = manualClock();
      const dedup = createDeduplicator({ windowMs: 1000, clock });
      dedup.add("1");
      clock.t += 900;
      dedup.add("2");
      clock.t -= 5000;
      expect(dedup.has("1")).toBe(true);
      clock.t += 5100; // 100 ms after the latest reading
      expect(dedup.has("1")).toBe(false);
      expect(dedup.has("2")).toBe(true);
    });

    it("stays exact past 2^32 ms (times are stored modulo 2^32)", () => {
      const clock = manualClock(0);
      const windowMs = 2 ** 31 - 1;
      const dedup = createDeduplicator({ windowMs, clock });
      dedup.add("1");
      clock.t = windowMs - 1;
      dedup.add("2");
      clock.t = 2 ** 31 + 100;
      expect([dedup.has("1"), dedup.has("2")]).toEqual([false, true]);
      clock.t = 2 ** 32 + 5; // "1" would look 5 ms old if ages wrapped
      dedup.add("3");
      clock.t = 2 ** 32 + 2 ** 31 - 10;
      expect([dedup.has("1"), dedup.has("2"), dedup.has("3")]).toEqual([false, false, true]);
      // A pause longer than 2^32 ms forgets everything.
      clock.t += 2 ** 33;
      expect(dedup.has("3")).toBe(false);
      expect(dedup.size).toBe(0);
    });
  });

  describe("non-numeric ids (never sent by TikTok)", () => {
    it("are de-duplicated as strings under the same bounds", () => {
      const clock = manualClock();
      const dedup = createDeduplicator({ capacity: 2, windowMs: 1000, clock });
      expect(dedup.add("abc")).toBe(true);
      expect(dedup.add("abc")).toBe(false);
      // Not canonical decimal: kept as strings, so "007" and "7" stay different ids, as before.
      expect(dedup.add("007")).toBe(true);
      expect(dedup.add("7")).toBe(true);
      expect(dedup.size).toBe(3);
      expect(dedup.add("x")).toBe(true); // a third string: beyond capacity 2, "abc" goes
      expect(dedup.has("abc")).toBe(false);
      expect(dedup.has("007")).toBe(true);
      expect(dedup.has("7")).toBe(true);
      // The ring of "7" (2 slots, table of 4) + an estimate for "007" and "x".
      expect(dedup.retainedBytes).toBe(2 * 12 + 4 * 2 + (64 + 2 * 3) + (64 + 2 * 1));
      clock.t += 1000;
      expect(dedup.size).toBe(0);
      expect(dedup.retainedBytes).toBe(0);
    });
  });

  describe("storage", () => {
    it("tells apart ids with equal low halves, and with equal high halves", () => {
      const dedup = createDeduplicator({ capacity: 4096 });
      const ids: string[] = [];
      for (let hi = 0; hi < 2000; hi++) ids.push(uint64ToDecimal(0x89ab_cdef, 0x66b2_0000 + hi));
      for (let lo = 0; lo < 2000; lo++) ids.push(uint64ToDecimal(lo, 0x66b2_0000));
      for (const id of ids) expect(dedup.add(id)).toBe(true);
      for (const id of ids) expect(dedup.add(id)).toBe(false);
      expect(dedup.size).toBe(4000);
      // "1" and 2^32 + 1 share their low half.
      const small = createDeduplicator();
      expect(small.add("1")).toBe(true);
      expect(small.add("4294967297")).toBe(true);
      expect(small.has("4294967296")).toBe(false);
    });

    it("matches a plain model under random adds, repeats, expiry and eviction", () => {
      const random = prng(42);
      const capacity = 600; // grows 256 -> 512 -> 600 slots, also while the ring wraps around
      const windowMs = 5000;
      const clock = manualClock();
      const dedup = createDeduplicator({ capacity, windowMs, clock });
      const model = {
        numeric: [] as { id: string; at: number }[],
        other: [] as { id: string; at: number }[],
      };
      const listOf = (id: string) => (decimalToUint64(id) === undefined ? model.other : model.numeric);
      const expire = () => {
        for (const list of [model.numeric, model.other])
          while (list.length > 0 && clock.t - (list[0] as { at: number }).at >= windowMs) list.shift();
      };
      // A pool with colliding low halves, small numbers, large ones and a few non-numeric ids.
      const pool: string[] = [];
      for (let i = 0; i < 300; i++) pool.push(uint64ToDecimal(0x1234, 0x66b2_0000 + i));
      for (let i = 0; i < 300; i++) pool.push(String(i + 1));
      for (let i = 0; i < 300; i++) pool.push(realisticId(i));
      for (let i = 0; i < 20; i++) pool.push(`id-${i}`);
      // Busy and quiet phases: the count rises to the cap and falls to a few ids, moving the
      // ring's start; now and then a pause longer than the window empties it.
      let meanStep = 1;
      for (let step = 0; step < 60_000; step++) {
        if (step % 3000 === 0) meanStep = random() < 0.5 ? 2 : 400;
        const r = random();
        clock.t += r < 0.0005 ? 7000 : r < 0.3 ? 0 : Math.floor(random() * meanStep * 2);
        expire();
        const id = pool[Math.floor(random() * pool.length)] as string;
        const list = listOf(id);
        const known = list.some((e) => e.id === id);
        if (random() < 0.3) {
          expect(dedup.has(id)).toBe(known);
        } else {
          expect(dedup.add(id)).toBe(!known);
          if (!known) {
            if (list.length === capacity) list.shift();
            list.push({ id, at: clock.t });
          }
        }
        if (step % 1000 === 0) expect(dedup.size).toBe(model.numeric.length + model.other.length);
      }
    });
  });

  describe("decimal msgIds to 32-bit halves", () => {
    const edges: [number, number][] = [
      [0, 0],
      [1, 0],
      [0xffff_ffff, 0],
      [0, 1],
      [1, 0x20_0000], // 2^53 + 1
      [0xffff_ffff, 0x1f_ffff], // 2^53 - 1
      [0x5f5e_0ff, 0], // 10^8 - 1
      [0xa764_0000, 0x0de0_b6b3], // 10^18
      [0x89e8_0000, 0x8ac7_2304], // 10^19
      [0xffff_ffff, 0xffff_ffff], // 18446744073709551615
      [0xffff_fffe, 0xffff_ffff],
      [0, 0xffff_ffff],
      [0x0000_0028, 0x66b2_a7c4],
    ];

    it("round-trips with uint64ToDecimal on edge and random values", () => {
      const random = prng(7);
      const values = [...edges];
      for (let i = 0; i < 20_000; i++) {
        const hi = i % 3 === 0 ? Math.floor(random() * 0x20_0000) : Math.floor(random() * 2 ** 32);
        values.push([Math.floor(random() * 2 ** 32), i % 5 === 0 ? 0 : hi]);
      }
      for (const [lo, hi] of values) {
        const id = uint64ToDecimal(lo, hi);
        expect(decimalToUint64(id), id).toEqual({ hi, lo });
        expect(BigInt(id)).toBe((BigInt(hi) << 32n) | BigInt(lo));
      }
      expect(decimalToUint64("18446744073709551615")).toEqual({ hi: 0xffff_ffff, lo: 0xffff_ffff });
      expect(decimalToUint64("9007199254740993")).toEqual({ hi: 0x20_0000, lo: 1 });
      expect(decimalToUint64("4294967296")).toEqual({ hi: 1, lo: 0 });
    });

    it("leaves anything but a canonical uint64 to the string fallback", () => {
      for (const id of [
        "",
        "007",
        "00",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1e3",
        "1.5",
        "0x10",
        "abc",
        "18446744073709551616",
        "99999999999999999999",
        "100000000000000000000",
        "12345678901234567890123",
        "٣",
      ]) {
        expect(decimalToUint64(id), id).toBeUndefined();
      }
    });
  });

  describe("memory", () => {
    const bytesAt = (n: number): number => {
      const dedup = createDeduplicator();
      for (let i = 0; i < n; i++) dedup.add(realisticId(i));
      expect(dedup.size).toBe(n);
      return dedup.retainedBytes as number;
    };

    // 12 bytes per slot (hi, lo, time as Uint32) + a Uint16 hash table at most 2/3 full.
    it("holds nothing when idle, grows with use, and stays under 160 KiB at 10 000 ids", () => {
      expect(bytesAt(0)).toBe(0);
      expect(bytesAt(1)).toBe(256 * 12 + 512 * 2); // 4 KiB
      expect(bytesAt(1500)).toBe(2048 * 12 + 4096 * 2); // 32 KiB
      expect(bytesAt(10_000)).toBe(10_000 * 12 + 16_384 * 2); // 149.2 KiB
      expect(bytesAt(10_000)).toBeLessThanOrEqual(160 * 1024);
      // Beyond the cap nothing grows.
      const dedup = createDeduplicator();
      for (let i = 0; i < 30_000; i++) dedup.add(realisticId(i));
      expect(dedup.retainedBytes).toBe(10_000 * 12 + 16_384 * 2);
    });

    // The typed arrays live outside the JS heap (their bytes are counted above), so the JS heap
    // must not grow with the ids: no string, Set entry or object per id.
    it("keeps no object per id: the JS heap stays flat at 10 000 ids (a Set of the strings took ~800 KiB)", () => {
      const holder: { dedup?: Deduplicator } = {};
      const fill = (n: number) => {
        const dedup = createDeduplicator();
        for (let i = 0; i < n; i++) dedup.add(realisticId(i));
        holder.dedup = dedup;
      };
      const heapUsed = () => {
        gc();
        gc();
        return process.memoryUsage().heapUsed;
      };
      fill(10_000); // warm up: compiled code is on the heap too
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        holder.dedup = undefined;
        const before = heapUsed();
        fill(10_000);
        samples.push(heapUsed() - before);
      }
      samples.sort((a, b) => a - b);
      // About 0 give or take the worker's own noise (±150 KiB seen); strings took 790-1290 KiB.
      expect(samples[2]).toBeLessThan(256 * 1024);
      expect(holder.dedup?.retainedBytes).toBe(10_000 * 12 + 16_384 * 2); // no id in the string fallback
    });
  });
});

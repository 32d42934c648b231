import { createRandom } from "@tiklive/test-support/random";
import { describe, expect, it } from "vitest";
import { uint64ToDecimal, WireReader } from "./wire-reader.js";

const varint = (value: bigint): Uint8Array => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
};

describe("int64 to decimal", () => {
  it("matches BigInt on edge values and 100 000 random 64-bit values", () => {
    const edges = [
      0n,
      1n,
      2n ** 24n - 1n,
      2n ** 24n,
      2n ** 48n - 1n,
      2n ** 48n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 63n - 1n,
      7300994309837785888n,
      10n ** 18n,
      10n ** 18n - 1n,
      99999999999999999n,
    ];
    const random = createRandom(42);
    const values = [
      ...edges,
      ...Array.from(
        { length: 100_000 },
        () =>
          (BigInt(Math.floor(random.next() * 2 ** 31)) << 32n) | BigInt(Math.floor(random.next() * 2 ** 32)),
      ),
    ];
    for (const v of values) {
      const lo = Number(v & 0xffffffffn);
      const hi = Number(v >> 32n);
      expect(uint64ToDecimal(lo, hi)).toBe(v.toString());
      expect(new WireReader(varint(v)).int64()).toBe(v.toString());
    }
  });

  it("reads negative int64 values in two's complement", () => {
    for (const v of [-1n, -(2n ** 63n), -7300994309837785888n])
      expect(new WireReader(varint(v)).int64()).toBe(v.toString());
  });
});

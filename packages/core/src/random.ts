// The one seeded PRNG of the repo (mulberry32), exported through @tiklive/core/internal:
// the simulator draws its scenarios from it, the benchmarks their corpus and the tests their
// fuzz cases. One instance per simulator / scenario / connection: no module-level state, so
// two simulators with the same seed produce the same bytes and never disturb each other.

/** A deterministic random source. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One value of a weighted list of `[value, weight]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** `n` decimal digits (leading zeros allowed). */
  digits(n: number): string;
  /** `n` characters of the base64url alphabet. */
  token(n: number): string;
  /** `n` lower-case hex characters. */
  hex(n: number): string;
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string | number): Random;
}

/** FNV-1a over the string forms of `parts`: mixes seeds and labels into one 32-bit seed. */
export function hashSeed(...parts: readonly (string | number | bigint)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${String(part)}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Creates a {@link Random} (mulberry32) from a seed. */
export function createRandom(seed: number | string): Random {
  const root = typeof seed === "number" ? seed >>> 0 : hashSeed(seed);
  let state = root;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const random: Random = {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("pick() from an empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      const last = entries[entries.length - 1];
      if (last === undefined) throw new RangeError("weighted() from an empty list");
      return last[0];
    },
    digits: (n) => {
      let out = "";
      for (let i = 0; i < n; i++) out += String(Math.floor(next() * 10));
      return out;
    },
    token: (n) => {
      let out = "";
      for (let i = 0; i < n; i++) out += base64url[Math.floor(next() * 64)];
      return out;
    },
    hex: (n) => {
      let out = "";
      for (let i = 0; i < n; i++) out += Math.floor(next() * 16).toString(16);
      return out;
    },
    fork: (label) => createRandom(hashSeed(root, label)),
  };
  return random;
}

import type { Random } from "@tiklive/core/internal";

/**
 * A 19-digit id in TikTok's style: epoch seconds in the high bits, 32 random
 * low bits (real msgIds decode that way: 7300994309837785888 >> 32 is 1699895245).
 */
export function snowflakeId(random: Random, timeMs: number): string {
  const seconds = BigInt(Math.floor(timeMs / 1000));
  const low = BigInt(Math.floor(random.next() * 0x100000000));
  return ((seconds << 32n) | low).toString();
}

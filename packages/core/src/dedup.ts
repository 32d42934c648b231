import { delayOption, integerOption } from "./options.js";

/**
 * How long an id is remembered by default: 10 minutes. TikTok repeats only recent messages:
 * a new session's first fetch result (after connect, reconnect or resume) holds the messages
 * of the last seconds to minutes, plus a backlog of about 6 comments (`history_comment_count`,
 * docs/protocol.md §5.2), and the default reconnect policy (backoff capped at 30 s) gets back
 * within minutes. 10 minutes covers that with room to spare; at the default capacity the count
 * bound takes over above ~17 messages/s. In a quiet room, backlog comments older than the
 * window that a reconnect repeats come through again (`RawMessage.isHistory` apparently
 * marks them).
 */
const defaultWindowMs = 600_000;

/** Options of {@link createDeduplicator}. */
export interface DeduplicatorOptions {
  /**
   * How many recent ids are remembered at most (a whole number); the oldest is forgotten first.
   * Memory grows with use up to about 15 bytes per id at this cap. Default 10 000.
   */
  capacity?: number;
  /**
   * How long an id is remembered, in ms: it is forgotten once it was added this long ago,
   * even below `capacity`. A whole number of ms of at most 2 147 483 647 (24.8 days).
   * Default 600 000 (10 minutes): TikTok repeats only recent messages (a new session's first
   * batch: the last seconds to minutes and ~6 backlog comments), and a reconnect with the
   * client's default policy takes seconds to minutes (docs/protocol.md §12).
   */
  windowMs?: number;
  /** Time source in ms (tests); a core `Clock` fits. Time going backwards counts as standing still. Default `Date.now`. */
  clock?: { now(): number };
}

/** Remembers recently seen message ids in bounded memory. */
export interface Deduplicator {
  /** Records `id` and returns true if it is not among the remembered ids. Empty and "0" ids are always new. */
  add(id: string): boolean;
  /** True when `id` is among the remembered ids. */
  has(id: string): boolean;
  /** Number of remembered ids. */
  readonly size: number;
  /**
   * Diagnostic: the bytes this deduplicator holds for its ids (its typed arrays' `byteLength`,
   * plus an estimate of 64 bytes + the string for each non-numeric id). 0 until the first id.
   * The deduplicators of {@link createDeduplicator} report it; other implementations may not.
   */
  readonly retainedBytes?: number;
  /** Forgets every id and releases the memory. */
  clear(): void;
}

// ---------------------------------------------------------------- 64-bit ids

// The halves of the last id parseUint64 accepted (module scratch: no object per id).
let parsedHi = 0;
let parsedLo = 0;

/**
 * Parses a uint64 in canonical decimal (digits only, no leading zero, at most
 * 18446744073709551615) into `parsedHi`/`parsedLo`, without BigInt and without allocating.
 * Returns false for anything else. The first 15 digits are exact in a double (< 2^53); the
 * remaining ones (at most 5) are folded in with a carry from the low half into the high one.
 */
function parseUint64(id: string): boolean {
  const n = id.length;
  if (n === 0 || n > 20 || (n > 1 && id.charCodeAt(0) === 48)) return false;
  const headEnd = Math.min(n, 15);
  let value = 0;
  for (let i = 0; i < headEnd; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  let hi = Math.floor(value / 0x1_0000_0000);
  let lo = value - hi * 0x1_0000_0000;
  if (headEnd < n) {
    let tail = 0;
    let scale = 1;
    for (let i = headEnd; i < n; i++) {
      const digit = id.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return false;
      tail = tail * 10 + digit;
      scale *= 10;
    }
    // lo * 10^5 + tail < 2^49 and hi * 10^5 < 2^35: both exact.
    const low = lo * scale + tail;
    const carry = Math.floor(low / 0x1_0000_0000);
    lo = low - carry * 0x1_0000_0000;
    hi = hi * scale + carry;
    if (hi > 0xffff_ffff) return false;
  }
  parsedHi = hi;
  parsedLo = lo;
  return true;
}

/**
 * The 32-bit halves of a msgId as the deduplicator stores it, or undefined when it is kept as
 * a string (not a canonical uint64 in decimal). The inverse of `uint64ToDecimal`.
 * @internal Exported for tests.
 */
export function decimalToUint64(id: string): { hi: number; lo: number } | undefined {
  return parseUint64(id) ? { hi: parsedHi, lo: parsedLo } : undefined;
}

// murmur3's finaliser over both halves: snowflake-like ids differ mostly in a few bits.
function hash(hi: number, lo: number): number {
  let h = Math.imul(hi, 0x9e37_79b1) ^ lo;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return h ^ (h >>> 16);
}

const initialSlots = 256;
// A non-numeric id (TikTok's are all numeric): a rough cost of a Map entry and its string.
const fallbackEntryBytes = (id: string) => 64 + 2 * id.length;

/**
 * Creates a de-duplicator by msgId (docs/protocol.md §12: neither peer de-duplicates;
 * messages repeat across the sign server's initial batch, the stream, and after a reconnect
 * resumes from a cursor). An id is remembered until `capacity` newer ids were added (oldest
 * forgotten first) or `windowMs` has passed since it was added, whichever comes first.
 *
 * Storage, without an object per id: a ring of slots in one `Uint32Array`, 3 words per id
 * (the id's high and low 32 bits, and when it was added: ms since first use, modulo 2^32),
 * and an open-addressing hash table (linear probing, at most 2/3 full) of slot numbers, a
 * `Uint16Array` while `capacity` is at most 65 535. Nothing is allocated until the first id;
 * the ring starts at 256 slots and doubles up to `capacity`, and is released again when every
 * id has expired. At 10 000 ids: 120 000 + 32 768 bytes, about 15 bytes per id. Ids that are
 * not a canonical uint64 in decimal (never sent by TikTok) go to a Map under the same bounds.
 */
export function createDeduplicator(options: DeduplicatorOptions = {}): Deduplicator {
  const caller = "createDeduplicator";
  const capacity = integerOption("capacity", options.capacity, 10_000, { caller });
  const windowMs = delayOption("windowMs", options.windowMs, defaultWindowMs, { caller });
  const clock = options.clock ?? Date;
  const wideTable = capacity > 0xffff;

  // The ring: slot s holds [hi, lo, time] at 3s; `count` ids from `head` on, oldest first.
  let slots: Uint32Array | undefined;
  let allocated = 0;
  let head = 0;
  let count = 0;
  // Slot number + 1 per table entry, 0 when empty; `mask` = table length - 1.
  let table: Uint16Array | Uint32Array | undefined;
  let mask = 0;
  // Non-numeric ids: id -> time added (insertion order is age order).
  const others = new Map<string, number>();
  let othersBytes = 0;
  // Times: `last` is the latest clock reading (never decreasing), `base` the first one, `newest`
  // when the newest slot was added. Slot times are (time - base) mod 2^32: ages compare modulo
  // 2^32, exact while every remembered id is younger than 2^32 ms (see tick()).
  let last = Number.NEGATIVE_INFINITY;
  let base = Number.NaN;
  let newest = 0;

  function release(): void {
    slots = undefined;
    table = undefined;
    allocated = 0;
    head = 0;
    count = 0;
    mask = 0;
  }

  function find(hi: number, lo: number): number {
    if (table === undefined || slots === undefined) return -1;
    for (let i = hash(hi, lo) & mask; ; i = (i + 1) & mask) {
      const entry = table[i] as number;
      if (entry === 0) return -1;
      const at = 3 * (entry - 1);
      if (slots[at + 1] === lo && slots[at] === hi) return entry - 1;
    }
  }

  function link(slot: number): void {
    const t = table as Uint16Array | Uint32Array;
    const s = slots as Uint32Array;
    let i = hash(s[3 * slot] as number, s[3 * slot + 1] as number) & mask;
    while (t[i] !== 0) i = (i + 1) & mask;
    t[i] = slot + 1;
  }

  // Removes a slot from the table, shifting back the entries after it (no tombstones).
  function unlink(slot: number): void {
    const t = table as Uint16Array | Uint32Array;
    const s = slots as Uint32Array;
    let hole = hash(s[3 * slot] as number, s[3 * slot + 1] as number) & mask;
    while (t[hole] !== slot + 1) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const entry = t[j] as number;
      if (entry === 0) break;
      const at = 3 * (entry - 1);
      const home = hash(s[at] as number, s[at + 1] as number) & mask;
      // The entry stays when its home lies cyclically in (hole, j]; otherwise it fills the hole.
      if (hole <= j ? hole < home && home <= j : hole < home || home <= j) continue;
      t[hole] = entry;
      hole = j;
    }
    t[hole] = 0;
  }

  function dropOldest(): void {
    unlink(head);
    head = head + 1 === allocated ? 0 : head + 1;
    count -= 1;
  }

  // Room for at least one more slot: allocate, or grow the ring (oldest first, from 0) and rehash.
  function grow(): void {
    const size = allocated === 0 ? Math.min(initialSlots, capacity) : Math.min(allocated * 2, capacity);
    const next = new Uint32Array(3 * size);
    if (slots !== undefined) {
      const start = 3 * head;
      const tail = slots.subarray(start, Math.min(3 * allocated, start + 3 * count));
      next.set(tail);
      next.set(slots.subarray(0, 3 * count - tail.length), tail.length);
    }
    let length = 1;
    while (length * 2 < size * 3) length *= 2; // at most 2/3 full, and never full
    slots = next;
    allocated = size;
    head = 0;
    table = wideTable ? new Uint32Array(length) : new Uint16Array(length);
    mask = length - 1;
    for (let slot = 0; slot < count; slot++) link(slot);
  }

  // Reads the clock and forgets what has expired; returns the time in ms (never decreasing).
  function tick(): number {
    const now = clock.now();
    if (now > last) last = now;
    if (Number.isNaN(base)) base = last;
    if (count > 0) {
      // Beyond the newest id's window everything has expired: checked on the full time, so that
      // after a long pause no age wraps around (windowMs < 2^31, so ages stay below 2^32 else).
      if (last - newest >= windowMs) {
        release();
      } else {
        const s = slots as Uint32Array;
        const rel = (last - base) >>> 0;
        while (count > 0 && (rel - (s[3 * head + 2] as number)) >>> 0 >= windowMs) dropOldest();
        if (count === 0) release();
      }
    }
    if (others.size > 0) {
      for (const [id, at] of others) {
        if (last - at < windowMs) break;
        others.delete(id);
        othersBytes -= fallbackEntryBytes(id);
      }
    }
    return last;
  }

  function addOther(id: string, now: number): boolean {
    if (others.has(id)) return false;
    if (others.size >= capacity) {
      const oldest = others.keys().next().value as string;
      others.delete(oldest);
      othersBytes -= fallbackEntryBytes(oldest);
    }
    others.set(id, now);
    othersBytes += fallbackEntryBytes(id);
    return true;
  }

  return {
    add(id) {
      if (id === "" || id === "0") return true;
      const now = tick();
      if (!parseUint64(id)) return addOther(id, now);
      const hi = parsedHi;
      const lo = parsedLo;
      if (find(hi, lo) >= 0) return false;
      if (count === capacity) dropOldest();
      else if (count === allocated) grow();
      const slot = head + count < allocated ? head + count : head + count - allocated;
      const s = slots as Uint32Array;
      s[3 * slot] = hi;
      s[3 * slot + 1] = lo;
      s[3 * slot + 2] = (now - base) >>> 0;
      count += 1;
      newest = now;
      link(slot);
      return true;
    },
    has(id) {
      if (id === "" || id === "0") return false;
      tick();
      if (!parseUint64(id)) return others.has(id);
      return find(parsedHi, parsedLo) >= 0;
    },
    get size() {
      tick();
      return count + others.size;
    },
    get retainedBytes() {
      return (slots?.byteLength ?? 0) + (table?.byteLength ?? 0) + othersBytes;
    },
    clear() {
      release();
      others.clear();
      othersBytes = 0;
    },
  };
}

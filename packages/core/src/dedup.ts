/** Options of {@link createDeduplicator}. */
export interface DeduplicatorOptions {
  /** How many recent ids are remembered. Memory is bounded by this. Default 10 000. */
  capacity?: number;
}

/** Remembers recently seen message ids in bounded memory. */
export interface Deduplicator {
  /** Records `id` and returns true if it was not seen among the last `capacity` ids. Empty and "0" ids are always new. */
  add(id: string): boolean;
  /** True when `id` is among the remembered ids. */
  has(id: string): boolean;
  /** Number of remembered ids. */
  readonly size: number;
  clear(): void;
}

/**
 * Creates a de-duplicator by msgId (docs/protocol.md §12: neither peer de-duplicates;
 * messages repeat across the sign server's initial batch, the stream, and after
 * a reconnect resumes from a cursor). Oldest ids are forgotten first.
 */
export function createDeduplicator(options: DeduplicatorOptions = {}): Deduplicator {
  const capacity = options.capacity ?? 10_000;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`dedup capacity must be a positive integer, got ${capacity}`);
  // A ring of ids plus a set: O(1) add and lookup. The ring grows with use up to `capacity`
  // (an idle client holds almost nothing), then the oldest id is replaced.
  const ring: string[] = [];
  const seen = new Set<string>();
  let next = 0;
  return {
    add(id) {
      if (id === "" || id === "0") return true;
      if (seen.has(id)) return false;
      if (ring.length < capacity) {
        ring.push(id);
      } else {
        seen.delete(ring[next] as string);
        ring[next] = id;
        next = (next + 1) % capacity;
      }
      seen.add(id);
      return true;
    },
    has: (id) => seen.has(id),
    get size() {
      return seen.size;
    },
    clear() {
      seen.clear();
      ring.length = 0;
      next = 0;
    },
  };
}

// A minimal protobuf wire reader for the fast decoders: no allocation per tag, strict about
// bounds and about the wire type of the fields it reads, skipping everything else.
const utf8 = new TextDecoder();
const two32 = 4294967296;

/**
 * An unsigned 64-bit value (two 32-bit halves) as a decimal string, without BigInt (every
 * message carries 19-digit ids: this runs for each one). The value is split into 24-bit
 * limbs and re-based to 10^7 digits; each step stays exact in a double.
 */
export function uint64ToDecimal(lo: number, hi: number): string {
  const low = lo & 0xffffff;
  const mid = ((lo >>> 24) | (hi << 8)) & 0xffffff;
  const high = (hi >>> 16) & 0xffff;
  // 2^24 = 16777216 = 1 * 10^7 + 6777216; 2^48 = 28147497671065.6 → 2814749 * 10^7 + 7671065...
  let a = low + mid * 6777216 + high * 6710656;
  let b = mid + high * 8147497;
  let c = high * 2;
  const base = 10000000;
  if (a >= base) {
    b += Math.floor(a / base);
    a %= base;
  }
  if (b >= base) {
    c += Math.floor(b / base);
    b %= base;
  }
  if (c > 0) return `${c}${pad7(b)}${pad7(a)}`;
  if (b > 0) return `${b}${pad7(a)}`;
  return String(a);
}

function pad7(n: number): string {
  const s = String(n);
  return s.length >= 7 ? s : "0000000".slice(s.length) + s;
}

/** Thrown for malformed input; the decoder turns it into a decodeError event. */
export class WireError extends Error {
  override readonly name = "WireError";
}

export class WireReader {
  pos = 0;
  // The last 64-bit varint, as two 32-bit halves.
  private lo = 0;
  private hi = 0;

  constructor(readonly buf: Uint8Array) {}

  /** Reads a varint of up to 32 significant bits (tags, lengths, int32, enums, bools). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++] as number;
    let value = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++] as number;
    value |= (b & 0x7f) << 7;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++] as number;
    value |= (b & 0x7f) << 14;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++] as number;
    value |= (b & 0x7f) << 21;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = buf[pos++] as number;
    value |= (b & 0x0f) << 28;
    // Up to 5 more bytes for negative int32 values encoded as 64 bits.
    for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[pos++] as number;
    if (b >= 0x80 || pos > buf.length) throw new WireError("invalid varint");
    this.pos = pos;
    return value >>> 0;
  }

  int32(): number {
    return this.uint32() | 0;
  }

  bool(): boolean {
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  private varint64(): void {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    let pos = this.pos;
    for (; shift < 28; shift += 7) {
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        if (pos > buf.length) throw new WireError("premature end of input");
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = 0;
        return;
      }
    }
    b = buf[pos++] as number;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x70) >> 4;
    if (b >= 0x80) {
      for (shift = 3; shift <= 31; shift += 7) {
        b = buf[pos++] as number;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      if (b >= 0x80) throw new WireError("invalid varint");
    }
    if (pos > buf.length) throw new WireError("premature end of input");
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A signed int64 as a decimal string (ids never lose precision). */
  int64(): string {
    this.varint64();
    const { lo, hi } = this;
    if (hi < 0x200000) return String(hi * two32 + lo); // below 2^53: exact as a number
    if (hi < 0x80000000) return uint64ToDecimal(lo, hi); // positive: 19-digit ids
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  /** A length-delimited field: checks bounds and returns the end position. */
  delimited(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.buf.length) throw new WireError("premature end of input");
    return end;
  }

  string(): string {
    const end = this.delimited();
    const buf = this.buf;
    let pos = this.pos;
    // Short ASCII strings are the common case; TextDecoder has a fixed cost per call.
    if (end - pos < 32) {
      let text = "";
      for (; pos < end; pos++) {
        const c = buf[pos] as number;
        if (c >= 0x80) {
          text = utf8.decode(buf.subarray(this.pos, end));
          break;
        }
        text += String.fromCharCode(c);
      }
      this.pos = end;
      return text;
    }
    const text = utf8.decode(buf.subarray(pos, end));
    this.pos = end;
    return text;
  }

  /** Skips one field of the given wire type. */
  skip(wireType: number, field: number, depth = 0): void {
    switch (wireType) {
      case 0:
        this.varint64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimited();
        return;
      case 3: {
        if (depth > 64) throw new WireError("groups nested too deeply");
        for (;;) {
          if (this.pos >= this.buf.length) throw new WireError("unterminated group");
          const tag = this.uint32();
          const wt = tag & 7;
          if (wt === 4) {
            if (tag >>> 3 !== field) throw new WireError("mismatched end group");
            return;
          }
          this.skip(wt, tag >>> 3, depth + 1);
        }
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new WireError(`invalid wire type ${wireType}`);
    }
    if (this.pos > this.buf.length) throw new WireError("premature end of input");
  }
}

/** Reads one field's value into `target`. */
export type FieldRead<T> = (reader: WireReader, target: T) => void;

/** A decoder of one message type: the fields it reads (by number, with their wire type). */
export type MessageReader<T> = (reader: WireReader, end: number) => T;

/**
 * Builds a reader for one message type. `create` makes the object with the defaults the
 * generated type has; `fields` maps field numbers to [wire type, read]. Fields not listed are
 * skipped; a listed field with another wire type is malformed input (as for protobuf-es).
 */
export function messageReader<T>(
  create: () => T,
  fields: Record<number, [wireType: number, read: FieldRead<T>]>,
): MessageReader<T> {
  const numbers = Object.keys(fields).map(Number);
  const size = Math.max(0, ...numbers.filter((n) => n < 128)) + 1;
  const small: ([number, FieldRead<T>] | undefined)[] = new Array(size);
  const large = new Map<number, [number, FieldRead<T>]>();
  for (const n of numbers) {
    const entry = fields[n] as [number, FieldRead<T>];
    if (n < 128) small[n] = entry;
    else large.set(n, entry);
  }
  return (reader, end) => {
    const target = create();
    while (reader.pos < end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) throw new WireError("illegal tag: field 0");
      const entry = field < size ? small[field] : large.get(field);
      if (entry === undefined) {
        reader.skip(wireType, field);
      } else if (entry[0] === wireType) {
        entry[1](reader, target);
      } else {
        throw new WireError(`field ${field} has wire type ${wireType}, expected ${entry[0]}`);
      }
    }
    if (reader.pos !== end) throw new WireError("message overruns its length");
    return target;
  };
}

/** Reads a nested message field with `read`. */
export function nested<T>(read: MessageReader<T>): (reader: WireReader) => T {
  return (reader) => {
    const end = reader.delimited();
    return read(reader, end);
  };
}

// A minimal protobuf wire reader for the fast decoders: no allocation per tag, strict about
// bounds and about the wire type of every field the schema declares (schema drift becomes a
// WireTypeError naming the field's path), skipping everything else. The same walk checks the
// wire types of a whole message for the reflection path (checkWireTypes).
import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";

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
  override readonly name: string = "WireError";
}

// Names of the wire types, as the protobuf encoding guide spells them.
const wireTypeNames = ["VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32"];

/** The protobuf name of a wire type: `VARINT`, `I64`, `LEN`, `SGROUP`, `EGROUP` or `I32`. */
export function wireTypeName(wireType: number): string {
  return wireTypeNames[wireType] ?? `wire type ${wireType}`;
}

/**
 * A field the schema declares arrived with another wire type (schema drift: TikTok changed the
 * field's type, e.g. int32 to string). Reading it anyway would misread it silently, so the whole
 * message is rejected; the decoder turns this into a `decodeError` naming the field's path.
 */
export class WireTypeError extends WireError {
  override readonly name: string = "WireTypeError";
  /** The field names from the message that was read down to the drifted field. */
  readonly segments: string[] = [];

  constructor(
    /** The wire type(s) the schema declares, e.g. `LEN` or `VARINT or LEN` (packed). */
    readonly expected: string,
    /** The wire type that arrived. */
    readonly actual: string,
  ) {
    super(`expected ${expected}, got ${actual}`);
  }

  /** The drifted field's path below the message that was read, e.g. `user.nickname`. */
  get path(): string {
    return this.segments.join(".");
  }

  /** Prepends the field that contains the drifted one (as the error leaves each message). */
  within(field: string): this {
    this.segments.unshift(field);
    this.message = `${this.path}: expected ${this.expected}, got ${this.actual}`;
    return this;
  }
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

  /** Skips a varint without decoding it. */
  skipVarint(): void {
    const buf = this.buf;
    let pos = this.pos;
    const limit = pos + 10;
    while ((buf[pos++] as number) >= 0x80) if (pos >= limit) throw new WireError("invalid varint");
    if (pos > buf.length) throw new WireError("premature end of input");
    this.pos = pos;
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
        this.skipVarint();
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

// ---- Wire types by schema --------------------------------------------------------------------

/** What the schema says about one field: the wire type(s) it may arrive with, and its content. */
interface FieldCheck {
  /** The field's name in paths (its TypeScript name). */
  readonly name: string;
  readonly wire: number;
  /** A second accepted wire type (LEN for a repeated number, which may be packed), or -1. */
  readonly alt: number;
  /** `wire` (and `alt`) by name, for the error. */
  readonly expected: string;
  /** The message (or map entry) a LEN value holds, to check inside it. */
  readonly sub: MessageCheck | undefined;
}

/** The {@link FieldCheck}s of one message type (or map entry), by field number. */
interface MessageCheck {
  readonly small: (FieldCheck | undefined)[];
  readonly large: Map<number, FieldCheck>;
}

// Field numbers below this are looked up in an array; the few larger ones (User.idStr is 1028)
// in a map.
const smallFields = 256;
const checks = new WeakMap<DescMessage, MessageCheck>();

function scalarWire(type: ScalarType): number {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 1;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return 5;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return 2;
    default:
      return 0;
  }
}

function fieldCheck(name: string, wire: number, alt: number, sub: MessageCheck | undefined): FieldCheck {
  const expected = alt < 0 ? wireTypeName(wire) : `${wireTypeName(wire)} or ${wireTypeName(alt)}`;
  return { name, wire, alt, expected, sub };
}

function addCheck(check: MessageCheck, number: number, field: FieldCheck): void {
  if (number < smallFields) check.small[number] = field;
  else check.large.set(number, field);
}

function describeField(field: DescField): FieldCheck {
  const name = field.localName;
  switch (field.fieldKind) {
    case "scalar":
      return fieldCheck(name, scalarWire(field.scalar), -1, undefined);
    case "enum":
      return fieldCheck(name, 0, -1, undefined);
    case "message":
      return field.delimitedEncoding
        ? fieldCheck(name, 3, -1, undefined)
        : fieldCheck(name, 2, -1, schemaCheck(field.message));
    case "list": {
      if (field.listKind === "message")
        return field.delimitedEncoding
          ? fieldCheck(name, 3, -1, undefined)
          : fieldCheck(name, 2, -1, schemaCheck(field.message));
      // Repeated numbers and enums may be packed (one LEN) or not (one value per tag).
      const wire = field.listKind === "enum" ? 0 : scalarWire(field.scalar);
      return fieldCheck(name, wire, wire === 2 ? -1 : 2, undefined);
    }
    case "map": {
      // A map is a repeated entry message {1 key, 2 value}.
      const entry: MessageCheck = { small: [], large: new Map() };
      addCheck(entry, 1, fieldCheck("key", scalarWire(field.mapKey), -1, undefined));
      addCheck(
        entry,
        2,
        field.mapKind === "message"
          ? fieldCheck("value", 2, -1, schemaCheck(field.message))
          : fieldCheck("value", field.mapKind === "enum" ? 0 : scalarWire(field.scalar), -1, undefined),
      );
      return fieldCheck(name, 2, -1, entry);
    }
  }
}

/** The wire types a message type's fields may arrive with, compiled once per type. */
function schemaCheck(schema: DescMessage): MessageCheck {
  let check = checks.get(schema);
  if (check === undefined) {
    check = { small: [], large: new Map() };
    // Registered before its fields, so that recursive types end.
    checks.set(schema, check);
    for (const field of schema.fields) addCheck(check, field.number, describeField(field));
  }
  return check;
}

/**
 * Walks one message's fields up to `end`, comparing each declared field's wire type with the
 * schema's and descending into message values; undeclared fields are only skipped (and checked
 * for well-formedness). Throws a {@link WireTypeError} with the path, or a {@link WireError}.
 */
function walk(reader: WireReader, end: number, check: MessageCheck, depth: number): void {
  if (depth <= 0) throw new WireError("message nested too deeply");
  const small = check.small;
  const size = small.length;
  let entry: FieldCheck | undefined;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) throw new WireError("illegal tag: field 0");
      entry = field < size ? small[field] : check.large.get(field);
      if (entry !== undefined) {
        if (wireType !== entry.wire && wireType !== entry.alt)
          throw new WireTypeError(entry.expected, wireTypeName(wireType));
        if (entry.sub !== undefined && wireType === 2) {
          walk(reader, reader.delimited(), entry.sub, depth - 1);
          continue;
        }
      }
      // The common cases inline; groups and fixed-width values through skip().
      if (wireType === 0) reader.skipVarint();
      else if (wireType === 2) reader.pos = reader.delimited();
      else reader.skip(wireType, field);
    }
  } catch (error) {
    if (error instanceof WireTypeError && entry !== undefined) error.within(entry.name);
    throw error;
  }
  if (reader.pos !== end) throw new WireError("message overruns its length");
}

/**
 * Checks, in one pass over the bytes and without decoding anything, that every field `schema`
 * declares (at any depth) arrived with the wire type its declaration implies: VARINT for
 * integers, bools and enums, I64/I32 for fixed-width numbers, LEN for strings, bytes, messages
 * and maps, VARINT/I64/I32 or LEN (packed) for repeated numbers. protobuf-es does not check
 * this, and would misread such a field silently (or fail somewhere inside). Throws a
 * {@link WireTypeError} naming the field (`path` below `schema`), or a {@link WireError} for
 * malformed input.
 */
export function checkWireTypes(schema: DescMessage, bytes: Uint8Array, maxDepth = 64): void {
  walk(new WireReader(bytes), bytes.length, schemaCheck(schema), maxDepth);
}

// ---- Fast readers -----------------------------------------------------------------------------

/** Reads one field's value into `target`. */
export type FieldRead<T> = (reader: WireReader, target: T) => void;

/** A decoder of one message type: the fields it reads (by number, with their wire type). */
export type MessageReader<T> = (reader: WireReader, end: number) => T;

/** One field of a message reader: its schema check, and how to read it when the reader wants it. */
interface ReaderEntry<T> extends FieldCheck {
  readonly read: FieldRead<T> | undefined;
}

// Depth left for checking the sub-messages a fast reader skips (the readers themselves nest a
// few levels at most).
const skippedDepth = 60;

/**
 * Fast-reader fields whose wire type differs from the schema's (a reader out of date with the
 * proto). Reported here rather than thrown at import; a test asserts that it stays empty.
 */
export const readerSchemaMismatches: string[] = [];

/**
 * Builds a reader for one message type of `schema`. `create` makes the object with the defaults
 * the generated type has; `fields` maps field numbers to [wire type, read]. Every other field
 * the schema declares is skipped after its wire type is checked (inside sub-messages too), and
 * undeclared fields are skipped: a declared field with another wire type throws a
 * {@link WireTypeError} with its path, so that schema drift never misreads silently.
 */
export function messageReader<T>(
  schema: DescMessage,
  create: () => T,
  fields: Record<number, [wireType: number, read: FieldRead<T>]>,
): MessageReader<T> {
  const check = schemaCheck(schema);
  const entries = new Map<number, ReaderEntry<T>>();
  const entry = (field: FieldCheck, read: FieldRead<T> | undefined): ReaderEntry<T> => ({
    name: field.name,
    wire: field.wire,
    alt: field.alt,
    expected: field.expected,
    sub: field.sub,
    read,
  });
  check.small.forEach((field, n) => {
    if (field !== undefined) entries.set(n, entry(field, undefined));
  });
  for (const [n, field] of check.large) entries.set(n, entry(field, undefined));
  for (const n of Object.keys(fields).map(Number)) {
    const [wire, read] = fields[n] as [number, FieldRead<T>];
    const declared = entries.get(n);
    if (declared !== undefined && declared.wire !== wire && declared.alt !== wire)
      readerSchemaMismatches.push(
        `${schema.name}.${declared.name}: read as ${wireTypeName(wire)}, declared ${declared.expected}`,
      );
    entries.set(n, entry(fieldCheck(declared?.name ?? String(n), wire, -1, undefined), read));
  }
  const small: (ReaderEntry<T> | undefined)[] = [];
  const large = new Map<number, ReaderEntry<T>>();
  for (const [n, e] of entries) {
    if (n < smallFields) small[n] = e;
    else large.set(n, e);
  }
  const size = small.length;
  return (reader, end) => {
    const target = create();
    let entry: ReaderEntry<T> | undefined;
    try {
      while (reader.pos < end) {
        const tag = reader.uint32();
        const field = tag >>> 3;
        const wireType = tag & 7;
        if (field === 0) throw new WireError("illegal tag: field 0");
        entry = field < size ? small[field] : large.get(field);
        if (entry === undefined) {
          reader.skip(wireType, field);
        } else if (wireType !== entry.wire && wireType !== entry.alt) {
          throw new WireTypeError(entry.expected, wireTypeName(wireType));
        } else if (entry.read !== undefined) {
          entry.read(reader, target);
        } else if (entry.sub !== undefined && wireType === 2) {
          walk(reader, reader.delimited(), entry.sub, skippedDepth);
        } else if (wireType === 0) {
          reader.skipVarint();
        } else {
          reader.skip(wireType, field);
        }
      }
    } catch (error) {
      if (error instanceof WireTypeError && entry !== undefined) error.within(entry.name);
      throw error;
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

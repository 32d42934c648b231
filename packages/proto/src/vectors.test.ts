// Decodes every real captured payload of ../shared/vectors with the schema named
// by its method and checks every expected value, then checks that re-encoding
// keeps everything (unknown fields included). Skips, with a notice, where
// ../shared is absent.
import { type DescMessage, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import { base64ToBytes, loadRealVectors, type RealVector } from "@tiklive/test-support/vectors";
import { describe, expect, it } from "vitest";
import { file_tiklive_webcast_v1_messages } from "./gen/tiklive/webcast/v1/messages_pb.js";

const vectors = loadRealVectors();

/** Every message of messages.proto by name; event messages are named after their wire method. */
const registry = new Map<string, DescMessage>(
  file_tiklive_webcast_v1_messages.messages.map((m) => [m.name, m]),
);

function schemaFor(vector: RealVector): DescMessage {
  const schema = registry.get(vector.type);
  if (!schema) throw new Error(`${vector.id}: no schema named ${vector.type}`);
  return schema;
}

function decode(vector: RealVector): Message {
  return fromBinary(schemaFor(vector), base64ToBytes(vector.base64));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** One path step: a property name, optionally followed by a `[key]` lookup. */
function splitPath(path: string): { name: string; key?: string }[] {
  return path.split(".").map((segment) => {
    const m = /^([^[\]]+)\[([^\]]+)\]$/.exec(segment);
    return m ? { name: m[1]!, key: m[2]! } : { name: segment };
  });
}

/** The map entry with that key, or the repeated `{key, value}` entry whose key equals it (its value). */
function lookupKey(container: unknown, key: string, where: string): unknown {
  if (Array.isArray(container)) {
    const entry: unknown = container.find((e) => isRecord(e) && String(e["key"]) === key);
    if (!isRecord(entry)) throw new Error(`${where}: no entry with key ${key}`);
    return "value" in entry ? entry["value"] : entry;
  }
  if (isRecord(container) && Object.hasOwn(container, key)) return container[key];
  throw new Error(`${where}: no map entry with key ${key}`);
}

/** Resolves a dotted path; throws (test failure) when any step does not resolve. */
function resolvePath(root: unknown, path: string): unknown {
  let current: unknown = root;
  const steps = splitPath(path);
  steps.forEach((step, i) => {
    const where = `"${path}" at "${step.name}"`;
    const last = i === steps.length - 1;
    if (
      last &&
      step.name === "length" &&
      step.key === undefined &&
      (Array.isArray(current) || typeof current === "string")
    ) {
      current = current.length;
      return;
    }
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(step.name)) throw new Error(`${where}: array needs an index`);
      const index = Number(step.name);
      if (index >= current.length)
        throw new Error(`${where}: index ${index} out of range (${current.length})`);
      current = current[index];
    } else if (isRecord(current)) {
      if (!(step.name in current) || current[step.name] === undefined)
        throw new Error(`${where}: no such field`);
      current = current[step.name];
    } else {
      throw new Error(`${where}: cannot step into ${typeof current}`);
    }
    if (step.key !== undefined) current = lookupKey(current, step.key, where);
  });
  return current;
}

/** A property of an object, looked for in the object itself, then in its nested `user` / `value`. */
function findProperty(obj: unknown, name: string, depth = 0): { found: boolean; value?: unknown } {
  if (!isRecord(obj) || depth > 3) return { found: false };
  if (name in obj && obj[name] !== undefined) return { found: true, value: obj[name] };
  for (const nested of ["user", "value"]) {
    const r = findProperty(obj[nested], name, depth + 1);
    if (r.found) return r;
  }
  return { found: false };
}

function checkValue(actual: unknown, expected: unknown, label: string): void {
  if (isRecord(expected) && "$prefix" in expected) {
    expect(typeof actual, `${label} is a string`).toBe("string");
    const text = actual as string;
    expect(text.startsWith(String(expected["$prefix"])), `${label} starts with $prefix`).toBe(true);
    expect(text.length, `${label} length`).toBe(expected["$length"]);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${label} is an array`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${label} length`).toBe(expected.length);
    for (const [i, e] of expected.entries()) checkValue(list[i], e, `${label}[${i}]`);
  } else if (isRecord(expected)) {
    for (const [name, value] of Object.entries(expected)) {
      const r = findProperty(actual, name);
      if (!r.found) throw new Error(`${label}: property ${name} not found`);
      checkValue(r.value, value, `${label}.${name}`);
    }
  } else {
    // Strict: int64 must be a decimal string, int32/enum a number, bool a boolean.
    expect(actual, label).toBe(expected);
  }
}

/** Top-level fields of an encoded message as raw byte ranges, in wire order. */
function splitTopLevel(bytes: Uint8Array): { field: number; bytes: Uint8Array }[] {
  const out: { field: number; bytes: Uint8Array }[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return result;
    }
  };
  while (pos < bytes.length) {
    const start = pos;
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire}`);
    out.push({ field: Math.floor(tag / 8), bytes: bytes.subarray(start, pos) });
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function isAscending(order: string): boolean {
  const numbers = order.split(",").map((f) => Number(f.split("x")[0]));
  return numbers.every((n, i) => i === 0 || n >= numbers[i - 1]!);
}

describe.skipIf(!vectors)("real captured payloads", () => {
  const all = vectors ?? [];

  it("has a schema for every vector type", () => {
    for (const v of all) expect(registry.has(v.type), v.type).toBe(true);
  });

  describe.each(all.map((v) => [v.id, v] as const))("%s", (_id, vector) => {
    it("decodes with the expected values", () => {
      const msg = decode(vector) as Message & { common?: Record<string, unknown> };
      const common = vector.expected.common ?? {};
      for (const [name, value] of Object.entries(common)) {
        const path = name === "displayTextKey" ? "common.displayText.key" : `common.${name}`;
        checkValue(resolvePath(msg, path), value, `${vector.id} ${path}`);
      }
      for (const [path, value] of Object.entries(vector.expected.fields ?? {})) {
        checkValue(resolvePath(msg, path), value, `${vector.id} ${path}`);
      }
    });

    it("re-encodes without losing anything (unknown fields included)", () => {
      const schema = schemaFor(vector);
      const msg = decode(vector);
      const again = fromBinary(schema, toBinary(schema, msg));
      expect(again).toEqual(msg);
    });
  });

  it("decodes a message whose fields are out of numeric order", () => {
    // No capture in the set arrives out of order, so besides any that do,
    // build one: the fields of a real gift message in reverse order (common last).
    const natural = all.filter((v) => !isAscending(v.topLevelFieldOrder));
    for (const v of natural) expect(() => decode(v)).not.toThrow();

    const vector = all.find((v) => v.id === "gift-rose-streak-running") ?? all[0]!;
    const schema = schemaFor(vector);
    const bytes = base64ToBytes(vector.base64);
    const fields = splitTopLevel(bytes);
    // Reverse the distinct field numbers but keep each repeated field's own order.
    const numbers = [...new Set(fields.map((f) => f.field))].reverse();
    const shuffled = concat(numbers.flatMap((n) => fields.filter((f) => f.field === n).map((f) => f.bytes)));
    expect(splitTopLevel(shuffled)[0]!.field).not.toBe(1);
    expect(shuffled.length).toBe(bytes.length);

    const inOrder = fromBinary(schema, bytes) as Message & Record<string, unknown>;
    const reordered = fromBinary(schema, shuffled) as Message & Record<string, unknown>;
    for (const [path, value] of Object.entries(vector.expected.fields ?? {})) {
      checkValue(resolvePath(reordered, path), value, `reordered ${path}`);
    }
    expect(resolvePath(reordered, "common.msgId")).toBe(vector.expected.common?.["msgId"]);
    // protobuf-es writes known fields in declaration order, so the canonical forms match.
    expect(toBinary(schema, reordered)).toEqual(toBinary(schema, inOrder));
  });

  it("decodes a payload with an extra unknown field appended", () => {
    const vector = all.find((v) => v.type === "WebcastChatMessage") ?? all[0]!;
    const schema = schemaFor(vector);
    const bytes = base64ToBytes(vector.base64);
    // Field 9999, varint: tag (9999 << 3 | 0) = 79992 = f8 f0 04; value 150 = 96 01.
    const extended = concat([bytes, new Uint8Array([0xf8, 0xf0, 0x04, 0x96, 0x01])]);
    const msg = fromBinary(schema, extended);
    for (const [path, value] of Object.entries(vector.expected.fields ?? {})) {
      checkValue(resolvePath(msg, path), value, `extended ${path}`);
    }
    const plain = fromBinary(schema, bytes);
    expect(resolvePath(msg, "common.msgId")).toBe(resolvePath(plain, "common.msgId"));
    // The extra field is kept as an unknown field and survives re-encoding.
    const unknown = (msg as { $unknown?: { no: number }[] }).$unknown ?? [];
    expect(unknown.some((u) => u.no === 9999)).toBe(true);
    const reencoded = toBinary(schema, msg);
    expect(fromBinary(schema, reencoded)).toEqual(msg);
  });
});

// A schema audit: walks the protobuf wire format of a payload along our schema and lists what
// the schema does not describe. protobuf-es decodes such bytes without complaint (a field it
// does not know becomes an unknown field; a known field on the wrong wire type is misread or
// rejected), so this is how to find out, from real payloads, what the .proto still lacks:
//
//   - undeclared: a field number the message does not declare, with its wire type, its path
//     (`WebcastGiftMessage.gift.7`: declared fields by name, undeclared ones by number) and a
//     short rendering of one value;
//   - mismatch: a declared field that arrives on another wire type than its declaration needs
//     (a packed repeated scalar is legitimately LEN);
//   - malformed: bytes declared as a sub-message that are not a protobuf message at all.
//
// The walk follows the schema into every known sub-message, repeated field and map value.
// Uses only protobuf-es reflection and its BinaryReader, so it runs wherever the schema does.
import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import {
  file_tiklive_webcast_v1_frame,
  ProtoMessageFetchResultSchema,
} from "./gen/tiklive/webcast/v1/frame_pb.js";
import { file_tiklive_webcast_v1_messages } from "./gen/tiklive/webcast/v1/messages_pb.js";
import { file_tiklive_webcast_v1_methods } from "./gen/tiklive/webcast/v1/methods_pb.js";

/** A field number the schema does not declare. */
export interface UndeclaredField {
  /** Where, e.g. `WebcastGiftMessage.gift.7`. */
  readonly path: string;
  /** The message that lacks the field, e.g. `GiftStruct`. */
  readonly message: string;
  readonly field: number;
  readonly wireType: WireType;
  /** One value, rendered briefly (`150`, `"Rose"`, `{1,2,5}`, `bytes[12] 0a03…`). */
  readonly example: string;
}

/** A declared field that arrived on a wire type its declaration does not allow. */
export interface WireTypeMismatch {
  readonly path: string;
  readonly message: string;
  readonly field: number;
  /** The declared type, e.g. `string`, `int64`, `enum BadgeDisplayType`, `message User`. */
  readonly declared: string;
  /** The wire type the declaration needs. */
  readonly expected: WireType;
  /** The wire type on the wire. */
  readonly wireType: WireType;
  readonly example: string;
}

/** Bytes that are not a protobuf message where the schema declares one. */
export interface MalformedMessage {
  readonly path: string;
  readonly message: string;
  readonly reason: string;
}

/** The result of {@link auditSchema}. */
export interface SchemaAuditReport {
  /** The audited message type, e.g. `WebcastGiftMessage`. */
  readonly message: string;
  readonly undeclared: readonly UndeclaredField[];
  readonly mismatches: readonly WireTypeMismatch[];
  readonly malformed: readonly MalformedMessage[];
}

/** Options of {@link auditSchema}. */
export interface SchemaAuditOptions {
  /** The name the root path starts with. Default: the message name. */
  readonly rootPath?: string;
  /** Nesting depth past which the walk stops descending. Default 64. */
  readonly maxDepth?: number;
}

const wireTypeNames: Record<number, string> = {
  [WireType.Varint]: "varint",
  [WireType.Bit64]: "fixed64",
  [WireType.LengthDelimited]: "len",
  [WireType.StartGroup]: "start-group",
  [WireType.EndGroup]: "end-group",
  [WireType.Bit32]: "fixed32",
};

/** `varint`, `fixed64`, `len`, `start-group`, `end-group` or `fixed32`. */
export function wireTypeName(wireType: WireType): string {
  return wireTypeNames[wireType] ?? `wire type ${wireType}`;
}

/**
 * Every message that is named after a wire method (`Webcast*` in messages.proto and
 * methods.proto), by method name: what a method name selects when the payload is decoded.
 */
export const methodSchemas: ReadonlyMap<string, DescMessage> = new Map(
  [file_tiklive_webcast_v1_messages, file_tiklive_webcast_v1_methods]
    .flatMap((file) => file.messages)
    .filter((m) => m.name.startsWith("Webcast"))
    .map((m) => [m.name, m]),
);

/** The schema of a method (`WebcastChatMessage`), or of a frame-level message by name. */
export function schemaForMethod(method: string): DescMessage | undefined {
  return methodSchemas.get(method) ?? file_tiklive_webcast_v1_frame.messages.find((m) => m.name === method);
}

function scalarWireType(type: ScalarType): WireType {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}

/** One raw field value as read off the wire. */
interface RawValue {
  readonly wireType: WireType;
  /** Varint as an unsigned decimal string; fixed as bytes; LEN as its bytes. */
  readonly varint?: bigint;
  readonly bytes?: Uint8Array;
}

function readRaw(reader: BinaryReader, wireType: WireType, fieldNo: number): RawValue {
  switch (wireType) {
    case WireType.Varint:
      return { wireType, varint: BigInt(reader.uint64()) };
    case WireType.LengthDelimited:
      return { wireType, bytes: reader.bytes() };
    default:
      return { wireType, bytes: reader.skip(wireType, fieldNo) };
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function hex(bytes: Uint8Array, max = 8): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, "0")).join("");
  return bytes.length > max ? `${shown}…` : shown;
}

/** The field numbers of `bytes` when they parse as a protobuf message, else undefined. */
function messageFieldNumbers(bytes: Uint8Array): number[] | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const reader = new BinaryReader(bytes);
    const numbers = new Set<number>();
    while (reader.pos < reader.len) {
      const [no, wireType] = reader.tag();
      if (no < 1 || wireType === WireType.EndGroup) return undefined;
      reader.skip(wireType, no);
      numbers.add(no);
    }
    return [...numbers];
  } catch {
    return undefined;
  }
}

function printable(text: string): boolean {
  // Letters, digits, punctuation, spaces and any non-ASCII character; no control characters.
  return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
}

/** One value, rendered briefly for a report. */
function render(value: RawValue): string {
  if (value.varint !== undefined) {
    const v = value.varint;
    // A negative int64/int32 is a 10-byte varint: show it signed.
    return v >= 2n ** 63n ? `${v - 2n ** 64n}` : `${v}`;
  }
  const bytes = value.bytes ?? new Uint8Array();
  if (value.wireType === WireType.Bit64 || value.wireType === WireType.Bit32) return `0x${hex(bytes, 8)}`;
  if (value.wireType !== WireType.LengthDelimited)
    return `${wireTypeName(value.wireType)} (${bytes.length} bytes)`;
  if (bytes.length === 0) return `""`;
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  const fields = messageFieldNumbers(bytes);
  // Short printable text that is not also a plausible message reads best as text.
  if (text !== undefined && printable(text) && (fields === undefined || /^[\p{L}\p{N} ._:/-]+$/u.test(text)))
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  if (fields !== undefined) return `{${fields.slice(0, 8).join(",")}${fields.length > 8 ? ",…" : ""}}`;
  return `bytes[${bytes.length}] ${hex(bytes)}`;
}

function describeField(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return ScalarType[field.scalar].toLowerCase();
    case "enum":
      return `enum ${field.enum.name}`;
    case "message":
      return `message ${field.message.name}`;
    case "list":
      return `repeated ${
        field.listKind === "scalar"
          ? ScalarType[field.scalar].toLowerCase()
          : field.listKind === "enum"
            ? `enum ${field.enum.name}`
            : `message ${field.message.name}`
      }`;
    case "map":
      return `map<${ScalarType[field.mapKey].toLowerCase()}, ${
        field.mapKind === "scalar"
          ? ScalarType[field.scalar].toLowerCase()
          : field.mapKind === "enum"
            ? `enum ${field.enum.name}`
            : `message ${field.message.name}`
      }>`;
  }
}

class Audit {
  readonly undeclared: UndeclaredField[] = [];
  readonly mismatches: WireTypeMismatch[] = [];
  readonly malformed: MalformedMessage[] = [];

  constructor(private readonly maxDepth: number) {}

  message(schema: DescMessage, bytes: Uint8Array, path: string, depth: number): void {
    if (depth > this.maxDepth) return;
    const reader = new BinaryReader(bytes);
    const values: { no: number; value: RawValue }[] = [];
    try {
      while (reader.pos < reader.len) {
        const [no, wireType] = reader.tag();
        if (no < 1) throw new Error(`field number ${no}`);
        if (wireType === WireType.EndGroup) throw new Error(`unexpected end-group for field ${no}`);
        values.push({ no, value: readRaw(reader, wireType, no) });
      }
    } catch (error) {
      this.malformed.push({
        path,
        message: schema.name,
        reason: `not a ${schema.name}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    for (const { no, value } of values) {
      const field = schema.fields.find((f) => f.number === no);
      if (field === undefined) {
        this.undeclared.push({
          path: `${path}.${no}`,
          message: schema.name,
          field: no,
          wireType: value.wireType,
          example: render(value),
        });
        continue;
      }
      this.field(schema, field, value, `${path}.${field.name}`, depth);
    }
  }

  private mismatch(schema: DescMessage, field: DescField, expected: WireType, value: RawValue, path: string) {
    this.mismatches.push({
      path,
      message: schema.name,
      field: field.number,
      declared: describeField(field),
      expected,
      wireType: value.wireType,
      example: render(value),
    });
  }

  private field(schema: DescMessage, field: DescField, value: RawValue, path: string, depth: number): void {
    switch (field.fieldKind) {
      case "scalar":
      case "enum": {
        const expected = field.fieldKind === "enum" ? WireType.Varint : scalarWireType(field.scalar);
        if (value.wireType !== expected) this.mismatch(schema, field, expected, value, path);
        return;
      }
      case "message":
        if (value.wireType !== WireType.LengthDelimited)
          this.mismatch(schema, field, WireType.LengthDelimited, value, path);
        else this.message(field.message, value.bytes ?? new Uint8Array(), path, depth + 1);
        return;
      case "list": {
        if (field.listKind === "message") {
          if (value.wireType !== WireType.LengthDelimited)
            this.mismatch(schema, field, WireType.LengthDelimited, value, path);
          else this.message(field.message, value.bytes ?? new Uint8Array(), path, depth + 1);
          return;
        }
        const element = field.listKind === "enum" ? WireType.Varint : scalarWireType(field.scalar);
        // A packed repeated scalar is one LEN field holding the elements back to back.
        const packedOk = element !== WireType.LengthDelimited && value.wireType === WireType.LengthDelimited;
        if (value.wireType !== element && !packedOk) this.mismatch(schema, field, element, value, path);
        else if (packedOk) this.packed(schema, field, element, value.bytes ?? new Uint8Array(), path);
        return;
      }
      case "map":
        if (value.wireType !== WireType.LengthDelimited)
          this.mismatch(schema, field, WireType.LengthDelimited, value, path);
        else this.mapEntry(schema, field, value.bytes ?? new Uint8Array(), path, depth);
        return;
    }
  }

  /** Checks that a packed run really holds whole elements of the declared width. */
  private packed(schema: DescMessage, field: DescField, element: WireType, bytes: Uint8Array, path: string) {
    const reader = new BinaryReader(bytes);
    try {
      while (reader.pos < reader.len) {
        if (element === WireType.Varint) reader.uint64();
        else reader.skip(element);
      }
      if (reader.pos !== reader.len) throw new Error("trailing bytes");
    } catch (error) {
      this.malformed.push({
        path,
        message: schema.name,
        reason: `packed ${describeField(field)} does not split into elements: ${
          error instanceof Error ? error.message : String(error)
        }`,
      });
    }
  }

  private mapEntry(
    schema: DescMessage,
    field: DescField & { fieldKind: "map" },
    bytes: Uint8Array,
    path: string,
    depth: number,
  ) {
    const reader = new BinaryReader(bytes);
    try {
      while (reader.pos < reader.len) {
        const [no, wireType] = reader.tag();
        if (no < 1 || wireType === WireType.EndGroup) throw new Error(`field number ${no}`);
        const value = readRaw(reader, wireType, no);
        const entryPath = `${path}.${no === 1 ? "key" : no === 2 ? "value" : no}`;
        if (no === 1) {
          const expected = scalarWireType(field.mapKey);
          if (wireType !== expected) this.mismatch(schema, field, expected, value, entryPath);
        } else if (no === 2) {
          if (field.mapKind === "message") {
            if (wireType !== WireType.LengthDelimited)
              this.mismatch(schema, field, WireType.LengthDelimited, value, entryPath);
            else this.message(field.message, value.bytes ?? new Uint8Array(), entryPath, depth + 1);
          } else {
            const expected = field.mapKind === "enum" ? WireType.Varint : scalarWireType(field.scalar);
            if (wireType !== expected) this.mismatch(schema, field, expected, value, entryPath);
          }
        } else {
          this.undeclared.push({
            path: entryPath,
            message: `${schema.name}.${field.name} entry`,
            field: no,
            wireType,
            example: render(value),
          });
        }
      }
    } catch (error) {
      this.malformed.push({
        path,
        message: schema.name,
        reason: `map entry of ${field.name} is not a message: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

/**
 * Walks `bytes` as a `schema` message (or the message of a method name, see
 * {@link schemaForMethod}) and reports every undeclared field, wire-type mismatch and
 * malformed sub-message. Never throws for bad bytes (they are reported); throws a TypeError for
 * a method name that has no schema.
 */
export function auditSchema(
  schemaOrMethod: DescMessage | string,
  bytes: Uint8Array,
  options: SchemaAuditOptions = {},
): SchemaAuditReport {
  const schema = typeof schemaOrMethod === "string" ? schemaForMethod(schemaOrMethod) : schemaOrMethod;
  if (schema === undefined)
    throw new TypeError(`auditSchema: no schema for method ${String(schemaOrMethod)}`);
  const audit = new Audit(options.maxDepth ?? 64);
  audit.message(schema, bytes, options.rootPath ?? schema.name, 0);
  return {
    message: schema.name,
    undeclared: audit.undeclared,
    mismatches: audit.mismatches,
    malformed: audit.malformed,
  };
}

/** The audit of one fetch result: the envelope itself and each message by its method. */
export interface FetchResultAudit {
  /** The `ProtoMessageFetchResult` (and `BaseProtoMessage`) envelope. */
  readonly envelope: SchemaAuditReport;
  /** One entry per message of the batch, in order. */
  readonly messages: readonly {
    readonly method: string;
    /** Undefined when no schema is named after the method. */
    readonly report?: SchemaAuditReport;
  }[];
}

/**
 * Audits a `ProtoMessageFetchResult` (the payload of a `msg` frame or an HTTP fetch): the
 * envelope along frame.proto, then every message's payload along the schema of its method.
 */
export function auditFetchResult(bytes: Uint8Array): FetchResultAudit {
  const envelope = auditSchema(ProtoMessageFetchResultSchema, bytes);
  const messages: { method: string; report?: SchemaAuditReport }[] = [];
  for (const entry of splitFetchResult(bytes)) {
    const schema = methodSchemas.get(entry.method);
    messages.push(
      schema === undefined
        ? { method: entry.method }
        : { method: entry.method, report: auditSchema(schema, entry.payload) },
    );
  }
  return { envelope, messages };
}

/** The `(method, payload)` pairs of a fetch result, read straight off the wire. */
function splitFetchResult(bytes: Uint8Array): { method: string; payload: Uint8Array }[] {
  const out: { method: string; payload: Uint8Array }[] = [];
  const reader = new BinaryReader(bytes);
  try {
    while (reader.pos < reader.len) {
      const [no, wireType] = reader.tag();
      if (no !== 1 || wireType !== WireType.LengthDelimited) {
        reader.skip(wireType, no);
        continue;
      }
      const entry = new BinaryReader(reader.bytes());
      let method = "";
      let payload: Uint8Array = new Uint8Array();
      while (entry.pos < entry.len) {
        const [eno, ewt] = entry.tag();
        if (eno === 1 && ewt === WireType.LengthDelimited) method = entry.string();
        else if (eno === 2 && ewt === WireType.LengthDelimited) payload = entry.bytes();
        else entry.skip(ewt, eno);
      }
      out.push({ method, payload });
    }
  } catch {
    // A malformed envelope is reported by the envelope audit; keep what was read.
  }
  return out;
}

// Schema drift: a field that arrives with another wire type than the schema declares (TikTok has
// changed int32 to string before) must become a decodeError naming the field, on the fast path
// and on the reflection path, while every other message of the fetch result still decodes.
import {
  create,
  type DescField,
  type DescMessage,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  BattleSettingSchema,
  CommonMessageDataSchema,
  ContributorSchema,
  ControlAction,
  GiftStructSchema,
  TextFormatSchema,
  TextSchema,
  UserSchema,
  WebcastChatMessageSchema,
  WebcastControlMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLikeMessageSchema,
  WebcastLinkMicBattleSchema,
  WebcastMemberMessageSchema,
  WebcastRoomUserSeqMessageSchema,
  WebcastSocialMessageSchema,
} from "@tiklive/proto";
import { samplePayloads } from "@tiklive/test-support/fuzz";
import { createRandom, type Random } from "@tiklive/test-support/random";
import { describe, expect, it } from "vitest";
import { decodeFetchResult, encodeFetchResult, type RawMessage } from "../frame-codec.js";
import { createEventDecoder } from "./decoder.js";
import { checkWireTypes, readerSchemaMismatches, WireError, WireTypeError } from "./fast/wire-reader.js";
import { defaultMessageHandlers } from "./handlers.js";
import { createMessageRegistry } from "./registry.js";
import type { CoreEvent, DecodeErrorEvent } from "./types.js";

// ---- A minimal protobuf rewriter: re-encodes one field with another wire type ----------------

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const I32 = 5;
const wireNames: Record<number, string> = { 0: "VARINT", 1: "I64", 2: "LEN", 3: "SGROUP", 5: "I32" };

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function readVarint(bytes: Uint8Array, start: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  let pos = start;
  for (;;) {
    if (pos >= bytes.length || pos - start > 9) throw new Error("bad varint");
    const b = bytes[pos++] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, pos];
  }
}

interface WireField {
  number: number;
  wireType: number;
  start: number;
  /** Start of a LEN field's content. */
  contentStart: number;
  end: number;
}

/** The top-level fields of a message (throws when it is not a well-formed one). */
function parseFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(bytes, pos);
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (number === 0) throw new Error("field 0");
    pos = afterTag;
    let contentStart = pos;
    switch (wireType) {
      case VARINT:
        pos = readVarint(bytes, pos)[1];
        break;
      case I64:
        pos += 8;
        break;
      case LEN: {
        const [length, next] = readVarint(bytes, pos);
        contentStart = next;
        pos = next + length;
        break;
      }
      case I32:
        pos += 4;
        break;
      default:
        throw new Error(`wire type ${wireType}`);
    }
    if (pos > bytes.length) throw new Error("truncated");
    fields.push({ number, wireType, start, contentStart, end: pos });
  }
  return fields;
}

/** Field `number` encoded with `wireType` (a group is an empty one). */
function encodedAs(number: number, wireType: number): number[] {
  const tag = (wt: number) => varint(number * 8 + wt);
  switch (wireType) {
    case VARINT:
      return [...tag(VARINT), ...varint(150)];
    case I64:
      return [...tag(I64), 1, 2, 3, 4, 5, 6, 7, 8];
    case LEN:
      return [...tag(LEN), 2, 0x68, 0x69];
    case SGROUP:
      return [...tag(SGROUP), ...tag(4)];
    default:
      return [...tag(I32), 1, 2, 3, 4];
  }
}

/**
 * Re-encodes one field with `wireType`: `path` holds the index (among the message's fields, in
 * byte order) of the field to follow at each level; the last one is rewritten, every enclosing
 * length is fixed up.
 */
function rewrite(bytes: Uint8Array, path: readonly number[], wireType: number): Uint8Array {
  const fields = parseFields(bytes);
  const field = fields[path[0] as number];
  if (field === undefined) throw new Error("no such field");
  let replacement: number[];
  if (path.length === 1) {
    replacement = encodedAs(field.number, wireType);
  } else {
    const inner = rewrite(bytes.subarray(field.contentStart, field.end), path.slice(1), wireType);
    replacement = [...varint(field.number * 8 + LEN), ...varint(inner.length), ...inner];
  }
  return Uint8Array.from([...bytes.subarray(0, field.start), ...replacement, ...bytes.subarray(field.end)]);
}

/** The indexes for `rewrite` of the first field at a path of TypeScript field names. */
function indexPath(schema: DescMessage, bytes: Uint8Array, dotted: string): number[] {
  const [name, ...rest] = dotted.split(".");
  const declared = schema.fields.find((f) => f.localName === name);
  if (declared === undefined) throw new Error(`${schema.name} has no field ${name}`);
  const fields = parseFields(bytes);
  const index = fields.findIndex((f) => f.number === declared.number);
  const field = fields[index];
  if (field === undefined) throw new Error(`${schema.name}.${name} is not in the payload`);
  if (rest.length === 0) return [index];
  if (declared.message === undefined) throw new Error(`${schema.name}.${name} is not a message`);
  return [
    index,
    ...indexPath(declared.message, bytes.subarray(field.contentStart, field.end), rest.join(".")),
  ];
}

/** The wire types a declared field may arrive with (independent of the code under test). */
function acceptedWireTypes(field: DescField): number[] {
  const scalar = (type: number): number =>
    type === 1 || type === 6 || type === 16
      ? I64
      : type === 2 || type === 7 || type === 15
        ? I32
        : type === 9 || type === 12
          ? LEN
          : VARINT;
  switch (field.fieldKind) {
    case "scalar":
      return [scalar(field.scalar)];
    case "enum":
      return [VARINT];
    case "list":
      if (field.listKind === "message") return [LEN];
      if (field.listKind === "enum") return [VARINT, LEN];
      return scalar(field.scalar) === LEN ? [LEN] : [scalar(field.scalar), LEN];
    default:
      return [LEN];
  }
}

// ---- Frames ---------------------------------------------------------------------------------

const withoutRaw = (events: CoreEvent[]) =>
  events.map((event) => {
    const { raw: _raw, ...rest } = event as CoreEvent & { raw?: unknown };
    return rest;
  });

const common = (method: string, msgId: string) =>
  create(CommonMessageDataSchema, {
    method,
    msgId,
    roomId: "7300993857827228449",
    createTime: "1699895245035",
    displayText: create(TextSchema, {
      key: "k",
      defaultPattern: "{0:user}",
      defaultFormat: create(TextFormatSchema, { color: "#ffffffff", weight: 400 }),
    }),
  });
const user = (id: string) => create(UserSchema, { id, nickname: `user ${id}`, displayId: `u${id}` });

function payload<Desc extends DescMessage>(schema: Desc, msgId: string, init: MessageInitShape<Desc>) {
  const message = create(schema, init) as { common?: unknown };
  message.common = common(schema.name, msgId);
  return toBinary(schema, message as never);
}

// One message of each kind the tests drift, and the path they drift.
const cases: {
  schema: DescMessage;
  build: (msgId: string) => Uint8Array;
  path: string;
  /** What the schema declares. */
  declared: string;
  /** What it is sent as. */
  to: number;
}[] = [
  {
    // A field the fast reader reads, in a nested reader.
    schema: WebcastChatMessageSchema,
    build: (id) => payload(WebcastChatMessageSchema, id, { user: user("5"), content: "hello" }),
    path: "user.nickname",
    declared: "LEN",
    to: VARINT,
  },
  {
    schema: WebcastGiftMessageSchema,
    build: (id) =>
      payload(WebcastGiftMessageSchema, id, {
        user: user("6"),
        repeatCount: 3,
        gift: create(GiftStructSchema, { id: "5655", type: 1, diamondCount: 1, name: "Rose" }),
      }),
    path: "gift.diamondCount",
    declared: "VARINT",
    to: LEN,
  },
  {
    // A sub-message the fast reader skips (it reads only key and defaultPattern of the text).
    schema: WebcastMemberMessageSchema,
    build: (id) => payload(WebcastMemberMessageSchema, id, { user: user("7"), memberCount: 12 }),
    path: "common.displayText.defaultFormat.color",
    declared: "LEN",
    to: VARINT,
  },
  {
    schema: WebcastLikeMessageSchema,
    build: (id) => payload(WebcastLikeMessageSchema, id, { user: user("8"), count: 5, total: "100" }),
    path: "total",
    declared: "VARINT",
    to: I32,
  },
  {
    schema: WebcastSocialMessageSchema,
    build: (id) =>
      payload(WebcastSocialMessageSchema, id, { user: user("9"), action: "1", shareTarget: "friends" }),
    path: "shareTarget",
    declared: "LEN",
    to: I64,
  },
  {
    // A repeated message field.
    schema: WebcastRoomUserSeqMessageSchema,
    build: (id) =>
      payload(WebcastRoomUserSeqMessageSchema, id, {
        ranks: [create(ContributorSchema, { score: "10", user: user("10"), rank: "1" })],
        total: "30",
      }),
    path: "ranks.user.nickname",
    declared: "LEN",
    to: VARINT,
  },
  {
    // Reflection-decoded (no fast path).
    schema: WebcastControlMessageSchema,
    build: (id) =>
      payload(WebcastControlMessageSchema, id, { action: ControlAction.STREAM_PAUSED, tips: "brb" }),
    path: "tips",
    declared: "LEN",
    to: VARINT,
  },
  {
    schema: WebcastLinkMicBattleSchema,
    build: (id) =>
      payload(WebcastLinkMicBattleSchema, id, {
        battleId: "77",
        battleSettings: create(BattleSettingSchema, { battleId: "77", duration: 300, channelId: "88" }),
        actionByUserId: "5",
      }),
    path: "battleSettings.duration",
    declared: "VARINT",
    to: LEN,
  },
];

const entry = (method: string, msgId: string, bytes: Uint8Array) => ({ method, msgId, payload: bytes });

describe("a field whose wire type drifted from the schema", () => {
  it("the fast readers agree with the schema on the wire type of every field they read", () => {
    expect(readerSchemaMismatches).toEqual([]);
  });

  for (const fast of [true, false]) {
    describe(fast ? "with the fast paths" : "with the reflection path only", () => {
      for (const c of cases) {
        const expectedType = wireNames[c.to];
        it(`${c.schema.name}.${c.path} sent as ${expectedType}: a decodeError with the path, the rest of the frame decodes`, () => {
          const good = c.build("7300000000000000002");
          const drifted = rewrite(good, indexPath(c.schema, good, c.path), c.to);
          const others = [
            entry(
              "WebcastChatMessage",
              "7300000000000000001",
              cases[0]?.build("7300000000000000001") as Uint8Array,
            ),
            entry(
              "WebcastLikeMessage",
              "7300000000000000003",
              cases[3]?.build("7300000000000000003") as Uint8Array,
            ),
            entry(
              "WebcastControlMessage",
              "7300000000000000004",
              cases[6]?.build("7300000000000000004") as Uint8Array,
            ),
          ];
          const result = decodeFetchResult(
            encodeFetchResult({
              messages: [
                others[0] as ReturnType<typeof entry>,
                entry(c.schema.name, "7300000000000000002", drifted),
                ...others.slice(1),
              ],
            }),
          );
          const decoder = createEventDecoder({ dedup: false, fast });
          const events = decoder.decode(result);
          const alone = (m: RawMessage) => createEventDecoder({ dedup: false, fast }).decodeMessage(m);
          const [first, second, ...rest] = result.messages as RawMessage[];
          const expected = [
            ...alone(first as RawMessage),
            ...alone(second as RawMessage),
            ...rest.flatMap(alone),
          ];
          expect(withoutRaw(events)).toEqual(withoutRaw(expected));
          expect(events.map((e) => e.type)).toEqual(["chat", "decodeError", "like", "controlMessage"]);

          const error = events[1] as DecodeErrorEvent;
          const path = `${c.schema.name}.${c.path}`;
          const declared = c.declared;
          expect(error).toMatchObject({
            method: c.schema.name,
            msgId: "7300000000000000002",
            path,
            expectedWireType: declared,
            actualWireType: expectedType,
            payloadSize: drifted.length,
          });
          expect(error.error.code).toBe("malformed_frame");
          expect(error.error.message).toContain(`${path}: expected ${declared}, got ${expectedType}`);
          expect(error.error.details).toMatchObject({
            path,
            expectedWireType: declared,
            actualWireType: expectedType,
          });
          expect(decoder.stats).toMatchObject({ messages: 4, errors: 1, decoded: 3 });

          // The undrifted message decodes, and a lazily decoded `raw` of the others still works.
          expect(
            createEventDecoder({ fast }).decodeMessage({ ...(second as RawMessage), payload: good })[0]?.type,
          ).not.toBe("decodeError");
          expect((events[0] as { raw?: unknown }).raw).toMatchObject({ content: "hello" });
        });
      }
    });
  }
});

describe("checkWireTypes", () => {
  it("accepts every real captured payload, and packed or unpacked repeated numbers", () => {
    const registry = createMessageRegistry(defaultMessageHandlers);
    for (const { method, payload } of samplePayloads()) {
      const handler = registry.get(method);
      if (handler !== undefined) checkWireTypes(handler.schema, payload);
    }
    // ImDelete's deleteMsgIds: repeated int64, packed (LEN) or one VARINT per id.
    const schema = registry.get("WebcastImDeleteMessage")?.schema as DescMessage;
    checkWireTypes(schema, Uint8Array.of(0x12, 0x02, 0x01, 0x02));
    checkWireTypes(schema, Uint8Array.of(0x10, 0x01, 0x10, 0x02));
    expect(() => checkWireTypes(schema, Uint8Array.of(0x15, 1, 2, 3, 4))).toThrow(
      "deleteMsgIds: expected VARINT or LEN, got I32",
    );
  });

  it("checks inside map entries and names key or value", () => {
    const bytes = toBinary(
      WebcastLinkMicBattleSchema,
      create(WebcastLinkMicBattleSchema, { battleResult: { "5": { userId: "5", score: "10" } } }),
    );
    checkWireTypes(WebcastLinkMicBattleSchema, bytes);
    const drifted = rewrite(bytes, [0, 1, 1], LEN);
    expect(() => checkWireTypes(WebcastLinkMicBattleSchema, drifted)).toThrow(
      "battleResult.value.score: expected VARINT, got LEN",
    );
    const error = (() => {
      try {
        checkWireTypes(WebcastLinkMicBattleSchema, drifted);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WireTypeError);
    expect(error).toMatchObject({ path: "battleResult.value.score", expected: "VARINT", actual: "LEN" });
  });

  it("rejects malformed input with a WireError, and skips fields the schema does not declare", () => {
    expect(() => checkWireTypes(WebcastControlMessageSchema, Uint8Array.of(0x1a, 0x05, 0x61))).toThrow(
      WireError,
    );
    expect(() => checkWireTypes(WebcastControlMessageSchema, Uint8Array.of(0x00))).toThrow(WireError);
    // Field 999 is not declared: any wire type goes.
    checkWireTypes(
      WebcastControlMessageSchema,
      Uint8Array.of(...encodedAs(999, I64), ...encodedAs(999, LEN)),
    );
  });
});

// ---- Fuzz -----------------------------------------------------------------------------------

interface Drift {
  bytes: Uint8Array;
  /** The TypeScript path of the rewritten field when the schema declares it (at every level). */
  path: string | undefined;
  /** True when the schema declares the field and does not accept the new wire type. */
  mismatch: boolean;
  wireType: number;
}

/** Rewrites one random field, at a random depth, with another wire type. */
function randomDrift(random: Random, schema: DescMessage, bytes: Uint8Array): Drift | undefined {
  const indexes: number[] = [];
  const names: string[] = [];
  let desc: DescMessage | undefined = schema;
  let current = bytes;
  let declared: DescField | undefined;
  for (;;) {
    let fields: WireField[];
    try {
      fields = parseFields(current);
    } catch {
      return undefined;
    }
    if (fields.length === 0) return undefined;
    const index = random.int(0, fields.length - 1);
    const field = fields[index] as WireField;
    declared = desc?.fields.find((f) => f.number === field.number);
    indexes.push(index);
    if (declared !== undefined) names.push(declared.localName);
    const sub: DescMessage | undefined =
      declared?.fieldKind === "message" || (declared?.fieldKind === "list" && declared.listKind === "message")
        ? declared.message
        : undefined;
    if (sub !== undefined && field.wireType === LEN && random.next() < 0.7) {
      desc = sub;
      current = current.subarray(field.contentStart, field.end);
      continue;
    }
    const choices = [VARINT, I64, LEN, SGROUP, I32].filter((wt) => wt !== field.wireType);
    const wireType = choices[random.int(0, choices.length - 1)] as number;
    const mismatch = declared !== undefined && !acceptedWireTypes(declared).includes(wireType);
    return {
      bytes: rewrite(bytes, indexes, wireType),
      path: declared === undefined ? undefined : `${schema.name}.${names.join(".")}`,
      mismatch,
      wireType,
    };
  }
}

describe("fuzz: random fields re-encoded with another wire type", () => {
  it("2000 frames: never throw or hang, the other messages arrive intact, the drifted one decodes or is a decodeError naming it", () => {
    const random = createRandom(20);
    const registry = createMessageRegistry(defaultMessageHandlers);
    const samples = samplePayloads().filter((s) => registry.get(s.method) !== undefined);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    const decoders = [
      createEventDecoder({ dedup: false }),
      createEventDecoder({ dedup: false, fast: false }),
    ];
    // Every sample decoded alone, as the reference for the untouched messages of each frame.
    const baseline = decoders.map((d) =>
      samples.map((s) =>
        JSON.stringify(
          withoutRaw(d.decodeMessage({ ...entryOf(s), msgType: 0, offset: "0", isHistory: false })),
        ),
      ),
    );
    for (const reference of baseline)
      for (const events of reference) expect(events).not.toContain("decodeError");
    let mismatches = 0;
    let caught = 0;
    let slowest = 0;
    const started = performance.now();
    for (let i = 0; i < 2000; i++) {
      const target = random.int(0, samples.length - 1);
      const sample = samples[target] as { method: string; payload: Uint8Array };
      const drift = randomDrift(random, registry.get(sample.method)?.schema as DescMessage, sample.payload);
      if (drift === undefined) continue;
      const picks = Array.from({ length: random.int(1, 5) }, () => random.int(0, samples.length - 1));
      const at = random.int(0, picks.length);
      const messages = picks.map((p) => entryOf(samples[p] as { method: string; payload: Uint8Array }));
      messages.splice(at, 0, { method: sample.method, msgId: "0", payload: drift.bytes });
      const which = i % 2;
      const decoder = decoders[which] as ReturnType<typeof createEventDecoder>;
      const t0 = performance.now();
      const result = decodeFetchResult(encodeFetchResult({ messages }));
      let events: CoreEvent[] = [];
      expect(() => {
        events = decoder.decode(result);
      }).not.toThrow();
      slowest = Math.max(slowest, performance.now() - t0);

      const driftedEvents = decoder.decodeMessage(result.messages[at] as RawMessage);
      const expected = picks.map((p) => baseline[which]?.[p] as string);
      const got: string[] = [];
      let rest = events;
      for (let m = 0; m < messages.length; m++) {
        const count =
          m === at
            ? driftedEvents.length
            : (JSON.parse(expected[m > at ? m - 1 : m] as string) as unknown[]).length;
        got.push(JSON.stringify(withoutRaw(rest.slice(0, count))));
        rest = rest.slice(count);
      }
      expect(rest).toEqual([]);
      expect(got.filter((_, m) => m !== at)).toEqual(expected);
      expect(got[at]).toBe(JSON.stringify(withoutRaw(driftedEvents)));

      const error = driftedEvents.find((e): e is DecodeErrorEvent => e.type === "decodeError");
      if (drift.mismatch) {
        mismatches += 1;
        expect(driftedEvents).toHaveLength(1);
        expect(error).toMatchObject({ path: drift.path, actualWireType: wireNames[drift.wireType] });
        caught += 1;
      } else if (error !== undefined) {
        // An accepted wire type (an undeclared field, a packed number unpacked) may still give a
        // value the mapper rejects; it is then an ordinary decodeError.
        expect(error.error.code).toBe("malformed_frame");
      }
    }
    const elapsed = performance.now() - started;
    expect(mismatches).toBeGreaterThan(500);
    expect(caught).toBe(mismatches);
    expect(slowest).toBeLessThan(250);
    expect(elapsed).toBeLessThan(15_000);
  });
});

function entryOf(sample: { method: string; payload: Uint8Array }) {
  return { method: sample.method, msgId: "0", payload: sample.payload };
}

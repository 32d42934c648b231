// The schema audit: every real captured payload must be fully described by our schema (no
// undeclared field, no wire-type mismatch, nothing malformed), and the audit must catch each
// kind of gap in hand-built bytes. Skips the real payloads, with a notice, where ../shared is
// absent.
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { base64ToBytes, loadRealVectors } from "@tiklive/test-support/vectors";
import { describe, expect, it } from "vitest";
import { BaseProtoMessageSchema, ProtoMessageFetchResultSchema } from "./gen/tiklive/webcast/v1/frame_pb.js";
import {
  WebcastChatMessageSchema,
  WebcastGiftMessageSchema,
  WebcastImDeleteMessageSchema,
} from "./gen/tiklive/webcast/v1/messages_pb.js";
import { catalogueMethods, methodCatalogue } from "./method-catalogue.js";
import { auditFetchResult, auditSchema, methodSchemas, type SchemaAuditReport } from "./schema-audit.js";

const vectors = loadRealVectors();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A compact, readable dump of everything a report found (for failure messages). */
function findings(report: SchemaAuditReport): string[] {
  return [
    ...report.undeclared.map((u) => `undeclared ${u.path} (wire ${u.wireType}) e.g. ${u.example}`),
    ...report.mismatches.map((m) => `mismatch ${m.path}: ${m.declared} on wire ${m.wireType}`),
    ...report.malformed.map((m) => `malformed ${m.path}: ${m.reason}`),
  ];
}

describe.skipIf(!vectors)("schema audit of the real captured payloads", () => {
  const all = vectors ?? [];

  it("has payloads to audit", () => {
    expect(all.length).toBeGreaterThan(0);
  });

  it.each(all.map((v) => [v.id, v] as const))("%s is fully declared by the schema", (_id, vector) => {
    const report = auditSchema(vector.type, base64ToBytes(vector.base64));
    expect(report.message).toBe(vector.type);
    expect(findings(report)).toEqual([]);
  });

  it("audits the same payloads inside a fetch result envelope", () => {
    const result = create(ProtoMessageFetchResultSchema, {
      cursor: "1",
      messages: all.map((v, i) =>
        create(BaseProtoMessageSchema, {
          method: v.type,
          payload: base64ToBytes(v.base64),
          msgId: `${i + 1}`,
        }),
      ),
    });
    const audit = auditFetchResult(toBinary(ProtoMessageFetchResultSchema, result));
    expect(findings(audit.envelope)).toEqual([]);
    expect(audit.messages).toHaveLength(all.length);
    for (const m of audit.messages) {
      expect(m.report, `${m.method} has a schema`).toBeDefined();
      if (m.report) expect(findings(m.report)).toEqual([]);
    }
  });
});

describe("schema audit", () => {
  const chat = toBinary(
    WebcastChatMessageSchema,
    create(WebcastChatMessageSchema, { content: "hi", user: { id: "7", nickname: "n" } }),
  );

  it("reports nothing for bytes the schema describes", () => {
    expect(findings(auditSchema(WebcastChatMessageSchema, chat))).toEqual([]);
  });

  it("reports an undeclared top-level field with its wire type and an example", () => {
    // Field 9999 as a varint (150) and field 9998 as text: no such fields in WebcastChatMessage.
    const extra = new BinaryWriter().uint32((9999 << 3) | WireType.Varint).uint64(150);
    extra.uint32((9998 << 3) | WireType.LengthDelimited).string("Rose");
    const report = auditSchema("WebcastChatMessage", concat(chat, extra.finish()));
    expect(report.undeclared).toEqual([
      {
        path: "WebcastChatMessage.9999",
        message: "WebcastChatMessage",
        field: 9999,
        wireType: WireType.Varint,
        example: "150",
      },
      {
        path: "WebcastChatMessage.9998",
        message: "WebcastChatMessage",
        field: 9998,
        wireType: WireType.LengthDelimited,
        example: '"Rose"',
      },
    ]);
    expect(report.mismatches).toEqual([]);
  });

  it("reports an undeclared field deep inside a known sub-message, with its path", () => {
    // WebcastGiftMessage.gift (15) is a GiftStruct; give it a field 9000 it does not declare,
    // and a negative varint in a field 9001 of the sender's follow_info.
    const gift = new BinaryWriter().uint32((5 << 3) | WireType.Varint).uint64(5655);
    gift.uint32((9000 << 3) | WireType.LengthDelimited).bytes(new Uint8Array([0x08, 0x01, 0x10, 0x02]));
    const followInfo = new BinaryWriter().uint32((9001 << 3) | WireType.Varint).int64(-1);
    const user = new BinaryWriter().uint32((22 << 3) | WireType.LengthDelimited).bytes(followInfo.finish());
    const bytes = new BinaryWriter()
      .uint32((15 << 3) | WireType.LengthDelimited)
      .bytes(gift.finish())
      .uint32((7 << 3) | WireType.LengthDelimited)
      .bytes(user.finish())
      .finish();
    const report = auditSchema(WebcastGiftMessageSchema, bytes);
    expect(report.undeclared.map((u) => [u.path, u.message, u.wireType, u.example])).toEqual([
      ["WebcastGiftMessage.gift.9000", "GiftStruct", WireType.LengthDelimited, "{1,2}"],
      ["WebcastGiftMessage.user.follow_info.9001", "FollowInfo", WireType.Varint, "-1"],
    ]);
  });

  it("reports a wire-type mismatch: a string field sent as a varint", () => {
    // WebcastChatMessage.content (3) is a string; send it as varint 5.
    const bad = new BinaryWriter()
      .uint32((3 << 3) | WireType.Varint)
      .uint64(5)
      .finish();
    const report = auditSchema(WebcastChatMessageSchema, bad);
    expect(report.undeclared).toEqual([]);
    expect(report.mismatches).toEqual([
      {
        path: "WebcastChatMessage.content",
        message: "WebcastChatMessage",
        field: 3,
        declared: "string",
        expected: WireType.LengthDelimited,
        wireType: WireType.Varint,
        example: "5",
      },
    ]);
  });

  it("reports a sub-message field sent as a varint, and a fixed32 where a varint is declared", () => {
    const bad = new BinaryWriter()
      .uint32((2 << 3) | WireType.Varint) // user: message User
      .uint64(1)
      .uint32((11 << 3) | WireType.Bit32) // input_type: int32
      .fixed32(7)
      .finish();
    const report = auditSchema(WebcastChatMessageSchema, bad);
    expect(report.mismatches.map((m) => [m.path, m.declared, m.expected, m.wireType])).toEqual([
      ["WebcastChatMessage.user", "message User", WireType.LengthDelimited, WireType.Varint],
      ["WebcastChatMessage.input_type", "int32", WireType.Varint, WireType.Bit32],
    ]);
  });

  it("accepts repeated scalars both packed (LEN) and unpacked, but not as fixed32", () => {
    const packed = toBinary(
      WebcastImDeleteMessageSchema,
      create(WebcastImDeleteMessageSchema, { deleteMsgIds: ["1", "2"], deleteUserIds: ["3"] }),
    );
    expect(findings(auditSchema(WebcastImDeleteMessageSchema, packed))).toEqual([]);
    const unpacked = new BinaryWriter()
      .uint32((2 << 3) | WireType.Varint)
      .uint64(1)
      .uint32((2 << 3) | WireType.Varint)
      .uint64(2)
      .finish();
    expect(findings(auditSchema(WebcastImDeleteMessageSchema, unpacked))).toEqual([]);
    const wrong = new BinaryWriter()
      .uint32((2 << 3) | WireType.Bit32)
      .fixed32(1)
      .finish();
    expect(auditSchema(WebcastImDeleteMessageSchema, wrong).mismatches.map((m) => m.declared)).toEqual([
      "repeated int64",
    ]);
  });

  it("walks map values and reports what they lack", () => {
    // WebcastLinkMicArmies.armies (3) is map<int64, BattleUserArmies>; its value gets field 99.
    const value = new BinaryWriter()
      .uint32((99 << 3) | WireType.Varint)
      .uint64(4)
      .finish();
    const entry = new BinaryWriter()
      .uint32((1 << 3) | WireType.Varint)
      .uint64(42)
      .uint32((2 << 3) | WireType.LengthDelimited)
      .bytes(value)
      .finish();
    const bytes = new BinaryWriter()
      .uint32((3 << 3) | WireType.LengthDelimited)
      .bytes(entry)
      .finish();
    const report = auditSchema("WebcastLinkMicArmies", bytes);
    expect(report.undeclared.map((u) => [u.path, u.message])).toEqual([
      ["WebcastLinkMicArmies.armies.value.99", "BattleUserArmies"],
    ]);
  });

  it("reports bytes declared as a sub-message that are not a message", () => {
    // WebcastChatMessage.user (2) holding a truncated varint.
    const bytes = new BinaryWriter()
      .uint32((2 << 3) | WireType.LengthDelimited)
      .bytes(new Uint8Array([0x08, 0xff]))
      .finish();
    const report = auditSchema(WebcastChatMessageSchema, bytes);
    expect(report.malformed.map((m) => m.path)).toEqual(["WebcastChatMessage.user"]);
  });

  it("throws for a method without a schema, and lists such methods in a fetch result", () => {
    expect(() => auditSchema("WebcastNoSuchMessage", new Uint8Array())).toThrow(TypeError);
    const result = create(ProtoMessageFetchResultSchema, {
      messages: [{ method: "WebcastNoSuchMessage", payload: new Uint8Array([0x08, 0x01]) }],
    });
    const audit = auditFetchResult(toBinary(ProtoMessageFetchResultSchema, result));
    expect(audit.messages).toEqual([{ method: "WebcastNoSuchMessage" }]);
  });
});

describe("method catalogue", () => {
  it("has a schema named after every method any source knows", () => {
    const missing = catalogueMethods.filter((m) => !methodSchemas.has(m));
    expect(missing).toEqual([]);
  });

  it("lists each source's methods sorted and without duplicates, and their union", () => {
    for (const source of Object.values(methodCatalogue)) {
      expect(source.methods.length).toBeGreaterThan(0);
      expect([...source.methods]).toEqual([...new Set(source.methods)].sort());
      for (const m of source.methods) expect(catalogueMethods).toContain(m);
    }
    expect(methodCatalogue.protocol.methods).toContain("WebcastChatMessage");
  });

  it("gives every method message `common`, at field 1 unless its public schema says otherwise", () => {
    // TikTokLive's schema puts CommonMessageData at 3 in this one (1 is a user id).
    const elsewhere = new Map([["WebcastWeeklyRankRewardMessage", 3]]);
    for (const [name, schema] of methodSchemas) {
      const common = schema.fields.find((f) => f.name === "common");
      expect(common?.message?.name, name).toBe("CommonMessageData");
      expect(common?.number, name).toBe(elsewhere.get(name) ?? 1);
    }
  });
});

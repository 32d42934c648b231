// Every message the simulator publishes, audited at the wire level against our schema
// (@tiklive/proto's auditSchema): no undeclared field, no wire-type mismatch, nothing malformed,
// recursively through every sub-message, repeated field and map value. Covers the scripted
// scenario (several seeds), the load scenario, a recorded session (envelopes included, as
// `pnpm audit:schema <recording>` reads it) and its replay. Then checks that the fields real
// payloads carry and the old schema lacked are on the wire, so the audit is not vacuous.
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import {
  auditFetchResult,
  auditSchema,
  BattleInviteType,
  LinkMicBattlePunishFinishReason,
  type SchemaAuditReport,
  schemaForMethod,
  WebcastBarrageMessageSchema,
  WebcastControlMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLinkLayerMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastLinkMicBattlePunishFinishSchema,
  WebcastLinkMicBattleSchema,
  WebcastRankTextMessageSchema,
  WebcastRoomNotifyMessageSchema,
} from "@tiklive/proto";
import { afterEach, describe, expect, it } from "vitest";
import { createRecorder, parseRecording } from "./recording/recording.js";
import { giftCatalogue } from "./scenario/gifts.js";
import { loadScenario } from "./scenario/load-scenario.js";
import { createReplayScenario } from "./scenario/replay-scenario.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioMessage } from "./scenario/scenario-types.js";
import { scriptedScenario } from "./scenario/scripted-scenario.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect } from "./test-helpers.js";

const context = (over: Partial<ScenarioContext> = {}): ScenarioContext => ({
  roomId: "7300993857827228449",
  uniqueId: "sim_streamer",
  nickname: "Sim Streamer",
  seed: 42,
  startTime: 1_767_225_600_000,
  rate: 20,
  length: 600,
  maxBatch: 3,
  historySize: 6,
  ...over,
});

function flatten(scenario: ScenarioDefinition, ctx: ScenarioContext): ScenarioMessage[] {
  return [...scenario.ticks(ctx)].flatMap((t) => t.messages);
}

/** Everything a report found, one line each (empty when the payload is fully declared). */
function findings(report: SchemaAuditReport): string[] {
  return [
    ...report.undeclared.map((u) => `undeclared ${u.path} (wire ${u.wireType}) e.g. ${u.example}`),
    ...report.mismatches.map((m) => `mismatch ${m.path}: ${m.declared} on wire ${m.wireType}`),
    ...report.malformed.map((m) => `malformed ${m.path}: ${m.reason}`),
  ];
}

/** Audits every message along the schema of its method; returns the findings and the methods seen. */
function auditMessages(messages: readonly ScenarioMessage[]): { problems: string[]; methods: Set<string> } {
  const problems: string[] = [];
  const methods = new Set<string>();
  for (const m of messages) {
    methods.add(m.method);
    if (schemaForMethod(m.method) === undefined) {
      problems.push(`${m.method} ${m.msgId}: no schema for the method`);
      continue;
    }
    for (const line of findings(auditSchema(m.method, m.payload))) problems.push(`${m.msgId} ${line}`);
  }
  return { problems, methods };
}

/**
 * The field numbers present on the wire at `path` (field numbers of nested LEN fields, every
 * occurrence of a repeated one), read with the plain BinaryReader, not through the schema.
 */
function wireFields(bytes: Uint8Array, path: readonly number[] = []): Set<number> {
  let levels: Uint8Array[] = [bytes];
  for (const step of path) {
    const next: Uint8Array[] = [];
    for (const level of levels) {
      const reader = new BinaryReader(level);
      while (reader.pos < reader.len) {
        const [no, wire] = reader.tag();
        if (no === step && wire === WireType.LengthDelimited) next.push(reader.bytes());
        else reader.skip(wire, no);
      }
    }
    levels = next;
  }
  const found = new Set<number>();
  for (const level of levels) {
    const reader = new BinaryReader(level);
    while (reader.pos < reader.len) {
      const [no, wire] = reader.tag();
      found.add(no);
      reader.skip(wire, no);
    }
  }
  return found;
}

const newMethods = [
  "WebcastBarrageMessage",
  "WebcastLinkLayerMessage",
  "WebcastRoomNotifyMessage",
  "WebcastRankTextMessage",
  "WebcastLinkMicBattlePunishFinish",
];

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("schema audit of every simulated message", () => {
  it("finds what the schema does not declare (the check itself works)", () => {
    const gift = flatten(scriptedScenario, context()).find((m) => m.method === "WebcastGiftMessage");
    if (gift === undefined) throw new Error("no gift");
    // Field 999 as a varint: undeclared in WebcastGiftMessage.
    const payload = new Uint8Array([...gift.payload, 0xb8, 0x3e, 0x01]);
    expect(auditMessages([{ ...gift, payload }]).problems).toEqual([
      `${gift.msgId} undeclared WebcastGiftMessage.999 (wire 0) e.g. 1`,
    ]);
  });

  it.each([42, 1, 7, 1234])(
    "scripted scenario (seed %i): every message is fully declared, recursively",
    (seed) => {
      const { problems, methods } = auditMessages(flatten(scriptedScenario, context({ seed })));
      expect(problems).toEqual([]);
      for (const method of newMethods) expect(methods, method).toContain(method);
    },
  );

  it("load scenario: every message is fully declared, recursively", () => {
    const messages = flatten(loadScenario, context({ length: 3000, rate: 1000, maxBatch: 50 }));
    expect(messages).toHaveLength(3000);
    const { problems, methods } = auditMessages(messages);
    expect(problems).toEqual([]);
    expect(methods).toContain("WebcastGiftMessage");
  });

  it("a recorded session (envelopes too, as pnpm audit:schema reads a recording) and its replay", async () => {
    sim = await startSimulator({ seed: 5, rate: 1000, length: 150 });
    const room = sim.room("sim_streamer");
    const recorder = createRecorder({ uniqueId: "sim_streamer", roomId: room.roomId });
    const { signed, client } = await connect(sim, room.roomId);
    recorder.addFetchResult(signed.body);
    client.ws.on("message", (data: Buffer) => recorder.addFrame(new Uint8Array(data)));
    await client.closed;
    const recording = parseRecording(recorder.toNdjson());

    const problems: string[] = [];
    const methods = new Set<string>();
    let audited = 0;
    for (const frame of recording.frames) {
      if (frame.payloadType !== "msg" && frame.payloadType !== "fetch") continue;
      const audit = auditFetchResult(frame.payload);
      problems.push(...findings(audit.envelope).map((line) => `envelope ${line}`));
      for (const m of audit.messages) {
        methods.add(m.method);
        audited += 1;
        if (m.report === undefined) problems.push(`${m.method}: no schema for the method`);
        else problems.push(...findings(m.report).map((line) => `${m.method} ${line}`));
      }
    }
    expect(problems).toEqual([]);
    // The backlog is in the sign response and again on the socket: at least the whole stream.
    expect(audited).toBeGreaterThanOrEqual(150);
    for (const method of newMethods) expect(methods, method).toContain(method);

    // Replayed, the recording publishes the recorded bytes: just as clean.
    const replayed = flatten(createReplayScenario(recording), context());
    expect(replayed).toHaveLength(150);
    expect(auditMessages(replayed).problems).toEqual([]);
  });
});

describe("fields real payloads carry are on the simulated wire", () => {
  const messages = flatten(scriptedScenario, context());
  const of = (method: string) => messages.filter((m) => m.method === method);
  const one = (method: string) => {
    const found = of(method);
    expect(found, method).toHaveLength(1);
    return found[0] as ScenarioMessage;
  };

  it("gifts: sponsorship_info (39) on Gift Gallery gifts only, primary_effect_id (14) on gifts with an animation", () => {
    const gifts = of("WebcastGiftMessage");
    const sponsored = gifts.filter((m) => wireFields(m.payload).has(39));
    expect(sponsored.length).toBeGreaterThan(0);
    expect(sponsored.length).toBeLessThan(gifts.length);
    const decoded = gifts.map((m) => fromBinary(WebcastGiftMessageSchema, m.payload));
    for (const g of decoded) {
      const gallery = (g.gift?.diamondCount ?? 0) >= 5;
      expect(g.sponsorshipInfo.length, `${g.gift?.name}`).toBe(gallery ? 1 : 0);
      const info = g.sponsorshipInfo[0];
      if (info === undefined) continue;
      expect(info.giftId).toBe(g.giftId);
      expect(info.sponsorId).toMatch(/^\d{19}$/);
      expect(info.giftGalleryDetailPageSchemeUrl).toMatch(
        /^sslocal:\/\/webcast_lynxview_popup\?url=https%3A/,
      );
      expect(info.unlightedGiftIcon).toMatch(/^https:\/\//);
    }
    // The first sender of a gallery gift lights it up: that message names them as the sponsor.
    const lit = decoded.filter((g) => g.sponsorshipInfo[0]?.lightGiftUp === true);
    expect(lit.length).toBeGreaterThan(0);
    for (const g of lit) expect(g.sponsorshipInfo[0]?.sponsorId).toBe(g.user?.id);
    const withEffect = gifts.filter((m) => wireFields(m.payload, [15]).has(14));
    expect(withEffect.length).toBeGreaterThan(0);
    for (const m of withEffect) {
      const gift = fromBinary(WebcastGiftMessageSchema, m.payload).gift;
      expect(gift?.diamondCount).toBeGreaterThanOrEqual(100);
      expect(gift?.primaryEffectId).toMatch(/^[1-9]\d*$/);
    }
    const small = giftCatalogue.filter((g) => g.diamondCount < 100).map((g) => String(g.id));
    for (const g of decoded.filter((d) => small.includes(d.giftId)))
      expect(g.gift?.primaryEffectId).toBe("0");
  });

  it("battles: the finished battle's armies (9), battle setting invite_type (6)", () => {
    const battles = of("WebcastLinkMicBattle");
    expect(battles).toHaveLength(2);
    for (const m of battles) expect(wireFields(m.payload, [3]).has(6)).toBe(true);
    const [open, finish] = battles.map((m) => fromBinary(WebcastLinkMicBattleSchema, m.payload));
    expect(open?.battleSettings?.inviteType).toBe(BattleInviteType.AGAIN);
    expect(open?.armies).toEqual([]);
    expect(wireFields((battles[1] as ScenarioMessage).payload).has(9)).toBe(true);
    expect(finish?.armies.map((a) => a.key).sort()).toEqual(Object.keys(finish?.battleResult ?? {}).sort());
    for (const army of finish?.armies ?? []) {
      expect(army.value?.anchorIdStr).toBe(army.key);
      expect(army.value?.hostscore).toBe(finish?.battleResult[army.key]?.score);
    }
  });

  it("battle armies: log_id (17) and battle_settings (18)", () => {
    const armies = of("WebcastLinkMicArmies");
    expect(armies.length).toBeGreaterThanOrEqual(3);
    for (const m of armies) {
      expect(wireFields(m.payload).has(17)).toBe(true);
      expect(wireFields(m.payload).has(18)).toBe(true);
      const a = fromBinary(WebcastLinkMicArmiesSchema, m.payload);
      expect(a.logId).toMatch(/^\d{14}[0-9A-F]{18}$/);
      expect(a.battleSettings?.battleId).toBe(a.battleId);
      expect(a.battleSettings?.channelId).toBe(a.channelId);
    }
  });

  it("barrage: user_grade_param (100)", () => {
    const m = one("WebcastBarrageMessage");
    expect(wireFields(m.payload).has(100)).toBe(true);
    const b = fromBinary(WebcastBarrageMessageSchema, m.payload);
    expect(b.msgType).toBe(9);
    expect(b.userGradeParam?.currentGrade).toBeGreaterThan(0);
    expect(b.userGradeParam?.userId).toBe(b.userGradeParam?.user?.id);
  });

  it("link layer: list_change_content (102), then the guest's leave", () => {
    const [change, leave] = of("WebcastLinkLayerMessage");
    expect(wireFields((change as ScenarioMessage).payload).has(102)).toBe(true);
    const c = fromBinary(WebcastLinkLayerMessageSchema, (change as ScenarioMessage).payload);
    expect(c.messageType).toBe(11);
    expect(c.listChangeContent?.list?.linkedList.map((u) => u.userType)).toEqual([2, 1]);
    const l = fromBinary(WebcastLinkLayerMessageSchema, (leave as ScenarioMessage).payload);
    expect(l.messageType).toBe(9);
    expect(l.leaveContent?.leaver?.userId).toBe(c.listChangeContent?.list?.linkedList[1]?.user?.userId);
  });

  it("room notify: source (9)", () => {
    const m = one("WebcastRoomNotifyMessage");
    expect(wireFields(m.payload).has(9)).toBe(true);
    expect(fromBinary(WebcastRoomNotifyMessageSchema, m.payload).source).toBe("linkmic_battle");
  });

  it("control: a pause and a resume from the app (extra.source, 8); the stream end has no extra", () => {
    const controls = of("WebcastControlMessage").map((m) => ({
      m,
      c: fromBinary(WebcastControlMessageSchema, m.payload),
    }));
    expect(controls.map(({ c }) => c.action)).toEqual([1, 2, 3]);
    for (const { m, c } of controls.slice(0, 2)) {
      expect(wireFields(m.payload, [4]).has(8)).toBe(true);
      expect(c.extra?.source).toBe("app");
    }
    expect(controls[2]?.c.extra).toBeUndefined();
  });

  it("rank text: owner_idx_before_update (3), left_icon (8), user_enigma_info (11), public_area_msg_common (12)", () => {
    const m = one("WebcastRankTextMessage");
    const fields = wireFields(m.payload);
    for (const n of [3, 8, 11, 12]) expect(fields.has(n), `field ${n}`).toBe(true);
    const r = fromBinary(WebcastRankTextMessageSchema, m.payload);
    expect([r.ownerIdxBeforeUpdate, r.ownerIdxAfterUpdate]).toEqual(["3", "2"]);
    expect(r.curUserId).toMatch(/^\d{19}$/);
  });

  it("battle punish finish: reason (4) and match_punish_extra_info (7)", () => {
    const m = one("WebcastLinkMicBattlePunishFinish");
    const fields = wireFields(m.payload);
    expect(fields.has(4)).toBe(true);
    expect(fields.has(7)).toBe(true);
    const p = fromBinary(WebcastLinkMicBattlePunishFinishSchema, m.payload);
    expect(p.reason).toBe(LinkMicBattlePunishFinishReason.CUT_SHORT);
    expect(p.battleSettings?.status).toBe(4);
    expect(p.matchPunishExtraInfo?.cohostContentGuideInfo?.recommendedBattleType).toBe(1);
    const battle = fromBinary(
      WebcastLinkMicBattleSchema,
      (of("WebcastLinkMicBattle")[1] as ScenarioMessage).payload,
    );
    expect(p.battleId).toBe(battle.battleId);
  });
});

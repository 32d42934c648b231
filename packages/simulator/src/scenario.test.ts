import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { type CoreEvent, createEventDecoder, decodeFetchResult, encodeFetchResult } from "@tiklive/core";
import {
  CommonMessageDataSchema,
  WebcastChatMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLinkMicArmiesSchema,
  WebcastLinkMicBattleSchema,
  WebcastSocialMessageSchema,
} from "@tiklive/proto";
import { describe, expect, it } from "vitest";
import { loadScenario } from "./scenario/load-scenario.js";
import type { ScenarioContext, ScenarioMessage } from "./scenario/scenario-types.js";
import { scriptedScenario } from "./scenario/scripted-scenario.js";

const context = (over: Partial<ScenarioContext> = {}): ScenarioContext => ({
  roomId: "7300993857827228449",
  uniqueId: "sim_streamer",
  nickname: "Sim Streamer",
  seed: 42,
  startTime: 1_767_225_600_000,
  rate: 20,
  length: 300,
  maxBatch: 3,
  historySize: 6,
  ...over,
});

function flatten(ctx: ScenarioContext, scenario = scriptedScenario): ScenarioMessage[] {
  return [...scenario.ticks(ctx)].flatMap((t) => t.messages);
}

function commonOf(payload: Uint8Array) {
  const reader = new BinaryReader(payload);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited)
      return fromBinary(CommonMessageDataSchema, reader.bytes());
    reader.skip(wire, field);
  }
  throw new Error("no common");
}

describe("scripted scenario", () => {
  it("is deterministic: the same seed gives byte-identical messages, another seed does not", () => {
    const a = flatten(context());
    const b = flatten(context());
    expect(a.length).toBe(300);
    expect(b.map((m) => Buffer.from(m.payload).toString("hex"))).toEqual(
      a.map((m) => Buffer.from(m.payload).toString("hex")),
    );
    expect([...scriptedScenario.ticks(context())].map((t) => t.atMs)).toEqual(
      [...scriptedScenario.ticks(context())].map((t) => t.atMs),
    );
    const c = flatten(context({ seed: 43 }));
    expect(c.map((m) => m.msgId)).not.toEqual(a.map((m) => m.msgId));
  });

  it("carries every message kind of a real stream and ends with a stream end", () => {
    const messages = flatten(context());
    const methods = new Set(messages.map((m) => m.method));
    for (const method of [
      "WebcastChatMessage",
      "WebcastMemberMessage",
      "WebcastLikeMessage",
      "WebcastSocialMessage",
      "WebcastRoomUserSeqMessage",
      "WebcastGiftMessage",
      "WebcastSubNotifyMessage",
      "WebcastQuestionNewMessage",
      "WebcastEmoteChatMessage",
      "WebcastEnvelopeMessage",
      "WebcastLinkMicBattle",
      "WebcastLinkMicArmies",
      "WebcastLiveIntroMessage",
      "WebcastPollMessage",
      "WebcastGoalUpdateMessage",
      "WebcastCaptionMessage",
      "WebcastRoomPinMessage",
      "WebcastImDeleteMessage",
      "WebcastRoomMessage",
      "WebcastControlMessage",
      "WebcastBarrageMessage",
      "WebcastLinkLayerMessage",
      "WebcastRoomNotifyMessage",
      "WebcastRankTextMessage",
      "WebcastLinkMicBattlePunishFinish",
    ]) {
      expect(methods, method).toContain(method);
    }
    const last = messages[messages.length - 1] as ScenarioMessage;
    expect(last.method).toBe("WebcastControlMessage");
    expect(last.fields.action).toBe(3);
    expect(last.endsStream).toBe(true);
    expect(messages.filter((m) => m.endsStream === true)).toHaveLength(1);
    // A subscription both ways: WebcastSubNotifyMessage and a member message with action 3.
    expect(messages.some((m) => m.method === "WebcastMemberMessage" && m.fields.action === 3)).toBe(true);
  });

  it("gives every message a unique 19-digit msgId equal to common.msgId, the roomId and a createTime in ms", () => {
    const ctx = context();
    const messages = flatten(ctx);
    const seen = new Set<string>();
    let previous = 0;
    for (const m of messages) {
      expect(m.msgId).toMatch(/^\d{19}$/);
      expect(seen.has(m.msgId)).toBe(false);
      seen.add(m.msgId);
      const common = commonOf(m.payload);
      expect(common.msgId).toBe(m.msgId);
      expect(common.method).toBe(m.method);
      expect(common.roomId).toBe(ctx.roomId);
      expect(Number(common.createTime)).toBe(m.createTime);
      expect(m.createTime).toBeGreaterThanOrEqual(previous);
      expect(Math.abs(m.createTime - ctx.startTime)).toBeLessThan(3_600_000);
      previous = m.createTime;
    }
  });

  it("puts historySize messages at time 0 and spaces the rest by the rate", () => {
    const ticks = [...scriptedScenario.ticks(context({ rate: 10, length: 100 }))];
    expect(ticks[0]?.atMs).toBe(0);
    expect(ticks[0]?.messages).toHaveLength(6);
    const total = ticks.reduce((n, t) => n + t.messages.length, 0);
    expect(total).toBe(100);
    const last = ticks[ticks.length - 1];
    // 93 messages between the backlog and the end at 10/s, then one interval for the end.
    expect(last?.atMs).toBeCloseTo(9400, 5);
    for (const t of ticks) expect(t.messages.length).toBeLessThanOrEqual(6);
  });

  it("streams gift streaks the way TikTok does: same groupId, growing repeatCount, one final repeatEnd=1, interleaved users", () => {
    const messages = flatten(context({ length: 600 }));
    const gifts = messages
      .filter((m) => m.method === "WebcastGiftMessage")
      .map((m) => ({ m, g: fromBinary(WebcastGiftMessageSchema, m.payload) }));
    const streaks = new Map<string, { counts: number[]; ends: number; userId: string; giftId: string }>();
    const order: string[] = [];
    for (const { g } of gifts.filter(({ g }) => g.gift?.type === 1)) {
      const s = streaks.get(g.groupId) ?? { counts: [], ends: 0, userId: g.user?.id ?? "", giftId: g.giftId };
      expect(g.user?.id).toBe(s.userId);
      expect(g.giftId).toBe(s.giftId);
      expect(s.ends).toBe(0);
      s.counts.push(g.repeatCount);
      if (g.repeatEnd === 1) s.ends += 1;
      streaks.set(g.groupId, s);
      order.push(g.groupId);
    }
    expect(streaks.size).toBeGreaterThan(5);
    for (const s of streaks.values()) {
      expect(s.ends).toBe(1);
      for (let i = 1; i < s.counts.length; i++)
        expect(s.counts[i]).toBeGreaterThanOrEqual(s.counts[i - 1] as number);
      expect(s.counts[s.counts.length - 1]).toBe(s.counts[s.counts.length - 2] ?? s.counts[0]);
    }
    // Interleaving: some streak step comes between two steps of another streak.
    const interleaved = [...streaks.keys()].some((id) => {
      const first = order.indexOf(id);
      const last = order.lastIndexOf(id);
      return order.slice(first, last).some((other) => other !== id);
    });
    expect(interleaved).toBe(true);
    // Gifts sent once (type 2) are there too.
    expect(gifts.some(({ g }) => g.gift?.type === 2 && g.repeatCount === 1)).toBe(true);
    // Every streak closes before the stream ends.
    const endIndex = messages.findIndex((m) => m.endsStream === true);
    const lastGiftIndex = messages.map((m) => m.method).lastIndexOf("WebcastGiftMessage");
    expect(lastGiftIndex).toBeLessThan(endIndex);
  });

  it("marks follows and shares with the display keys clients classify them by", () => {
    const messages = flatten(context());
    const social = messages
      .filter((m) => m.method === "WebcastSocialMessage")
      .map((m) => fromBinary(WebcastSocialMessageSchema, m.payload));
    const keys = new Set(social.map((s) => s.common?.displayText?.key));
    expect(keys).toEqual(new Set(["pm_main_follow_message_viewer_2", "pm_mt_guidance_share"]));
  });

  it("builds battles with anchorsInfo and armies with per-anchor scores", () => {
    const messages = flatten(context());
    const battles = messages
      .filter((m) => m.method === "WebcastLinkMicBattle")
      .map((m) => fromBinary(WebcastLinkMicBattleSchema, m.payload));
    expect(battles.map((b) => b.action)).toEqual([4, 5]);
    for (const b of battles) expect(b.anchorsInfo).toHaveLength(2);
    expect(Object.keys(battles[1]?.battleResult ?? {})).toHaveLength(2);
    const armies = messages
      .filter((m) => m.method === "WebcastLinkMicArmies")
      .map((m) => fromBinary(WebcastLinkMicArmiesSchema, m.payload));
    expect(armies.length).toBeGreaterThanOrEqual(2);
    for (const a of armies) expect(Object.keys(a.armies)).toHaveLength(2);
  });

  it("has emoji, right-to-left and long chat texts, and real-looking users", () => {
    const chats = flatten(context({ length: 1500 }))
      .filter((m) => m.method === "WebcastChatMessage")
      .map((m) => fromBinary(WebcastChatMessageSchema, m.payload));
    const texts = chats.map((c) => c.content);
    expect(texts.some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    expect(texts.some((t) => /[\u0590-\u05FF\u0600-\u06FF]/.test(t))).toBe(true);
    expect(texts.some((t) => t.length > 300)).toBe(true);
    const user = chats[0]?.user;
    expect(user?.id).toMatch(/^\d{19}$/);
    expect(user?.displayId).not.toBe("");
    expect(user?.nickname).not.toBe("");
    expect(user?.avatarThumb?.urlList.some((u) => u.includes("100x100") && u.includes(".webp"))).toBe(true);
    expect(user?.followInfo).toBeDefined();
    expect(chats.some((c) => (c.user?.badgeList.length ?? 0) > 0)).toBe(true);
    // Sizes in the range of the captured chats (vectors: 2-4 KB with 22-24 scores; ours carry 8).
    const sizes = flatten(context())
      .filter((m) => m.method === "WebcastChatMessage")
      .map((m) => m.payload.length);
    expect(Math.min(...sizes)).toBeGreaterThan(800);
  });

  it("decodes into typed events with the core decoder, with no decode error and no unknown method", () => {
    const messages = flatten(context());
    const decoder = createEventDecoder({ dedup: false });
    const bytes = encodeFetchResult({
      messages: messages.map((m) => ({ method: m.method, payload: m.payload, msgId: m.msgId })),
    });
    const events: CoreEvent[] = decoder.decode(decodeFetchResult(bytes));
    const kinds = new Set(events.map((e) => e.type));
    expect(kinds.has("decodeError")).toBe(false);
    expect(kinds.has("unknownMessage")).toBe(false);
    for (const kind of [
      "chat",
      "gift",
      "member",
      "like",
      "follow",
      "share",
      "roomUser",
      "streamEnd",
      "linkMicBattle",
      "linkMicArmies",
      "questionNew",
      "emote",
      "envelope",
      "liveIntro",
      "controlMessage",
      "barrage",
      "linkLayer",
      "roomNotify",
      "rankText",
      "linkMicBattlePunishFinish",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });
});

describe("load scenario", () => {
  it("is endless without a length and ends with a stream end with one", () => {
    const ctx = context({ length: undefined, rate: 1000, maxBatch: 50 });
    let n = 0;
    for (const tick of loadScenario.ticks(ctx)) {
      n += tick.messages.length;
      if (n > 5000) break;
    }
    expect(n).toBeGreaterThan(5000);
    const finite = [...loadScenario.ticks(context({ length: 200, rate: 1000, maxBatch: 50 }))].flatMap(
      (t) => t.messages,
    );
    expect(finite).toHaveLength(200);
    expect(finite[199]?.endsStream).toBe(true);
  });
});

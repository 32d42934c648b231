// Every Webcast method a public peer knows (the method catalogue of @tiklive/proto) has a typed
// event in the default registry, and the generic method events follow their naming rule.
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type MethodCatalogueSource,
  methodCatalogue,
  type WebcastAILiveSummaryMessage,
  WebcastAILiveSummaryMessageSchema,
  type WebcastAiLiveSummaryMessage,
  type WebcastGiftGalleryMessage,
  WebcastGiftGalleryMessageSchema,
  WebcastWeeklyRankRewardMessageSchema,
} from "@tiklive/proto";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createEventDecoder } from "./decoder.js";
import { coreEventNames } from "./event-names.js";
import { defaultMessageHandlers } from "./handlers.js";
import { isMethodEvent, type MethodEvent, methodEventSchemas, methodHandlers } from "./method-events.js";
import { createMessageRegistry } from "./registry.js";
import type { CoreEventMap, TikTokEvent } from "./types.js";

/** The methods the default registry covers, by method -> the event names its handler produces. */
const registry = createMessageRegistry(defaultMessageHandlers);
const covered = new Set(registry.methods());

/**
 * Methods the public peers spell two ways (TikTokLive's generated events write the acronym in
 * lower case); both spellings have a message, and both map to one event.
 */
const knownTwins: readonly (readonly [string, string])[] = [
  ["WebcastAiLiveSummaryMessage", "WebcastAILiveSummaryMessage"],
  ["WebcastAiSummaryMessage", "WebcastAISummaryMessage"],
  ["WebcastBaLeadGenMessage", "WebcastBALeadGenMessage"],
  ["WebcastGameOcrPingMessage", "WebcastGameOCRPingMessage"],
  ["WebcastMgPunishCenterActionMessage", "WebcastMGPunishCenterActionMessage"],
];

/**
 * The naming rule of the generic method events: the method without `Webcast` and `Message`, in
 * lower camel case, an acronym counting as one word (`GameOCRPing` -> `gameOcrPing`).
 */
function eventNameOf(method: string): string {
  const stem = method.replace(/^Webcast/, "").replace(/Message$/, "");
  const words = stem.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [];
  return words
    .map((word, i) =>
      i === 0 ? word.toLowerCase() : `${word.charAt(0).toUpperCase()}${word.slice(1).toLowerCase()}`,
    )
    .join("");
}

/** Methods whose name by the rule is another event's: they keep the `Message` suffix. */
const renamed: Record<string, string> = { WebcastHourlyRankMessage: "hourlyRankMessage" };

describe("every method of the catalogue has a typed event", () => {
  it.each(Object.entries(methodCatalogue).map(([key, source]) => [key, source] as const))(
    "%s",
    (key: string, source: MethodCatalogueSource) => {
      const missing = source.methods.filter((method) => !covered.has(method));
      expect(missing, `${key} (${source.title}) lists methods without a handler`).toEqual([]);
    },
  );

  it("every handler of the default registry produces typed events that are core event names", () => {
    const names = new Set<string>(coreEventNames);
    for (const method of covered) {
      const handler = registry.get(method);
      expect(handler?.events.length, method).toBeGreaterThan(0);
      for (const event of handler?.events ?? []) expect(names.has(event), `${method} -> ${event}`).toBe(true);
    }
  });
});

describe("generic method events", () => {
  it("no two methods produce the same event, except the known twins", () => {
    const methodsOf = new Map<string, string[]>();
    for (const handler of defaultMessageHandlers) {
      for (const event of handler.events)
        methodsOf.set(event, [...(methodsOf.get(event) ?? []), handler.method]);
    }
    const shared = [...methodsOf.values()].filter((methods) => methods.length > 1).map((m) => [...m].sort());
    expect(shared.sort()).toEqual(knownTwins.map((twin) => [...twin].sort()).sort());
    for (const [a, b] of knownTwins) expect(a.toLowerCase()).toBe(b.toLowerCase());
  });

  it("are named by the rule", () => {
    expect(eventNameOf("WebcastAiLiveSummaryMessage")).toBe("aiLiveSummary");
    expect(eventNameOf("WebcastAILiveSummaryMessage")).toBe("aiLiveSummary");
    expect(eventNameOf("WebcastGameOCRPingMessage")).toBe("gameOcrPing");
    expect(eventNameOf("WebcastLinkMicSignalingMethod")).toBe("linkMicSignalingMethod");
    expect(eventNameOf("WebcastProjectDModifyH5")).toBe("projectDModifyH5");
    for (const handler of methodHandlers) {
      expect(handler.events, handler.method).toEqual([
        renamed[handler.method] ?? eventNameOf(handler.method),
      ]);
    }
    // The exceptions exist because the rule's name is taken.
    for (const method of Object.keys(renamed)) {
      expect(coreEventNames, method).toContain(eventNameOf(method));
      expect(methodHandlers.some((h) => h.method === method)).toBe(true);
    }
  });

  it("the table has one entry per event and its methods are exactly the methods.proto handlers", () => {
    expect(methodHandlers).toHaveLength(169);
    expect(Object.keys(methodEventSchemas)).toHaveLength(164);
    expect(new Set(methodHandlers.map((h) => h.method)).size).toBe(169);
  });

  it("have no fast path: decoded by reflection", () => {
    for (const handler of methodHandlers) expect(handler.fast, handler.method).toBeUndefined();
  });

  it("carry the common header and the decoded message", () => {
    const decoder = createEventDecoder({ dedup: false });
    const message = create(WebcastGiftGalleryMessageSchema, {
      common: {
        method: "WebcastGiftGalleryMessage",
        msgId: "7286185100394498822",
        roomId: "7286172095213062918",
        createTime: "1696447176839",
      },
      msgType: 2,
      logId: "log-1",
    });
    const [event] = decoder.decodeMessage({
      method: "WebcastGiftGalleryMessage",
      payload: toBinary(WebcastGiftGalleryMessageSchema, message),
      msgId: "1",
      msgType: 0,
      offset: "0",
      isHistory: true,
    });
    expect(event?.type).toBe("giftGallery");
    if (event?.type !== "giftGallery") return;
    expect(isMethodEvent(event)).toBe(true);
    expect(event.method).toBe("WebcastGiftGalleryMessage");
    expect(event.msgId).toBe("7286185100394498822");
    expect(event.roomId).toBe("7286172095213062918");
    expect(event.createTime).toBe(1696447176839);
    expect(event.isHistory).toBe(true);
    expect(event.data.$typeName).toBe("tiklive.webcast.v1.WebcastGiftGalleryMessage");
    expect(event.data.msgType).toBe(2);
    expect(event.data.logId).toBe("log-1");
  });

  it("find the common header by name (WebcastWeeklyRankRewardMessage has it at field 3)", () => {
    expect(WebcastWeeklyRankRewardMessageSchema.field.common.number).toBe(3);
    const payload = toBinary(
      WebcastWeeklyRankRewardMessageSchema,
      create(WebcastWeeklyRankRewardMessageSchema, { common: { msgId: "42", roomId: "7" } }),
    );
    const [event] = createEventDecoder({ dedup: false }).decodeMessage({
      method: "WebcastWeeklyRankRewardMessage",
      payload,
      msgId: "1",
      msgType: 0,
      offset: "0",
      isHistory: false,
    });
    expect(event).toMatchObject({ type: "weeklyRankReward", msgId: "42", roomId: "7" });
  });

  it("both spellings of a twin give the one event, with their own method and message type", () => {
    const payload = toBinary(
      WebcastAILiveSummaryMessageSchema,
      create(WebcastAILiveSummaryMessageSchema, { common: { msgId: "5" } }),
    );
    const decoder = createEventDecoder({ dedup: false });
    const events = ["WebcastAILiveSummaryMessage", "WebcastAiLiveSummaryMessage"].map(
      (method) =>
        decoder.decodeMessage({ method, payload, msgId: "1", msgType: 0, offset: "0", isHistory: false })[0],
    );
    expect(events.map((e) => e?.type)).toEqual(["aiLiveSummary", "aiLiveSummary"]);
    expect(events.map((e) => (e?.type === "aiLiveSummary" ? e.data.$typeName : undefined))).toEqual([
      "tiklive.webcast.v1.WebcastAILiveSummaryMessage",
      "tiklive.webcast.v1.WebcastAiLiveSummaryMessage",
    ]);
  });

  it("are decoded only when wanted", () => {
    // Not a valid payload: decoding it would give a decodeError.
    const raw = {
      method: "WebcastGiftGalleryMessage",
      payload: new Uint8Array([0x0a, 0xff]),
      msgId: "1",
      msgType: 0,
      offset: "0",
      isHistory: false,
    };
    const unwanted = createEventDecoder({ dedup: false, wants: (name) => name === "chat" });
    expect(unwanted.decodeMessage(raw)).toEqual([]);
    expect(unwanted.stats).toMatchObject({ skipped: 1, decoded: 0, errors: 0 });
    const wanted = createEventDecoder({ dedup: false, wants: (name) => name === "giftGallery" });
    expect(wanted.decodeMessage(raw).map((e) => e.type)).toEqual(["decodeError"]);
  });

  it("are typed by the table", () => {
    expectTypeOf<CoreEventMap["giftGallery"]>().toEqualTypeOf<MethodEvent<"giftGallery">>();
    expectTypeOf<CoreEventMap["giftGallery"]["data"]>().toEqualTypeOf<WebcastGiftGalleryMessage>();
    expectTypeOf<CoreEventMap["giftGallery"]["method"]>().toEqualTypeOf<"WebcastGiftGalleryMessage">();
    expectTypeOf<CoreEventMap["aiLiveSummary"]["method"]>().toEqualTypeOf<
      "WebcastAiLiveSummaryMessage" | "WebcastAILiveSummaryMessage"
    >();
    expectTypeOf<CoreEventMap["aiLiveSummary"]["data"]>().toEqualTypeOf<
      WebcastAiLiveSummaryMessage | WebcastAILiveSummaryMessage
    >();
    expectTypeOf<
      Extract<TikTokEvent, { type: "hourlyRankMessage" }>["method"]
    >().toEqualTypeOf<"WebcastHourlyRankMessage">();
  });
});

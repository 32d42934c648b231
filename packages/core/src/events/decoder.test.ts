import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  CommonMessageDataSchema,
  TextSchema,
  UserSchema,
  WebcastChatMessageSchema,
  WebcastLikeMessageSchema,
  WebcastRoomMessageSchema,
  WebcastSocialMessageSchema,
} from "@tiklive/proto";
import { describe, expect, it } from "vitest";
import { createDeduplicator } from "../dedup.js";
import { decodeFetchResult, encodeFetchResult, encodePushFrame, type RawMessage } from "../frame-codec.js";
import { createEventDecoder } from "./decoder.js";
import { defaultMessageHandlers } from "./handlers.js";
import { createMessageRegistry, defineHandler } from "./registry.js";
import type { CoreEvent, CoreEventName, UnknownMessageEvent } from "./types.js";

const common = (method: string, id: string, key = "") =>
  create(CommonMessageDataSchema, {
    method,
    msgId: id,
    roomId: "1",
    createTime: "1000",
    displayText: create(TextSchema, { key }),
  });
const chat = (id: string, text: string) =>
  toBinary(
    WebcastChatMessageSchema,
    create(WebcastChatMessageSchema, {
      common: common("WebcastChatMessage", id),
      user: create(UserSchema, { id: "5", displayId: "u" }),
      content: text,
    }),
  );
const like = (id: string) =>
  toBinary(
    WebcastLikeMessageSchema,
    create(WebcastLikeMessageSchema, { common: common("WebcastLikeMessage", id), count: 3, total: "10" }),
  );
const follow = (id: string) =>
  toBinary(
    WebcastSocialMessageSchema,
    create(WebcastSocialMessageSchema, {
      common: common("WebcastSocialMessage", id, "pm_main_follow_message_viewer_2"),
    }),
  );

const raw = (method: string, msgId: string, payload: Uint8Array): RawMessage => ({
  method,
  msgId,
  payload,
  msgType: 0,
  offset: "0",
  isHistory: false,
});

const batch = () =>
  decodeFetchResult(
    encodeFetchResult({
      messages: [
        { method: "WebcastChatMessage", msgId: "11", payload: chat("11", "first") },
        { method: "WebcastLikeMessage", msgId: "12", payload: like("12") },
        { method: "WebcastSocialMessage", msgId: "13", payload: follow("13") },
        { method: "WebcastMysteryMessage", msgId: "14", payload: new Uint8Array([8, 1]) },
        { method: "WebcastChatMessage", msgId: "15", payload: new Uint8Array([0x12, 0x05, 0x01]) },
        { method: "WebcastChatMessage", msgId: "16", payload: chat("16", "second") },
      ],
    }),
  );

describe("createEventDecoder", () => {
  it("maps a batch in message order, with unknownMessage and decodeError events instead of losses", () => {
    const decoder = createEventDecoder();
    const events = decoder.decode(batch());
    expect(events.map((e) => e.type)).toEqual([
      "chat",
      "like",
      "follow",
      "unknownMessage",
      "decodeError",
      "chat",
    ]);
    const unknown = events[3] as Extract<(typeof events)[number], { type: "unknownMessage" }>;
    expect(unknown).toMatchObject({
      method: "WebcastMysteryMessage",
      msgId: "14",
      payloadBase64: "CAE=",
      payloadSize: 2,
    });
    const failed = events[4] as Extract<(typeof events)[number], { type: "decodeError" }>;
    expect(failed.method).toBe("WebcastChatMessage");
    expect(failed.error.code).toBe("malformed_frame");
    expect(failed.payloadBase64).toBe(Buffer.from([0x12, 0x05, 0x01]).toString("base64"));
    expect(decoder.stats).toMatchObject({
      messages: 6,
      decoded: 4,
      unknown: 1,
      errors: 1,
      skipped: 0,
      duplicates: 0,
    });
  });

  it("decodes only what is wanted (decode-on-demand)", () => {
    const wanted = new Set<CoreEventName>(["chat"]);
    const decoder = createEventDecoder({ wants: (e) => wanted.has(e) });
    const events = decoder.decode(batch());
    // The like and follow payloads were never decoded; the bad chat payload still surfaces.
    expect(events.map((e) => e.type)).toEqual(["chat", "decodeError", "chat"]);
    expect(decoder.stats).toMatchObject({ decoded: 2, skipped: 2, unknown: 1 });
    // Wanting one derived event of a message decodes it and keeps only that event.
    const streamEnds = createEventDecoder({ wants: (e) => e === "follow" });
    expect(streamEnds.decode(batch()).map((e) => e.type)).toEqual(["follow"]);
  });

  it("drops duplicates by msgId across batches (bounded), and can be turned off", () => {
    const decoder = createEventDecoder({ dedup: createDeduplicator({ capacity: 100 }) });
    expect(decoder.decode(batch())).toHaveLength(6);
    expect(decoder.decode(batch())).toHaveLength(0);
    expect(decoder.stats.duplicates).toBe(6);
    const noDedup = createEventDecoder({ dedup: false });
    noDedup.decode(batch());
    expect(noDedup.decode(batch())).toHaveLength(6);
  });

  it("decodes a gzip WebSocket frame end to end", () => {
    const result = encodeFetchResult({
      messages: [{ method: "WebcastChatMessage", msgId: "11", payload: chat("11", "hi") }],
      cursor: "c1",
      needAck: true,
    });
    const frame = encodePushFrame({
      logId: "9",
      headers: { compress_type: "gzip" },
      payloadEncoding: "pb",
      payloadType: "msg",
      payload: gzipSync(result),
    });
    const decoded = createEventDecoder().decodeFrame(frame);
    expect(decoded.result?.cursor).toBe("c1");
    expect(decoded.events.map((e) => e.type === "chat" && e.comment)).toEqual(["hi"]);
  });

  it("each decoder has its own registry: registering a schema affects no other decoder", () => {
    const registry = createMessageRegistry(defaultMessageHandlers);
    // A custom mapping for a method TikTok sends that tiklive does not know.
    registry.register(
      defineHandler(WebcastLikeMessageSchema, ["like"], (m, env) => ({
        type: "like",
        msgId: env.msgId,
        roomId: "1",
        createTime: 0,
        method: env.method,
        isHistory: false,
        displayKey: "",
        user: {} as never,
        likeCount: m.count * 100,
        totalLikeCount: 0,
        raw: m,
      })),
    );
    const custom = createEventDecoder({ registry });
    const standard = createEventDecoder();
    const likeBatch = { ...batch(), messages: [raw("WebcastLikeMessage", "12", like("12"))] };
    expect(custom.decode(likeBatch).map((e) => e.type === "like" && e.likeCount)).toEqual([300]);
    expect(standard.decode(likeBatch).map((e) => e.type === "like" && e.likeCount)).toEqual([3]);
  });

  it("a mapper that throws becomes a decodeError, not an exception", () => {
    const registry = createMessageRegistry([
      defineHandler(WebcastChatMessageSchema, ["chat"], () => {
        throw new Error("mapper bug");
      }),
    ]);
    const events = createEventDecoder({ registry }).decodeMessage(
      raw("WebcastChatMessage", "1", chat("1", "x")),
    );
    expect(events.map((e) => e.type)).toEqual(["decodeError"]);
    expect(events[0]?.type === "decodeError" && events[0].error.message).toContain("mapper bug");
  });

  describe("unknown methods", () => {
    // A well-formed message under a method no schema knows (its layout is a room message's).
    const mystery = (msgId: string, key = "mystery_key") =>
      toBinary(
        WebcastRoomMessageSchema,
        create(WebcastRoomMessageSchema, {
          common: create(CommonMessageDataSchema, {
            method: "WebcastMysteryMessage",
            msgId,
            roomId: "7300993857827228449",
            createTime: "1699895245035",
            displayText: create(TextSchema, { key }),
          }),
          content: "a message no schema knows",
        }),
      );
    const unknownOf = (events: CoreEvent[]) =>
      events.filter((e): e is UnknownMessageEvent => e.type === "unknownMessage");

    it("keep their common header: msgId, roomId, createTime and display key, with the payload", () => {
      const payload = mystery("7300000000000000077");
      const events = createEventDecoder().decodeMessage(
        raw("WebcastMysteryMessage", "7300000000000000077", payload),
      );
      expect(events).toEqual([
        {
          type: "unknownMessage",
          method: "WebcastMysteryMessage",
          msgId: "7300000000000000077",
          roomId: "7300993857827228449",
          createTime: 1699895245035,
          isHistory: false,
          displayKey: "mystery_key",
          payloadBase64: Buffer.from(payload).toString("base64"),
          payloadSize: payload.length,
        },
      ]);
      // The header's msgId wins over the envelope's (as for every event); the envelope's is
      // the fallback when the header has none.
      const other = createEventDecoder().decodeMessage(raw("WebcastMysteryMessage", "5", payload));
      expect(unknownOf(other)[0]?.msgId).toBe("7300000000000000077");
      const noId = createEventDecoder().decodeMessage(raw("WebcastMysteryMessage", "6", mystery("0")));
      expect(unknownOf(noId)[0]).toMatchObject({ msgId: "6", roomId: "7300993857827228449" });
    });

    it("are de-duplicated by msgId like known messages, within and across fetch results", () => {
      const decoder = createEventDecoder();
      const message = raw("WebcastMysteryMessage", "7300000000000000088", mystery("7300000000000000088"));
      const batchOf = (...messages: RawMessage[]) => ({ ...batch(), messages });
      const first = decoder.decode(
        batchOf(message, message, raw("WebcastChatMessage", "90", chat("90", "hi"))),
      );
      expect(first.map((e) => e.type)).toEqual(["unknownMessage", "chat"]);
      expect(decoder.decode(batchOf(message))).toEqual([]);
      expect(decoder.stats).toMatchObject({ messages: 4, duplicates: 2, unknown: 1 });
    });

    it("with garbage, truncated or headerless payloads still become unknownMessage events, never exceptions", () => {
      const decoder = createEventDecoder({ dedup: false });
      const good = mystery("7300000000000000099");
      const payloads = [
        new Uint8Array(0),
        Uint8Array.of(0xff, 0xff, 0xff),
        Uint8Array.of(0x0a, 0x7f, 0x01),
        Uint8Array.of(0x0a, 0x02, 0x10),
        good.subarray(0, 9),
        Uint8Array.of(0x08, 0x01),
        // common.msgId (field 2, VARINT) sent as LEN: the header does not decode.
        Uint8Array.of(0x0a, 0x04, 0x12, 0x02, 0x31, 0x32),
        Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0xff),
      ];
      for (const payload of payloads) {
        const events = decoder.decodeMessage(raw("WebcastMysteryMessage", "42", payload));
        expect(events).toEqual([
          {
            type: "unknownMessage",
            method: "WebcastMysteryMessage",
            msgId: "42",
            roomId: "0",
            createTime: 0,
            isHistory: false,
            displayKey: "",
            payloadBase64: Buffer.from(payload).toString("base64"),
            payloadSize: payload.length,
          },
        ]);
      }
    });
  });
});

import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { encodeFetchResult, encodePushFrame } from "@tiklive/core";
import {
  CommonMessageDataSchema,
  GiftStructSchema,
  TextSchema,
  UserSchema,
  WebcastChatMessageSchema,
  WebcastGiftMessageSchema,
  WebcastLikeMessageSchema,
} from "@tiklive/proto";
import { base64ToBytes, loadRealVectors } from "./vectors.js";

/** A small seeded PRNG (mulberry32): the same seed gives the same cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Message payloads to build frames from: the real vectors where present, else synthetic ones. */
export function samplePayloads(): { method: string; payload: Uint8Array }[] {
  const vectors = loadRealVectors();
  if (vectors !== undefined)
    return vectors.map((v) => ({ method: v.type, payload: base64ToBytes(v.base64) }));
  const common = (method: string, id: number) =>
    create(CommonMessageDataSchema, {
      method,
      msgId: String(7300000000000000000n + BigInt(id)),
      roomId: "7300993857827228449",
      createTime: "1699895245035",
      displayText: create(TextSchema, { key: "k" }),
    });
  const user = create(UserSchema, { id: "6756903546233422853", nickname: "n", displayId: "u" });
  return [
    {
      method: "WebcastChatMessage",
      payload: toBinary(
        WebcastChatMessageSchema,
        create(WebcastChatMessageSchema, {
          common: common("WebcastChatMessage", 1),
          user,
          content: "hello 🙂",
        }),
      ),
    },
    {
      method: "WebcastLikeMessage",
      payload: toBinary(
        WebcastLikeMessageSchema,
        create(WebcastLikeMessageSchema, {
          common: common("WebcastLikeMessage", 2),
          user,
          count: 5,
          total: "100",
        }),
      ),
    },
    {
      method: "WebcastGiftMessage",
      payload: toBinary(
        WebcastGiftMessageSchema,
        create(WebcastGiftMessageSchema, {
          common: common("WebcastGiftMessage", 3),
          user,
          repeatCount: 3,
          gift: create(GiftStructSchema, { id: "5655", type: 1, diamondCount: 1, name: "Rose" }),
        }),
      ),
    },
  ];
}

/** A realistic `msg` frame: gzip fetch result of several messages. */
export function sampleFrame(
  random: () => number,
  payloads: { method: string; payload: Uint8Array }[],
  gzip = true,
): Uint8Array {
  const count = 1 + Math.floor(random() * 12);
  const messages = Array.from({ length: count }, (_, i) => {
    const p = payloads[Math.floor(random() * payloads.length)] as { method: string; payload: Uint8Array };
    return { ...p, msgId: String(7300000000000000000n + BigInt(Math.floor(random() * 1e9) + i)) };
  });
  const result = encodeFetchResult({ messages, cursor: "c", internalExt: "ie", needAck: true });
  return encodePushFrame({
    logId: "7300000000000000001",
    headers: gzip ? { compress_type: "gzip" } : {},
    payloadEncoding: "pb",
    payloadType: "msg",
    payload: gzip ? gzipSync(result) : result,
  });
}

/** One corruption of `bytes`: truncate, flip bits, overwrite, insert or delete a run. */
export function mutate(random: () => number, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const at = () => Math.floor(random() * Math.max(out.length, 1));
  switch (Math.floor(random() * 5)) {
    case 0:
      return Uint8Array.from(out.slice(0, at()));
    case 1:
      for (let i = 0; i < 1 + random() * 8; i++)
        out[at()] = (out[at()] ?? 0) ^ (1 << Math.floor(random() * 8));
      return Uint8Array.from(out);
    case 2:
      for (let i = 0; i < 1 + random() * 8; i++) out[at()] = Math.floor(random() * 256);
      return Uint8Array.from(out);
    case 3:
      out.splice(
        at(),
        0,
        ...Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256)),
      );
      return Uint8Array.from(out);
    default:
      out.splice(at(), 1 + Math.floor(random() * 16));
      return Uint8Array.from(out);
  }
}

export function randomBytes(random: () => number, maxLength: number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(random() * maxLength) }, () => Math.floor(random() * 256));
}

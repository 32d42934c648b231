// Inputs for fuzzing the codec: real (or synthetic) payloads, realistic frames, and seeded
// corruptions of them. Draw with createRandom from ./random.js: a seed replays its cases.
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
import type { Random } from "./random.js";
import { base64ToBytes, loadRealVectors } from "./vectors.js";

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
  random: Random,
  payloads: { method: string; payload: Uint8Array }[],
  gzip = true,
): Uint8Array {
  const count = 1 + Math.floor(random.next() * 12);
  const messages = Array.from({ length: count }, (_, i) => {
    const p = payloads[Math.floor(random.next() * payloads.length)] as {
      method: string;
      payload: Uint8Array;
    };
    return { ...p, msgId: String(7300000000000000000n + BigInt(Math.floor(random.next() * 1e9) + i)) };
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
export function mutate(random: Random, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const at = () => Math.floor(random.next() * Math.max(out.length, 1));
  switch (Math.floor(random.next() * 5)) {
    case 0:
      return Uint8Array.from(out.slice(0, at()));
    case 1:
      for (let i = 0; i < 1 + random.next() * 8; i++)
        out[at()] = (out[at()] ?? 0) ^ (1 << Math.floor(random.next() * 8));
      return Uint8Array.from(out);
    case 2:
      for (let i = 0; i < 1 + random.next() * 8; i++) out[at()] = Math.floor(random.next() * 256);
      return Uint8Array.from(out);
    case 3:
      out.splice(
        at(),
        0,
        ...Array.from({ length: 1 + Math.floor(random.next() * 16) }, () => Math.floor(random.next() * 256)),
      );
      return Uint8Array.from(out);
    default:
      out.splice(at(), 1 + Math.floor(random.next() * 16));
      return Uint8Array.from(out);
  }
}

export function randomBytes(random: Random, maxLength: number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(random.next() * maxLength) }, () =>
    Math.floor(random.next() * 256),
  );
}

// The demo for now: wraps TikTok LIVE payloads into a real gzip push frame, decodes it
// with @tiklive/core the way a client does, and prints the typed events. It uses the real
// captured payloads in ../shared/vectors when present, else a few built here.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { createEventDecoder, createGiftStreakAggregator, encodeFetchResult, encodePushFrame, toGiftCompletedEvent, type CoreEvent, type GiftEvent } from "@tiklive/core";
import { CommonMessageDataSchema, GiftStructSchema, UserSchema, WebcastChatMessageSchema, WebcastGiftMessageSchema } from "@tiklive/proto";

const vectorsFile = new URL("../../../../shared/vectors/real-payloads.json", import.meta.url);

function payloads(): { method: string; payload: Uint8Array }[] {
  if (existsSync(vectorsFile)) {
    const file = JSON.parse(readFileSync(vectorsFile, "utf8")) as { vectors: { type: string; base64: string }[] };
    console.error(`decoding ${file.vectors.length} real payloads from ../shared/vectors`);
    return file.vectors.map((v) => ({ method: v.type, payload: new Uint8Array(Buffer.from(v.base64, "base64")) }));
  }
  console.error("../shared/vectors not found: decoding a few messages built here instead");
  const user = create(UserSchema, { id: "6756903546233422853", displayId: "demo_viewer", nickname: "Demo Viewer" });
  const common = (method: string, n: number) => create(CommonMessageDataSchema, { method, msgId: String(7300000000000000000n + BigInt(n)), roomId: "7300993857827228449", createTime: String(Date.now()) });
  const rose = create(GiftStructSchema, { id: "5655", name: "Rose", type: 1, diamondCount: 1 });
  return [
    { method: "WebcastChatMessage", payload: toBinary(WebcastChatMessageSchema, create(WebcastChatMessageSchema, { common: common("WebcastChatMessage", 1), user, content: "hello from tiklive 👋" })) },
    ...[1, 2, 3].map((n) => ({
      method: "WebcastGiftMessage",
      payload: toBinary(WebcastGiftMessageSchema, create(WebcastGiftMessageSchema, { common: common("WebcastGiftMessage", 1 + n), user, gift: rose, repeatCount: n, repeatEnd: n === 3 ? 1 : 0, groupId: "42" })),
    })),
  ];
}

function describe(event: CoreEvent): string {
  switch (event.type) {
    case "chat":
      return `@${event.user.uniqueId}: ${event.comment}`;
    case "gift":
      return `@${event.user.uniqueId} sent ${event.giftName} x${event.repeatCount}${event.isStreaking ? " (streak running)" : ""}`;
    case "member":
      return `@${event.user.uniqueId} joined (${event.viewerCount} viewers)`;
    case "like":
      return `@${event.user.uniqueId} sent ${event.likeCount} likes (total ${event.totalLikeCount})`;
    case "follow":
    case "share":
    case "social":
      return `@${event.user.uniqueId} ${event.type}`;
    case "roomUser":
      return `${event.viewerCount} viewers`;
    case "streamEnd":
      return `stream ${event.reason}`;
    case "unknownMessage":
      return `unknown method ${event.method} (${event.payloadSize} bytes)`;
    case "decodeError":
      return `could not decode ${event.method}: ${event.error.message}`;
    default:
      return "displayKey" in event && event.displayKey !== "" ? `(${event.displayKey})` : "";
  }
}

const list = payloads();
const frame = encodePushFrame({
  logId: "7300000000000000001",
  headers: { compress_type: "gzip" },
  payloadEncoding: "pb",
  payloadType: "msg",
  payload: gzipSync(encodeFetchResult({ messages: list.map((p, i) => ({ ...p, msgId: String(i + 1) })), cursor: "demo", needAck: true })),
});
console.error(`one push frame: ${frame.length} bytes gzip, ${list.length} messages\n`);

const decoder = createEventDecoder();
const streaks = createGiftStreakAggregator<GiftEvent>();
const { events } = decoder.decodeFrame(frame);
for (const event of events) {
  const text = describe(event);
  console.log(`${event.type.padEnd(22)} ${text}`);
  if (event.type === "gift") {
    for (const done of streaks.push(event, Date.now()).map(toGiftCompletedEvent)) {
      console.log(`${done.type.padEnd(22)} @${done.user.uniqueId}: ${done.giftName} x${done.repeatCount} = ${done.diamonds} diamonds (${done.reason})`);
    }
  }
}
console.error(`\n${events.length} events; decoder stats: ${JSON.stringify(decoder.stats)}`);

import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { TikLiveError } from "./errors.js";
import {
  decodeFetchResult,
  decodeMsgFrame,
  decodePushFrame,
  encodeAckFrame,
  encodeEnterRoomFrame,
  encodeFetchResult,
  encodeHeartbeatFrame,
  encodePushFrame,
  generateEnterUniqueId,
  needsAck,
} from "./frame-codec.js";
import { inflatePortable } from "./inflate.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));
const ascii = (text: string) => Buffer.from(text, "ascii").toString("hex");

function expectTyped(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe(code);
    return;
  }
  throw new Error(`expected a TikLiveError with code ${code}`);
}

describe("client frames match docs/protocol.md §2.3 byte for byte", () => {
  it("heartbeat", () => {
    const bytes = encodeHeartbeatFrame({ roomId: "7140000000000000001", seqId: 1 });
    expect(hex(bytes)).toBe(`320270623a026862420c${"0881 80a8 82bb 8598 8b63 1001".replace(/ /g, "")}`);
  });

  it("ack", () => {
    const internalExt = "internal_src:dim|seq:1";
    expect(internalExt.length).toBe(22);
    const bytes = encodeAckFrame({ logId: "7300000000000000000", internalExt });
    expect(hex(bytes)).toBe(`108080e8e2aaeab3a765320270623a0361636b4216${ascii(internalExt)}`);
  });

  it("im_enter_room", () => {
    const bytes = encodeEnterRoomFrame({
      roomId: "7140000000000000001",
      enterUniqueId: "1234567890123456789",
    });
    expect(hex(bytes)).toBe(
      "32027062" +
        "3a0d" +
        ascii("im_enter_room") +
        "4223" +
        "088180a882bb85988b63" +
        "200c" +
        "2a08" +
        ascii("audience") +
        "40958 2a6efc79e849111".replace(/ /g, "") +
        "4a0130",
    );
  });

  it("enterUniqueId is a random positive 63-bit integer", () => {
    const ids = new Set(Array.from({ length: 100 }, generateEnterUniqueId));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(BigInt(id) > 0n && BigInt(id) < 2n ** 63n).toBe(true);
    }
  });
});

describe("decoding", () => {
  const result = {
    messages: [
      {
        method: "WebcastChatMessage",
        payload: new Uint8Array([1, 2, 3]),
        msgId: "7300994309837785888",
        isHistory: true,
      },
      { method: "WebcastLikeMessage", payload: new Uint8Array([4]), msgId: "7300994309837785889" },
    ],
    cursor: "t-1699895245035_r-1_d-1_u-1_fh-7300994309837785888",
    internalExt: "internal_src:dim|wss_push_room_id:7300993857827228449",
    routeParams: { wrds_v: "7300994309837785888", im_source: "1" },
    needAck: true,
    pushServer: "wss://webcast-ws.tiktok.com/webcast/im/ws_proxy/ws_reuse_supplement/",
    fetchInterval: "1000",
    now: "1699895245035",
    isFirst: true,
  };

  it("round-trips a fetch result with lazily decodable messages", () => {
    const decoded = decodeFetchResult(encodeFetchResult(result));
    expect(decoded).toMatchObject({ ...result, messages: expect.any(Array) });
    expect(decoded.messages.map((m) => [m.method, [...m.payload], m.msgId, m.isHistory])).toEqual([
      ["WebcastChatMessage", [1, 2, 3], "7300994309837785888", true],
      ["WebcastLikeMessage", [4], "7300994309837785889", false],
    ]);
  });

  it("decodes a gzip msg frame signalled by header, and by magic bytes alone", () => {
    const payload = gzipSync(encodeFetchResult(result));
    for (const headers of [{ compress_type: "gzip" }, {}] as Record<string, string>[]) {
      const frame = encodePushFrame({
        logId: "42",
        headers,
        payloadEncoding: "pb",
        payloadType: "msg",
        payload,
      });
      const decoded = decodeMsgFrame(frame);
      expect(decoded.frame.logId).toBe("42");
      expect(decoded.result?.cursor).toBe(result.cursor);
      expect(decoded.result?.messages).toHaveLength(2);
      expect(needsAck(decoded)).toBe(true);
    }
  });

  it("decodes a non-gzip msg frame as-is", () => {
    const frame = encodePushFrame({
      headers: { compress_type: "none" },
      payloadEncoding: "pb",
      payloadType: "msg",
      payload: encodeFetchResult(result),
    });
    const decoded = decodeMsgFrame(frame);
    expect(decoded.result?.internalExt).toBe(result.internalExt);
    // No logId: nothing to ack with.
    expect(needsAck(decoded)).toBe(false);
  });

  it("returns other frame types without a result", () => {
    const decoded = decodeMsgFrame(
      encodePushFrame({ payloadType: "im_enter_room_resp", payload: new Uint8Array([9, 9]) }),
    );
    expect(decoded.result).toBeUndefined();
    expect(decoded.frame.payloadType).toBe("im_enter_room_resp");
  });

  it("skips unknown fields and accepts fields in any order", () => {
    // field 99 varint, then payloadType, then an unknown len field, then logId.
    const bytes = fromHex("f8 06 07" + "3a 02 68 62" + "a2 06 03 61 62 63" + "10 05");
    const frame = decodePushFrame(bytes);
    expect(frame.payloadType).toBe("hb");
    expect(frame.logId).toBe("5");
  });

  it("keeps 19-digit ids exact", () => {
    const big = decodeFetchResult(
      encodeFetchResult({
        messages: [{ method: "M", payload: new Uint8Array(), msgId: "9223372036854775807" }],
      }),
    );
    expect(big.messages[0]?.msgId).toBe("9223372036854775807");
  });
});

describe("bad input gets a typed error, never a crash", () => {
  it("non-bytes input", () => {
    expectTyped(() => decodePushFrame("hello" as unknown as Uint8Array), "invalid_input");
    expectTyped(() => decodeFetchResult(null as unknown as Uint8Array), "invalid_input");
  });

  it("truncated and corrupt frames", () => {
    const frame = encodePushFrame({ payloadType: "msg", payload: encodeFetchResult({ cursor: "abc" }) });
    expectTyped(() => decodePushFrame(frame.subarray(0, frame.length - 2)), "malformed_frame");
    expectTyped(() => decodePushFrame(fromHex("0f")), "malformed_frame"); // wire type 7
    expectTyped(() => decodePushFrame(fromHex("00")), "malformed_frame"); // field 0
    expectTyped(() => decodeFetchResult(fromHex("0a 05 0a 03")), "malformed_frame");
  });

  it("corrupt gzip", () => {
    const payload = gzipSync(encodeFetchResult({ cursor: "abc" }));
    payload[payload.length - 6]! ^= 0xff; // break the CRC/length trailer region
    payload[12]! ^= 0xff;
    const frame = encodePushFrame({ headers: { compress_type: "gzip" }, payloadType: "msg", payload });
    expectTyped(() => decodeMsgFrame(frame), "decompression_failed");
    const notGzip = encodePushFrame({
      headers: { compress_type: "gzip" },
      payloadType: "msg",
      payload: new Uint8Array([1, 2, 3]),
    });
    expectTyped(() => decodeMsgFrame(notGzip), "decompression_failed");
  });

  it("refuses a gzip bomb, natively and in the portable inflater", () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024)); // 64 MiB of zeros in ~64 KiB
    expect(bomb.length).toBeLessThan(100_000);
    const frame = encodePushFrame({ headers: { compress_type: "gzip" }, payloadType: "msg", payload: bomb });
    expectTyped(() => decodeMsgFrame(frame), "payload_too_large");
    expectTyped(() => decodeMsgFrame(frame, { limits: { maxInflatedBytes: 1024 } }), "payload_too_large");
    expectTyped(() => inflatePortable(bomb, 1024 * 1024), "payload_too_large");
  });

  it("portable inflater matches native output", () => {
    const data = new TextEncoder().encode("tiklive ".repeat(10_000));
    expect(Buffer.from(inflatePortable(gzipSync(data), 1 << 20)).equals(Buffer.from(data))).toBe(true);
    const gz = gzipSync(data);
    for (const cut of [5, 10, 20, 50, gz.length - 4, gz.length - 1]) {
      expectTyped(() => inflatePortable(gz.subarray(0, cut), 1 << 20), "decompression_failed");
    }
    const flipped = Uint8Array.from(gz);
    flipped[gz.length - 8]! ^= 1; // CRC
    expectTyped(() => inflatePortable(flipped, 1 << 20), "decompression_failed");
  });

  it("refuses oversized frames before parsing", () => {
    expectTyped(
      () => decodePushFrame(new Uint8Array(2048), { limits: { maxFrameBytes: 1024 } }),
      "payload_too_large",
    );
  });
});

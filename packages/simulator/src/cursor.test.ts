import { describe, expect, it } from "vitest";
import { decodeCursor, decodeInternalExt, encodeCursor, encodeInternalExt } from "./cursor.js";

describe("cursor", () => {
  it("round-trips a position and survives a query string", () => {
    const position = { roomId: "7300993857827228449", seq: 42, timeMs: 1_767_225_600_123 };
    const cursor = encodeCursor(position);
    expect(cursor).toBe("r-7300993857827228449_s-42_t-1767225600123");
    expect(decodeCursor(cursor)).toEqual(position);
    expect(new URLSearchParams({ cursor }).toString()).toBe(`cursor=${cursor}`);
  });

  it("rejects anything that is not a simulator cursor", () => {
    for (const text of [undefined, null, "", "0", "r-1_s-x_t-1", "r-1_s-1", "garbage", "r-1_s-1_t-1_extra"])
      expect(decodeCursor(text)).toBeUndefined();
  });

  it("puts the position in internalExt, TikTok style, and reads it back", () => {
    const position = { roomId: "7300993857827228449", seq: 7, timeMs: 1_767_225_600_000 };
    const ext = encodeInternalExt(position, "7000000000000000001");
    expect(
      ext.startsWith(
        "internal_src:dim|wss_push_room_id:7300993857827228449|wss_push_did:7000000000000000001|",
      ),
    ).toBe(true);
    expect(ext).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeInternalExt(ext)).toEqual(position);
    expect(decodeInternalExt("internal_src:dim|seq:1")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { TikLiveError } from "./errors.js";
import { normalizeRoomId, normalizeUniqueId } from "./unique-id.js";

describe("normalizeUniqueId", () => {
  it.each([
    ["user", "user"],
    ["@user", "user"],
    ["  @User.Name_1  ", "user.name_1"],
    ["https://www.tiktok.com/@someone/live", "someone"],
    ["https://www.tiktok.com/@someone/live?lang=en&is_from_webapp=1#x", "someone"],
    ["https://www.tiktok.com/@someone", "someone"],
    ["https://www.tiktok.com/@someone/", "someone"],
    ["http://m.tiktok.com/@someone/live", "someone"],
    ["www.tiktok.com/@someone/live", "someone"],
    ["tiktok.com/@someone", "someone"],
    ["https://TikTok.com/@Someone/video/123", "someone"],
    ["a", "a"],
    ["abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx"],
    ["user123", "user123"],
    ["_123", "_123"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeUniqueId(input)).toBe(expected);
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["@", /empty/],
    ["12345", /is a number/],
    ["@7011900393375253509", /is a number/],
    ["bad name", /not a valid/],
    ["emoji🙂", /not a valid/],
    ["user.", /not a valid/],
    ["abcdefghijklmnopqrstuvwxy", /not a valid/],
    ["user/../x", /not a valid/],
    ["https://evil.example/@user", /not a TikTok host/],
    ["https://tiktok.com.evil.example/@user", /not a TikTok host/],
    ["https://www.tiktok.com/live", /not a TikTok profile/],
    ["https://www.tiktok.com/", /not a TikTok profile/],
    ["https://www.tiktok.com/@", /empty/],
    ["https://[::1", /not a valid URL/],
  ])("rejects %j", (input, message) => {
    expect(() => normalizeUniqueId(input)).toThrow(message);
    try {
      normalizeUniqueId(input);
    } catch (error) {
      expect(TikLiveError.is(error, "invalid_input")).toBe(true);
    }
  });

  it.each([[123], [null], [undefined], [{}], [["user"]]])("rejects the non-string %j", (input) => {
    expect(() => normalizeUniqueId(input)).toThrow(TikLiveError);
  });
});

describe("normalizeRoomId", () => {
  it("accepts digit strings and bigints, returning canonical decimal strings", () => {
    expect(normalizeRoomId("7300993857827228449")).toBe("7300993857827228449");
    expect(normalizeRoomId(" 007 ")).toBe("7");
    expect(normalizeRoomId(7300993857827228449n)).toBe("7300993857827228449");
    expect(normalizeRoomId("18446744073709551615")).toBe("18446744073709551615");
  });

  it.each([
    // biome-ignore lint/correctness/noPrecisionLoss: the point: a JS number cannot hold a room id
    [7300993857827228449, /not a number/],
    ["", /not a room id/],
    ["0", /room id 0/],
    ["-5", /not a room id/],
    ["12a", /not a room id/],
    ["1e10", /not a room id/],
    ["18446744073709551616", /larger than any room id/],
    [null, /digits or a bigint/],
    [{ roomId: "1" }, /digits or a bigint/],
  ])("rejects %j", (input, message) => {
    expect(() => normalizeRoomId(input)).toThrow(message);
  });
});

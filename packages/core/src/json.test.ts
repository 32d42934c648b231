import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./json.js";

describe("parseJsonLossless", () => {
  it("keeps 19-digit integers exact as strings, and leaves other values alone", () => {
    const text =
      '{"room_id":7300993857827228449,"ids":[7300993857827228449,-7300993857827228449],"n":42,"f":1.5,"e":1e21,"small":123456789012345,"s":"x:7300993857827228449","esc":"a\\"b:1234567890123456789"}';
    expect(parseJsonLossless(text)).toEqual({
      room_id: "7300993857827228449",
      ids: ["7300993857827228449", "-7300993857827228449"],
      n: 42,
      f: 1.5,
      e: 1e21,
      small: 123456789012345,
      s: "x:7300993857827228449",
      esc: 'a"b:1234567890123456789',
    });
    expect(JSON.parse('{"a":7300993857827228449}').a).not.toBe(7300993857827228449n.toString());
  });

  it("throws on invalid JSON", () => {
    expect(() => parseJsonLossless("{nope")).toThrow(SyntaxError);
    expect(() => parseJsonLossless("")).toThrow(SyntaxError);
  });
});

import { describe, expect, it } from "vitest";
import { parseSetCookieHeader } from "./set-cookie.js";

describe("parseSetCookieHeader", () => {
  it("reads one cookie and ignores its attributes", () => {
    expect(
      parseSetCookieHeader(
        "ttwid=1%7Cabc; Path=/; Domain=.tiktok.com; Max-Age=31536000; HttpOnly; Secure; SameSite=None",
      ),
    ).toEqual([{ name: "ttwid", value: "1%7Cabc" }]);
  });

  it("reads every cookie of a comma-joined header, not only the first", () => {
    expect(parseSetCookieHeader("ttwid=aaa; Path=/, msToken=bbb; Path=/, tt_csrf_token=ccc")).toEqual([
      { name: "ttwid", value: "aaa" },
      { name: "msToken", value: "bbb" },
      { name: "tt_csrf_token", value: "ccc" },
    ]);
  });

  it("does not split at the comma inside an Expires date", () => {
    const header =
      "ttwid=aaa; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, msToken=bbb; expires=Thu, 01-Jan-2030 00:00:00 GMT, odin_tt=ccc; Expires=Fri, 02 Jan 2027 00:00:00 GMT";
    expect(parseSetCookieHeader(header)).toEqual([
      { name: "ttwid", value: "aaa" },
      { name: "msToken", value: "bbb" },
      { name: "odin_tt", value: "ccc" },
    ]);
  });

  it("handles an Expires date as the last attribute before the next cookie", () => {
    expect(parseSetCookieHeader("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT,b=2")).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "2" },
    ]);
  });

  it("reads several header lines (undici gives an array) and comma-joined cookies within them", () => {
    expect(
      parseSetCookieHeader(["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT, c=3", "d=4"]),
    ).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "2" },
      { name: "c", value: "3" },
      { name: "d", value: "4" },
    ]);
  });

  it("keeps quoted values as they came, commas and semicolons inside the quotes included", () => {
    expect(parseSetCookieHeader('a="hello, b=world; x"; Path=/, c="plain"')).toEqual([
      { name: "a", value: '"hello, b=world; x"' },
      { name: "c", value: '"plain"' },
    ]);
  });

  it("keeps empty values and values containing '='", () => {
    expect(parseSetCookieHeader("gone=; Max-Age=0, token=abc==; Path=/, b64=a=b=c")).toEqual([
      { name: "gone", value: "" },
      { name: "token", value: "abc==" },
      { name: "b64", value: "a=b=c" },
    ]);
  });

  it("trims whitespace around names and values", () => {
    expect(parseSetCookieHeader("  a  =  1  ;Path=/ ,   b=2")).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "2" },
    ]);
  });

  it("keeps the first position and the last value of a repeated name", () => {
    expect(parseSetCookieHeader(["a=1", "b=2", "a=3"])).toEqual([
      { name: "a", value: "3" },
      { name: "b", value: "2" },
    ]);
  });

  it("skips garbage: no '=', empty names, non-token names, control characters", () => {
    expect(parseSetCookieHeader("")).toEqual([]);
    expect(parseSetCookieHeader(";;;")).toEqual([]);
    expect(parseSetCookieHeader(",,,")).toEqual([]);
    expect(parseSetCookieHeader("justtext")).toEqual([]);
    expect(parseSetCookieHeader("=value; Path=/")).toEqual([]);
    expect(parseSetCookieHeader("bad name=1")).toEqual([]);
    expect(parseSetCookieHeader("a(b)=1")).toEqual([]);
    expect(parseSetCookieHeader("evil=1\r\nX-Injected: yes")).toEqual([]);
    expect(parseSetCookieHeader("Path=/; HttpOnly")).toEqual([{ name: "Path", value: "/" }]);
    // A comma that does not start a cookie belongs to the value before it.
    expect(parseSetCookieHeader("garbage, a=1, ;b, c=2")).toEqual([
      { name: "a", value: "1," },
      { name: "c", value: "2" },
    ]);
  });

  it("returns [] for a missing header or a non-string value, never throws", () => {
    expect(parseSetCookieHeader(undefined)).toEqual([]);
    expect(parseSetCookieHeader(null)).toEqual([]);
    expect(parseSetCookieHeader([])).toEqual([]);
    expect(parseSetCookieHeader(42 as unknown as string)).toEqual([]);
    expect(parseSetCookieHeader([1, "a=1"] as unknown as string[])).toEqual([{ name: "a", value: "1" }]);
  });

  it("an unclosed quote swallows the rest of its line but not other lines", () => {
    expect(parseSetCookieHeader(['a="abc, b=2', "c=3"])).toEqual([
      { name: "a", value: '"abc, b=2' },
      { name: "c", value: "3" },
    ]);
  });

  it("survives random input without throwing", () => {
    const alphabet = 'ab=;, "\t\r\nExpires=Wed, 21 Oct';
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 2000; i++) {
      const text = Array.from(
        { length: Math.floor(random() * 60) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
      for (const cookie of parseSetCookieHeader(text)) {
        expect(cookie.name).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
        expect(cookie.value).not.toMatch(/[\r\n]/);
      }
    }
  });
});

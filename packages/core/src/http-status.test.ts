import { describe, expect, it } from "vitest";
import { ErrorCode, TikLiveError } from "./errors.js";
import { excerpt, httpStatusError } from "./http-status.js";

const url = "https://webcast.tiktok.com/webcast/room/info/?room_id=1&sessionid=secret-session";

describe("httpStatusError", () => {
  it.each([
    // status, headers, code, retryable, retryAfterMs
    [200, {}, undefined, undefined, undefined],
    [204, {}, undefined, undefined, undefined],
    [401, {}, ErrorCode.Blocked, false, undefined],
    [403, { "retry-after": "60" }, ErrorCode.Blocked, false, undefined],
    [404, {}, ErrorCode.InvalidResponse, false, undefined],
    [429, { "retry-after": "7" }, ErrorCode.RateLimited, true, 7000],
    [429, {}, ErrorCode.RateLimited, true, undefined],
    [429, { "x-ratelimit-reset": "3" }, ErrorCode.RateLimited, true, 3000],
    [500, {}, ErrorCode.ServiceUnavailable, true, undefined],
    [502, {}, ErrorCode.ServiceUnavailable, true, undefined],
    [503, { "Retry-After": "2" }, ErrorCode.ServiceUnavailable, true, 2000],
    [599, {}, ErrorCode.ServiceUnavailable, true, undefined],
    [101, {}, ErrorCode.InvalidResponse, false, undefined],
    [302, { location: "/login" }, ErrorCode.InvalidResponse, false, undefined],
    [400, {}, ErrorCode.InvalidResponse, false, undefined],
    [402, {}, ErrorCode.InvalidResponse, false, undefined],
    [410, {}, ErrorCode.InvalidResponse, false, undefined],
  ] as const)(
    "HTTP %i %j → %s, retryable %s, retryAfterMs %s",
    (status, headers, code, retryable, retryAfterMs) => {
      const error = httpStatusError({ status, url, what: "webcast/room/info", headers });
      if (code === undefined) {
        expect(error).toBeUndefined();
        return;
      }
      expect(error).toBeInstanceOf(TikLiveError);
      expect({ code: error?.code, retryable: error?.retryable, retryAfterMs: error?.retryAfterMs }).toEqual({
        code,
        retryable,
        retryAfterMs,
      });
      expect(error?.details).toMatchObject({ status, url: "https://webcast.tiktok.com/webcast/room/info/" });
    },
  );

  it("an HTTP-date Retry-After is read against `now`", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const error = httpStatusError({
      status: 429,
      url,
      what: "x",
      headers: { "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" },
      now,
    });
    expect(error?.retryAfterMs).toBe(30_000);
    expect(error?.message).toContain("retry in 30 s");
  });

  it("says what was refused, keeps a body excerpt, and never the query or a secret", () => {
    const error = httpStatusError({
      status: 403,
      url,
      what: "webcast/room/info",
      body: new TextEncoder().encode(
        `<html>\n  <body>Access denied secret-session ${"x".repeat(500)}</body></html>`,
      ),
      secrets: ["secret-session"],
    });
    expect(error?.message).toBe(
      "TikTok refused webcast/room/info with HTTP 403 (a WAF, captcha or regional block)",
    );
    const body = String(error?.details["body"]);
    expect(body.startsWith("<html> <body>Access denied [redacted]")).toBe(true);
    expect(body.length).toBeLessThanOrEqual(200);
    expect(JSON.stringify(error?.details)).not.toContain("secret-session");
    expect(JSON.stringify(error?.details)).not.toContain("room_id");
  });
});

describe("excerpt", () => {
  it("is one line of at most `max` characters", () => {
    expect(excerpt("  a\n\tb  ")).toBe("a b");
    expect(excerpt("y".repeat(300), 10)).toBe(`${"y".repeat(9)}…`);
    expect(excerpt(new TextEncoder().encode("héllo"))).toBe("héllo");
  });
});

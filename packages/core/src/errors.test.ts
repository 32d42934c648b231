import { describe, expect, it } from "vitest";
import { createRedactor, ErrorCode, TikLiveError } from "./errors.js";

describe("TikLiveError", () => {
  it("carries a code, retryable by default per code, details and cause", () => {
    const cause = new Error("socket hang up");
    const error = new TikLiveError(ErrorCode.SignerUnavailable, "sign server unreachable", {
      cause,
      details: { status: 503 },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("TikLiveError");
    expect(error.code).toBe("signer_unavailable");
    expect(error.retryable).toBe(true);
    expect(error.details).toEqual({ status: 503 });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe("TikLiveError [signer_unavailable]: sign server unreachable");
    expect(new TikLiveError(ErrorCode.UserNotFound, "x").retryable).toBe(false);
    expect(new TikLiveError(ErrorCode.UserNotFound, "x", { retryable: true }).retryable).toBe(true);
  });

  it("is() narrows by class and code; from() wraps foreign errors once", () => {
    const error = new TikLiveError(ErrorCode.Stalled, "no frames");
    expect(TikLiveError.is(error)).toBe(true);
    expect(TikLiveError.is(error, ErrorCode.Stalled)).toBe(true);
    expect(TikLiveError.is(error, ErrorCode.Timeout)).toBe(false);
    expect(TikLiveError.is(new Error("x"))).toBe(false);
    expect(TikLiveError.from(error, ErrorCode.NetworkError)).toBe(error);
    const wrapped = TikLiveError.from(new TypeError("fetch failed"), ErrorCode.NetworkError);
    expect(wrapped.code).toBe("network_error");
    expect(wrapped.message).toBe("fetch failed");
    expect(TikLiveError.from("boom", ErrorCode.NetworkError).message).toBe("boom");
  });

  it("redacts secrets from message, details and cause", () => {
    const apiKey = "euler_live_key_0123456789abcdef";
    const session = "f00dfacecafebeef1234";
    const cause = new Error(`GET https://sign.example/webcast/fetch?apiKey=${apiKey} failed`);
    const error = new TikLiveError(
      ErrorCode.SignUnauthorized,
      `key ${apiKey} refused; cookie sessionid=${session}; path`,
      {
        cause,
        secrets: [apiKey],
        details: {
          url: `https://x/?apiKey=${apiKey}&room_id=1`,
          headers: { "x-api-key": apiKey },
          nested: [`sid_tt=${session}`],
        },
      },
    );
    const everything = JSON.stringify({
      m: error.message,
      d: error.details,
      c: (error.cause as Error).message,
      s: (error.cause as Error).stack,
    });
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(session);
    expect(error.message).toContain("[redacted]");
    expect(error.details["url"]).toBe("https://x/?apiKey=[redacted]&room_id=1");
    // A clean cause is kept as the same object.
    const clean = new Error("ECONNRESET");
    expect(new TikLiveError(ErrorCode.NetworkError, "x", { cause: clean, secrets: [apiKey] }).cause).toBe(
      clean,
    );
  });

  it("redactor handles URL-encoded secrets, header forms and JSON", () => {
    const redact = createRedactor(["p@ss/w0rd+key", undefined, "ab"]);
    expect(redact("k=p%40ss%2Fw0rd%2Bkey")).toBe("k=[redacted]");
    expect(redact("x-api-key: abcdef123")).toBe("x-api-key: [redacted]");
    expect(redact('{"sessionId":"deadbeef"}')).toBe('{"sessionId":"[redacted]"}');
    expect(redact("X-Jwt-Key=ey.J.w")).toBe("X-Jwt-Key=[redacted]");
    // Values shorter than 4 characters are not treated as secrets (they would redact innocent text).
    expect(redact("about")).toBe("about");
  });

  it("redacts deep details and the whole cause chain", () => {
    const key = "deep-secret-key-0123456789";
    let nested: Record<string, unknown> = { leaf: `k=${key}` };
    for (let i = 0; i < 10; i++) nested = { next: nested };
    const root = new Error("outer", {
      cause: new Error("middle", { cause: new Error(`inner apiKey=${key}`) }),
    });
    const error = new TikLiveError(ErrorCode.NetworkError, "x", {
      cause: root,
      secrets: [key],
      details: { nested },
    });
    const chain: string[] = [];
    for (let e: unknown = error.cause; e instanceof Error; e = e.cause) chain.push(e.message, e.stack ?? "");
    expect(chain.join("\n")).not.toContain(key);
    expect(chain.length).toBe(6);
    expect(JSON.stringify(error.details)).not.toContain(key);
    expect(JSON.stringify(error.details)).toContain("[…]");
  });
});

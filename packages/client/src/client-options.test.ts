import { TikLiveError } from "@tiklive/core";
import { describe, expect, it } from "vitest";
import { TikTokLiveClient } from "./client.js";
import { resolveClientOptions } from "./client-options.js";
import { TypedEmitter } from "./emitter.js";

describe("resolveClientOptions", () => {
  it("defaults everything once, per client", () => {
    const a = resolveClientOptions({ signApiKey: "key-a-123456" });
    const b = resolveClientOptions({ signApiKey: "key-b-123456", webUrl: "http://127.0.0.1:1234" });
    expect(a.signer).not.toBe(b.signer);
    expect(a.transports.map((t) => t.kind)).toEqual(["websocket", "polling"]);
    expect(a.webUrl.toString()).toBe("https://www.tiktok.com/");
    expect(a.webcastUrl.toString()).toBe("https://webcast.tiktok.com/");
    // One web URL stands in for both TikTok hosts (the simulator serves both).
    expect(b.webcastUrl.toString()).toBe("http://127.0.0.1:1234/");
    expect(a.reconnect).toEqual({
      enabled: true,
      maxAttempts: 10,
      initialDelayMs: 1000,
      maxDelayMs: 30000,
      factor: 2,
      jitter: 0.2,
    });
    expect(a.secrets).toEqual(["key-a-123456"]);
    expect(resolveClientOptions({ enableWebsocketUpgrade: false }).transports.map((t) => t.kind)).toEqual([
      "polling",
    ]);
    expect(resolveClientOptions({ reconnect: false }).reconnect.enabled).toBe(false);
  });

  it.each([
    [{ webUrl: "ftp://x" }, /webUrl/],
    [{ webUrl: "not a url" }, /webUrl/],
    [{ requestTimeoutMs: 0 }, /requestTimeoutMs/],
    [{ stallTimeoutMs: -1 }, /stallTimeoutMs/],
    [{ roomId: "abc" }, /room id/],
    [{ sessionId: " " }, /sessionId/],
    [{ proxy: "ftp://proxy" }, /proxy/],
    [{ reconnect: { jitter: 2 } }, /jitter/],
    [{ transports: [] }, /transports/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveClientOptions(options)).toThrow(message);
  });

  // Delays a timer would overflow (3e9 ms fires at once), fractions where a whole number is
  // meant: refused at creation with invalid_input naming the option.
  it.each([
    [{ stallTimeoutMs: 3e9 }, "stallTimeoutMs"],
    [{ stallTimeoutMs: 2 ** 31 }, "stallTimeoutMs"],
    [{ requestTimeoutMs: 1.5 }, "requestTimeoutMs"],
    [{ connectTimeoutMs: 3e9 }, "connectTimeoutMs"],
    [{ requestPollingIntervalMs: Number.POSITIVE_INFINITY }, "requestPollingIntervalMs"],
    [{ giftStreakTimeoutMs: 3e9 }, "giftStreakTimeoutMs"],
    [{ maxResponseBytes: 1024.5 }, "maxResponseBytes"],
    [{ maxResponseBytes: 2 ** 40 }, "maxResponseBytes"],
    [{ dedup: { capacity: 1.5 } }, "dedup.capacity"],
    [{ dedup: { capacity: 0 } }, "dedup.capacity"],
    [{ dedup: { windowMs: 0 } }, "dedup.windowMs"],
    [{ dedup: { windowMs: 3e9 } }, "dedup.windowMs"],
    [{ reconnect: { maxAttempts: 1.5 } }, "reconnect.maxAttempts"],
    [{ reconnect: { maxAttempts: -1 } }, "reconnect.maxAttempts"],
    [{ reconnect: { initialDelayMs: 3e9 } }, "reconnect.initialDelayMs"],
    [{ reconnect: { maxDelayMs: 0.5 } }, "reconnect.maxDelayMs"],
    [{ reconnect: { factor: 0.5 } }, "reconnect.factor"],
    [{ reconnect: { jitter: -0.1 } }, "reconnect.jitter"],
  ])("rejects %j with invalid_input naming %s", (options, name) => {
    let error: unknown;
    try {
      resolveClientOptions(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TikLiveError);
    expect(error).toMatchObject({ code: "invalid_input", retryable: false, details: { option: name } });
    expect((error as Error).message).toContain(`\`${name}\` must be`);
  });

  it("accepts the bounds: 0 where it disables, the longest timer delay, whole counts", () => {
    const resolved = resolveClientOptions({
      stallTimeoutMs: 0,
      requestTimeoutMs: 2 ** 31 - 1,
      maxResponseBytes: 1024,
      dedup: { capacity: 1 },
      reconnect: { maxAttempts: 0, initialDelayMs: 0, factor: 1, jitter: 1 },
    });
    expect(resolved).toMatchObject({
      stallTimeoutMs: 0,
      requestTimeoutMs: 2 ** 31 - 1,
      maxResponseBytes: 1024,
    });
    expect(resolved.reconnect).toMatchObject({ maxAttempts: 0, initialDelayMs: 0, factor: 1, jitter: 1 });
    expect(resolveClientOptions({}).maxResponseBytes).toBe(16 * 1024 * 1024);
    expect(resolveClientOptions({ dedup: { windowMs: 2 ** 31 - 1 } }).dedupWindowMs).toBe(2 ** 31 - 1);
    expect(resolveClientOptions({})).toMatchObject({ dedupCapacity: 10_000, dedupWindowMs: 600_000 });
  });

  it("ttTargetIdc is defaulted once and used with or without a session", () => {
    expect(resolveClientOptions({}).ttTargetIdc).toBe("useast1a");
    expect(resolveClientOptions({ ttTargetIdc: "useast2a" }).ttTargetIdc).toBe("useast2a");
    expect(resolveClientOptions({ sessionId: "session-123456", ttTargetIdc: "useast2a" }).session).toEqual({
      sessionId: "session-123456",
      ttTargetIdc: "useast2a",
    });
  });

  it("accepts http and socks5 proxies", () => {
    expect(resolveClientOptions({ proxy: "http://user:pw@127.0.0.1:3128" }).dispatcher).toBeDefined();
    expect(resolveClientOptions({ proxy: "socks5://127.0.0.1:1080" }).dispatcher).toBeDefined();
  });
});

describe("TypedEmitter", () => {
  it("on/once/off, and a throwing listener never breaks the others", () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<{ a: number }>((e) => errors.push(e));
    const seen: string[] = [];
    const off = emitter.on("a", (n) => seen.push(`on${n}`));
    const once = (n: number) => seen.push(`once${n}`);
    emitter.once("a", once);
    emitter.on("a", () => {
      throw new Error("listener bug");
    });
    emitter.emit("a", 1);
    emitter.emit("a", 2);
    off();
    emitter.emit("a", 3);
    expect(seen).toEqual(["on1", "once1", "on2"]);
    expect(errors).toHaveLength(3);
    const twice = (n: number) => seen.push(`x${n}`);
    emitter.once("a", twice);
    emitter.off("a", twice);
    emitter.emit("a", 4);
    expect(seen).not.toContain("x4");
    expect(emitter.listenerCount("a")).toBe(1);
  });

  it("a function added with once() to two events is removed from each by off()", () => {
    let changes = 0;
    const emitter = new TypedEmitter<{ a: number; b: number }>(
      () => {},
      () => {
        changes += 1;
      },
    );
    const seen: string[] = [];
    const fn = (n: number) => seen.push(`${n}`);
    emitter.once("a", fn);
    emitter.once("b", fn);
    expect(changes).toBe(2);
    emitter.off("a", fn);
    expect(emitter.listenerCount("a")).toBe(0);
    expect(emitter.listenerCount("b")).toBe(1);
    emitter.emit("a", 1);
    emitter.emit("b", 2);
    emitter.emit("b", 3);
    expect(seen).toEqual(["2"]);
    expect(emitter.totalListeners).toBe(0);
    expect(changes).toBe(4);
  });
});

describe("TikTokLiveClient listeners", () => {
  it("a listener added with once() is removed by off(name, fn)", () => {
    const client = new TikTokLiveClient("someone");
    const fn = () => {};
    client.once("chat", fn);
    expect(client.listenerCount("chat")).toBe(1);
    client.off("chat", fn);
    expect(client.listenerCount("chat")).toBe(0);
    const off = client.once("gift", fn);
    off();
    expect(client.listenerCount("gift")).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { clientHarness, collectEvents as collect, messageIds } from "../../../test/support/client-e2e.js";
import { TikLiveError } from "./index.js";

const user = "fault_streamer";
const { start, client, scenarioIds } = clientHarness(user);

describe("recoverable faults: the client streams again and delivers the scenario exactly (none lost, none twice)", () => {
  it.each([
    ["an abrupt drop mid-stream (1006)", "drop@after=40,once", "drop"],
    ["a close with 4001", "close=4001@after=40,once", "error"],
    ["a normal close (1000) while still live", "close=1000@after=40,once", "closed"],
    ["a corrupt frame", "corrupt-frame@after=40,once", "frameError"],
    ["corrupt gzip", "corrupt-gzip@after=40,once", "frameError"],
  ])("%s", async (_name, fault, reason) => {
    const s = await start({ faults: [fault] });
    const events = await collect(client(s));
    expect(messageIds(events)).toEqual(scenarioIds(s));
    const reconnecting = events.filter((e) => e.type === "reconnecting");
    expect(reconnecting.map((e) => e.type === "reconnecting" && e.reason)).toEqual([reason]);
    expect(
      events.filter((e) => e.type === "connected").map((e) => e.type === "connected" && e.reconnected),
    ).toEqual([false, true]);
    expect(events.filter((e) => e.type === "gap")).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    // It resumed from the last cursor: the reconnect's sign request carried it.
    const signs = s.signRequests();
    expect(signs.length).toBe(2);
    expect(String(signs[1]?.query["cursor"] ?? "")).not.toBe("");
  });

  it("a stall (no frames for longer than stallTimeoutMs) reconnects and loses nothing", async () => {
    const s = await start({ faults: ["stall=1500@after=40,once"] });
    const events = await collect(client(s, { stallTimeoutMs: 300 }));
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(
      events.filter((e) => e.type === "reconnecting").map((e) => e.type === "reconnecting" && e.reason),
    ).toEqual(["stall"]);
  });

  it("the stream ends during a disconnect: one resume from the cursor still delivers the rest and the stream end", async () => {
    // The stall outlasts the whole stream: by the reconnect the room is offline.
    const s = await start({ faults: ["stall=3000@after=40,once"] });
    const events = await collect(client(s, { stallTimeoutMs: 1200 }));
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    expect(events.filter((e) => e.type === "gap")).toEqual([]);
  });

  it("an unknown method becomes an unknownMessage event; everything else arrives exactly", async () => {
    const s = await start({ faults: ["unknown-method@after=30,once", "bad-payload@after=50,once"] });
    const events = await collect(client(s));
    const unknown = events.filter((e) => e.type === "unknownMessage");
    const broken = events.filter((e) => e.type === "decodeError");
    expect(unknown).toHaveLength(1);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ method: "WebcastChatMessage" });
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(events.filter((e) => e.type === "reconnecting")).toEqual([]);
  });

  it("a 429 on the re-sign waits the signer's retry time, then resumes", async () => {
    // Long enough that the room is still live after the one-second wait.
    const s = await start({ length: 600 });
    const c = client(s);
    let signsBefore = 0;
    const events = await collect(c, () => {
      signsBefore = s.signRequests().length;
      s.addFault("sign-429@retry-after=1,once");
      s.addFault("drop@after=40,once");
    });
    expect(signsBefore).toBe(1);
    expect(messageIds(events)).toEqual(scenarioIds(s));
    const errors = events.filter((e) => e.type === "error").map((e) => e.type === "error" && e.error);
    const limited = errors.find((e) => e !== false && e.code === "sign_rate_limited");
    expect(limited).toBeInstanceOf(TikLiveError);
    expect((limited as TikLiveError).retryAfterMs).toBe(1000);
    const delays = events
      .filter((e) => e.type === "reconnecting")
      .map((e) => (e.type === "reconnecting" ? e.delayMs : 0));
    expect(delays.length).toBe(2);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
  });

  it("a sign-server stub answer on re-sign is signer_degraded, retried, then resumes", async () => {
    const s = await start();
    const events = await collect(client(s), () => {
      s.addFault("sign-stub@once");
      s.addFault("drop@after=40,once");
    });
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(events.some((e) => e.type === "error" && e.error.code === "signer_degraded")).toBe(true);
  });

  it("a rejected handshake falls back to polling with the same session", async () => {
    const s = await start({ faults: ["handshake-reject@status=415,msg=DEVICE_BLOCKED"] });
    const events = await collect(client(s));
    expect(events[0]).toMatchObject({ type: "connected", state: { transport: "polling" } });
    expect(messageIds(events)).toEqual(scenarioIds(s));
  });
});

describe("faults that end the attempt: typed errors, never retried", () => {
  it("an offline room: connect() rejects with user_offline", async () => {
    const s = await start();
    const c = client(s, {}, `${user}_offline`);
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe("user_offline");
    expect(c.getState().status).toBe("disconnected");
  });

  it("a user that does not exist: user_not_found, with the evidence of every lookup step", async () => {
    const s = await start();
    const c = client(s, {}, "no_such_user_here");
    const error = (await c.connect().catch((e: unknown) => e)) as TikLiveError;
    expect(error.code).toBe("user_not_found");
    expect(error.retryable).toBe(false);
    expect(Array.isArray(error.details["attempts"])).toBe(true);
  });

  it("a bad API key: sign_unauthorized, and the key never shows", async () => {
    const s = await start({ apiKey: "the-right-key-123456" });
    const c = client(s, { signApiKey: "a-wrong-key-987654" });
    const error = (await c.connect().catch((e: unknown) => e)) as TikLiveError;
    expect(error.code).toBe("sign_unauthorized");
    expect(JSON.stringify({ m: error.message, d: error.details, c: String(error.cause) })).not.toContain(
      "a-wrong-key-987654",
    );
    expect(s.signRequests()).toHaveLength(1);
  });

  it("the room going offline while reconnecting ends with disconnected(offline), no endless retries", async () => {
    const s = await start({ length: 10_000 });
    const events = await collect(client(s), () => {
      s.addFault(`offline@room=${user}`);
      s.addFault("drop@after=20,once");
    });
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "offline" });
    // The end of the stream was not seen: the window is reported, not silently lost.
    expect(events.filter((e) => e.type === "gap").map((e) => e.type === "gap" && e.reason)).toEqual([
      "offline",
    ]);
  });
});

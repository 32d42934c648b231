import { startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { runWatch } from "./commands/watch.js";
import type { JsonEvent, JsonValue } from "./format.js";
import { runCli } from "./run-cli.js";
import { memoryIo, stackTraceLine } from "./test-helpers.js";

const fast = ["--sim-rate", "200", "--sim-length", "150"];

// Every id anywhere in an event (msgId, userId, roomId, giftId, nested users...) is a string.
function expectIdsAreStrings(value: JsonValue, path = ""): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) expectIdsAreStrings(item, `${path}[${i}]`);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (["msgId", "userId", "roomId", "giftId"].includes(key))
        expect(typeof item, `${path}.${key}`).toBe("string");
      expectIdsAreStrings(item, `${path}.${key}`);
    }
  }
}

// The stream's own events (one or more per message), keyed by name and msgId.
function messageKeys(events: JsonEvent[]): string[] {
  return events
    .filter((e) => typeof e["msgId"] === "string" && e.event !== "rawData" && e.event !== "decodedData")
    .map((e) => `${e.event}:${String(e["msgId"])}`);
}

describe("tiklive watch --json", () => {
  it("prints every event of a stream as NDJSON, each once, flushed per event, and exits 0 at the stream end", async () => {
    const out = memoryIo();
    const code = await runCli(["watch", "sim_streamer", "--simulator", "--json", ...fast], out.io);
    expect(code).toBe(0);
    expect(out.stderr()).toBe("");
    const events = out.events();
    expect(out.writes()).toBe(events.length);
    for (const event of events) expectIdsAreStrings(event);
    expect(out.stdout()).not.toContain('"raw"');
    expect(out.stdout()).not.toContain("$typeName");

    const keys = messageKeys(events);
    expect(new Set(keys).size).toBe(keys.length);
    const names = new Set(events.map((e) => e.event));
    for (const name of [
      "chat",
      "gift",
      "giftCompleted",
      "member",
      "like",
      "follow",
      "share",
      "roomUser",
      "controlMessage",
      "streamEnd",
    ])
      expect(names, name).toContain(name);
    expect(names).not.toContain("rawData");
    // Each step of a streak, its end, and one giftCompleted per streak.
    expect(events.some((e) => e.event === "gift" && e["isStreaking"] === true)).toBe(true);
    expect(events.some((e) => e.event === "gift" && e["repeatEnd"] === true)).toBe(true);
    // The initial history (the sign response's backlog).
    expect(events.filter((e) => e["isHistory"] === true).length).toBeGreaterThan(0);

    expect(events[0]).toMatchObject({
      event: "connected",
      uniqueId: "sim_streamer",
      transport: "websocket",
      reconnected: false,
    });
    expect(events.at(-1)).toEqual({ event: "disconnected", reason: "streamEnd" });
    expect(events.findIndex((e) => e.event === "streamEnd")).toBeGreaterThan(
      events.findIndex((e) => e.event === "controlMessage"),
    );
  });

  it("prints every message of the scenario exactly once across a drop (1006) and an error close (4001)", async () => {
    await using sim = await startSimulator({
      rate: 200,
      length: 150,
      faults: ["drop@after=40,conn=1", "close=4001@after=40,conn=2"],
    });
    const out = memoryIo();
    const code = await runWatch(
      {
        uniqueId: "sim_streamer",
        json: true,
        connection: {
          signUrl: sim.signUrl,
          webUrl: sim.webUrl,
          apiKey: undefined,
          transport: "auto",
          proxy: undefined,
          simulator: undefined,
        },
        clientOptions: { reconnect: { initialDelayMs: 20, jitter: 0 } },
      },
      out.io,
    );
    expect(code).toBe(0);
    const events = out.events();
    expect(events.filter((e) => e.event === "reconnecting")).toHaveLength(2);
    expect(events.filter((e) => e.event === "connected" && e["reconnected"] === true)).toHaveLength(2);
    expect(sim.connections().filter((c) => c.kind === "ws")).toHaveLength(3);

    const printed = events.filter((e) => typeof e["msgId"] === "string").map((e) => String(e["msgId"]));
    const expected = new Set(
      sim
        .room("sim_streamer")
        .scenario()
        .map((m) => m.msgId),
    );
    expect(new Set(printed)).toEqual(expected);
    const keys = messageKeys(events);
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.at(-1)).toEqual({ event: "disconnected", reason: "streamEnd" });
  });

  it("exits 1 with the cause when a reconnect fails for good, after printing the error (once) and disconnected", async () => {
    await using sim = await startSimulator({
      rate: 200,
      length: 150,
      faults: ["close=4001@after=5,conn=1", "handshake-reject@conn=2"],
    });
    const out = memoryIo();
    const code = await runWatch(
      {
        uniqueId: "sim_streamer",
        json: true,
        connection: {
          signUrl: sim.signUrl,
          webUrl: sim.webUrl,
          apiKey: undefined,
          transport: "ws",
          proxy: undefined,
          simulator: undefined,
        },
        clientOptions: { reconnect: { maxAttempts: 2, initialDelayMs: 10, jitter: 0 } },
      },
      out.io,
    );
    expect(code).toBe(1);
    const events = out.events();
    expect(events.filter((e) => e.event === "reconnecting")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      event: "disconnected",
      reason: "error",
      error: { code: "handshake_rejected", retryable: false },
    });
    // The client emits the final error from its reconnect loop and again as it tears down: printed once.
    expect(events.filter((e) => e.event === "error" && e["code"] === "handshake_rejected")).toHaveLength(1);
    const keys = messageKeys(events);
    expect(new Set(keys).size).toBe(keys.length);
    expect(out.stderr()).toContain(
      "tiklive: handshake_rejected: the push server rejected the handshake: 417 illegal secret key\n",
    );
    expect(out.stderr()).not.toMatch(stackTraceLine);
  });

  it("errors not among --events go to stderr, each once", async () => {
    await using sim = await startSimulator({
      rate: 200,
      length: 150,
      faults: ["close=4001@after=5,conn=1", "handshake-reject@conn=2"],
    });
    const out = memoryIo();
    const code = await runWatch(
      {
        uniqueId: "sim_streamer",
        json: true,
        events: ["chat"],
        connection: {
          signUrl: sim.signUrl,
          webUrl: sim.webUrl,
          apiKey: undefined,
          transport: "ws",
          proxy: undefined,
          simulator: undefined,
        },
        clientOptions: { reconnect: { initialDelayMs: 10, jitter: 0 } },
      },
      out.io,
    );
    expect(code).toBe(1);
    expect(new Set(out.events().map((e) => e.event))).toEqual(new Set(["chat"]));
    const stderr = out
      .stderr()
      .split("\n")
      .filter((l) => l !== "");
    expect(stderr.filter((l) => l.includes("4001"))).toEqual([
      "tiklive: error: connection_closed: the push server closed the connection with code 4001",
    ]);
    expect(stderr.filter((l) => l.includes("417 illegal secret key") && !l.includes("warning"))).toEqual([
      "tiklive: handshake_rejected: the push server rejected the handshake: 417 illegal secret key",
    ]);
  });

  it("--transport ws uses the WebSocket only, poll polling only", async () => {
    for (const [transport, kind] of [
      ["ws", "ws"],
      ["poll", "poll"],
    ] as const) {
      await using sim = await startSimulator({ rate: 200, length: 40 });
      const out = memoryIo();
      const code = await runCli(
        [
          "watch",
          "sim_gamer",
          "--json",
          "--transport",
          transport,
          "--sign-url",
          sim.signUrl,
          "--web-url",
          sim.webUrl,
        ],
        out.io,
      );
      expect(code).toBe(0);
      const events = out.events();
      expect(events[0]).toMatchObject({
        event: "connected",
        transport: transport === "ws" ? "websocket" : "polling",
      });
      expect(sim.connections().map((c) => c.kind)).toEqual([kind]);
      expect(events.filter((e) => e.event === "streamEnd")).toHaveLength(1);
    }
  });

  it("--events prints only the events asked for", async () => {
    const out = memoryIo();
    const code = await runCli(
      ["watch", "sim_streamer", "--simulator", "--json", "--events", "chat,giftCompleted", ...fast],
      out.io,
    );
    expect(code).toBe(0);
    const names = new Set(out.events().map((e) => e.event));
    expect([...names].sort()).toEqual(["chat", "giftCompleted"]);
  });

  it("--simulator gives any valid uniqueId a live room", async () => {
    const out = memoryIo();
    expect(
      await runCli(
        ["watch", "@Someone.Else", "--simulator", "--json", "--sim-rate", "200", "--sim-length", "30"],
        out.io,
      ),
    ).toBe(0);
    expect(out.events()[0]).toMatchObject({ event: "connected", uniqueId: "someone.else" });
    expect(out.events().some((e) => e.event === "streamEnd")).toBe(true);
  });

  it("--duration disconnects cleanly and exits 0", async () => {
    const out = memoryIo();
    const started = Date.now();
    const code = await runCli(
      ["watch", "sim_streamer", "--simulator", "--json", "--sim-rate", "5", "--duration", "0.8"],
      out.io,
    );
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.events().at(-1)).toEqual({ event: "disconnected", reason: "client" });
    expect(out.stderr()).toBe("");
  });

  it("an aborted signal (SIGINT, SIGTERM) disconnects and exits 0", async () => {
    const stop = new AbortController();
    const out = memoryIo({
      signal: stop.signal,
      stdout: (text) => {
        if (text.includes('"chat"')) stop.abort();
      },
    });
    const code = await runCli(["watch", "sim_streamer", "--simulator", "--json", "--sim-rate", "20"], out.io);
    expect(code).toBe(0);
    expect(stop.signal.aborted).toBe(true);
  });
});

describe("tiklive watch (lines)", () => {
  it("prints one readable line per event, without colour when stdout is not a terminal", async () => {
    const out = memoryIo();
    expect(
      await runCli(
        ["watch", "sim_streamer", "--simulator", "--sim-rate", "200", "--sim-length", "60"],
        out.io,
      ),
    ).toBe(0);
    const lines = out.lines();
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d connected +connected to @sim_streamer .* over websocket$/);
    expect(lines.some((l) => /^\d\d:\d\d:\d\d chat +@\S+: /.test(l))).toBe(true);
    expect(lines.at(-2)).toMatch(/streamEnd +the stream ended$/);
    expect(lines.at(-1)).toMatch(/disconnected +disconnected \(streamEnd\)$/);
    expect(out.stdout()).not.toContain("\u001b[");
    expect(out.stderr()).toBe("");
  });

  it("colours on a terminal, unless NO_COLOR is set", async () => {
    const tty = memoryIo({ stdoutIsTTY: true });
    await runCli(["watch", "sim_streamer", "--simulator", "--sim-rate", "200", "--sim-length", "20"], tty.io);
    expect(tty.stdout()).toContain("\u001b[");
    const noColor = memoryIo({ stdoutIsTTY: true, env: { NO_COLOR: "1" } });
    await runCli(
      ["watch", "sim_streamer", "--simulator", "--sim-rate", "200", "--sim-length", "20"],
      noColor.io,
    );
    expect(noColor.stdout()).not.toContain("\u001b[");
    expect(noColor.lines().length).toBeGreaterThan(10);
  });
});

import { startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { gapSummary, runWatch } from "./commands/watch.js";
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

// The stream's own events (one per message), keyed by name and msgId.
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
    // One message, one line: no msgId under two event names (a subscription is not also subNotify).
    const ids = keys.map((k) => k.slice(k.indexOf(":") + 1));
    expect(new Set(ids).size).toBe(ids.length);
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
      "subscribe",
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
    expect(names).not.toContain("subNotify");
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

describe("tiklive watch: a run that lost events exits 3", () => {
  it("a frame destroyed on the way: exit 3, the gap printed, and one summary line on stderr; a clean run exits 0", async () => {
    const lossy = memoryIo();
    const code = await runCli(
      [
        "watch",
        "sim_streamer",
        "--simulator",
        "--json",
        ...fast,
        "--sim-fault",
        "corrupt-gzip@after=20,destroy",
      ],
      lossy.io,
    );
    expect(code).toBe(3);
    const events = lossy.events();
    const gaps = events.filter((e) => e.event === "gap");
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ reason: "badFrame" });
    expect(typeof gaps[0]?.["logId"]).toBe("string");
    // The stream itself ran to its end.
    expect(events.at(-1)).toEqual({ event: "disconnected", reason: "streamEnd" });
    expect(lossy.stderr()).toBe("tiklive: 1 gap: events may be missing (1 bad frame)\n");

    const clean = memoryIo();
    expect(await runCli(["watch", "sim_streamer", "--simulator", "--json", ...fast], clean.io)).toBe(0);
    expect(clean.stderr()).toBe("");
  });

  it("gaps count even when not printed (--events), in lines mode too", async () => {
    const out = memoryIo();
    const code = await runCli(
      [
        "watch",
        "sim_streamer",
        "--simulator",
        "--events",
        "chat",
        ...fast,
        "--sim-fault",
        "corrupt-frame@after=20,destroy",
        "--sim-fault",
        "corrupt-gzip@after=60,destroy",
      ],
      out.io,
    );
    expect(code).toBe(3);
    expect(out.lines().every((l) => / chat +/.test(l))).toBe(true);
    expect(out.stderr()).toBe("tiklive: 2 gaps: events may be missing (2 bad frames)\n");
  });

  it("a run that fails keeps exit 1, and still says what was missed", async () => {
    await using sim = await startSimulator({
      rate: 200,
      length: 150,
      faults: [
        "corrupt-gzip@after=5,destroy,conn=1",
        "close=4001@after=20,conn=1",
        "handshake-reject@conn=2",
      ],
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
        clientOptions: { reconnect: { maxAttempts: 1, initialDelayMs: 10, jitter: 0 } },
      },
      out.io,
    );
    expect(code).toBe(1);
    const stderr = out
      .stderr()
      .split("\n")
      .filter((l) => l !== "");
    expect(stderr.at(-1)).toBe("tiklive: 1 gap: events may be missing (1 bad frame)");
    expect(stderr.some((l) => l.startsWith("tiklive: handshake_rejected: "))).toBe(true);
  });

  it("the summary line counts each kind of gap", () => {
    expect(gapSummary(["badFrame"])).toBe("tiklive: 1 gap: events may be missing (1 bad frame)");
    expect(gapSummary(["noCursor", "badFrame", "badFrame"])).toBe(
      "tiklive: 3 gaps: events may be missing (2 bad frames, 1 reconnect without cursor)",
    );
    expect(gapSummary(["offline", "noCursor", "noCursor"])).toBe(
      "tiklive: 3 gaps: events may be missing (2 reconnects without cursor, 1 room end while reconnecting)",
    );
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeFetchResult,
  ErrorCode,
  encodeFetchResult,
  encodePushFrame,
  type SignedSession,
  type Signer,
  TikLiveError,
  type Transport,
  type TransportEvent,
} from "@tiklive/core";
import { parseRecording, startSimulator } from "@tiklive/simulator";
import { until } from "@tiklive/test-support/wait";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonEvent } from "./format.js";
import {
  createRecordingSigner,
  createRecordingTransport,
  createSessionRecorder,
} from "./recording-transport.js";
import { runCli } from "./run-cli.js";
import { memoryIo } from "./test-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tiklive-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What must be the same in a replay: every event of the stream (all fields: the message
// bytes are replayed as recorded), and every finished gift. The client's own events carry
// ports and signer names, so they are left out.
function streamEvents(events: JsonEvent[]): JsonEvent[] {
  return events.filter((e) => typeof e["msgId"] === "string" || e.event === "giftCompleted");
}

async function watchJson(
  signUrl: string,
  webUrl: string,
  uniqueId = "sim_streamer",
  transport = "auto",
): Promise<JsonEvent[]> {
  const out = memoryIo();
  expect(
    await runCli(
      ["watch", uniqueId, "--json", "--transport", transport, "--sign-url", signUrl, "--web-url", webUrl],
      out.io,
    ),
  ).toBe(0);
  return out.events();
}

describe("tiklive record", () => {
  it.each(["ws", "poll"] as const)(
    "records a session (--transport %s) that replays to the same events",
    async (transport) => {
      // Two simulators with the same seed and start time stream byte-identical messages:
      // one is watched, the other recorded. Their timelines start together, once both clients
      // are connected, so neither client's join time changes what it receives.
      const same = {
        seed: 42,
        startTime: 1_767_225_600_000,
        rate: 200,
        length: 120,
        startMode: "manual" as const,
      };
      await using watched = await startSimulator(same);
      await using recorded = await startSimulator(same);
      // The same first tick in both: the sign responses' history.
      watched.room("sim_streamer").advance(1);
      recorded.room("sim_streamer").advance(1);
      const file = join(dir, `session-${transport}.ndjson`);
      const rec = memoryIo();
      const bothConnected = (async () => {
        await until(() => watched.connections().length > 0 && recorded.connections().length > 0, {
          timeoutMs: 15_000,
          what: "both clients to connect",
        });
        watched.room("sim_streamer").start();
        recorded.room("sim_streamer").start();
      })();
      const [original, code] = await Promise.all([
        watchJson(watched.signUrl, watched.webUrl, "sim_streamer", transport),
        runCli(
          [
            "record",
            "sim_streamer",
            "--out",
            file,
            "--transport",
            transport,
            "--sign-url",
            recorded.signUrl,
            "--web-url",
            recorded.webUrl,
          ],
          rec.io,
        ),
      ]);
      await bothConnected;
      expect(code).toBe(0);
      expect(rec.stdout()).toBe("");
      expect(rec.stderr()).toMatch(
        /^tiklive: recording @sim_streamer \(room \d+\) over (websocket|polling) to .*\ntiklive: wrote \d+ frames \(\d+ messages\) to /,
      );

      const text = readFileSync(file, "utf8");
      const recording = parseRecording(text);
      expect(recording.header).toMatchObject({
        format: "tiklive-recording",
        version: 1,
        uniqueId: "sim_streamer",
        roomId: recorded.room("sim_streamer").roomId,
      });
      const [first, ...rest] = recording.frames;
      // The sign server's first fetch result, with the initial history, at t = 0.
      expect(first).toMatchObject({ t: 0, payloadType: "fetch", logId: "0" });
      expect(decodeFetchResult(first?.payload ?? new Uint8Array()).messages.length).toBeGreaterThan(0);
      if (transport === "ws") {
        expect(rest.some((f) => f.payloadType === "msg" && f.logId !== "0")).toBe(true);
        expect(rest.some((f) => f.payloadType === "im_enter_room_resp")).toBe(true);
      } else {
        expect(rest.every((f) => f.payloadType === "fetch")).toBe(true);
      }
      // Every message the recorded room published is in the file.
      const inFile = new Set(
        recording.frames
          .filter((f) => f.payloadType === "msg" || f.payloadType === "fetch")
          .flatMap((f) => decodeFetchResult(f.payload).messages.map((m) => m.msgId)),
      );
      for (const message of recorded.room("sim_streamer").scenario()) expect(inFile).toContain(message.msgId);

      // Replay it and watch again.
      await using replay = await startSimulator({ scenario: parseRecording(text) });
      const replayed = await watchJson(replay.signUrl, replay.webUrl);
      expect(streamEvents(replayed).length).toBeGreaterThan(100);
      expect(streamEvents(replayed)).toEqual(streamEvents(original));
    },
  );

  it("writes nothing when the session never started, and exits 1", async () => {
    await using sim = await startSimulator();
    const file = join(dir, "never.ndjson");
    const out = memoryIo();
    expect(
      await runCli(
        ["record", "sim_offline", "--out", file, "--sign-url", sim.signUrl, "--web-url", sim.webUrl],
        out.io,
      ),
    ).toBe(1);
    expect(out.stderr()).toMatch(/^tiklive: user_offline: /);
    expect(() => readFileSync(file)).toThrow();
  });

  it("refuses an --out in a directory that does not exist before connecting", async () => {
    await using sim = await startSimulator();
    const out = memoryIo();
    expect(
      await runCli(
        [
          "record",
          "sim_streamer",
          "--out",
          join(dir, "missing", "s.ndjson"),
          "--sign-url",
          sim.signUrl,
          "--web-url",
          sim.webUrl,
        ],
        out.io,
      ),
    ).toBe(1);
    expect(out.stderr()).toContain("cannot write");
    expect(sim.signRequests()).toHaveLength(0);
  });

  it("records with --simulator and --duration", async () => {
    const file = join(dir, "sim.ndjson");
    const out = memoryIo();
    expect(
      await runCli(
        ["record", "someone", "--simulator", "--sim-rate", "50", "--duration", "0.5", "--out", file],
        out.io,
      ),
    ).toBe(0);
    const recording = parseRecording(readFileSync(file, "utf8"));
    expect(recording.header.uniqueId).toBe("someone");
    expect(recording.frames.length).toBeGreaterThan(1);
  });
});

describe("recording wrappers", () => {
  const messages = [
    { method: "WebcastChatMessage", payload: new Uint8Array([10, 0]), msgId: "7400000000000000001" },
  ];
  const fetchResult = decodeFetchResult(
    encodeFetchResult({ messages, cursor: "c1", internalExt: "ext", pushServer: "ws://127.0.0.1:1/" }),
  );
  const session: SignedSession = {
    roomId: "7300993857827228449",
    fetchResult,
    cookies: [],
    userAgent: "UA",
    signer: "fake",
    receivedAt: 1_000,
  };
  const msgFrame = encodePushFrame({
    payloadType: "msg",
    logId: "77",
    headers: { compress_type: "none" },
    payload: encodeFetchResult({ messages, cursor: "c2" }),
  });

  function fakeTransport(kind: string, events: TransportEvent[]): Transport & { closed: number } {
    const transport = {
      kind,
      closed: 0,
      connect: () => ({
        kind,
        close: async () => {
          transport.closed += 1;
        },
        async *[Symbol.asyncIterator]() {
          yield* events;
        },
      }),
    };
    return transport;
  }

  it("the transport passes every event through unchanged and records results and frames with their times", async () => {
    let clock = 1_000;
    const recorder = createSessionRecorder({ uniqueId: "someone", now: () => clock });
    const signer: Signer = {
      name: "fake",
      sign: async () => session,
      resolveRoomId: async () => ({ roomId: "1", isLive: true }),
    };
    const recordingSigner = createRecordingSigner(signer, recorder);
    expect(recordingSigner.name).toBe("fake");
    expect(await recordingSigner.resolveRoomId?.("someone")).toEqual({ roomId: "1", isLive: true });
    expect(recorder.recording()).toBeUndefined();
    await recordingSigner.sign({ roomId: session.roomId, userAgent: "UA", platform: "web" });

    const events: TransportEvent[] = [
      { type: "open", transport: "websocket" },
      {
        type: "result",
        result: decodeFetchResult(encodeFetchResult({ messages, cursor: "c2" })),
        logId: "77",
        frame: msgFrame,
        receivedAt: 1_250,
      },
      {
        type: "frame",
        frame: {
          seqId: "0",
          logId: "0",
          service: "",
          method: "",
          headers: {},
          payloadEncoding: "",
          payloadType: "hb",
          payload: new Uint8Array(),
        },
        receivedAt: 1_300,
      },
      {
        type: "frameError",
        error: new TikLiveError(ErrorCode.MalformedFrame, "bad"),
        frame: new Uint8Array([255]),
        receivedAt: 1_400,
      },
      { type: "closed", code: 1000, reason: "" },
    ];
    const inner = fakeTransport("websocket", events);
    const transport = createRecordingTransport(inner, recorder);
    expect(transport.kind).toBe("websocket");
    const connection = transport.connect({ session });
    const seen: TransportEvent[] = [];
    for await (const event of connection) seen.push(event);
    expect(seen).toEqual(events);
    await connection.close();
    expect(inner.closed).toBe(1);
    clock = 2_000;

    const recording = recorder.recording();
    expect(recording?.header).toMatchObject({
      uniqueId: "someone",
      roomId: "7300993857827228449",
      recordedAt: new Date(1_000).toISOString(),
    });
    expect(recording?.frames.map((f) => [f.t, f.payloadType, f.logId])).toEqual([
      [0, "fetch", "0"],
      [250, "msg", "77"],
      [300, "hb", "0"],
    ]);
    expect(recorder.stats()).toEqual({ frames: 3, messages: 2, skipped: 1 });
    // The NDJSON parses back as the simulator reads it.
    expect(parseRecording(recorder.toNdjson() ?? "").frames).toHaveLength(3);
  });

  it("records a polling response body as a fetch line", async () => {
    const recorder = createSessionRecorder({ uniqueId: "someone", now: () => 1_000 });
    recorder.addSignedSession(session);
    const body = encodeFetchResult({ messages, cursor: "c3" });
    const transport = createRecordingTransport(
      fakeTransport("polling", [
        { type: "result", result: decodeFetchResult(body), logId: "0", frame: body, receivedAt: 1_500 },
      ]),
      recorder,
    );
    for await (const _ of transport.connect({ session })) void _;
    expect(recorder.recording()?.frames.map((f) => [f.t, f.payloadType])).toEqual([
      [0, "fetch"],
      [500, "fetch"],
    ]);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { decodeFetchResult, encodeFetchResult, encodePushFrame, TikLiveError } from "@tiklive/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createRecorder,
  formatRecording,
  parseRecording,
  type Recording,
  readRecording,
  writeRecording,
} from "./recording/recording.js";
import { startSimulator } from "./simulator.js";
import type { Simulator } from "./simulator-types.js";
import { connect, ids } from "./test-helpers.js";

let sim: Simulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function errorOf(fn: () => unknown): TikLiveError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TikLiveError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("recording format", () => {
  it("records received frames (gzip stored inflated), formats NDJSON and parses it back", () => {
    let now = 1_000;
    const recorder = createRecorder({
      uniqueId: "someone",
      roomId: "7300993857827228449",
      recordedAt: "2026-01-01T00:00:00.000Z",
      now: () => now,
    });
    const result = encodeFetchResult({
      messages: [
        {
          method: "WebcastChatMessage",
          payload: Uint8Array.of(0x1a, 0x02, 0x68, 0x69),
          msgId: "7300000000000000001",
        },
      ],
      cursor: "c",
      internalExt: "ie",
    });
    now = 1_250;
    recorder.addFrame(
      encodePushFrame({
        logId: "7300000000000000009",
        headers: { compress_type: "gzip" },
        payloadEncoding: "pb",
        payloadType: "msg",
        payload: gzipSync(result),
      }),
    );
    now = 1_300;
    recorder.addFrame(
      encodePushFrame({
        payloadEncoding: "pb",
        payloadType: "im_enter_room_resp",
        payload: Uint8Array.of(8, 1),
      }),
    );
    recorder.addFetchResult(result, 1_400);
    const text = recorder.toNdjson();
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      format: "tiklive-recording",
      version: 1,
      uniqueId: "someone",
      roomId: "7300993857827228449",
      recordedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(lines[1]).toMatchObject({
      t: 250,
      payloadType: "msg",
      logId: "7300000000000000009",
      headers: { compress_type: "gzip" },
    });
    expect(Buffer.from(lines[1]?.payload as string, "base64")).toEqual(Buffer.from(result));
    expect(lines[2]).toMatchObject({ t: 300, payloadType: "im_enter_room_resp", logId: "0" });
    expect(lines[3]).toMatchObject({ t: 400, payloadType: "fetch" });
    const parsed = parseRecording(text);
    expect(parsed.header).toEqual(recorder.header);
    expect(parsed.frames.map((f) => [f.t, f.payloadType])).toEqual([
      [250, "msg"],
      [300, "im_enter_room_resp"],
      [400, "fetch"],
    ]);
    expect(decodeFetchResult(parsed.frames[0]?.payload ?? new Uint8Array()).cursor).toBe("c");
    expect(formatRecording(parsed)).toBe(text);
  });

  it.each([
    ["", 1, "empty"],
    ["not json", 1, "not JSON"],
    [
      '{"format":"other","version":1,"uniqueId":"a","roomId":"1","recordedAt":"2026-01-01T00:00:00Z"}',
      1,
      "format",
    ],
    [
      '{"format":"tiklive-recording","version":2,"uniqueId":"a","roomId":"1","recordedAt":"2026-01-01T00:00:00Z"}',
      1,
      "version",
    ],
    [
      '{"format":"tiklive-recording","version":1,"uniqueId":"a","roomId":1,"recordedAt":"2026-01-01T00:00:00Z"}',
      1,
      "roomId",
    ],
    [
      '{"format":"tiklive-recording","version":1,"uniqueId":"a","roomId":"1","recordedAt":"yesterday"}',
      1,
      "recordedAt",
    ],
    [`${header()}\n{"t":-1,"payloadType":"msg","logId":"1","headers":{},"payload":""}`, 2, '"t"'],
    [
      `${header()}\n{"t":5,"payloadType":"msg","logId":"1","headers":{},"payload":""}\n{"t":4,"payloadType":"msg","logId":"1","headers":{},"payload":""}`,
      3,
      "backwards",
    ],
    [`${header()}\n{"t":1,"payloadType":"","logId":"1","headers":{},"payload":""}`, 2, "payloadType"],
    [`${header()}\n{"t":1,"payloadType":"msg","logId":"x","headers":{},"payload":""}`, 2, "logId"],
    [`${header()}\n{"t":1,"payloadType":"msg","logId":"1","headers":{"a":1},"payload":""}`, 2, "header"],
    [`${header()}\n{"t":1,"payloadType":"msg","logId":"1","headers":{},"payload":"%%%"}`, 2, "base64"],
    [
      `${header()}\n{"t":1,"payloadType":"msg","logId":"1","headers":{},"payload":"/w=="}`,
      2,
      "not a fetch result",
    ],
    [`${header()}\n[1,2]`, 2, "JSON object"],
  ])("rejects bad input with invalid_input naming the line (%#)", (text, line, reason) => {
    const error = errorOf(() => parseRecording(text));
    expect(error.code).toBe("invalid_input");
    expect(error.details.line).toBe(line);
    expect(error.message).toContain(reason);
  });

  it("writes and reads files; a missing file is invalid_input", async () => {
    dir = await mkdtemp(join(tmpdir(), "tiklive-sim-"));
    const recorder = createRecorder({ uniqueId: "someone", roomId: "7300993857827228449" });
    recorder.addFetchResult(encodeFetchResult({ cursor: "c" }));
    const path = join(dir, "a.ndjson");
    await writeRecording(path, recorder);
    expect((await readRecording(path)).frames).toHaveLength(1);
    await expect(readRecording(join(dir, "missing.ndjson"))).rejects.toMatchObject({ code: "invalid_input" });
  });
});

function header(): string {
  return JSON.stringify({
    format: "tiklive-recording",
    version: 1,
    uniqueId: "a",
    roomId: "1",
    recordedAt: "2026-01-01T00:00:00Z",
  });
}

describe("replay", () => {
  it("records a simulated session with a plain client, then replays it as a room: same messages, same bytes, faster with speed", async () => {
    // 1. Record a session from one simulator.
    sim = await startSimulator({ rate: 1000, length: 50 });
    const source = sim.room("sim_streamer");
    const recorder = createRecorder({ uniqueId: "recorded_host", roomId: "7111111111111111111" });
    const { signed, client } = await connect(sim, source.roomId);
    recorder.addFetchResult(signed.body);
    client.ws.on("message", (data: Buffer) => recorder.addFrame(new Uint8Array(data)));
    await client.closed;
    const expected = source.scenario();
    await sim.close();

    // 2. Replay it: the recording's header names the room.
    dir = await mkdtemp(join(tmpdir(), "tiklive-sim-"));
    const path = join(dir, "session.ndjson");
    await writeFile(path, recorder.toNdjson());
    const recording: Recording = await readRecording(path);
    sim = await startSimulator({ scenario: recording, speed: 50 });
    expect(sim.rooms[0]).toEqual({ uniqueId: "recorded_host", roomId: "7111111111111111111", live: true });
    const replayed = sim.room("recorded_host");
    expect(replayed.snapshot().scenario).toBe("replay:recorded_host");
    expect(ids(replayed.scenario())).toEqual(ids(expected));
    const { signed: s2, client: c2 } = await connect(sim, replayed.roomId);
    const closed = await c2.closed;
    expect(closed.code).toBe(1000);
    const delivered = [...(s2.result?.messages ?? []), ...c2.messages];
    expect(ids(delivered)).toEqual(ids(expected));
    expect(delivered.map((m) => Buffer.from(m.payload).toString("hex"))).toEqual(
      expected.map((m) => Buffer.from(m.payload).toString("hex")),
    );
    // The other default rooms are still there.
    expect(sim.rooms.map((r) => r.uniqueId)).toEqual(["recorded_host", "sim_gamer", "sim_offline"]);
  });

  it("keeps the recorded timing, scaled by speed", async () => {
    const recorder = createRecorder({ uniqueId: "timed_host", roomId: "7222222222222222222", now: () => 0 });
    const frame = (n: number) =>
      encodeFetchResult({
        messages: [
          {
            method: "WebcastChatMessage",
            payload: Uint8Array.of(0x1a, 0x01, 0x61),
            msgId: String(7300000000000000000n + BigInt(n)),
          },
        ],
        cursor: "c",
      });
    recorder.addFetchResult(frame(1), 0);
    recorder.addFetchResult(frame(2), 1000);
    recorder.addFetchResult(frame(3), 2000);
    sim = await startSimulator({
      scenario: recorder.toRecording(),
      speed: 10,
      historySize: 0,
      startMode: "manual",
    });
    const room = sim.room("timed_host");
    expect(room.scenario().map((e) => e.atMs)).toEqual([0, 1000, 2000]);
    const ended = sim.waitFor((e) => e.type === "publish" && e.roomId === room.roomId && e.fromSeq === 2);
    const started = Date.now();
    room.start();
    await ended;
    const elapsed = Date.now() - started;
    // 2000 ms of recording at speed 10: about 200 ms.
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(1500);
  });
});

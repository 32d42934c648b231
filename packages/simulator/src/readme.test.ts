// The README's snippets are these tests' code: each test body between
// `// snippet:<name>` and `// end-snippet` must appear verbatim in the README.
import { readFileSync } from "node:fs";
import {
  decodeFetchResult,
  decodeMsgFrame,
  encodeAckFrame,
  encodeEnterRoomFrame,
  needsAck,
} from "@tiklive/core";
import { createRecorder, parseRecording, startSimulator } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const self = readFileSync(new URL(import.meta.url), "utf8");

function snippet(name: string): string {
  const start = self.indexOf(`// snippet:${name}\n`);
  const end = self.indexOf("// end-snippet", start);
  const lines = self.slice(start, end).split("\n").slice(1, -1);
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
}

describe("README snippets", () => {
  it("quick start: start, sign, connect with a plain ws client, read the stream, close", async () => {
    const lines: string[] = [];
    const log = (...args: unknown[]) => lines.push(args.join(" "));
    // snippet:quick-start
    const sim = await startSimulator({ rate: 200, length: 100 });
    const room = sim.room("sim_streamer");

    // 1. Sign: the Euler route below signUrl answers a raw ProtoMessageFetchResult.
    const res = await fetch(`${sim.signUrl}/webcast/rooms/${room.roomId}/connect?client=ttlive-node`);
    const first = decodeFetchResult(new Uint8Array(await res.arrayBuffer()));
    const cookie = (res.headers.get("x-set-tt-cookie") ?? "")
      .split(/,\s*(?=[\w-]+=)/)
      .map((c) => c.split(";")[0])
      .join("; ");

    // 2. Open the push socket from the first result, enter the room, ack what needs it.
    const query = new URLSearchParams({
      room_id: room.roomId,
      cursor: first.cursor,
      internal_ext: first.internalExt,
      compress: "gzip",
    });
    const ws = new WebSocket(`${first.pushServer}?${query}`, ["echo-protocol"], { headers: { cookie } });
    ws.on("open", () => ws.send(encodeEnterRoomFrame({ roomId: room.roomId })));
    let received = first.messages.length;
    ws.on("message", (data: Buffer) => {
      const decoded = decodeMsgFrame(new Uint8Array(data));
      if (decoded.result === undefined) return;
      received += decoded.result.messages.length;
      if (needsAck(decoded))
        ws.send(encodeAckFrame({ logId: decoded.frame.logId, internalExt: decoded.result.internalExt }));
    });

    // 3. The stream ends with a WebcastControlMessage (action 3), then a 1000 close.
    await new Promise((resolve) => ws.on("close", resolve));
    log(received === room.scenario().length); // true
    log(sim.connections()[0]?.missingAcks.length); // 0
    await sim.close();
    // end-snippet
    expect(lines).toEqual(["true", "0"]);
    expect(readme).toContain(snippet("quick-start"));
  });

  it("faults and inspection", async () => {
    // snippet:faults
    const sim = await startSimulator({ faults: ["sign-429@retry-after=3,once"] });
    const roomId = sim.room("sim_gamer").roomId;
    const limited = await fetch(`${sim.signUrl}/webcast/rooms/${roomId}/connect`);
    console.log(limited.status, limited.headers.get("retry-after")); // 429 3

    // Add one at run time, from the API or from another process:
    sim.addFault("drop@after=20,room=sim_gamer");
    await fetch(`${sim.webUrl}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ spec: "offline@room=sim_streamer" }),
    });
    console.log(sim.faults().map((f) => f.text)); // [ 'sign-429@retry-after=3,once', 'drop@after=20,room=sim_gamer', 'offline@room=sim_streamer' ]
    await sim.close();
    // end-snippet
    expect(limited.status).toBe(429);
    expect(sim.faults().map((f) => f.text)).toEqual([
      "sign-429@retry-after=3,once",
      "drop@after=20,room=sim_gamer",
      "offline@room=sim_streamer",
    ]);
    expect(readme).toContain(snippet("faults"));
  });

  it("recording", async () => {
    const sim = await startSimulator({ rate: 500, length: 20 });
    const roomId = sim.room("sim_streamer").roomId;
    const signResponse = new Uint8Array(
      await (await fetch(`${sim.signUrl}/webcast/rooms/${roomId}/connect`)).arrayBuffer(),
    );
    await sim.close();
    const frameBytes: Uint8Array[] = [];
    // snippet:recording
    const recorder = createRecorder({ uniqueId: "sim_streamer", roomId });
    recorder.addFetchResult(signResponse); // the sign server's body
    for (const bytes of frameBytes) recorder.addFrame(bytes); // each WebSocket frame, as received
    const ndjson = recorder.toNdjson(); // or: await writeRecording("session.ndjson", recorder)

    const replay = await startSimulator({ scenario: parseRecording(ndjson), speed: 4 });
    // end-snippet
    expect(replay.rooms[0]?.roomId).toBe(roomId);
    await replay.close();
    expect(readme).toContain(snippet("recording"));
  });
});

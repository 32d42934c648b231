// The client under faults: every fault of the simulator, applied to EVERY connection of a run
// (no `once`: each new connection meets it again), each run judged against the simulator's
// truth by one judge (testing/fault-judge.ts): nothing lost, duplicated or out of order, or,
// where the fault destroyed data, a gap naming exactly what was lost.
import type { Simulator, SimulatorOptions } from "@tiklive/simulator";
import { describe, expect, it } from "vitest";
import { type ClientEvent, type ClientOptions, TikLiveError, type TikTokLiveClient } from "./index.js";
import { clientHarness, collectEvents } from "./testing/client-harness.js";
import { expectJudged, judge, judgeRun, type RunTruth, type Verdict } from "./testing/fault-judge.js";

const user = "matrix_streamer";
const { start, client } = clientHarness(user);

interface Run {
  s: Simulator;
  c: TikTokLiveClient;
  events: ClientEvent[];
  verdict: Verdict;
}

// One bounded run: the stream is 150 messages at 300/s (0.5 s); a run that does not end within
// 5 s ends the iteration without `disconnected`, and the test fails on that. A sign answer
// carries at most 10 messages, so a resumed session gets the rest over its push connection,
// which meets the fault again: every run has as many connections as the fault allows.
async function run(
  sim: SimulatorOptions,
  options: ClientOptions = {},
  setUp?: (s: Simulator, c: TikTokLiveClient) => void,
): Promise<Run> {
  const s = await start({ maxResultMessages: 10, ...sim });
  const c = client(s, options);
  setUp?.(s, c);
  const events = await collectEvents(c, undefined, 5_000);
  return { s, c, events, verdict: judgeRun(s, user, events) };
}

const ofType = <T extends ClientEvent["type"]>(events: ClientEvent[], type: T) =>
  events.filter((e): e is Extract<ClientEvent, { type: T }> => e.type === type);

const wsConnections = (s: Simulator) => s.connections().filter((c) => c.kind === "ws");

describe("the fault matrix: each fault on every connection, judged against the scenario's truth", () => {
  // Faults that end the connection: the client reconnects each time, resuming from its cursor.
  it.each([
    ["drop (no close frame: 1006)", "drop@after=40", "drop", { code: 1006, by: "drop" }],
    ["close 1000 while live", "close=1000@after=40", "closed", { code: 1000, by: "server" }],
    ["close 1001", "close=1001@after=40", "closed", { code: 1001, by: "server" }],
    ["close 1011", "close=1011@after=40", "error", { code: 1011, by: "server" }],
    ["close 4001", "close=4001@after=40", "error", { code: 4001, by: "server" }],
  ])("%s: reconnects on every connection, loses nothing", async (_name, fault, reason, close) => {
    const { s, events, verdict } = await run({ faults: [fault] });
    expectJudged(verdict);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    const ws = wsConnections(s);
    // The fault ended several connections, each one met it: the last one saw the stream end.
    expect(ws.length).toBeGreaterThanOrEqual(3);
    for (const record of ws.slice(0, -1)) expect(record.close).toMatchObject(close);
    const reconnecting = ofType(events, "reconnecting");
    expect(reconnecting.map((e) => e.reason)).toEqual(ws.slice(1).map(() => reason));
    // One sign request per session: every reconnect signed again.
    expect(s.signRequests()).toHaveLength(ws.length);
    expect(ofType(events, "gap")).toEqual([]);
  });

  it("1006 cannot be sent in a close frame: a server makes it by dropping the socket", async () => {
    const s = await start();
    expect(() => s.addFault("close=1006")).toThrow(/not a close code a server may send/);
  });

  // The stream ends while the client waits out a stall; its resume ("drain") stalls again, so
  // it drains again from the new cursor, as long as each drain brings something.
  it("stall: no frames for longer than stallTimeoutMs on every connection reconnects each time, loses nothing", async () => {
    const { s, events, verdict } = await run({ faults: ["stall=1500@after=40"] }, { stallTimeoutMs: 300 });
    expectJudged(verdict);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    const reasons = ofType(events, "reconnecting").map((e) => e.reason);
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    expect(new Set(reasons)).toEqual(new Set(["stall"]));
    expect(wsConnections(s)).toHaveLength(reasons.length + 1);
  });

  // A bad frame is skipped: one socket and one sign request for the whole stream.
  it.each([
    ["a corrupt frame (not a push frame)", "corrupt-frame@after=20", "malformed_frame", false],
    ["corrupt gzip (an extra frame)", "corrupt-gzip@after=20", "decompression_failed", true],
  ])(
    "%s on every connection is skipped: one socket, one sign request, nothing lost",
    async (_name, fault, code, named) => {
      const { s, events, verdict } = await run({ faults: [fault] });
      expectJudged(verdict);
      expect(ofType(events, "reconnecting")).toEqual([]);
      expect(wsConnections(s)).toHaveLength(1);
      expect(s.signRequests()).toHaveLength(1);
      const errors = ofType(events, "decodeError");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ method: "", msgId: "", error: { code } });
      // The frame carried no scenario messages, but the client cannot know that: it says so,
      // naming the frame when its envelope decoded (the judge matched it to the simulator's record).
      const gaps = ofType(events, "gap");
      expect(gaps.map((g) => g.reason)).toEqual(["badFrame"]);
      const sent = wsConnections(s)[0]?.frames.find((f) => f.fault !== undefined);
      if (named) expect(gaps[0]).toMatchObject({ logId: sent?.logId, seqId: sent?.seqId });
      else expect(gaps[0]?.logId).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    },
  );

  it.each([
    ["corrupt gzip", "corrupt-gzip@after=20,destroy", "decompression_failed"],
    ["a payload that is not a fetch result", "corrupt-frame@after=20,destroy", "malformed_frame"],
  ])(
    "a destroyed batch (%s) on every connection: a gap names exactly that frame and its messages are all that is missing",
    async (_name, fault, code) => {
      const { s, events, verdict } = await run({ faults: [fault] });
      expectJudged(verdict);
      expect(verdict.destroyed).toHaveLength(1);
      const [frame] = verdict.destroyed;
      expect(frame?.msgIds.length).toBeGreaterThan(0);
      // What is missing is exactly that frame's messages.
      expect(verdict.lostToDestroyed).toEqual(frame?.msgIds);
      const missing = s
        .room(user)
        .scenario()
        .map((m) => m.msgId)
        .filter((id) => !verdict.delivered.includes(id));
      expect(missing).toEqual(frame?.msgIds);
      const gaps = ofType(events, "gap");
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ reason: "badFrame", logId: frame?.logId, seqId: frame?.seqId });
      expect(ofType(events, "decodeError")).toMatchObject([
        { method: "", msgId: "", logId: frame?.logId, seqId: frame?.seqId, error: { code } },
      ]);
      // Skipped, not reconnected: one socket, one sign request.
      expect(wsConnections(s)).toHaveLength(1);
      expect(s.signRequests()).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    },
  );

  it("a destroyed batch and a drop on every connection: each connection's lost frame is named by its gap, nothing else is missing", async () => {
    const { s, events, verdict } = await run({ faults: ["corrupt-gzip@after=10,destroy", "drop@after=40"] });
    expectJudged(verdict);
    const ws = wsConnections(s);
    expect(ws.length).toBeGreaterThanOrEqual(3);
    // Every connection that got 10 messages lost one batch; each loss is one named gap.
    expect(verdict.destroyed.length).toBeGreaterThanOrEqual(ws.length - 1);
    expect(new Set(verdict.destroyed.map((d) => d.connectionId)).size).toBe(verdict.destroyed.length);
    expect(ofType(events, "gap").map((g) => `${g.reason}:${g.logId}/${g.seqId}`)).toEqual(
      verdict.destroyed.map((d) => `badFrame:${d.logId}/${d.seqId}`),
    );
    expect(verdict.lostToDestroyed).toEqual(verdict.destroyed.flatMap((d) => d.msgIds));
    expect(ofType(events, "reconnecting").map((e) => e.reason)).toEqual(ws.slice(1).map(() => "drop"));
  });

  it.each([
    ["a corrupt inner message (bad-payload)", "bad-payload@after=30", "decodeError"],
    ["an unknown method", "unknown-method@after=30", "unknownMessage"],
  ])(
    "%s on every connection: one event for the odd message, everything else exactly",
    async (_name, fault, type) => {
      const { s, events, verdict } = await run({ faults: [fault] });
      expectJudged(verdict);
      expect(verdict.extras.map((e) => e.deliveredAs)).toEqual([[type]]);
      if (type === "decodeError") {
        expect(ofType(events, "decodeError")).toMatchObject([
          { method: "WebcastChatMessage", msgId: verdict.extras[0]?.msgId },
        ]);
      }
      expect(ofType(events, "reconnecting")).toEqual([]);
      expect(ofType(events, "gap")).toEqual([]);
      expect(wsConnections(s)).toHaveLength(1);
    },
  );

  it("uncompressed frames although gzip was asked (no-gzip): read as they are, nothing lost", async () => {
    const { s, events, verdict } = await run({ faults: ["no-gzip"] });
    expectJudged(verdict);
    const [record] = wsConnections(s);
    expect(record?.query["compress"]).toBe("gzip");
    expect(record?.gzip).toBe(false);
    expect(record?.frames.filter((f) => f.payloadType === "msg").every((f) => !f.gzip)).toBe(true);
    expect(ofType(events, "decodeError")).toEqual([]);
  });

  it("a burst with no pacing: the whole stream back to back, every needAck frame acked before the close, on every connection", async () => {
    // Manual start: nothing is published until the test publishes every tick in one go; each
    // connection closes (1000) after 120 messages, so the first one closes right after its burst.
    const { s, verdict } = await run(
      { startMode: "manual", length: 300, maxBatch: 2, ackFraction: 1, faults: ["close=1000@after=120"] },
      {},
      (sim, c) => c.once("connected", () => sim.room(user).advance(10_000)),
    );
    expectJudged(verdict);
    const ws = wsConnections(s);
    expect(ws.length).toBeGreaterThanOrEqual(2);
    for (const record of ws) {
      const needAck = record.frames.filter((f) => f.needAck);
      expect(needAck.length).toBeGreaterThan(0);
      expect(record.missingAcks).toEqual([]);
      expect(record.acks.filter((a) => !a.ok)).toEqual([]);
      expect(record.acks.map((a) => a.logId).sort()).toEqual(needAck.map((f) => f.logId).sort());
    }
    // The first connection's frames went out within one turn of the event loop.
    const first = ws[0]?.frames.filter((f) => f.payloadType === "msg") ?? [];
    expect(first.length).toBeGreaterThanOrEqual(60);
    expect((first.at(-1)?.at ?? 0) - (first[0]?.at ?? 0)).toBeLessThan(200);
  });

  it("a 429 with Retry-After on every re-sign: waits the retry time, then resumes; nothing lost", async () => {
    // Armed again on every connect: the first sign request of each reconnect meets a 429. (A
    // sign answer may carry the whole rest here, so the 1 s waits stay few.)
    const { s, events, verdict } = await run(
      { faults: ["drop@after=60"], maxResultMessages: 100 },
      {},
      (sim, c) => c.on("connected", () => sim.addFault("sign-429@retry-after=1,once")),
    );
    expectJudged(verdict);
    const limited = ofType(events, "error")
      .map((e) => e.error)
      .filter((e) => e.code === "sign_rate_limited");
    const reconnects = ofType(events, "connected").filter((e) => e.reconnected);
    expect(reconnects.length).toBeGreaterThanOrEqual(1);
    expect(limited).toHaveLength(reconnects.length);
    for (const error of limited) {
      expect(error).toBeInstanceOf(TikLiveError);
      expect(error.retryAfterMs).toBe(1000);
    }
    // After each 429 the next attempt waited at least the retry time.
    const retries = ofType(events, "reconnecting").filter((e) => e.attempt > 1);
    expect(retries).toHaveLength(limited.length);
    for (const e of retries) expect(e.delayMs).toBeGreaterThanOrEqual(1000);
    expect(s.signRequests().filter((r) => r.status === 429)).toHaveLength(limited.length);
  });

  it("a stub answer from the signer on every re-sign: signer_degraded, retried, resumed; the stub's message is not delivered", async () => {
    // Armed again on every connect: the first sign request of each reconnect gets the stub.
    const { s, events, verdict } = await run({ faults: ["drop@after=40"] }, {}, (sim, c) =>
      c.on("connected", () => sim.addFault("sign-stub@once")),
    );
    // The judge would count the stub's WebcastRoomMessage as unexpected.
    expectJudged(verdict);
    const stubs = s.signRequests().filter((r) => r.fault === "sign-stub@once");
    const reconnects = ofType(events, "connected").filter((e) => e.reconnected);
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    expect(stubs).toHaveLength(reconnects.length);
    expect(ofType(events, "error").filter((e) => e.error.code === "signer_degraded")).toHaveLength(
      stubs.length,
    );
  });

  it("an offline room: connect() rejects with user_offline; nothing offered, nothing delivered", async () => {
    const s = await start({ faults: [`offline@room=${user}`] });
    const c = client(s);
    const events: ClientEvent[] = [];
    for (const name of ["connected", "gap", "disconnected", "chat"] as const)
      c.on(name, (e: ClientEvent) => events.push(e));
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe("user_offline");
    expect(c.getState().status).toBe("disconnected");
    expect(s.connections()).toEqual([]);
    const verdict = judgeRun(s, user, events);
    expectJudged(verdict, { partial: true });
    expect(verdict).toMatchObject({ expected: [], delivered: [], complete: false });
  });

  it("the room going offline while connected: resumes from the cursor while that brings messages, then disconnected(offline) with an offline gap; nothing lost before it", async () => {
    const { s, events, verdict } = await run({ length: 10_000 }, {}, (sim, c) =>
      c.once("connected", () => setTimeout(() => sim.addFault(`offline@room=${user}`), 100)),
    );
    // Partial: the scenario goes on publishing behind the fault, the client has stopped.
    expectJudged(verdict, { gaps: ["offline"], partial: true });
    expect(verdict.delivered.length).toBeGreaterThan(6);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "offline" });
    // Every connection met the fault: each closed with 1000 at once.
    for (const record of wsConnections(s)) expect(record.close).toMatchObject({ code: 1000, by: "server" });
    // Each resume while offline started from a later cursor than the one before, and there
    // were at most reconnect.maxAttempts (10) of them.
    const resumes = s
      .signRequests()
      .slice(1)
      .map((r) => String(r.query["cursor"]));
    expect(resumes.length).toBeGreaterThanOrEqual(1);
    expect(resumes.length).toBeLessThanOrEqual(10);
    expect(new Set(resumes).size).toBe(resumes.length);
  });

  it("a rejected handshake on every connection falls back to polling with the same session; nothing lost", async () => {
    const { s, events, verdict } = await run({ faults: ["handshake-reject@status=415,msg=DEVICE_BLOCKED"] });
    expectJudged(verdict);
    expect(events[0]).toMatchObject({ type: "connected", state: { transport: "polling" } });
    expect(s.connections().map((c) => [c.kind, c.state])).toEqual([
      ["ws", "rejected"],
      ["poll", "open"],
    ]);
    expect(s.signRequests()).toHaveLength(1);
  });
});

describe("resuming: the new session alone opens the push socket", () => {
  it("after a drop, the second push URL is what the second sign answer returned, and that sign request carried the last cursor", async () => {
    let cursorAtDrop = "";
    const { s, events } = await run({ faults: ["drop@after=40,once"] }, {}, (_sim, c) =>
      c.on("reconnecting", () => {
        cursorAtDrop = c.getState().cursor;
      }),
    );
    const drop = events.findIndex((e) => e.type === "reconnecting");
    const deliveredAtDrop = judge(
      { published: [], connections: [], signRequests: [] },
      events.slice(0, drop),
    );
    const signs = s.signRequests();
    const ws = wsConnections(s);
    expect(signs).toHaveLength(2);
    expect(ws).toHaveLength(2);
    const [first, second] = signs;
    const [old, resumed] = ws;

    // The sign request carried the last cursor the client had before the drop: that of the last
    // frame it read on the first connection (the one holding the last message it delivered).
    expect(cursorAtDrop).not.toBe("");
    expect(second?.query["cursor"]).toBe(cursorAtDrop);
    // (With an empty truth, the judge lists every message delivered as unexpected, in order.)
    const lastDelivered = deliveredAtDrop.unexpected.at(-1) ?? "";
    const frameOfLast = old?.frames.find((f) => f.msgIds.includes(lastDelivered));
    expect(frameOfLast?.cursor).toBe(cursorAtDrop);

    // The resumed push URL is exactly the second sign answer's: cursor, internal_ext, route params.
    const answer = second?.response;
    expect(answer).toBeDefined();
    expect(resumed?.query["cursor"]).toBe(answer?.cursor);
    expect(resumed?.query["internal_ext"]).toBe(answer?.internalExt);
    for (const [key, value] of Object.entries(answer?.routeParams ?? {}))
      expect(resumed?.query[key], key).toBe(value);
    expect(`ws://127.0.0.1:${s.port}${resumed?.path}`).toBe(answer?.pushServer);
    // Nothing of the old session: its internal_ext, cursor and route token appear nowhere in it.
    const oldAnswer = first?.response;
    expect(old?.query["internal_ext"]).toBe(oldAnswer?.internalExt);
    const values = resumed?.queryPairs.map(([, v]) => v) ?? [];
    expect(values).not.toContain(oldAnswer?.internalExt);
    expect(values).not.toContain(oldAnswer?.cursor);
    expect(values).not.toContain(oldAnswer?.routeParams["wrss"]);
  });
});

describe("the judge", () => {
  const published = ["a", "b", "c", "d", "e", "f"].map((msgId, seq) => ({
    seq,
    msgId,
    method: "WebcastChatMessage",
    injected: false,
  }));
  const frame = (msgIds: string[], extra: Record<string, unknown> = {}) => ({
    at: 0,
    seqId: "1",
    logId: "7",
    payloadType: "msg",
    needAck: false,
    gzip: false,
    msgIds,
    methods: msgIds.map(() => "WebcastChatMessage"),
    ...extra,
  });
  const truth = (frames: ReturnType<typeof frame>[]): RunTruth =>
    ({
      published,
      signRequests: [{ response: { msgIds: ["a", "b"] } }],
      connections: [{ id: "1", polls: [], frames }],
    }) as unknown as RunTruth;
  const chat = (msgId: string) => ({ type: "chat", msgId, method: "WebcastChatMessage" }) as ClientEvent;
  const gap = (logId?: string, seqId?: string) =>
    ({
      type: "gap",
      reason: "badFrame",
      from: 0,
      until: 0,
      lostMessages: undefined,
      logId,
      seqId,
    }) as ClientEvent;

  it("finds what was lost, repeated, reordered or made up", () => {
    const t = truth([frame(["c", "d"]), frame(["e", "f"])]);
    const v = judge(t, ["a", "b", "d", "c", "f", "c", "x"].map(chat));
    expect(v).toMatchObject({
      lost: ["e"],
      duplicated: ["c"],
      outOfOrder: ["c"],
      unexpected: ["x"],
      complete: true,
    });
    expect(judge(t, ["a", "b", "c", "d", "e", "f"].map(chat))).toMatchObject({
      lost: [],
      duplicated: [],
      outOfOrder: [],
      unexpected: [],
    });
    // The same message twice in a row is two deliveries; two events of one message are one.
    const streamEnd = { type: "streamEnd", msgId: "f", method: "WebcastControlMessage" } as ClientEvent;
    expect(judge(t, ["a", "b", "c", "c", "d", "e", "f"].map(chat)).duplicated).toEqual(["c"]);
    expect(judge(t, [...["a", "b", "c", "d", "e", "f"].map(chat), streamEnd]).duplicated).toEqual([]);
  });

  it("accepts a destroyed frame's messages as missing only when a gap names that frame", () => {
    const t = truth([
      frame(["c", "d"], { logId: "9", seqId: "3", fault: "x", lostMsgIds: ["c", "d"] }),
      frame(["e", "f"]),
    ]);
    const delivered = ["a", "b", "e", "f"].map(chat);
    const named = judge(t, [...delivered, gap("9", "3")]);
    expect(named).toMatchObject({
      lost: [],
      lostToDestroyed: ["c", "d"],
      unnamedDestroyed: [],
      unexplainedGaps: [],
    });
    expect(judge(t, delivered).unnamedDestroyed).toHaveLength(1);
    expect(judge(t, [...delivered, gap("9", "4")]).unexplainedGaps).toHaveLength(1);
    // A gap for a frame nothing corrupted is unexplained.
    expect(judge(truth([frame(["c", "d", "e", "f"])]), [...delivered, gap()]).unexplainedGaps).toHaveLength(
      1,
    );
  });
});

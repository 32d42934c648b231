// The conformance suite every Transport must pass against @tiklive/simulator (connect-es's
// idea): every scenario message arrives once and in order, acks and heartbeats where the
// transport has them, abort stops cleanly without leaked handles, and each fault mode
// yields the typed outcome it should. A transport package runs it from one test file:
//   transportContract({ kind: "websocket", create: (sim) => createWebSocketTransport(...) })
import {
  createEventDecoder,
  defaultUserAgent,
  type SignedSession,
  TikLiveError,
  type Transport,
  type TransportConnection,
  type TransportEvent,
} from "@tiklive/core";
import { createEulerSigner } from "@tiklive/signer";
import { type Simulator, type SimulatorOptions, startSimulator } from "@tiklive/simulator";
import { until } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";

export interface ContractTarget {
  kind: "websocket" | "polling";
  /** Makes the transport under test for a running simulator. */
  create(sim: Simulator, options?: { heartbeatIntervalMs?: number }): Transport;
}

const room = "contract_room";

interface Run {
  session: SignedSession;
  events: TransportEvent[];
  /** msgIds in delivery order: the session's initial messages, then every result's. */
  ids: string[];
  error: TikLiveError | undefined;
}

export function transportContract(target: ContractTarget): void {
  describe(`${target.kind} transport contract (against @tiklive/simulator)`, () => {
    let sim: Simulator | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });

    const start = async (options: SimulatorOptions = {}) => {
      sim = await startSimulator({
        rooms: [{ uniqueId: room }],
        rate: 500,
        length: 120,
        fetchIntervalMs: 10,
        ...options,
      });
      return sim;
    };

    const sign = (s: Simulator, cursor = "") =>
      createEulerSigner({ baseUrl: s.signUrl }).sign({
        roomId: s.room(room).roomId,
        cursor,
        userAgent: defaultUserAgent,
        platform: "web",
      });

    // Reads until the scenario's last message, a close, an error, or `stopAfter` results.
    const run = async (
      s: Simulator,
      connection: TransportConnection,
      session: SignedSession,
      stopAfter = Infinity,
    ): Promise<Run> => {
      const last = s.room(room).scenario().at(-1)?.msgId;
      const out: Run = {
        session,
        events: [],
        ids: session.fetchResult.messages.map((m) => m.msgId),
        error: undefined,
      };
      let results = 0;
      try {
        for await (const event of connection) {
          out.events.push(event);
          if (event.type === "result") {
            out.ids.push(...event.result.messages.map((m) => m.msgId));
            results += 1;
            if (event.result.messages.some((m) => m.msgId === last) || results >= stopAfter) break;
          }
        }
      } catch (error) {
        out.error = TikLiveError.from(error, "network_error");
      }
      await connection.close();
      return out;
    };

    const connectAndRun = async (s: Simulator, transport = target.create(s)) => {
      const session = await sign(s);
      return run(s, transport.connect({ session }), session);
    };

    const expectedIds = (s: Simulator) =>
      s
        .room(room)
        .scenario()
        .map((e) => e.msgId);
    const unique = (ids: string[]) => [...new Set(ids)];

    it("delivers every scenario message exactly once and in order, through the stream end", async () => {
      const s = await start();
      const result = await connectAndRun(s);
      expect(result.error).toBeUndefined();
      expect(result.events[0]?.type).toBe("open");
      expect(result.ids).toEqual(expectedIds(s));
    });

    it("decodes every delivered message with core (nothing the transport hands over is mangled)", async () => {
      const s = await start();
      const result = await connectAndRun(s);
      const decoder = createEventDecoder({ dedup: false });
      const events = result.events.flatMap((e) => (e.type === "result" ? decoder.decode(e.result) : []));
      expect(events.filter((e) => e.type === "decodeError" || e.type === "unknownMessage")).toEqual([]);
      expect(events.map((e) => e.type)).toContain("streamEnd");
    });

    if (target.kind === "websocket") {
      it("acks every frame that asks for it (logId + internalExt) and heartbeats with an increasing seq id", async () => {
        const s = await start({ rate: 100, length: 60 });
        const session = await sign(s);
        await run(s, target.create(s, { heartbeatIntervalMs: 40 }).connect({ session }), session);
        const record = s.connections().find((c) => c.kind === "ws");
        expect(record?.enterRoom).toHaveLength(1);
        expect(record?.frames.filter((f) => f.needAck).length).toBeGreaterThan(0);
        expect(record?.missingAcks).toEqual([]);
        expect(record?.acks.every((a) => a.ok)).toBe(true);
        const seqs = record?.heartbeats.map((h) => Number(h.seqId)) ?? [];
        expect(seqs.length).toBeGreaterThan(2);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        expect(record?.pingsReceived).toBe(0);
      });
    } else {
      it("carries cursor and internal_ext forward from poll to poll, with the session cookies", async () => {
        const s = await start({ rate: 100, length: 60 });
        await connectAndRun(s);
        const record = s.connections().find((c) => c.kind === "poll");
        expect(record?.cookies).toHaveProperty("ttwid");
        const polls = record?.polls ?? [];
        expect(polls.length).toBeGreaterThan(1);
        // Each poll asks from where the previous answer said to go on.
        for (let i = 1; i < polls.length; i++) {
          const previous = polls[i - 1];
          expect(polls[i]?.cursor).toBe(
            previous?.nextCursor === "" ? previous?.cursor : previous?.nextCursor,
          );
        }
      });
    }

    it("abort stops cleanly: iteration ends and no timer or socket is left behind", async () => {
      const s = await start({ rate: 20, length: 1000 });
      const baseline = process.getActiveResourcesInfo().length;
      const session = await sign(s);
      const controller = new AbortController();
      const connection = target.create(s).connect({ session, signal: controller.signal });
      const seen: string[] = [];
      for await (const event of connection) {
        seen.push(event.type);
        if (event.type === "result") controller.abort();
      }
      await connection.close();
      expect(seen[0]).toBe("open");
      // Let closed sockets release their handles.
      await until(() => process.getActiveResourcesInfo().length <= baseline, {
        timeoutMs: 500,
        what: "the transport's handles to close",
      });
    });

    // Fault modes: what the transport must make of each (docs/protocol.md §5.4; the simulator's fault grammar).
    const resumes = async (s: Simulator, first: Run) => {
      // A client resumes by signing again with the last cursor it saw, and opens only what the
      // new session returned: together the runs hold every message, in order.
      const cursor =
        [...first.events].reverse().find((e) => e.type === "result")?.type === "result"
          ? lastCursor(first)
          : first.session.fetchResult.cursor;
      const session = await sign(s, cursor);
      const second = await run(s, target.create(s).connect({ session }), session);
      expect(second.error).toBeUndefined();
      expect(unique([...first.ids, ...second.ids])).toEqual(expectedIds(s));
    };

    if (target.kind === "websocket") {
      it("drop: an abrupt drop is a connection_closed error (1006), nothing before it is lost, and a resume from the cursor recovers the rest", async () => {
        const s = await start({ faults: ["drop@after=30,once"] });
        const first = await connectAndRun(s);
        expect(first.error?.code).toBe("connection_closed");
        expect(first.error?.details["code"]).toBe(1006);
        expect(first.error?.retryable).toBe(true);
        expect(first.ids.length).toBeGreaterThanOrEqual(30);
        await resumes(s, first);
      });

      it("close with 4xxx: a connection_closed error carrying the code", async () => {
        const s = await start({ faults: ["close=4001@after=20,once,reason=kicked"] });
        const first = await connectAndRun(s);
        expect(first.error?.code).toBe("connection_closed");
        expect(first.error?.details).toMatchObject({ code: 4001, reason: "kicked" });
        await resumes(s, first);
      });

      it("close with 1000: a normal `closed` event, no error", async () => {
        const s = await start({ faults: ["close=1000@after=20,once"] });
        const first = await connectAndRun(s);
        expect(first.error).toBeUndefined();
        expect(first.events.at(-1)).toMatchObject({ type: "closed", code: 1000 });
        await resumes(s, first);
      });

      it("handshake rejected (HTTP 200 + handshake-status): a handshake_rejected error with both values", async () => {
        const s = await start({ faults: ["handshake-reject@status=415,msg=DEVICE_BLOCKED"] });
        const first = await connectAndRun(s);
        expect(first.error?.code).toBe("handshake_rejected");
        expect(first.error?.details).toMatchObject({
          httpStatus: 200,
          handshakeStatus: "415",
          handshakeMessage: "DEVICE_BLOCKED",
        });
        expect(first.events).toEqual([]);
      });

      it("corrupt gzip: a frameError (decompression_failed) and the stream goes on", async () => {
        const s = await start({ faults: ["corrupt-gzip@after=20,once"] });
        const first = await connectAndRun(s);
        expect(first.error).toBeUndefined();
        expect(
          first.events
            .filter((e) => e.type === "frameError")
            .map((e) => e.type === "frameError" && e.error.code),
        ).toEqual(["decompression_failed"]);
        expect(first.ids.at(-1)).toBe(expectedIds(s).at(-1));
      });

      it("no-gzip: plain frames decode the same", async () => {
        const s = await start({ faults: ["no-gzip"] });
        const first = await connectAndRun(s);
        expect(first.error).toBeUndefined();
        expect(first.ids).toEqual(expectedIds(s));
      });
    } else {
      it("drop: a dropped poll is retried and every message still arrives", async () => {
        const s = await start({ faults: ["drop@after=20,once"] });
        const first = await connectAndRun(s);
        expect(first.error).toBeUndefined();
        expect(unique(first.ids)).toEqual(expectedIds(s));
      });

      it("push-only faults (close, handshake-reject, corrupt-gzip, no-gzip) leave polling untouched", async () => {
        const s = await start({
          faults: ["close=4001@after=5", "handshake-reject", "corrupt-gzip@after=5", "no-gzip"],
        });
        const first = await connectAndRun(s);
        expect(first.error).toBeUndefined();
        expect(first.ids).toEqual(expectedIds(s));
      });
    }

    it("stall: nothing arrives for the stall, then the stream goes on", async () => {
      const s = await start({ faults: ["stall=400@after=20,once"] });
      const started = Date.now();
      const first = await connectAndRun(s);
      expect(first.error).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(unique(first.ids)).toEqual(expectedIds(s));
    });

    it("corrupt frame: a frameError (malformed_frame), and the stream goes on", async () => {
      const s = await start({ faults: ["corrupt-frame@after=20,once"] });
      const first = await connectAndRun(s);
      expect(first.error).toBeUndefined();
      expect(
        first.events
          .filter((e) => e.type === "frameError")
          .map((e) => e.type === "frameError" && e.error.code),
      ).toEqual(["malformed_frame"]);
      expect(first.ids.at(-1)).toBe(expectedIds(s).at(-1));
    });

    it("unknown method and undecodable payload pass through untouched (they are the decoder's to report)", async () => {
      const s = await start({ faults: ["unknown-method@after=10,once", "bad-payload@after=20,once"] });
      const first = await connectAndRun(s);
      expect(first.error).toBeUndefined();
      const decoder = createEventDecoder({ dedup: false });
      const events = first.events.flatMap((e) => (e.type === "result" ? decoder.decode(e.result) : []));
      expect(events.filter((e) => e.type === "unknownMessage")).toHaveLength(1);
      expect(
        events.filter((e) => e.type === "decodeError").map((e) => e.type === "decodeError" && e.method),
      ).toEqual(["WebcastChatMessage"]);
    });
  });
}

function lastCursor(run: Run): string {
  for (let i = run.events.length - 1; i >= 0; i--) {
    const event = run.events[i];
    if (event?.type === "result" && event.result.cursor !== "") return event.result.cursor;
  }
  return run.session.fetchResult.cursor;
}

// The judge of a client run under faults: what the client delivered, against what the simulator
// knows it published and sent. Test code: not exported from the package, not part of the build.
//
// The rules (judgeRun):
//  1. The truth is the room's published scenario, in sequence order; `injected` messages (chat
//     sent through the sign server) are not the scenario's and are not judged.
//  2. Offered: every scenario message the simulator handed this client, in any form: the msgIds
//     of each sign answer (`response.msgIds`), of each push frame, of each poll. A frame a
//     `destroy` fault corrupted (`lostMsgIds`) offered its messages undecodable.
//  3. Expected: the truth from the first to the last message offered (a client that joined late
//     or stopped early is judged on what it was offered), minus the messages destroyed and never
//     offered again in a good form ("lostToDestroyed"). `complete` says the range is the whole
//     published scenario; a run that ended with the stream end must be complete.
//  4. Delivered: the msgIds of the client's message events (every event with a non-empty msgId
//     but rawData/decodedData); a run of events with one msgId, each of another type, is one
//     delivery (one message can make several events, e.g. controlMessage + streamEnd), so the
//     same message twice in a row still counts twice.
//  5. lost = expected but not delivered; duplicated = delivered twice or more; outOfOrder =
//     delivered after a scenario message that comes later; unexpected = delivered but neither
//     the scenario's, nor a fault's extra message, nor injected. All must be empty.
//  6. Where a fault destroyed data, a `gap` (reason "badFrame") names exactly what was lost:
//     every destroyed frame whose messages were not offered again is named by one gap with its
//     logId and seqId, so the lost msgIds are exactly that frame's (rule 3 and 5 make the missing
//     messages equal lostToDestroyed, no more, no less).
//  7. Every badFrame gap is explained by a frame the simulator corrupted on purpose: a destroyed
//     frame or an extra corrupt frame with the same logId and seqId, or, for a gap without ids,
//     an extra frame whose envelope did not decode (payloadType "corrupt"), one each.
//  8. A fault's extra message (`unknown-method`, `bad-payload`: a frame with `fault` and a msgId
//     not in the truth) is delivered exactly once, as `unknownMessage` or `decodeError`.
//  9. Other gaps (offline, noCursor) are listed; expectJudged says which a run may have.
import type { ConnectionRecord, SignRequestRecord, Simulator } from "@tiklive/simulator";
import { expect } from "vitest";
import type { ClientEvent, GapEvent } from "../index.js";

/** What the simulator knows about one room's run: the judge's input. */
export interface RunTruth {
  /** The room's published messages, in sequence order (injected ones included). */
  published: readonly { seq: number; msgId: string; method: string; injected: boolean }[];
  /** The room's push connections and polling sessions. */
  connections: readonly ConnectionRecord[];
  /** The sign requests for the room. */
  signRequests: readonly SignRequestRecord[];
}

/** A frame a `destroy` fault corrupted. */
export interface DestroyedFrame {
  connectionId: string;
  logId: string;
  seqId: string;
  msgIds: string[];
  /** The badFrame gaps that named it (logId and seqId). */
  namedBy: number;
}

/** A fault's extra message and how the client delivered it. */
export interface ExtraMessage {
  msgId: string;
  method: string;
  fault: string;
  /** The event types it became (one entry per delivery). */
  deliveredAs: string[];
}

/** The judge's findings. */
export interface Verdict {
  /** Scenario msgIds the client should have delivered, in order. */
  expected: string[];
  /** Scenario msgIds it delivered, in the order it delivered them (first delivery). */
  delivered: string[];
  lost: string[];
  duplicated: string[];
  outOfOrder: string[];
  unexpected: string[];
  /** Frames a `destroy` fault corrupted. */
  destroyed: DestroyedFrame[];
  /** Destroyed messages never offered again in a good form: the client cannot have them. */
  lostToDestroyed: string[];
  /** Destroyed frames that needed a gap naming them and got none (or more than one). */
  unnamedDestroyed: DestroyedFrame[];
  /** badFrame gaps no corrupted frame explains. */
  unexplainedGaps: GapEvent[];
  /** The reasons of the other gaps (offline, noCursor), in order. */
  otherGaps: GapEvent["reason"][];
  extras: ExtraMessage[];
  /** The expected range is the whole published scenario. */
  complete: boolean;
}

/** The truth of one room of a simulator (by uniqueId). */
export function truthOf(sim: Simulator, uniqueId: string): RunTruth {
  const room = sim.room(uniqueId);
  return {
    published: room.published(),
    connections: sim.connections().filter((c) => c.roomId === room.roomId),
    signRequests: sim.signRequests().filter((r) => r.roomId === room.roomId),
  };
}

// A run of events with the same msgId, each of another type, is one delivery (rule 4): the same
// event again, or a control event between, starts a new one.
function deliveries(events: readonly ClientEvent[]): { msgId: string; types: string[] }[] {
  const out: { msgId: string; types: string[] }[] = [];
  let current: { msgId: string; types: string[] } | undefined;
  for (const e of events) {
    if (e.type === "rawData" || e.type === "decodedData") continue;
    const msgId = "msgId" in e && typeof e.msgId === "string" ? e.msgId : "";
    if (msgId === "") {
      // A finished gift streak is said right after its gift; anything else ends the message.
      if (e.type !== "giftCompleted") current = undefined;
      continue;
    }
    if (current !== undefined && current.msgId === msgId && !current.types.includes(e.type)) {
      current.types.push(e.type);
    } else {
      current = { msgId, types: [e.type] };
      out.push(current);
    }
  }
  return out;
}

/** Judges a run (the client's events) against the truth; see the rules at the top of this file. */
export function judge(truth: RunTruth, events: readonly ClientEvent[]): Verdict {
  const scenario = truth.published.filter((m) => !m.injected).sort((a, b) => a.seq - b.seq);
  const seqOf = new Map(scenario.map((m) => [m.msgId, m.seq]));
  const injected = new Set(truth.published.filter((m) => m.injected).map((m) => m.msgId));

  // Rule 2: what was offered, in a good form or destroyed; and the faults' extras.
  const good = new Set<string>();
  const destroyed: DestroyedFrame[] = [];
  const extras = new Map<string, ExtraMessage>();
  const corruptEnvelopes: number[] = [];
  const corruptFrames = new Map<string, number>();
  const offer = (msgIds: readonly string[], fault: string | undefined, methods: readonly string[]) => {
    for (const [i, msgId] of msgIds.entries()) {
      if (seqOf.has(msgId)) good.add(msgId);
      else if (fault !== undefined && !injected.has(msgId))
        extras.set(msgId, { msgId, method: methods[i] ?? "", fault, deliveredAs: [] });
    }
  };
  for (const r of truth.signRequests) if (r.response !== undefined) offer(r.response.msgIds, undefined, []);
  for (const c of truth.connections) {
    for (const p of c.polls) offer(p.msgIds, p.fault, []);
    for (const f of c.frames) {
      if (f.lostMsgIds !== undefined) {
        destroyed.push({
          connectionId: c.id,
          logId: f.logId,
          seqId: f.seqId,
          msgIds: f.lostMsgIds,
          namedBy: 0,
        });
      } else if (f.fault !== undefined && f.payloadType === "corrupt") {
        corruptEnvelopes.push(1);
      } else if (f.fault !== undefined && f.msgIds.length === 0) {
        corruptFrames.set(`${f.logId}/${f.seqId}`, (corruptFrames.get(`${f.logId}/${f.seqId}`) ?? 0) + 1);
      } else {
        offer(f.msgIds, f.fault, f.methods);
      }
    }
  }
  const destroyedIds = destroyed.flatMap((d) => d.msgIds);
  const lostToDestroyed = destroyedIds.filter((id) => !good.has(id));

  // Rule 3: the expected range.
  const offeredSeqs = [...good, ...destroyedIds].flatMap((id) => {
    const seq = seqOf.get(id);
    return seq === undefined ? [] : [seq];
  });
  const from = offeredSeqs.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...offeredSeqs);
  const to = offeredSeqs.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...offeredSeqs);
  const gone = new Set(lostToDestroyed);
  const expected = scenario
    .filter((m) => m.seq >= from && m.seq <= to && !gone.has(m.msgId))
    .map((m) => m.msgId);
  const complete =
    scenario.length > 0 && from === scenario[0]?.seq && to === scenario[scenario.length - 1]?.seq;

  // Rules 4, 5, 8.
  const delivered: string[] = [];
  const duplicated: string[] = [];
  const outOfOrder: string[] = [];
  const unexpected: string[] = [];
  const seen = new Set<string>();
  let highest = Number.NEGATIVE_INFINITY;
  for (const d of deliveries(events)) {
    const extra = extras.get(d.msgId);
    if (extra !== undefined) {
      extra.deliveredAs.push(d.types.join("+"));
      continue;
    }
    const seq = seqOf.get(d.msgId);
    if (seq === undefined) {
      if (!injected.has(d.msgId)) unexpected.push(d.msgId);
      continue;
    }
    if (seen.has(d.msgId)) {
      duplicated.push(d.msgId);
      continue;
    }
    seen.add(d.msgId);
    delivered.push(d.msgId);
    if (seq < highest) outOfOrder.push(d.msgId);
    highest = Math.max(highest, seq);
  }
  const lost = expected.filter((id) => !seen.has(id));

  // Rules 6, 7, 9.
  const unexplainedGaps: GapEvent[] = [];
  const otherGaps: GapEvent["reason"][] = [];
  for (const e of events) {
    if (e.type !== "gap") continue;
    if (e.reason !== "badFrame") {
      otherGaps.push(e.reason);
      continue;
    }
    if (e.logId === undefined) {
      if (corruptEnvelopes.pop() === undefined) unexplainedGaps.push(e);
      continue;
    }
    const frame = destroyed.find((d) => d.logId === e.logId && d.seqId === e.seqId);
    if (frame !== undefined) {
      frame.namedBy += 1;
      continue;
    }
    const key = `${e.logId}/${e.seqId}`;
    const left = corruptFrames.get(key) ?? 0;
    if (left > 0) corruptFrames.set(key, left - 1);
    else unexplainedGaps.push(e);
  }
  const unnamedDestroyed = destroyed.filter((d) =>
    d.msgIds.some((id) => gone.has(id)) ? d.namedBy !== 1 : d.namedBy > 1,
  );

  return {
    expected,
    delivered,
    lost,
    duplicated,
    outOfOrder,
    unexpected,
    destroyed,
    lostToDestroyed,
    unnamedDestroyed,
    unexplainedGaps,
    otherGaps,
    extras: [...extras.values()],
    complete,
  };
}

/** Judges the run of `uniqueId` on `sim`: {@link judge} over {@link truthOf}. */
export function judgeRun(sim: Simulator, uniqueId: string, events: readonly ClientEvent[]): Verdict {
  return judge(truthOf(sim, uniqueId), events);
}

/** What {@link expectJudged} accepts beyond a faithful run. */
export interface JudgeExpectations {
  /** The other gaps the run must have, in order (e.g. ["offline"]). Default none. */
  gaps?: GapEvent["reason"][];
  /**
   * The run need not cover the whole scenario (it joined late, or stopped before the stream
   * end). Default false: it must.
   */
  partial?: boolean;
}

/**
 * Asserts a faithful run: nothing lost, duplicated, out of order or unexpected; every destroyed
 * frame named by one gap and every badFrame gap explained; each extra message delivered once;
 * exactly the other gaps given; the whole scenario covered unless `partial`.
 */
export function expectJudged(verdict: Verdict, expectations: JudgeExpectations = {}): void {
  expect({
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    outOfOrder: verdict.outOfOrder,
    unexpected: verdict.unexpected,
    unnamedDestroyed: verdict.unnamedDestroyed,
    unexplainedGaps: verdict.unexplainedGaps,
    extrasNotOnce: verdict.extras.filter((e) => e.deliveredAs.length !== 1),
    otherGaps: verdict.otherGaps,
    complete: expectations.partial === true || verdict.complete,
  }).toEqual({
    lost: [],
    duplicated: [],
    outOfOrder: [],
    unexpected: [],
    unnamedDestroyed: [],
    unexplainedGaps: [],
    extrasNotOnce: [],
    otherGaps: expectations.gaps ?? [],
    complete: true,
  });
  // The missing messages are exactly the destroyed ones (rules 3, 5, 6).
  expect(verdict.delivered.length).toBe(verdict.expected.length);
}

// GET /webcast/im/fetch/: the polling fallback (docs/protocol.md §6). Raw protobuf
// fetch results (not framed, not gzipped), messages after `cursor`, with a new
// cursor and internalExt per batch and `fetchInterval` in ms.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRandom, hashSeed, type Random } from "@tiklive/core/internal";
import { decodeCursor, decodeInternalExt } from "../cursor.js";
import type { FaultKind } from "../faults/fault-spec.js";
import {
  badPayloadMessage,
  buildFetchResult,
  corruptFrameBytes,
  unknownMethodMessage,
} from "../fetch-result.js";
import {
  parseCookies,
  pushBounded,
  queryObject,
  queryPairs,
  redactCookies,
  redactHeaders,
  sendBytes,
  sendJson,
} from "../http/http-util.js";
import { type ConnectionRecord, newConnectionRecord } from "../inspection.js";
import type { ScenarioMessage } from "../scenario/scenario-types.js";
import type { SimContext, TrackedConnection } from "../sim-context.js";

// Faults that act on polling sessions; close, corrupt-gzip and no-gzip have no
// meaning for plain HTTP responses.
const pollFaults: readonly FaultKind[] = ["drop", "stall", "corrupt-frame", "unknown-method", "bad-payload"];

/** A polling client: the requests of one ttwid cookie for one room. */
export class PollSession implements TrackedConnection {
  readonly fired = new Set<string>();
  readonly random: Random;

  constructor(
    readonly id: string,
    readonly record: ConnectionRecord,
    seed: number,
  ) {
    this.random = createRandom(hashSeed(seed, "poll", id));
  }

  snapshot(): ConnectionRecord {
    return structuredClone(this.record);
  }
  close(): void {}
  drop(): void {}
  poke(): void {}
  shutdown(): void {}
}

/** The polling sessions of one simulator, by `ttwid|roomId`. */
export type PollSessions = Map<string, PollSession>;

/** Handles one polling request; returns the HTTP status (0 when the socket was dropped). */
export function handlePoll(
  ctx: SimContext,
  sessions: PollSessions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): number {
  const cookies = parseCookies(req.headers.cookie);
  // Like the push socket, polling is bound to the sign server's cookies; without
  // them we answer 403 with a JSON error, the closest thing to TikTok's refusal.
  if (!ctx.isIssuedTtwid(cookies.ttwid)) {
    sendJson(res, 403, {
      status_code: 403,
      message: "Forbidden: the ttwid cookie from the sign response is missing or unknown.",
    });
    return 403;
  }
  const room = ctx.roomById(url.searchParams.get("room_id"));
  if (room === undefined) {
    sendJson(res, 404, { status_code: 30003, message: "Room not found." });
    return 404;
  }
  const key = `${cookies.ttwid ?? ""}|${room.roomId}`;
  let session = sessions.get(key);
  if (session === undefined) {
    const pairs = queryPairs(url);
    const id = ctx.nextConnectionId();
    session = new PollSession(
      id,
      newConnectionRecord({
        id,
        kind: "poll",
        state: "open",
        openedAt: Date.now(),
        path: url.pathname,
        query: queryObject(pairs),
        queryPairs: pairs,
        cookies: redactCookies(cookies),
        headers: redactHeaders(req.headers),
        offeredSubprotocols: [],
        subprotocol: null,
        handshake: { status: 200 },
        roomId: room.roomId,
        uniqueId: room.uniqueId,
        gzip: false,
      }),
      ctx.options.seed,
    );
    sessions.set(key, session);
    ctx.addConnection(session);
    ctx.emit({ type: "connection", connectionId: id, kind: "poll" });
  }
  const s = session;
  ctx.touch(room);
  const cursorText = url.searchParams.get("cursor") ?? "";
  const internalExt = url.searchParams.get("internal_ext") ?? "";
  const position = decodeCursor(cursorText) ?? decodeInternalExt(internalExt);
  const resume = position !== undefined && position.roomId === room.roomId;
  const scope = { room: { uniqueId: room.uniqueId, roomId: room.roomId }, conn: s.id };
  const matching = ctx.faults.matching(pollFaults, scope).filter((f) => !s.fired.has(f.id));
  const due = matching.filter((f) => s.record.messagesSent >= f.spec.after);
  let limit = ctx.options.maxResultMessages;
  for (const f of matching)
    if (f.spec.after > s.record.messagesSent) limit = Math.min(limit, f.spec.after - s.record.messagesSent);

  const log = (status: number, msgIds: string[], nextCursor: string, fault?: string) => {
    pushBounded(
      s.record.polls,
      {
        at: Date.now(),
        cursor: cursorText,
        internalExt,
        nextCursor,
        msgIds,
        status,
        ...(fault === undefined ? {} : { fault }),
      },
      ctx.options.maxRecords,
    );
    ctx.emit({ type: "poll", connectionId: s.id, status, messages: msgIds.length });
  };

  let extra: ScenarioMessage | undefined;
  let delay = 0;
  let firedText: string | undefined;
  for (const fault of due) {
    s.fired.add(fault.id);
    if (!ctx.fireFault(fault, s.id)) continue;
    pushBounded(
      s.record.faults,
      { at: Date.now(), faultId: fault.id, spec: fault.text },
      ctx.options.maxRecords,
    );
    firedText = fault.text;
    switch (fault.spec.kind) {
      case "drop":
        log(0, [], "", fault.text);
        req.socket.destroy();
        return 0;
      case "corrupt-frame":
        sendBytes(res, 200, corruptFrameBytes, { "content-type": "application/protobuf" });
        log(200, [], "", fault.text);
        return 200;
      case "stall":
        delay = fault.spec.value ?? 0;
        break;
      case "unknown-method":
        extra = unknownMethodMessage(s.random, room.roomId, room.lastTimeMs());
        break;
      case "bad-payload":
        extra = badPayloadMessage(s.random, room.lastTimeMs());
        break;
    }
    break;
  }

  const respond = () => {
    if (res.writableEnded || res.destroyed) return;
    const offline = ctx.offlineFault(room) !== undefined || !room.configuredLive;
    const range = offline
      ? room.rangeFrom(resume ? Math.min(position.seq, room.headSeq) : room.headSeq, 0)
      : resume
        ? room.rangeFrom(position.seq, limit)
        : room.recent(Math.min(ctx.options.historySize, limit));
    if (resume && range.startSeq > position.seq) {
      pushBounded(
        s.record.gaps,
        { at: Date.now(), requestedSeq: position.seq, resumedSeq: range.startSeq },
        ctx.options.maxRecords,
      );
    }
    const messages = extra === undefined ? range.messages : [...range.messages, extra];
    const result = buildFetchResult(
      messages,
      { roomId: room.roomId, endSeq: range.endSeq, timeMs: range.timeMs },
      ctx.did,
      {
        isHistory: !resume,
        isFirst: !resume,
        fetchInterval: String(ctx.options.fetchIntervalMs),
        now: String(Date.now()),
        fetchType: 2,
      },
    );
    s.record.messagesSent += range.messages.length;
    s.record.framesSent += 1;
    sendBytes(res, 200, result.bytes, { "content-type": "application/protobuf" });
    log(
      200,
      messages.map((m) => m.msgId),
      result.cursor,
      firedText,
    );
  };
  if (delay > 0) ctx.later(respond, delay);
  else respond();
  return 200;
}

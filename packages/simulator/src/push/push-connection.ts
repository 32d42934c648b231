import { gzipSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { decodePushFrame, encodePushFrame, type PushFrame } from "@tiklive/core";
import { createRandom, hashSeed, type Random } from "@tiklive/core/internal";
import { HeartBeatMessageSchema, WebcastImEnterRoomMessageSchema } from "@tiklive/proto";
import type WebSocket from "ws";
import { decodeCursor, decodeInternalExt } from "../cursor.js";
import type { ActiveFault } from "../faults/fault-registry.js";
import type { FaultKind } from "../faults/fault-spec.js";
import {
  badPayloadMessage,
  buildFetchResult,
  corruptFrameBytes,
  corruptGzipBytes,
  unknownMethodMessage,
} from "../fetch-result.js";
import { pushBounded } from "../http/http-util.js";
import type { ConnectionRecord, FrameRecord } from "../inspection.js";
import type { Room } from "../room.js";
import type { ScenarioMessage } from "../scenario/scenario-types.js";
import type { SimContext, TrackedConnection } from "../sim-context.js";

// Faults that act on an open push connection, checked before every frame.
const streamFaults: readonly FaultKind[] = [
  "drop",
  "close",
  "stall",
  "corrupt-frame",
  "corrupt-gzip",
  "unknown-method",
  "bad-payload",
];

const utf8 = new TextDecoder();

interface SentFrame {
  needAck: boolean;
  internalExt: string;
  acked: boolean;
}

/** What the handshake found out about the connection. */
export interface PushConnectionInit {
  id: string;
  /** The room named by the URL's `room_id` (known: the handshake checked it). */
  room: Room;
  /** The record started by the handshake (query, cookies, headers, subprotocol). */
  record: ConnectionRecord;
  /** Query `cursor`, else `internal_ext`: where the first room entry starts. */
  cursor: string | undefined;
  internalExt: string | undefined;
}

/**
 * One accepted WebSocket push connection (docs/protocol.md §2-§5): waits for
 * `im_enter_room`, answers `im_enter_room_resp`, then streams the room's messages
 * from the connection's position as `msg` frames (gzip when asked; some with
 * needAck), checks acks, counts heartbeats, and applies faults.
 */
export class PushConnection implements TrackedConnection {
  readonly id: string;
  private readonly record: ConnectionRecord;
  private readonly random: Random;
  private room: Room | undefined;
  private position = 0;
  private entered = false;
  private unsubscribe: (() => void) | undefined;
  private stalledUntil = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private frameSeq = 0;
  private readonly fired = new Set<string>();
  // A `destroy` fault that fired and waits for the next frame of real messages to corrupt.
  private destroyNext: ActiveFault | undefined;
  private readonly sent = new Map<string, SentFrame>();
  private readonly initialCursor: string | undefined;
  private readonly initialInternalExt: string | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly ws: WebSocket,
    init: PushConnectionInit,
  ) {
    this.id = init.id;
    this.record = init.record;
    this.initialCursor = init.cursor;
    this.initialInternalExt = init.internalExt;
    // Per-connection stream for logIds and needAck: same seed + same connection id -> same frames.
    this.random = createRandom(hashSeed(ctx.options.seed, "push", init.id));
    ws.on("message", (data, isBinary) => this.guard(() => this.onMessage(data, isBinary)));
    ws.on("ping", () => {
      // autoPong is off: TikTok never answers WebSocket pings (docs/protocol.md §4.1).
      this.record.pingsReceived += 1;
    });
    ws.on("close", (code, reason) => this.onClose(code, reason.toString("utf8")));
    ws.on("error", (error) => this.ctx.log(`push ${this.id}: socket error: ${error.message}`));
    ctx.touch(init.room);
  }

  // A bug here must not take the server down: log it and close like a server error.
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.ctx.log(
        `push ${this.id}: internal error: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.closeWith(1011, "internal error", "server");
    }
  }

  snapshot(): ConnectionRecord {
    const missingAcks: string[] = [];
    for (const [logId, frame] of this.sent) if (frame.needAck && !frame.acked) missingAcks.push(logId);
    return structuredClone({ ...this.record, missingAcks });
  }

  private send(bytes: Uint8Array, frame: FrameRecord): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(bytes);
    this.record.framesSent += 1;
    pushBounded(this.record.frames, frame, this.ctx.options.maxRecords);
    this.ctx.emit({
      type: "frame",
      connectionId: this.id,
      logId: frame.logId,
      payloadType: frame.payloadType,
      needAck: frame.needAck,
      msgIds: frame.msgIds,
    });
  }

  private nextLogId(): string {
    // 19 digits below 2^63, like real logIds.
    return `7${this.random.digits(18)}`;
  }

  private nextSeqId(): string {
    this.frameSeq += 1;
    return String(this.frameSeq);
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    // While closing, acks and heartbeats still count (a client acks the last
    // frame after the server has started closing); room entries do not.
    const bytes = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    let frame: PushFrame;
    try {
      if (!isBinary) throw new Error("text frame");
      frame = decodePushFrame(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    } catch {
      this.record.malformedFrames += 1;
      return;
    }
    switch (frame.payloadType) {
      case "im_enter_room":
        if (!this.closing) this.onEnterRoom(frame);
        return;
      case "hb":
        this.onHeartbeat(frame);
        return;
      case "ack":
        this.onAck(frame);
        return;
      default:
        pushBounded(
          this.record.unknownFrames,
          { at: Date.now(), payloadType: frame.payloadType },
          this.ctx.options.maxRecords,
        );
    }
  }

  private onEnterRoom(frame: PushFrame): void {
    let enter;
    try {
      enter = fromBinary(WebcastImEnterRoomMessageSchema, frame.payload);
    } catch {
      this.record.malformedFrames += 1;
      return;
    }
    const room = this.ctx.roomById(enter.roomId);
    pushBounded(
      this.record.enterRoom,
      {
        at: Date.now(),
        roomId: enter.roomId,
        roomTag: enter.roomTag,
        liveRegion: enter.liveRegion,
        liveId: enter.liveId,
        identity: enter.identity,
        cursor: enter.cursor,
        accountType: enter.accountType,
        enterUniqueId: enter.enterUniqueId,
        filterWelcomeMsg: enter.filterWelcomeMsg,
        isAnchorContinueKeepMsg: enter.isAnchorContinueKeepMsg,
        known: room !== undefined,
      },
      this.ctx.options.maxRecords,
    );
    if (room === undefined) {
      // No peer documents TikTok's answer to an unknown room; a policy close is the plain choice.
      this.closeWith(1008, "illegal room_id", "server");
      return;
    }
    // The reply's payload is not established (docs/protocol.md §2.1): we echo the
    // room id and the client's enterUniqueId, which TS says the server echoes.
    const reply = toBinary(
      WebcastImEnterRoomMessageSchema,
      create(WebcastImEnterRoomMessageSchema, {
        roomId: room.roomId,
        enterUniqueId: enter.enterUniqueId,
        liveId: enter.liveId,
        identity: enter.identity,
      }),
    );
    const logId = this.nextLogId();
    const seqId = this.nextSeqId();
    this.send(
      encodePushFrame({
        seqId,
        logId,
        payloadEncoding: "pb",
        payloadType: "im_enter_room_resp",
        payload: reply,
      }),
      {
        at: Date.now(),
        seqId,
        logId,
        payloadType: "im_enter_room_resp",
        needAck: false,
        gzip: false,
        msgIds: [],
        methods: [],
      },
    );
    const first = !this.entered;
    const switching = this.room !== undefined && this.room !== room;
    if (first || switching) {
      this.position = first
        ? this.startPosition(room, enter.cursor)
        : this.switchPosition(room, enter.cursor);
      this.unsubscribe?.();
      this.room = room;
      this.record.roomId = room.roomId;
      this.record.uniqueId = room.uniqueId;
      this.unsubscribe = room.subscribe(() => this.guard(() => this.pump()));
    }
    this.entered = true;
    this.ctx.emit({ type: "enter", connectionId: this.id, roomId: room.roomId });
    this.ctx.touch(room);
    this.pump();
  }

  // First entry: the URL's cursor (the sign response's), else its internal_ext,
  // else the enter frame's cursor, else the live head (docs/protocol.md §5.2, §4.2).
  private startPosition(room: Room, enterCursor: string): number {
    for (const candidate of [
      decodeCursor(this.initialCursor),
      decodeInternalExt(this.initialInternalExt),
      decodeCursor(enterCursor),
    ]) {
      if (candidate !== undefined && candidate.roomId === room.roomId)
        return Math.min(candidate.seq, room.headSeq);
    }
    return room.headSeq;
  }

  // Room switch (docs/protocol.md §4.3): the enter frame's cursor when it names that room, else the live head.
  private switchPosition(room: Room, enterCursor: string): number {
    const position = decodeCursor(enterCursor);
    return position !== undefined && position.roomId === room.roomId
      ? Math.min(position.seq, room.headSeq)
      : room.headSeq;
  }

  private onHeartbeat(frame: PushFrame): void {
    let roomId = "0";
    let seqId = "0";
    if (frame.payload.length > 0) {
      try {
        const hb = fromBinary(HeartBeatMessageSchema, frame.payload);
        roomId = hb.roomId;
        seqId = hb.sendPacketSeqId;
      } catch {
        this.record.malformedFrames += 1;
      }
    }
    pushBounded(
      this.record.heartbeats,
      { at: Date.now(), roomId, seqId, entered: this.entered },
      this.ctx.options.maxRecords,
    );
    this.ctx.emit({ type: "heartbeat", connectionId: this.id, roomId, seqId });
    if (this.closing) return;
    if (!this.entered) {
      // TikTok closes a socket whose heartbeats precede room entry (docs/protocol.md §4.1, §5.4).
      this.closeWith(1000, "payload_handler_hb", "server");
      return;
    }
    if (this.ctx.options.heartbeatReply && Date.now() >= this.stalledUntil) {
      const seq = this.nextSeqId();
      this.send(encodePushFrame({ seqId: seq, payloadEncoding: "pb", payloadType: "hb" }), {
        at: Date.now(),
        seqId: seq,
        logId: "0",
        payloadType: "hb",
        needAck: false,
        gzip: false,
        msgIds: [],
        methods: [],
      });
    }
  }

  private onAck(frame: PushFrame): void {
    const payload = utf8.decode(frame.payload);
    const sent = this.sent.get(frame.logId);
    let reason: "unknown-log-id" | "duplicate" | "not-requested" | "payload-mismatch" | undefined;
    if (sent === undefined) reason = "unknown-log-id";
    else if (!sent.needAck) reason = "not-requested";
    else if (sent.acked) reason = "duplicate";
    else if (payload !== sent.internalExt) reason = "payload-mismatch";
    if (reason === undefined && sent !== undefined) sent.acked = true;
    const ok = reason === undefined;
    pushBounded(
      this.record.acks,
      {
        at: Date.now(),
        logId: frame.logId,
        ok,
        ...(reason === undefined ? {} : { reason }),
        payload: payload.slice(0, 300),
      },
      this.ctx.options.maxRecords,
    );
    this.ctx.emit({ type: "ack", connectionId: this.id, logId: frame.logId, ok });
  }

  private dueFaults(): ActiveFault[] {
    const room = this.room;
    if (room === undefined) return [];
    return this.ctx.faults
      .matching(streamFaults, { room: { uniqueId: room.uniqueId, roomId: room.roomId }, conn: this.id })
      .filter((f) => !this.fired.has(f.id) && this.record.messagesSent >= f.spec.after);
  }

  // How many messages may go out before a fault with `after` is due.
  private messagesUntilNextFault(): number {
    const room = this.room;
    if (room === undefined) return Number.POSITIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (const f of this.ctx.faults.matching(streamFaults, {
      room: { uniqueId: room.uniqueId, roomId: room.roomId },
      conn: this.id,
    })) {
      if (this.fired.has(f.id)) continue;
      const left = f.spec.after - this.record.messagesSent;
      if (left > 0) min = Math.min(min, left);
    }
    return min;
  }

  private gzipWanted(): boolean {
    if (this.record.query.compress !== "gzip") return false;
    const room = this.room;
    const scope =
      room === undefined
        ? { conn: this.id }
        : { room: { uniqueId: room.uniqueId, roomId: room.roomId }, conn: this.id };
    return this.ctx.faults.matching(["no-gzip"], scope).length === 0;
  }

  /** Sends what is due: faults first, then frames from the position to the room's head; closes after the stream end. */
  pump(): void {
    if (this.closing || !this.entered || this.room === undefined || this.ws.readyState !== this.ws.OPEN)
      return;
    const room = this.room;
    for (let guard = 0; guard < 100_000; guard++) {
      if (Date.now() < this.stalledUntil) return;
      if (this.applyFault()) {
        if (this.closing) return;
        continue;
      }
      if (this.ctx.offlineFault(room) !== undefined || !room.configuredLive) {
        this.closeWith(1000, "", "server");
        return;
      }
      const limit = this.messagesUntilNextFault();
      const range = room.frameFrom(this.position, limit);
      if (range === undefined) break;
      if (range.startSeq > this.position) {
        pushBounded(
          this.record.gaps,
          { at: Date.now(), requestedSeq: this.position, resumedSeq: range.startSeq },
          this.ctx.options.maxRecords,
        );
      }
      this.sendMessages(range.messages, range.endSeq, range.timeMs);
      this.position = range.endSeq;
    }
    // After the stream end, TikTok has nothing more to say on this socket.
    if (room.ended && this.position >= room.headSeq) this.closeWith(1000, "", "server");
  }

  private sendMessages(
    messages: readonly ScenarioMessage[],
    endSeq: number,
    timeMs: number,
    fault?: string,
  ): void {
    const room = this.room as Room;
    // A `destroy` fault corrupts this frame if it carries real messages (not a fault's extra).
    const destroy = fault === undefined && messages.length > 0 ? this.destroyNext : undefined;
    if (destroy !== undefined) this.destroyNext = undefined;
    const drawn = this.random.next() < this.ctx.options.ackFraction;
    // Nobody can ack a frame that does not decode: a destroyed frame asks for none.
    const needAck = drawn && destroy === undefined;
    const result = buildFetchResult(messages, { roomId: room.roomId, endSeq, timeMs }, this.ctx.did, {
      fetchInterval: String(this.ctx.options.fetchIntervalMs),
      now: String(timeMs),
      needAck,
      fetchType: 1,
    });
    const gzip = destroy?.spec.kind === "corrupt-gzip" ? true : this.gzipWanted();
    // A no-gzip fault added at run time changes it.
    if (destroy === undefined) this.record.gzip = gzip;
    const logId = this.nextLogId();
    const seqId = this.nextSeqId();
    // corrupt-gzip@destroy: gzip bytes that do not inflate; corrupt-frame@destroy: a payload that
    // is not a fetch result (gzipped when asked, so only the protobuf is broken).
    const inner = destroy?.spec.kind === "corrupt-frame" ? corruptFrameBytes : result.bytes;
    const payload =
      destroy?.spec.kind === "corrupt-gzip"
        ? corruptGzipBytes
        : gzip
          ? new Uint8Array(gzipSync(inner))
          : inner;
    const bytes = encodePushFrame({
      seqId,
      logId,
      headers: { compress_type: gzip ? "gzip" : "none" },
      payloadEncoding: "pb",
      payloadType: "msg",
      payload,
    });
    this.sent.set(logId, { needAck, internalExt: result.internalExt, acked: false });
    if (this.sent.size > this.ctx.options.maxRecords) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
    this.record.messagesSent += fault === undefined ? messages.length : 0;
    this.send(bytes, {
      at: Date.now(),
      seqId,
      logId,
      payloadType: "msg",
      needAck,
      gzip,
      cursor: result.cursor,
      internalExt: result.internalExt,
      msgIds: messages.map((m) => m.msgId),
      methods: messages.map((m) => m.method),
      ...(fault === undefined ? {} : { fault }),
      ...(destroy === undefined ? {} : { fault: destroy.text, lostMsgIds: messages.map((m) => m.msgId) }),
    });
  }

  // Applies the first due fault. True when one acted.
  private applyFault(): boolean {
    const room = this.room as Room;
    for (const fault of this.dueFaults()) {
      this.fired.add(fault.id);
      if (!this.ctx.fireFault(fault, this.id)) continue;
      pushBounded(
        this.record.faults,
        { at: Date.now(), faultId: fault.id, spec: fault.text },
        this.ctx.options.maxRecords,
      );
      const spec = fault.spec;
      switch (spec.kind) {
        case "drop":
          this.drop();
          return true;
        case "close":
          this.closeWith(spec.value ?? 1000, spec.reason ?? "", "server");
          return true;
        case "stall": {
          this.stalledUntil = Date.now() + (spec.value ?? 0);
          this.stallTimer = this.ctx.later(() => this.guard(() => this.pump()), spec.value ?? 0);
          return true;
        }
        case "corrupt-frame": {
          if (spec.destroy === true) return this.destroyNextBatch(fault);
          const seqId = this.nextSeqId();
          this.send(corruptFrameBytes, {
            at: Date.now(),
            seqId,
            logId: "0",
            payloadType: "corrupt",
            needAck: false,
            gzip: false,
            msgIds: [],
            methods: [],
            fault: fault.text,
          });
          return true;
        }
        case "corrupt-gzip": {
          if (spec.destroy === true) return this.destroyNextBatch(fault);
          const logId = this.nextLogId();
          const seqId = this.nextSeqId();
          const bytes = encodePushFrame({
            seqId,
            logId,
            headers: { compress_type: "gzip" },
            payloadEncoding: "pb",
            payloadType: "msg",
            payload: corruptGzipBytes,
          });
          this.send(bytes, {
            at: Date.now(),
            seqId,
            logId,
            payloadType: "msg",
            needAck: false,
            gzip: true,
            msgIds: [],
            methods: [],
            fault: fault.text,
          });
          return true;
        }
        case "unknown-method":
        case "bad-payload": {
          const timeMs = room.lastTimeMs();
          const extra =
            spec.kind === "unknown-method"
              ? unknownMethodMessage(this.random, room.roomId, timeMs)
              : badPayloadMessage(this.random, timeMs);
          // An extra frame holding only the odd message; the cursor stays where it is.
          this.sendMessages([extra], this.position, timeMs, fault.text);
          return true;
        }
        default:
          return false;
      }
    }
    return false;
  }

  // A `destroy` fault sends nothing extra: the next frame of real messages goes out corrupt
  // (sendMessages), and those messages are lost to the client.
  private destroyNextBatch(fault: ActiveFault): true {
    this.destroyNext = fault;
    return true;
  }

  private closeWith(code: number, reason: string, by: "server" | "client" | "drop"): void {
    if (this.closing) return;
    this.closing = true;
    this.record.close = { at: Date.now(), code, reason, by };
    this.cleanup();
    if (by === "drop") this.ws.terminate();
    else this.ws.close(code, reason);
  }

  close(code: number, reason: string): void {
    this.closeWith(code, reason, "server");
  }

  /** Destroys the TCP socket: no close frame, the client sees 1006. */
  drop(): void {
    this.closeWith(1006, "", "drop");
  }

  poke(): void {
    this.guard(() => this.pump());
  }

  shutdown(): void {
    this.closing = true;
    this.cleanup();
    this.ws.terminate();
  }

  private cleanup(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  private onClose(code: number, reason: string): void {
    if (this.record.close === undefined) this.record.close = { at: Date.now(), code, reason, by: "client" };
    this.record.state = "closed";
    this.record.closedAt = Date.now();
    this.closing = true;
    this.cleanup();
    const close = this.record.close;
    this.ctx.emit({
      type: "close",
      connectionId: this.id,
      code: close.code,
      reason: close.reason,
      by: close.by,
    });
  }
}

// What the simulator records, as returned by the inspection API and the
// `/__sim/...` endpoints. Times are epoch ms. Secrets never appear: API keys,
// session cookies and session headers are replaced by "[redacted]".

/** A frame the simulator sent on a push connection. */
export interface FrameRecord {
  at: number;
  /** The frame's seqId (per connection, from 1). */
  seqId: string;
  logId: string;
  /** `msg`, `im_enter_room_resp`, `hb`, or `corrupt` for a deliberately broken frame. */
  payloadType: string;
  needAck: boolean;
  gzip: boolean;
  /** The fetch result's cursor (msg frames). */
  cursor?: string;
  /** The fetch result's internalExt (msg frames): what an ack must carry. */
  internalExt?: string;
  /** msgIds of the messages it carried, in order. */
  msgIds: string[];
  /** Methods of the messages it carried, in order. */
  methods: string[];
  /** The fault that produced or shaped it. */
  fault?: string;
  /**
   * A frame of real messages a `destroy` fault corrupted (`corrupt-gzip@destroy`,
   * `corrupt-frame@destroy`): the msgIds it carried, which a client cannot decode, so
   * they are lost to it (the position moved past them). Equal to `msgIds`.
   */
  lostMsgIds?: string[];
}

/** An ack a client sent, and the verdict. */
export interface AckRecord {
  at: number;
  logId: string;
  /** True when the logId names a frame that needed an ack, not acked before, and the payload is that frame's internalExt. */
  ok: boolean;
  /** Why it is not ok. */
  reason?: "unknown-log-id" | "duplicate" | "not-requested" | "payload-mismatch";
  /** The ack's payload as text (clipped to 300 characters). */
  payload: string;
}

/** A heartbeat a client sent (docs/protocol.md §4.1). */
export interface HeartbeatRecord {
  at: number;
  roomId: string;
  /** `sendPacketSeqId`. */
  seqId: string;
  /** Whether the client had entered a room when it sent it. */
  entered: boolean;
}

/** An `im_enter_room` frame, decoded (docs/protocol.md §4.2). */
export interface EnterRoomRecord {
  at: number;
  roomId: string;
  roomTag: string;
  liveRegion: string;
  liveId: string;
  identity: string;
  cursor: string;
  accountType: string;
  enterUniqueId: string;
  filterWelcomeMsg: string;
  isAnchorContinueKeepMsg: boolean;
  /** False when the room id is not a room of this simulator. */
  known: boolean;
}

/** How a connection ended. */
export interface CloseRecord {
  at: number;
  /** The close code (1006 for a dropped socket). */
  code: number;
  reason: string;
  /** Who ended it: the server with a close frame, the client, or the server dropping the socket. */
  by: "server" | "client" | "drop";
}

/** A fault that acted on a connection or request. */
export interface FaultFiredRecord {
  at: number;
  faultId: string;
  spec: string;
}

/** One request of a polling session (docs/protocol.md §6). */
export interface PollRecord {
  at: number;
  cursor: string;
  internalExt: string;
  nextCursor: string;
  msgIds: string[];
  status: number;
  fault?: string;
}

/** Everything recorded about one push connection or polling session. */
export interface ConnectionRecord {
  /** "1", "2", ...: WebSocket handshakes (accepted or not) and polling sessions share the numbering. */
  id: string;
  kind: "ws" | "poll";
  state: "rejected" | "open" | "closed";
  openedAt: number;
  closedAt?: number;
  path: string;
  /** Query parameters; a repeated key (e.g. `version_code`) is an array. */
  query: Record<string, string | string[]>;
  /** Query parameters in order, repeats kept. */
  queryPairs: [string, string][];
  /** Cookies the client presented (session cookies redacted). */
  cookies: Record<string, string>;
  /** Request headers (secrets redacted). */
  headers: Record<string, string>;
  /** Subprotocols the client offered. */
  offeredSubprotocols: string[];
  /** The subprotocol accepted, or null. */
  subprotocol: string | null;
  /** The handshake's outcome: 101, or 200 with `handshake-status`/`handshake-msg` for a rejection (docs/protocol.md §5.4). */
  handshake: { status: number; handshakeStatus?: number; handshakeMsg?: string };
  /** The room being streamed (after `im_enter_room`; the URL's room_id before). */
  roomId?: string;
  uniqueId?: string;
  /** Whether msg frames are gzipped (client asked `compress=gzip` and no fault says otherwise). */
  gzip: boolean;
  enterRoom: EnterRoomRecord[];
  heartbeats: HeartbeatRecord[];
  acks: AckRecord[];
  /** logIds of frames sent with needAck that have no correct ack yet. */
  missingAcks: string[];
  frames: FrameRecord[];
  framesSent: number;
  messagesSent: number;
  /** WebSocket pings received (never answered: TikTok does not, docs/protocol.md §4.1). */
  pingsReceived: number;
  /** Frames of a payloadType the server does not handle. */
  unknownFrames: { at: number; payloadType: string }[];
  /** Frames that were not valid push frames. */
  malformedFrames: number;
  faults: FaultFiredRecord[];
  /** Resumes from a position older than retention: messages between were gone. */
  gaps: { at: number; requestedSeq: number; resumedSeq: number }[];
  polls: PollRecord[];
  close?: CloseRecord;
}

/** The lists and counters of a connection record, empty as a new connection has them. */
type ConnectionActivity = Pick<
  ConnectionRecord,
  | "enterRoom"
  | "heartbeats"
  | "acks"
  | "missingAcks"
  | "frames"
  | "framesSent"
  | "messagesSent"
  | "pingsReceived"
  | "unknownFrames"
  | "malformedFrames"
  | "faults"
  | "gaps"
  | "polls"
>;

/** A new connection's record: what the handshake or first request told, with no activity yet. */
export function newConnectionRecord(
  init: Omit<ConnectionRecord, keyof ConnectionActivity>,
): ConnectionRecord {
  return {
    ...init,
    enterRoom: [],
    heartbeats: [],
    acks: [],
    missingAcks: [],
    frames: [],
    framesSent: 0,
    messagesSent: 0,
    pingsReceived: 0,
    unknownFrames: [],
    malformedFrames: 0,
    faults: [],
    gaps: [],
    polls: [],
  };
}

/** A request to a sign server route (docs/protocol.md §7). */
export interface SignRequestRecord {
  id: string;
  at: number;
  route: "connect" | "fetch" | "room_id" | "rate_limits" | "chat";
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Headers, API key and session headers redacted. */
  headers: Record<string, string>;
  roomId?: string;
  status: number;
  fault?: string;
  /**
   * What a 200 answered (the fetch result's fields a client opens the push socket from):
   * `cursor`, `internalExt`, `pushServer` and `routeParams` ("" and {} in a `sign-stub`
   * answer), and the msgIds of the messages it carried, in order.
   */
  response?: SignResponseRecord;
}

/** The fetch result a sign request was answered with (see {@link SignRequestRecord}). */
export interface SignResponseRecord {
  cursor: string;
  internalExt: string;
  pushServer: string;
  routeParams: Record<string, string>;
  msgIds: string[];
}

/** A request to a TikTok web route (docs/protocol.md §8). */
export interface WebRequestRecord {
  id: string;
  at: number;
  route: "live-page" | "api-live" | "room-info" | "check-alive" | "gift-list" | "im-fetch";
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  cookies: Record<string, string>;
  status: number;
}

/** Something that happened in the simulator; tests await these instead of sleeping. */
export type SimulatorEvent =
  | { type: "connection"; connectionId: string; kind: "ws" | "poll" }
  | { type: "rejected"; connectionId: string; handshakeStatus: number; handshakeMsg: string }
  | { type: "enter"; connectionId: string; roomId: string }
  | {
      type: "frame";
      connectionId: string;
      logId: string;
      payloadType: string;
      needAck: boolean;
      msgIds: string[];
    }
  | { type: "ack"; connectionId: string; logId: string; ok: boolean }
  | { type: "heartbeat"; connectionId: string; roomId: string; seqId: string }
  | { type: "close"; connectionId: string; code: number; reason: string; by: "server" | "client" | "drop" }
  | { type: "sign"; roomId: string | undefined; status: number; route: SignRequestRecord["route"] }
  | { type: "poll"; connectionId: string; status: number; messages: number }
  | { type: "publish"; roomId: string; fromSeq: number; count: number }
  | { type: "room-ended"; roomId: string }
  | { type: "fault"; faultId: string; spec: string; connectionId?: string };

import type { FaultSpec } from "./faults/fault-spec.js";
import type { ConnectionRecord, SignRequestRecord, SimulatorEvent, WebRequestRecord } from "./inspection.js";
import type { PublishedTick, RoomState, ScenarioEntry } from "./room.js";

/** One room as the start-up line and `info` list it. */
export interface SimulatorRoomInfo {
  uniqueId: string;
  /** 19 digits, as a string. */
  roomId: string;
  /** Live at start-up. */
  live: boolean;
}

/** Where the simulator listens: the JSON line `tiklive-sim` prints first. */
export interface SimulatorInfo {
  port: number;
  /** Base of the Euler sign server routes (`{signUrl}/webcast/rooms/{roomId}/connect`, ...). */
  signUrl: string;
  /** Base of every TikTok web route (`{webUrl}/@{uniqueId}/live`, `{webUrl}/webcast/im/fetch/`, ...). */
  webUrl: string;
  /** The WebSocket push URL, as the sign response's pushServer says. */
  pushUrl: string;
  rooms: SimulatorRoomInfo[];
}

/** A fault in force, as the API lists it. */
export interface FaultInfo {
  id: string;
  /** The spec in the grammar. */
  text: string;
  spec: FaultSpec;
  /** How often it acted. */
  fired: number;
  /** True once it acted `times` times. */
  spent: boolean;
}

/** A room's current state. */
export interface RoomSnapshot {
  uniqueId: string;
  roomId: string;
  nickname: string;
  title: string;
  /** 2 live, 4 offline (faults applied). */
  status: 2 | 4;
  state: RoomState;
  /** The scenario's name. */
  scenario: string;
  /** Messages published so far (the next message's sequence number). */
  headSeq: number;
  /** The oldest sequence number still resumable. */
  firstRetainedSeq: number;
  /** Cursor of the live head: where a fresh connection starts. */
  headCursor: string;
  stats: { viewers: number; totalUser: number; likes: number; followers: number };
}

/** A published message, as the API lists it. */
export interface PublishedMessage {
  seq: number;
  tick: number;
  method: string;
  msgId: string;
  createTime: number;
  /** True for a message from the chat route, not from the scenario. */
  injected: boolean;
}

/** A room of a running simulator: its scenario, its timeline and its controls. */
export interface SimulatorRoom {
  readonly uniqueId: string;
  readonly roomId: string;
  readonly nickname: string;
  /** The room's current state. */
  snapshot(): RoomSnapshot;
  /** The whole expected scenario (see `Room.expected`); `limit` is required for an endless one. */
  scenario(limit?: number): ScenarioEntry[];
  /** The retained published messages, in order. */
  published(): PublishedMessage[];
  /** The retained published ticks, with their encoded messages. */
  publishedTicks(): readonly PublishedTick[];
  /** Starts or resumes the timeline. */
  start(): void;
  /** Pauses the timeline. */
  pause(): void;
  /** Publishes the next `ticks` ticks now; returns the number of messages. Default 1. */
  advance(ticks?: number): number;
  /** The cursor of a position (sequence number) in this room. */
  cursorAt(seq: number): string;
}

/** A running simulator. Close it with `close()` or `await using`. */
export interface Simulator extends SimulatorInfo, AsyncDisposable {
  /** The start-up information (what the CLI prints), as one object. */
  readonly info: SimulatorInfo;
  /** Resolves once the simulator has closed (by `close()`, the ttl, or a signal in the CLI). */
  readonly closed: Promise<void>;
  /** Closes every socket, server and timer. Idempotent. */
  close(): Promise<void>;
  /** A room by uniqueId (with or without `@`) or room id. Throws `invalid_input` for an unknown one. */
  room(idOrUniqueId: string): SimulatorRoom;
  /** Every push connection and polling session, oldest first. */
  connections(): ConnectionRecord[];
  /** One connection's record. */
  connection(id: string): ConnectionRecord | undefined;
  /** Closes a push connection with a close frame (any code a server may send). False when unknown. */
  closeConnection(id: string, code?: number, reason?: string): boolean;
  /** Destroys a push connection's socket without a close frame. False when unknown. */
  dropConnection(id: string): boolean;
  /** Requests to the sign server routes (secrets redacted). */
  signRequests(): SignRequestRecord[];
  /** Requests to the TikTok web routes. */
  webRequests(): WebRequestRecord[];
  /** Adds a fault at run time. Throws `invalid_input` for a bad spec. */
  addFault(spec: string | FaultSpec): FaultInfo;
  /** Removes a fault. False when unknown. */
  removeFault(id: string): boolean;
  /** Removes every fault. */
  clearFaults(): void;
  /** The faults in force (spent ones included). */
  faults(): FaultInfo[];
  /** Listens to simulator events. Returns the unsubscribe function. */
  on(listener: (event: SimulatorEvent) => void): () => void;
  /**
   * Resolves with the first event (from now on) that `predicate` accepts; rejects
   * with a `timeout` TikLiveError after `timeoutMs` (default 10000) or when the simulator closes.
   */
  waitFor(predicate: (event: SimulatorEvent) => boolean, timeoutMs?: number): Promise<SimulatorEvent>;
}

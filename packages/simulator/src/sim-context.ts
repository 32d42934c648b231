import type { Random } from "@tiklive/core/internal";
import type { ActiveFault, FaultRegistry } from "./faults/fault-registry.js";
import type { ConnectionRecord, SignRequestRecord, SimulatorEvent, WebRequestRecord } from "./inspection.js";
import type { ResolvedOptions } from "./options.js";
import type { Room } from "./room.js";

/** A push connection or polling session, as the simulator tracks it. */
export interface TrackedConnection {
  readonly id: string;
  /** A snapshot of its record. */
  snapshot(): ConnectionRecord;
  /** Closes it (WebSocket close frame with `code`); no-op for polling sessions. */
  close(code: number, reason: string): void;
  /** Drops it without a close frame. */
  drop(): void;
  /** Re-checks faults and pending messages (after a fault was added). */
  poke(): void;
  /** Ends it at simulator close (no events). */
  shutdown(): void;
}

/** What routes and connections need from their simulator. One per simulator instance. */
export interface SimContext {
  readonly options: ResolvedOptions;
  readonly faults: FaultRegistry;
  /** The device id in internalExt (`wss_push_did`), fixed per simulator. */
  readonly did: string;
  readonly urls: { readonly signUrl: string; readonly webUrl: string; readonly pushUrl: string };
  /** Ids, cookies and tokens: seeded, so runs repeat. */
  readonly random: Random;
  rooms(): readonly Room[];
  roomById(roomId: string | null | undefined): Room | undefined;
  roomByUniqueId(uniqueId: string | null | undefined): Room | undefined;
  isNeverLiveUser(uniqueId: string): boolean;
  /** 2 live, 4 offline: the room's state with `offline` faults applied (docs/protocol.md §8). */
  roomStatus(room: Room): 2 | 4;
  /** The `offline` fault acting on this room, if any. */
  offlineFault(room: Room): ActiveFault | undefined;
  /** Starts a live room's timeline if it waits for its first client (`startMode: on-connect`). */
  touch(room: Room): void;
  nextConnectionId(): string;
  addConnection(connection: TrackedConnection): void;
  removeConnection(id: string): void;
  recordSign(record: SignRequestRecord): void;
  recordWeb(record: WebRequestRecord): void;
  nextRequestId(): string;
  /** Records that a fault acted; false when it was spent meanwhile. */
  fireFault(fault: ActiveFault, connectionId?: string): boolean;
  emit(event: SimulatorEvent): void;
  log(line: string): void;
  /** A fresh `x-set-tt-cookie` value (several Set-Cookie entries, comma-joined); the ttwid is remembered. */
  issueCookies(): string;
  /** True for a ttwid this simulator issued (URI-encoded or not). */
  isIssuedTtwid(value: string | undefined): boolean;
  /** Tracks a handle the close() must destroy (HTTP sockets of stalled requests and the like). */
  later(fn: () => void, ms: number): NodeJS.Timeout;
  readonly closing: boolean;
}

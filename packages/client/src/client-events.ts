import type { CoreEvent, CoreListenerMap, TikLiveError } from "@tiklive/core";
import type { GiftInfo, LiveStatus, RoomInfo } from "./web-api.js";

/** Connection status of a client. */
export type ClientStatus = "disconnected" | "connecting" | "connected" | "reconnecting";

/** The state `connect()` resolves with and `getState()` returns. */
export interface ClientState {
  status: ClientStatus;
  uniqueId: string;
  roomId: string | undefined;
  live: LiveStatus;
  /** Room info, when fetched (`fetchRoomInfoOnConnect`). */
  roomInfo: RoomInfo | undefined;
  /** The room's gift list, when fetched (`enableExtendedGiftInfo`). */
  availableGifts: GiftInfo[] | undefined;
  /** The transport in use: "websocket", "polling", or undefined when not connected. */
  transport: string | undefined;
  /** The signer that served the current session. */
  signer: string | undefined;
  /** Reconnections since `connect()`. */
  reconnects: number;
  /** Position in the stream the client would resume from. */
  cursor: string;
}

/** Why the client disconnected. */
export type DisconnectReason =
  /** `disconnect()` or an aborted signal. */
  | "client"
  /** The stream ended or was suspended (control action 3/4). */
  | "streamEnd"
  /** The room went offline while reconnecting. */
  | "offline"
  /** An error that cannot be retried, or reconnect attempts ran out. */
  | "error";

/** `connected`: the stream is open (first connect, and again after every reconnect). */
export interface ConnectedEvent {
  type: "connected";
  state: ClientState;
  /** True when this follows a reconnect. */
  reconnected: boolean;
}

/** `disconnected`: the client stopped; it will not reconnect by itself. */
export interface DisconnectedEvent {
  type: "disconnected";
  reason: DisconnectReason;
  /** The error that ended the connection, for reason "error". */
  error: TikLiveError | undefined;
}

/** `reconnecting`: the connection was lost and the client will try again after `delayMs`. */
export interface ReconnectingEvent {
  type: "reconnecting";
  attempt: number;
  delayMs: number;
  /** What broke the connection ("frameError": several frames in a row did not decode). */
  reason: "drop" | "closed" | "stall" | "frameError" | "error";
  /**
   * Of `delayMs`, how long is a wait for the signer's budget of sign requests (0 when a sign
   * request may be made at once): reconnecting spends one, and a 429 costs more than waiting.
   */
  signBudgetWaitMs: number;
  error: TikLiveError | undefined;
}

/**
 * `gap`: a window of the stream that could not be recovered: events between `from` and
 * `until` (epoch ms) may be missing. Not emitted when a reconnect resumed from the cursor.
 */
export interface GapEvent {
  type: "gap";
  from: number;
  until: number;
  /**
   * "noCursor": reconnected without a position to resume from; "offline": the room ended
   * while the client was reconnecting, so its last messages may not have arrived;
   * "badFrame": a pushed frame did not decode and its messages are gone (the connection
   * stays open; `logId`/`seqId` name the frame when its envelope decoded).
   */
  reason: "noCursor" | "offline" | "badFrame";
  /** Messages known lost (e.g. in an undecodable frame), when countable; else undefined. */
  lostMessages: number | undefined;
  /** For "badFrame": the lost frame's id, when known. */
  logId?: string | undefined;
  /** For "badFrame": the lost frame's sequence id, when known. */
  seqId?: string | undefined;
}

/** `error`: something went wrong; the client carries on if it can (see `disconnected`). */
export interface ErrorEvent {
  type: "error";
  error: TikLiveError;
}

/** `rawData`: one message as it arrived, before decoding. */
export interface RawDataEvent {
  type: "rawData";
  method: string;
  msgId: string;
  payload: Uint8Array;
}

/** `decodedData`: one decoded message and the events it produced. */
export interface DecodedDataEvent {
  type: "decodedData";
  method: string;
  msgId: string;
  /** The decoded protobuf message. */
  data: unknown;
  events: CoreEvent[];
  /** The message's bytes. */
  payload: Uint8Array;
}

/** `websocketConnected`: the push WebSocket is open and the room entered. */
export interface WebsocketConnectedEvent {
  type: "websocketConnected";
  url: string | undefined;
}

/** Every control event of the client. */
export type ClientControlEvent =
  | ConnectedEvent
  | DisconnectedEvent
  | ReconnectingEvent
  | GapEvent
  | ErrorEvent
  | RawDataEvent
  | DecodedDataEvent
  | WebsocketConnectedEvent;

/** Every event a client emits. */
export type ClientEvent = CoreEvent | ClientControlEvent;

/** Event name -> event type, for `client.on(name, listener)`. */
export type ClientEventMap = CoreListenerMap & { [E in ClientControlEvent as E["type"]]: E };

/** Name of any client event. */
export type ClientEventName = keyof ClientEventMap;

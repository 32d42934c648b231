// The two pluggable parts of tiklive. Both are small interfaces over web-standard
// types (Uint8Array, AbortSignal, Promise, AsyncIterable): nothing from node:*, ws
// or undici crosses them, so a custom implementation is an object literal that
// `satisfies Signer` / `satisfies Transport`. Implementations: @tiklive/signer,
// @tiklive/transport-ws, @tiklive/transport-poll.
import type { TikLiveError } from "./errors.js";
import type { FetchResult, PushFrame } from "./frame-codec.js";
import type { SignBudget } from "./sign-budget.js";

/** A TikTok login, for features that need one (sending chat, some age-restricted rooms). A secret. */
export interface SessionCredentials {
  /** The `sessionid` cookie. */
  sessionId: string;
  /** The `tt-target-idc` cookie (data centre, e.g. `useast1a`). */
  ttTargetIdc: string;
}

/** One cookie for the push connection. */
export interface Cookie {
  name: string;
  value: string;
}

/** What a signer needs to produce a signed session (docs/protocol.md §7.5). */
export interface SignRequest {
  /** The room to connect to (digits). */
  roomId: string;
  /** The streamer's uniqueId, when known (some sign servers use it for routing or logging). */
  uniqueId?: string;
  /** The cursor to resume from; empty for a fresh connect. */
  cursor?: string;
  /** The User-Agent the client will use for the push connection (it must match the signature). */
  userAgent: string;
  /** `web` or `mobile`. */
  platform: "web" | "mobile";
  /** Forward a TikTok session to the sign server (only to one you trust). */
  session?: SessionCredentials;
  signal?: AbortSignal;
}

/** A signed session: everything a transport needs to open the stream (docs/protocol.md §7.2). */
export interface SignedSession {
  /** The canonical room id (the sign server's `x-room-id`, else the requested one). */
  roomId: string;
  /** The first fetch result: cursor, internalExt, pushServer, routeParams and the initial messages. */
  fetchResult: FetchResult;
  /** Cookies the push connection must present (every cookie of `x-set-tt-cookie`). */
  cookies: Cookie[];
  /** The User-Agent the session was signed for. */
  userAgent: string;
  /** Name of the signer that produced it (useful behind a signer chain). */
  signer: string;
  /** The sign server's request id, for support. */
  requestId?: string;
  /** When the session was received (ms since epoch). Signed push URLs expire within about 30 s. */
  receivedAt: number;
}

/** Result of resolving a uniqueId through a signer's room route. */
export interface RoomIdLookup {
  roomId: string;
  /** Whether the room is live, when the route says so. */
  isLive: boolean | undefined;
}

/** Produces signed sessions. Implementations: `createEulerSigner`, `createSignerChain`, or your own. */
export interface Signer {
  /** A short name for logs and `SignedSession.signer`. */
  readonly name: string;
  /**
   * The budget `sign()` draws from, when the signer has one: clients read its wait time to say
   * why a reconnect waits, and several clients (a pool) share it through the signer.
   */
  readonly budget?: SignBudget | undefined;
  /** Asks for a signed session for a room. Rejects with a `TikLiveError`. */
  sign(request: SignRequest): Promise<SignedSession>;
  /** Optional: resolve a uniqueId to a room id through the signer (the last step of room lookup). */
  resolveRoomId?(uniqueId: string, options?: { signal?: AbortSignal }): Promise<RoomIdLookup>;
  /** Optional: send a chat message to a room with a logged-in session. */
  sendChat?(request: {
    roomId: string;
    content: string;
    session: SessionCredentials;
    signal?: AbortSignal;
  }): Promise<void>;
}

/** What a transport is asked to open. */
export interface TransportConnectRequest {
  session: SignedSession;
  // No cursor or internalExt here: a signed session is single-use and its first fetch result's
  // cursor and internalExt belong to it (docs/protocol.md §1). To resume, sign again with the
  // last cursor (`SignRequest.cursor`) and connect the new session.
  /** Aborting it closes the connection and ends the iteration. */
  signal?: AbortSignal;
}

/** What a transport yields, in arrival order. */
export type TransportEvent =
  /** The connection is established (for WebSocket: handshake done and room entered). */
  | { type: "open"; transport: string }
  /** A fetch result arrived. `frame` is the raw bytes it came in (a push frame or an HTTP body). */
  | { type: "result"; result: FetchResult; logId: string; frame: Uint8Array; receivedAt: number }
  /** A push frame that is not a fetch result (`im_enter_room_resp`, server `hb`, ...). */
  | { type: "frame"; frame: PushFrame; receivedAt: number }
  /**
   * A frame or response that could not be decoded (corrupt bytes, corrupt gzip, oversize).
   * Not fatal: the stream goes on, and the client reports the loss (its messages are gone).
   */
  | {
      type: "frameError";
      error: TikLiveError;
      frame: Uint8Array;
      receivedAt: number;
      /** The frame's id, when its envelope decoded and only its payload did not. */
      logId?: string | undefined;
      /** The frame's sequence id, when its envelope decoded. */
      seqId?: string | undefined;
    }
  /** The server closed the connection normally (1000/1001). The iteration ends after this. */
  | { type: "closed"; code: number; reason: string };

/** What a connection can do beyond streaming fetch results. */
export interface TransportCapabilities {
  /** `switchRoom()` enters another room on the open connection. */
  readonly switchRoom: boolean;
  /** The server pushes frames over one long-lived socket (a WebSocket), rather than being polled. */
  readonly push: boolean;
}

/** An open stream. Iterate it once; errors are thrown from the iterator as `TikLiveError`. */
export interface TransportConnection extends AsyncIterable<TransportEvent> {
  /** The transport kind, e.g. `websocket` or `polling`: for logs and state, not for decisions. */
  readonly kind: string;
  /** What the connection can do. Undefined (a custom transport) means neither. */
  readonly capabilities?: TransportCapabilities | undefined;
  /** Enters another room on the same connection, where the transport supports it. */
  switchRoom?(roomId: string): Promise<void>;
  /** Closes the connection (gracefully where possible) and ends the iteration. */
  close(): Promise<void>;
}

/** Opens streams of fetch results for signed sessions. */
export interface Transport {
  /** The transport kind, e.g. `websocket` or `polling`. */
  readonly kind: string;
  connect(request: TransportConnectRequest): TransportConnection;
}

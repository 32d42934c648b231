// How each measured library connects one room of the simulator, with the typical listeners:
// shared by the scale worker (worker.ts) and the soak worker (../soak/soak-worker.ts), so both
// measure exactly the same client set-up. See the README ("How the peer is driven").
import type { TransportEvent } from "@tiklive/core";

/**
 * `floor`: no library, the least any client needs: one sign request
 * and one bare `ws` socket per room, entering the room and unwrapping frames with core's
 * `decodeMsgFrame` (each message counts as an event). Its heap per connection is what a socket
 * costs before any client logic.
 */
export type Library = "tiklive" | "peer" | "floor";

/** What the simulator process reports when it is listening. */
export interface SimInfo {
  signUrl: string;
  webUrl: string;
  rooms: { uniqueId: string; roomId: string; live: boolean }[];
}

/** Per-room timing of the frame whose events are being emitted. */
export interface Slot {
  /** Date.now() when the frame reached the client's socket handler. */
  arrivedAt: number;
  /** The frame's fetch result `now`: the simulator's scenario time when it published the frame. */
  publishedAt: number;
  /** Wall clock minus scenario time for this slot's room (from the simulator's "started"). */
  offset: number;
  /** The frame's logId, to look up when the simulator sent it. */
  logId: string;
}

export interface Connection {
  close(): Promise<void>;
}

export type Connect = (room: { uniqueId: string; roomId: string }) => Promise<Connection>;

/** What a connector reports to its worker. */
export interface ConnectorHooks {
  /** A new room's slot. */
  newSlot(roomId: string): Slot;
  /** One event reached a typical listener (for the floor: one message of a frame). */
  record(slot: Slot): void;
  /** A client error or warning. */
  error(): void;
  /** tiklive only: the client's `dedup` option (undefined: the client's default). */
  tikliveDedup?: { capacity?: number; windowMs?: number };
}

/** The listeners a typical bot has. */
export const typicalEvents = [
  "chat",
  "gift",
  "member",
  "like",
  "social",
  "follow",
  "share",
  "roomUser",
] as const;

async function tiklive(info: SimInfo, hooks: ConnectorHooks): Promise<Connect> {
  const { TikTokLiveClient } = await import("@tiklive/client");
  const { createWebSocketTransport } = await import("@tiklive/transport-ws");
  type Transport = ReturnType<typeof createWebSocketTransport>;
  // A pass-through Transport (the public contract) that notes when each result arrived
  // (`receivedAt`, set in the socket's message handler) and its `now`. The client
  // handles a result synchronously right after the iterator yields it, so the slot
  // is the current frame's while its listeners run.
  const timed = (inner: Transport, slot: Slot): Transport => ({
    kind: inner.kind,
    connect(request) {
      const connection = inner.connect(request);
      return {
        kind: connection.kind,
        ...(connection.switchRoom === undefined
          ? {}
          : {
              switchRoom: (roomId: string) =>
                (connection.switchRoom as (id: string) => Promise<void>)(roomId),
            }),
        close: () => connection.close(),
        [Symbol.asyncIterator]() {
          const it = connection[Symbol.asyncIterator]();
          return {
            next: () =>
              it.next().then((r: IteratorResult<TransportEvent>) => {
                if (r.done !== true && r.value.type === "result") {
                  slot.arrivedAt = r.value.receivedAt;
                  slot.publishedAt = Number(r.value.result.now);
                  slot.logId = r.value.logId;
                }
                return r;
              }),
            ...(it.return === undefined
              ? {}
              : {
                  return: (v?: unknown) =>
                    (it.return as (v?: unknown) => Promise<IteratorResult<TransportEvent>>)(v),
                }),
          };
        },
      };
    },
  });
  return async (room) => {
    const slot = hooks.newSlot(room.roomId);
    const client = new TikTokLiveClient(room.uniqueId, {
      signServerUrl: info.signUrl,
      webUrl: info.webUrl,
      roomId: room.roomId,
      fetchRoomInfoOnConnect: false,
      transports: [timed(createWebSocketTransport({}), slot)],
      logger: { warn: () => hooks.error(), error: () => hooks.error() },
      ...(hooks.tikliveDedup === undefined ? {} : { dedup: hooks.tikliveDedup }),
    });
    for (const name of typicalEvents) client.on(name, () => hooks.record(slot));
    client.on("error", () => hooks.error());
    await client.connect();
    return { close: () => client.disconnect() };
  };
}

// The slice of the peer's API used here. Its classes are Node EventEmitters; the
// published typings lose the emitter methods under this workspace's resolution.
interface PeerEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  prependListener(event: string, listener: (...args: never[]) => void): unknown;
}
interface PeerConnection extends PeerEmitter {
  connect(roomId?: string): Promise<unknown>;
  disconnect(): Promise<void>;
  readonly wsClient: PeerEmitter | null;
}

async function peer(info: SimInfo, hooks: ConnectorHooks): Promise<Connect> {
  // Read when the module loads (the peer's SignConfig); set before importing it.
  process.env["SIGN_API_URL"] = info.signUrl;
  const { TikTokLiveConnection, SignConfig } = await import("tiktok-live-connector");
  // Only to read each frame's logId (for send->listener): the push frame header, no gunzip.
  const { decodePushFrame } = await import("@tiklive/core");
  SignConfig.basePath = info.signUrl;
  // The peer builds `http(s)://${host}/...` from these host settings (it picks https for loopback hosts).
  const host = new URL(info.webUrl).host;
  return async (room) => {
    const slot = hooks.newSlot(room.roomId);
    const connection = new TikTokLiveConnection(room.uniqueId, {
      fetchRoomInfoOnConnect: false,
      webConfigOverrides: { TIKTOK_HOST_WEB: host, TIKTOK_HOST_WEBCAST: host },
    }) as unknown as PeerConnection;
    // Emitted synchronously by its socket message handler, before the (async) decode.
    connection.on("websocketData", (data: Buffer) => {
      slot.arrivedAt = Date.now();
      slot.logId = decodePushFrame(new Uint8Array(data.buffer, data.byteOffset, data.length)).logId;
    });
    for (const name of typicalEvents) connection.on(name, () => hooks.record(slot));
    connection.on("error", () => hooks.error());
    await connection.connect(room.roomId);
    // Runs before the connection's own handler, which emits the events of that result.
    connection.wsClient?.prependListener(
      "protoMessageFetchResult",
      (result: { now?: string }) => (slot.publishedAt = Number(result.now ?? 0)),
    );
    return { close: () => connection.disconnect() };
  };
}

async function floor(info: SimInfo, hooks: ConnectorHooks): Promise<Connect> {
  const { decodeFetchResult, decodeMsgFrame, encodeAckFrame, encodeEnterRoomFrame, needsAck } = await import(
    "@tiklive/core"
  );
  const { default: WebSocket } = await import("ws");
  return async (room) => {
    const slot = hooks.newSlot(room.roomId);
    const res = await fetch(`${info.signUrl}/webcast/rooms/${room.roomId}/connect?client=bench`);
    if (res.status !== 200) throw new Error(`sign: HTTP ${res.status}`);
    const first = decodeFetchResult(new Uint8Array(await res.arrayBuffer()));
    const cookie = (res.headers.get("x-set-tt-cookie") ?? "").split(";")[0] ?? "";
    const query = new URLSearchParams({
      aid: "1988",
      room_id: room.roomId,
      cursor: first.cursor,
      internal_ext: first.internalExt,
      compress: "gzip",
    });
    const ws = new WebSocket(`${first.pushServer}?${query}`, { headers: { cookie } });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", () => reject(new Error("handshake rejected")));
    });
    ws.on("message", (data: Buffer) => {
      slot.arrivedAt = Date.now();
      const decoded = decodeMsgFrame(new Uint8Array(data.buffer, data.byteOffset, data.length));
      if (decoded.result === undefined) return;
      slot.publishedAt = Number(decoded.result.now);
      slot.logId = decoded.frame.logId;
      if (needsAck(decoded))
        ws.send(encodeAckFrame({ logId: decoded.frame.logId, internalExt: decoded.result.internalExt }));
      for (let i = 0; i < decoded.result.messages.length; i++) hooks.record(slot);
    });
    ws.send(encodeEnterRoomFrame({ roomId: room.roomId }));
    return {
      close: () =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close();
        }),
    };
  };
}

/** Imports `lib` and returns its connect function for rooms of the simulator at `info`. */
export function createConnector(lib: Library, info: SimInfo, hooks: ConnectorHooks): Promise<Connect> {
  return lib === "peer" ? peer(info, hooks) : lib === "floor" ? floor(info, hooks) : tiklive(info, hooks);
}

/** Connects every room, `concurrency` at a time; failures are counted, not thrown. */
export async function connectAll(
  connect: Connect,
  rooms: readonly { uniqueId: string; roomId: string }[],
  concurrency: number,
): Promise<{ connections: Connection[]; failed: number; firstError: string | undefined }> {
  const connections: Connection[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, rooms.length) }, async () => {
      while (next < rooms.length) {
        const room = rooms[next++] as (typeof rooms)[number];
        try {
          connections.push(await connect(room));
        } catch (error) {
          failed += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return { connections, failed, firstError };
}

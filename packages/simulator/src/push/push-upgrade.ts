import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { parseCookies, queryObject, queryPairs, redactCookies, redactHeaders } from "../http/http-util.js";
import { type ConnectionRecord, newConnectionRecord } from "../inspection.js";
import type { SimContext } from "../sim-context.js";
import { PushConnection } from "./push-connection.js";

/** The push path (docs/protocol.md §5.1). */
export const pushPath = "/webcast/im/ws_proxy/ws_reuse_supplement/";

// A rejected handshake as TikTok sends it: HTTP 200 (not 101), empty body,
// `handshake-status` and `handshake-msg` headers (docs/protocol.md §5.4).
function reject(socket: Duplex, status: number, msg: string): void {
  const safe = msg.replace(/[\r\n]/g, " ");
  socket.end(
    `HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Type: text/plain\r\nhandshake-status: ${status}\r\nhandshake-msg: ${safe}\r\nConnection: close\r\n\r\n`,
  );
}

/**
 * Handles an HTTP upgrade request: anything but the push path gets 404; the push
 * path is checked (fault `handshake-reject`, the sign cookie `ttwid`, a known
 * `room_id`, `aid` when given) and either rejected TikTok-style or accepted with
 * subprotocol `echo-protocol` when offered and a `Handshake-Options` header.
 */
export function handleUpgrade(
  ctx: SimContext,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname !== pushPath || ctx.closing) {
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  const id = ctx.nextConnectionId();
  const pairs = queryPairs(url);
  const query = queryObject(pairs);
  const rawCookies = parseCookies(req.headers.cookie);
  const offered = (req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const roomIdParam = url.searchParams.get("room_id") ?? undefined;
  const room = ctx.roomById(roomIdParam);
  const scope =
    room === undefined ? { conn: id } : { room: { uniqueId: room.uniqueId, roomId: room.roomId }, conn: id };
  const record: ConnectionRecord = newConnectionRecord({
    id,
    kind: "ws",
    state: "open",
    openedAt: Date.now(),
    path: url.pathname,
    query,
    queryPairs: pairs,
    cookies: redactCookies(rawCookies),
    headers: redactHeaders(req.headers),
    offeredSubprotocols: offered,
    subprotocol: null,
    handshake: { status: 101 },
    ...(room === undefined ? {} : { roomId: room.roomId, uniqueId: room.uniqueId }),
    gzip: url.searchParams.get("compress") === "gzip" && ctx.faults.matching(["no-gzip"], scope).length === 0,
  });

  let rejection: { status: number; msg: string } | undefined;
  for (const fault of ctx.faults.matching(["handshake-reject"], scope)) {
    if (!ctx.fireFault(fault, id)) continue;
    record.faults.push({ at: Date.now(), faultId: fault.id, spec: fault.text });
    rejection = { status: fault.spec.status ?? 417, msg: fault.spec.msg ?? "illegal secret key" };
    break;
  }
  // The socket is bound to the cookies the sign server issued (docs/protocol.md §5.3).
  if (rejection === undefined && !ctx.isIssuedTtwid(rawCookies.ttwid))
    rejection = { status: 417, msg: "illegal secret key" };
  const aid = url.searchParams.get("aid");
  if (rejection === undefined && aid !== null && aid !== "1988")
    rejection = { status: 417, msg: "illegal app_id" };
  if (rejection === undefined && room === undefined) rejection = { status: 417, msg: "illegal room_id" };

  if (rejection !== undefined || room === undefined) {
    const { status, msg } = rejection ?? { status: 417, msg: "illegal room_id" };
    record.state = "rejected";
    record.closedAt = Date.now();
    record.handshake = { status: 200, handshakeStatus: status, handshakeMsg: msg };
    ctx.addConnection({
      id,
      snapshot: () => structuredClone(record),
      close: () => {},
      drop: () => {},
      poke: () => {},
      shutdown: () => {},
    });
    ctx.emit({ type: "connection", connectionId: id, kind: "ws" });
    ctx.emit({ type: "rejected", connectionId: id, handshakeStatus: status, handshakeMsg: msg });
    ctx.log(`push ${id}: handshake rejected (${status} ${msg})`);
    reject(socket, status, msg);
    return;
  }

  wss.handleUpgrade(req, socket, head, (ws) => {
    record.subprotocol = ws.protocol === "" ? null : ws.protocol;
    if (ctx.closing) {
      ws.terminate();
      return;
    }
    const connection = new PushConnection(ctx, ws, {
      id,
      room,
      record,
      cursor: url.searchParams.get("cursor") ?? undefined,
      internalExt: url.searchParams.get("internal_ext") ?? undefined,
    });
    ctx.addConnection(connection);
    ctx.emit({ type: "connection", connectionId: id, kind: "ws" });
    ctx.log(`push ${id}: connected to room ${room.roomId} (@${room.uniqueId})`);
  });
}

// Test helpers: a plain `ws` client and fetch, with the core codec, exactly what
// any client of the real service does. Not exported from the package.
import {
  type DecodedFrame,
  decodeFetchResult,
  decodeMsgFrame,
  encodeAckFrame,
  encodeEnterRoomFrame,
  encodeHeartbeatFrame,
  type FetchResult,
  type RawMessage,
} from "@tiklive/core";
import WebSocket from "ws";
import type { Simulator } from "./simulator-types.js";

/** A sign response, decoded. */
export interface SignResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  result: FetchResult | undefined;
  /** `name=value; name=value` from `x-set-tt-cookie` (what a client sends on the socket). */
  cookie: string;
}

/** `x-set-tt-cookie` (Set-Cookie entries joined with ", ") -> a Cookie header. */
export function cookieHeader(setCookie: string | null): string {
  if (setCookie === null || setCookie === "") return "";
  return setCookie
    .split(/,\s*(?=[A-Za-z0-9_-]+=)/)
    .map((entry) => entry.split(";")[0]?.trim() ?? "")
    .filter((pair) => pair !== "")
    .join("; ");
}

/** Calls the sign route `GET {signUrl}/webcast/rooms/{roomId}/connect`. */
export async function sign(
  sim: Simulator,
  roomId: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<SignResponse> {
  const params = new URLSearchParams({
    client: "ttlive-node",
    user_agent: "Mozilla/5.0",
    client_enter: "true",
    platform: "web",
    ...query,
  });
  const res = await fetch(`${sim.signUrl}/webcast/rooms/${roomId}/connect?${params}`, {
    headers: { accept: "application/protobuf,application/json", ...headers },
  });
  const body = new Uint8Array(await res.arrayBuffer());
  const isProto = res.status === 200 && (res.headers.get("content-type") ?? "").includes("protobuf");
  return {
    status: res.status,
    headers: res.headers,
    body,
    result: isProto ? decodeFetchResult(body) : undefined,
    cookie: cookieHeader(res.headers.get("x-set-tt-cookie")),
  };
}

/** Options of {@link openPush}. */
export interface OpenPushOptions {
  roomId: string;
  cookie?: string;
  cursor?: string;
  internalExt?: string;
  compress?: "gzip" | "";
  protocols?: string[];
  /** Extra query parameters (after the ones above). */
  query?: [string, string][];
  /** Send `im_enter_room` on open. Default true. */
  enter?: boolean;
  /** Ack frames that need it. Default true. */
  autoAck?: boolean;
}

/** A raw push client: everything received, decoded with the core codec. */
export interface PushClient {
  ws: WebSocket;
  /** Every binary frame, decoded (frames that fail to decode are in `errors`). */
  frames: DecodedFrame[];
  /** Raw bytes of every frame received. */
  raw: Uint8Array[];
  errors: unknown[];
  /** Messages of every msg frame, in order. */
  messages: RawMessage[];
  /** Resolves once the handshake finished (rejects on an unexpected response). */
  opened: Promise<void>;
  /** Resolves on close with the code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `predicate` holds (checked after every frame); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  enter(roomId: string, cursor?: string): void;
  heartbeat(roomId: string, seqId: number): void;
  ack(logId: string, internalExt: string): void;
}

/** The push URL with TikTok's query parameters (docs/protocol.md §5.2). */
export function pushUrl(sim: Simulator, o: OpenPushOptions): string {
  const params = new URLSearchParams();
  params.append("version_code", "180800");
  params.append("aid", "1988");
  params.append("app_name", "tiktok_web");
  params.append("device_platform", "web");
  params.append("identity", "audience");
  params.append("live_id", "12");
  params.append("resp_content_type", "protobuf");
  params.append("client_enter", "1");
  params.append("compress", o.compress ?? "gzip");
  params.append("room_id", o.roomId);
  if (o.internalExt !== undefined) params.append("internal_ext", o.internalExt);
  if (o.cursor !== undefined) params.append("cursor", o.cursor);
  for (const [k, v] of o.query ?? []) params.append(k, v);
  return `${sim.pushUrl}?${params}&version_code=270000`;
}

/** Opens a push connection with a plain `ws` client. */
export function openPush(
  sim: Simulator,
  o: OpenPushOptions,
  wsOptions: WebSocket.ClientOptions = {},
): PushClient {
  const ws = new WebSocket(pushUrl(sim, o), o.protocols ?? [], {
    headers: o.cookie === undefined ? {} : { cookie: o.cookie },
    autoPong: false,
    ...wsOptions,
  });
  const waiters = new Set<() => void>();
  const client: PushClient = {
    ws,
    frames: [],
    raw: [],
    errors: [],
    messages: [],
    opened: new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) =>
        reject(
          Object.assign(new Error(`unexpected response ${res.statusCode}`), {
            headers: res.headers,
            statusCode: res.statusCode,
          }),
        ),
      );
      ws.once("error", reject);
    }),
    closed: new Promise((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })),
    ),
    until: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate()) {
          resolve();
          return;
        }
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `condition not met within ${timeoutMs} ms (${client.messages.length} messages, ${client.frames.length} frames)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      }),
    enter: (roomId, cursor) =>
      ws.send(encodeEnterRoomFrame({ roomId, ...(cursor === undefined ? {} : { cursor }) })),
    heartbeat: (roomId, seqId) => ws.send(encodeHeartbeatFrame({ roomId, seqId })),
    ack: (logId, internalExt) => ws.send(encodeAckFrame({ logId, internalExt })),
  };
  client.opened.catch(() => {});
  ws.on("error", () => {});
  ws.on("open", () => {
    if (o.enter !== false) client.enter(o.roomId);
  });
  ws.on("message", (data: Buffer) => {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    client.raw.push(bytes.slice());
    try {
      const decoded = decodeMsgFrame(bytes);
      client.frames.push(decoded);
      if (decoded.result !== undefined) {
        client.messages.push(...decoded.result.messages);
        if (o.autoAck !== false && decoded.result.needAck && decoded.frame.logId !== "0")
          client.ack(decoded.frame.logId, decoded.result.internalExt);
      }
    } catch (error) {
      client.errors.push(error);
    }
    for (const waiter of [...waiters]) waiter();
  });
  ws.on("close", () => {
    for (const waiter of [...waiters]) waiter();
  });
  return client;
}

/** Signs, then opens the push connection from the sign response (cursor, internal_ext, route params, cookies). */
export async function connect(
  sim: Simulator,
  roomId: string,
  extra: Partial<OpenPushOptions> = {},
): Promise<{ signed: SignResponse; client: PushClient }> {
  const signed = await sign(sim, roomId);
  const result = signed.result;
  if (result === undefined) throw new Error(`sign failed with ${signed.status}`);
  const client = openPush(sim, {
    roomId,
    cookie: signed.cookie,
    cursor: result.cursor,
    internalExt: result.internalExt,
    protocols: ["echo-protocol"],
    query: Object.entries(result.routeParams),
    ...extra,
  });
  return { signed, client };
}

/** msgIds of messages in order. */
export function ids(messages: readonly { msgId: string }[]): string[] {
  return messages.map((m) => m.msgId);
}

/** One polling request as TikTok's web client makes it (docs/protocol.md §6). */
export async function poll(
  s: Simulator,
  roomId: string,
  cookie: string,
  cursor: string,
  internalExt: string,
): Promise<{ status: number; result?: FetchResult; body: Uint8Array }> {
  const params = new URLSearchParams({
    aid: "1988",
    app_name: "tiktok_web",
    room_id: roomId,
    cursor,
    internal_ext: internalExt,
    resp_content_type: "protobuf",
    fetch_rule: "1",
    did_rule: "3",
    live_id: "12",
    version_code: "180800",
    webcast_sdk_version: "1.3.0",
    update_version_code: "1.3.0",
    last_rtt: "0",
  });
  const res = await fetch(`${s.webUrl}/webcast/im/fetch/?${params}`, { headers: { cookie } });
  const body = new Uint8Array(await res.arrayBuffer());
  return res.status === 200 && (res.headers.get("content-type") ?? "").includes("protobuf")
    ? { status: res.status, body, result: decodeFetchResult(body) }
    : { status: res.status, body };
}

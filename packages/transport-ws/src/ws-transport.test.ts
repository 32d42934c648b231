import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import {
  decodePushFrame,
  encodeFetchResult,
  encodePushFrame,
  type FetchResult,
  type SignedSession,
  TikLiveError,
  type TransportEvent,
} from "@tiklive/core";
import { HeartBeatMessageSchema, WebcastImEnterRoomMessageSchema } from "@tiklive/proto";
import { settle, until } from "@tiklive/test-support/wait";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { createWebSocketTransport } from "./ws-transport.js";

interface TestServer {
  url: string;
  server: Server;
  wss: WebSocketServer;
  connections: {
    socket: WebSocket;
    request: IncomingMessage;
    frames: ReturnType<typeof decodePushFrame>[];
  }[];
  /** Resolves with the next connection. */
  next(): Promise<TestServer["connections"][number]>;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(
  options: { reject?: { status: string; msg: string }; handshakeOptions?: string; silent?: boolean } = {},
): Promise<TestServer> {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const connections: TestServer["connections"] = [];
  const waiters: ((c: TestServer["connections"][number]) => void)[] = [];
  wss.on("headers", (headers) => {
    if (options.handshakeOptions !== undefined)
      headers.push(`Handshake-Options: ${options.handshakeOptions}`);
  });
  server.on("upgrade", (request, socket, head) => {
    if (options.silent) return; // never answers: connect timeout
    if (options.reject !== undefined) {
      socket.end(
        `HTTP/1.1 200 OK\r\nhandshake-status: ${options.reject.status}\r\nhandshake-msg: ${options.reject.msg}\r\ncontent-length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = { socket: ws, request, frames: [] as ReturnType<typeof decodePushFrame>[] };
      ws.on("message", (data: Buffer) => connection.frames.push(decodePushFrame(new Uint8Array(data))));
      connections.push(connection);
      waiters.shift()?.(connection);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const test: TestServer = {
    url: `ws://127.0.0.1:${port}/webcast/im/ws_proxy/ws_reuse_supplement/?token=abc`,
    server,
    wss,
    connections,
    next: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(test);
  return test;
}

function session(pushServer: string, overrides: Partial<FetchResult> = {}): SignedSession {
  return {
    roomId: "7300993857827228449",
    fetchResult: {
      messages: [],
      cursor: "t-1699895245035_r-1",
      fetchInterval: "1000",
      now: "1699895245035",
      internalExt: "internal_src:dim|wss_push_room_id:7300993857827228449",
      fetchType: 0,
      routeParams: { im_path: "/webcast/im/fetch/", empty_one: "" },
      heartbeatDuration: "0",
      needAck: false,
      pushServer,
      isFirst: true,
      historyCommentCursor: "",
      historyNoMore: false,
      ...overrides,
    },
    cookies: [
      { name: "ttwid", value: "1|abc" },
      { name: "tt_csrf_token", value: "xyz" },
    ],
    userAgent: "Mozilla/5.0 (Macintosh) TestAgent/1.0",
    signer: "test",
    receivedAt: Date.now(),
  };
}

const msgFrame = (logId: string, cursor: string, ids: string[], { needAck = false, gzip = true } = {}) =>
  encodePushFrame({
    logId,
    headers: gzip ? { compress_type: "gzip" } : {},
    payloadEncoding: "pb",
    payloadType: "msg",
    payload: (gzip ? (b: Uint8Array) => gzipSync(b) : (b: Uint8Array) => b)(
      encodeFetchResult({
        messages: ids.map((msgId) => ({
          method: "WebcastChatMessage",
          payload: new Uint8Array([8, 1]),
          msgId,
        })),
        cursor,
        internalExt: `ie-${cursor}`,
        needAck,
      }),
    ),
  });

async function collect(
  iterable: AsyncIterable<TransportEvent>,
): Promise<{ events: TransportEvent[]; error: unknown }> {
  const events: TransportEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe("createWebSocketTransport", () => {
  it("opens the socket with the §5.2 URL, the session's UA and cookies, and enters the room first", async () => {
    const srv = await startServer();
    const conn = createWebSocketTransport({
      headers: { "X-Extra": "1" },
      query: { app_language: "de" },
    }).connect({ session: session(srv.url) });
    const server = await srv.next();
    const url = new URL(server.request.url ?? "", "http://x");
    expect(url.pathname).toBe("/webcast/im/ws_proxy/ws_reuse_supplement/");
    expect(url.searchParams.get("token")).toBe("abc");
    expect(url.searchParams.getAll("version_code")).toEqual(["180800", "270000"]);
    expect(url.searchParams.get("room_id")).toBe("7300993857827228449");
    expect(url.searchParams.get("cursor")).toBe("t-1699895245035_r-1");
    expect(url.searchParams.get("internal_ext")).toBe(
      "internal_src:dim|wss_push_room_id:7300993857827228449",
    );
    expect(url.searchParams.get("compress")).toBe("gzip");
    expect(url.searchParams.get("im_path")).toBe("/webcast/im/fetch/");
    expect(url.searchParams.has("empty_one")).toBe(false);
    expect(url.searchParams.get("app_language")).toBe("de");
    expect(url.searchParams.get("aid")).toBe("1988");
    expect(server.request.headers["user-agent"]).toBe("Mozilla/5.0 (Macintosh) TestAgent/1.0");
    expect(server.request.headers.cookie).toBe("ttwid=1|abc; tt_csrf_token=xyz");
    expect(server.request.headers["x-extra"]).toBe("1");
    expect(server.request.headers["sec-websocket-protocol"]).toBeUndefined();
    await until(() => server.frames.length >= 1);
    const enter = server.frames[0];
    expect(enter?.payloadType).toBe("im_enter_room");
    const entry = fromBinary(WebcastImEnterRoomMessageSchema, enter?.payload ?? new Uint8Array());
    expect([entry.roomId, entry.liveId, entry.identity, entry.filterWelcomeMsg]).toEqual([
      "7300993857827228449",
      "12",
      "audience",
      "0",
    ]);
    await conn.close();
  });

  it("yields results in order, acks the frames that need it, and ends on a normal close", async () => {
    const srv = await startServer();
    const conn = createWebSocketTransport().connect({ session: session(srv.url) });
    const result = collect(conn);
    const server = await srv.next();
    server.socket.send(msgFrame("101", "c1", ["1", "2"], { needAck: true }));
    server.socket.send(msgFrame("102", "c2", ["3"], { gzip: false }));
    server.socket.send(
      encodePushFrame({
        payloadEncoding: "pb",
        payloadType: "im_enter_room_resp",
        payload: new Uint8Array([1]),
      }),
    );
    server.socket.send(msgFrame("103", "c3", ["4"], { needAck: true }));
    await until(() => server.frames.filter((f) => f.payloadType === "ack").length === 2);
    server.socket.close(1000, "bye");
    const { events, error } = await result;
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["open", "result", "result", "frame", "result", "closed"]);
    const ids = events.flatMap((e) => (e.type === "result" ? e.result.messages.map((m) => m.msgId) : []));
    expect(ids).toEqual(["1", "2", "3", "4"]);
    expect(events.at(-1)).toEqual({ type: "closed", code: 1000, reason: "bye" });
    const acks = server.frames.filter((f) => f.payloadType === "ack");
    expect(acks.map((a) => [a.logId, Buffer.from(a.payload).toString(), a.payloadEncoding])).toEqual([
      ["101", "ie-c1", "pb"],
      ["103", "ie-c3", "pb"],
    ]);
  });

  it("heartbeats with an increasing seq id at the server's Handshake-Options interval, after room entry", async () => {
    const srv = await startServer({ handshakeOptions: "ping-interval=0.05; other=1" });
    const conn = createWebSocketTransport().connect({ session: session(srv.url) });
    const server = await srv.next();
    await until(() => server.frames.filter((f) => f.payloadType === "hb").length >= 3);
    expect(server.frames[0]?.payloadType).toBe("im_enter_room");
    const beats = server.frames
      .filter((f) => f.payloadType === "hb")
      .map((f) => fromBinary(HeartBeatMessageSchema, f.payload));
    expect(beats.slice(0, 3).map((b) => [b.roomId, b.sendPacketSeqId])).toEqual([
      ["7300993857827228449", "1"],
      ["7300993857827228449", "2"],
      ["7300993857827228449", "3"],
    ]);
    // Room switching resets the sequence and uses the new room id (docs/protocol.md §4.3).
    const before = server.frames.length;
    await conn.switchRoom?.("7300000000000000042");
    await until(() => server.frames.slice(before).filter((f) => f.payloadType === "hb").length >= 1);
    const after = server.frames.slice(before);
    expect(after[0]?.payloadType).toBe("im_enter_room");
    const first = fromBinary(
      HeartBeatMessageSchema,
      after.find((f) => f.payloadType === "hb")?.payload ?? new Uint8Array(),
    );
    expect([first.roomId, first.sendPacketSeqId]).toEqual(["7300000000000000042", "1"]);
    await conn.close();
  });

  it("a rejected handshake (HTTP 200 + handshake-status) is a typed error with those values", async () => {
    const srv = await startServer({ reject: { status: "415", msg: "DEVICE_BLOCKED" } });
    const { events, error } = await collect(
      createWebSocketTransport().connect({ session: session(srv.url) }),
    );
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe("handshake_rejected");
    expect((error as TikLiveError).details).toMatchObject({
      httpStatus: 200,
      handshakeStatus: "415",
      handshakeMessage: "DEVICE_BLOCKED",
    });
    expect((error as TikLiveError).retryable).toBe(false);
  });

  it("an error close is a typed error with the code; an abrupt drop loses no frame received before it", async () => {
    const srv = await startServer();
    const closing = collect(createWebSocketTransport().connect({ session: session(srv.url) }));
    (await srv.next()).socket.close(4001, "kicked");
    const closed = await closing;
    expect((closed.error as TikLiveError).code).toBe("connection_closed");
    expect((closed.error as TikLiveError).details).toMatchObject({ code: 4001, reason: "kicked" });
    expect((closed.error as TikLiveError).retryable).toBe(true);

    const dropping = collect(createWebSocketTransport().connect({ session: session(srv.url) }));
    const server = await srv.next();
    server.socket.send(msgFrame("1", "c1", ["71"]));
    server.socket.send(msgFrame("2", "c2", ["72"]), () => server.socket.terminate());
    const dropped = await dropping;
    expect((dropped.error as TikLiveError).code).toBe("connection_closed");
    expect((dropped.error as TikLiveError).details).toMatchObject({ code: 1006 });
    const ids = dropped.events.flatMap((e) =>
      e.type === "result" ? e.result.messages.map((m) => m.msgId) : [],
    );
    // 72 is the last frame before the drop.
    expect(ids).toEqual(["71", "72"]);
  });

  it("corrupt frames and text frames become frameError events and the stream goes on", async () => {
    const srv = await startServer();
    const conn = createWebSocketTransport().connect({ session: session(srv.url) });
    const result = collect(conn);
    const server = await srv.next();
    server.socket.send(new Uint8Array([0x0f, 0xff]));
    const badGzip = encodePushFrame({
      headers: { compress_type: "gzip" },
      payloadType: "msg",
      payload: new Uint8Array([0x1f, 0x8b, 0x08, 0, 1, 2]),
    });
    server.socket.send(badGzip);
    server.socket.send("hello");
    server.socket.send(msgFrame("5", "c5", ["55"]));
    await settle(50);
    server.socket.close(1001);
    const { events, error } = await result;
    expect(error).toBeUndefined();
    expect(events.map((e) => (e.type === "frameError" ? `frameError:${e.error.code}` : e.type))).toEqual([
      "open",
      "frameError:malformed_frame",
      "frameError:decompression_failed",
      "frameError:malformed_frame",
      "result",
      "closed",
    ]);
  });

  it("aborting stops cleanly: the socket closes gracefully and iteration ends", async () => {
    const srv = await startServer();
    const controller = new AbortController();
    const conn = createWebSocketTransport().connect({ session: session(srv.url), signal: controller.signal });
    const result = collect(conn);
    const server = await srv.next();
    const serverClosed = new Promise<number>((resolve) => server.socket.on("close", (code) => resolve(code)));
    await until(() => server.frames.length >= 1);
    controller.abort();
    const { events, error } = await result;
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["open"]);
    expect(await serverClosed).toBe(1000);
    await conn.close();
  });

  it("breaking out of the loop closes the socket", async () => {
    const srv = await startServer();
    const conn = createWebSocketTransport().connect({ session: session(srv.url) });
    const server = await srv.next();
    const serverClosed = new Promise<number>((resolve) => server.socket.on("close", (code) => resolve(code)));
    for await (const event of conn) {
      expect(event.type).toBe("open");
      break;
    }
    expect(await serverClosed).toBe(1000);
  });

  it("times out when the handshake never completes, and reports unreachable servers as network errors", async () => {
    const srv = await startServer({ silent: true });
    const slow = await collect(
      createWebSocketTransport({ connectTimeoutMs: 100 }).connect({ session: session(srv.url) }),
    );
    expect((slow.error as TikLiveError).code).toBe("connect_timeout");
    const { port } = srv.server.address() as AddressInfo;
    await srv.close();
    servers.length = 0;
    const refused = await collect(
      createWebSocketTransport().connect({ session: session(`ws://127.0.0.1:${port}/ws`) }),
    );
    expect((refused.error as TikLiveError).code).toBe("network_error");
    expect((refused.error as TikLiveError).retryable).toBe(true);
  });

  it("validates options and the push server URL with typed errors", () => {
    expect(() => createWebSocketTransport({ connectTimeoutMs: -1 })).toThrow(/connectTimeoutMs/);
    for (const [options, name] of [
      [{ connectTimeoutMs: 3e9 }, "connectTimeoutMs"],
      [{ heartbeatIntervalMs: 1.5 }, "heartbeatIntervalMs"],
      [{ closeTimeoutMs: 2 ** 31 }, "closeTimeoutMs"],
      [{ highWaterMark: 1.5 }, "highWaterMark"],
      [{ frame: { limits: { maxFrameBytes: 0.5 } } }, "frame.limits.maxFrameBytes"],
    ] as const) {
      expect(() => createWebSocketTransport(options), name).toThrow(
        expect.objectContaining({ code: "invalid_input", details: { option: name } }),
      );
    }
    const transport = createWebSocketTransport();
    expect(() => transport.connect({ session: session("https://example.invalid/") })).toThrow(
      /ws:\/\/ or wss:\/\//,
    );
    expect(() => transport.connect({ session: session("not a url") })).toThrow(TikLiveError);
  });

  it("offers a subprotocol when asked", async () => {
    const srv = await startServer();
    const conn = createWebSocketTransport({ subprotocol: "echo-protocol" }).connect({
      session: session(srv.url),
    });
    const server = await srv.next();
    expect(server.request.headers["sec-websocket-protocol"]).toBe("echo-protocol");
    await conn.close();
  });
});

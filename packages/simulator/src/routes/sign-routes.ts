// The Euler sign server routes (docs/protocol.md §7.2, §7.3), below `signUrl`.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { create, toBinary } from "@bufbuild/protobuf";
import { encodeFetchResult } from "@tiklive/core";
import { createRandom, hashSeed } from "@tiklive/core/internal";
import { CommonMessageDataSchema, WebcastRoomMessageSchema } from "@tiklive/proto";
import { decodeCursor } from "../cursor.js";
import { buildFetchResult } from "../fetch-result.js";
import {
  queryObject,
  queryPairs,
  readBody,
  redactHeaders,
  redactPairs,
  sendBytes,
  sendJson,
} from "../http/http-util.js";
import type { SignRequestRecord } from "../inspection.js";
import type { Room } from "../room.js";
import { MessageFactory } from "../scenario/message-factory.js";
import { createHostUser } from "../scenario/users.js";
import type { SimContext } from "../sim-context.js";
import { snowflakeId } from "../snowflake.js";
import { type Route, route } from "./router.js";

/** Budgets reported by `GET /webcast/rate_limits` (requests per window). */
const limits = { minute: 60, hour: 1000, day: 10_000 } as const;
const windows = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The sign server routes of one simulator. */
export function createSignRoutes(ctx: SimContext): Route[] {
  const signTimes: number[] = [];
  const chatFactories = new Map<string, MessageFactory>();

  function begin(
    req: IncomingMessage,
    url: URL,
    routeName: SignRequestRecord["route"],
    roomId?: string,
  ): SignRequestRecord {
    return {
      id: ctx.nextRequestId(),
      at: Date.now(),
      route: routeName,
      method: req.method ?? "GET",
      path: url.pathname,
      query: queryObject(redactPairs(queryPairs(url))),
      headers: redactHeaders(req.headers),
      ...(roomId === undefined ? {} : { roomId }),
      status: 0,
    };
  }

  function finish(record: SignRequestRecord, status: number): void {
    record.status = status;
    ctx.recordSign(record);
    ctx.emit({ type: "sign", roomId: record.roomId, status, route: record.route });
  }

  // The key may come as header x-api-key, query apiKey or header x-jwt-key
  // (docs/protocol.md §7.1). Missing: 401; wrong: 403. The key is never logged.
  function authorize(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: SignRequestRecord,
  ): boolean {
    const expected = ctx.options.apiKey;
    if (expected === undefined) return true;
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const given = header("x-api-key") || url.searchParams.get("apiKey") || header("x-jwt-key") || undefined;
    if (given === undefined) {
      sendJson(res, 401, {
        code: 401,
        message:
          "Missing API key: send it as the x-api-key header, the apiKey query parameter or the x-jwt-key header.",
      });
      finish(record, 401);
      return false;
    }
    if (!safeEqual(given, expected)) {
      sendJson(res, 403, { code: 403, message: "Invalid API key." });
      finish(record, 403);
      return false;
    }
    return true;
  }

  function signHeaders(room: Room, cookies: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/protobuf",
      "x-room-id": room.roomId,
      "x-request-id": ctx.random.hex(32),
      "x-log-id": `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}${ctx.random.hex(18).toUpperCase()}`,
      "x-agent-id": `tiklive-sim-${ctx.random.int(1, 9)}`,
      "x-log-code": "0",
    };
    if (cookies) headers["x-set-tt-cookie"] = ctx.issueCookies();
    return headers;
  }

  function sign(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    routeName: "connect" | "fetch",
    roomIdText: string | null,
  ): void {
    let room = ctx.roomById(roomIdText);
    // Enterprise callers pass room id 0 and a unique_id (docs/protocol.md §7.2).
    if (room === undefined && (roomIdText === "0" || roomIdText === null))
      room = ctx.roomByUniqueId(url.searchParams.get("unique_id"));
    const record = begin(req, url, routeName, room?.roomId ?? roomIdText ?? undefined);
    if (!authorize(req, res, url, record)) return;
    signTimes.push(Date.now());
    if (signTimes.length > 100_000) signTimes.splice(0, signTimes.length - 100_000);
    if (room === undefined) {
      sendJson(res, 404, { code: 404, message: `Room not found: ${roomIdText ?? "(no room_id)"}` });
      finish(record, 404);
      return;
    }
    const scope = { room: { uniqueId: room.uniqueId, roomId: room.roomId } };
    for (const fault of ctx.faults.matching(["sign-429", "sign-stub"], scope)) {
      if (!ctx.fireFault(fault)) continue;
      record.fault = fault.text;
      if (fault.spec.kind === "sign-429") {
        const retryAfter = fault.spec.retryAfter ?? 60;
        sendJson(
          res,
          429,
          {
            message: "Too many connections started. Try again later or upgrade your plan.",
            limit_label: fault.spec.limitLabel ?? "minute",
          },
          {
            "retry-after": String(retryAfter),
            "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + retryAfter),
            "ratelimit-limit": String(limits.minute),
            "ratelimit-remaining": "0",
            "ratelimit-reset": String(retryAfter),
          },
        );
        finish(record, 429);
        return;
      }
      // The "fallback stub" Euler served during incidents (docs/protocol.md §5.1): a
      // small result without cursor or push server, and no cookies.
      const now = Date.now();
      const msgId = snowflakeId(ctx.random, now);
      const common = create(CommonMessageDataSchema, {
        method: "WebcastRoomMessage",
        msgId,
        roomId: room.roomId,
        createTime: String(now),
      });
      const payload = toBinary(
        WebcastRoomMessageSchema,
        create(WebcastRoomMessageSchema, {
          common,
          content: "Connected through Euler Stream fallback proxy",
        }),
      );
      const body = encodeFetchResult({
        messages: [{ method: "WebcastRoomMessage", payload, msgId }],
        now: String(now),
        fetchInterval: String(ctx.options.fetchIntervalMs),
      });
      record.response = { cursor: "", internalExt: "", pushServer: "", routeParams: {}, msgIds: [msgId] };
      sendBytes(res, 200, body, signHeaders(room, false));
      finish(record, 200);
      return;
    }
    ctx.touch(room);
    const cursor = decodeCursor(url.searchParams.get("cursor"));
    const resume = cursor !== undefined && cursor.roomId === room.roomId;
    // A fresh connect gets the recent backlog (docs/protocol.md §12 "initial data"); a
    // resume gets everything after its cursor. An offline or ended room has no backlog.
    const range = resume
      ? room.rangeFrom(cursor.seq, ctx.options.maxResultMessages)
      : room.live && ctx.roomStatus(room) === 2
        ? room.recent(ctx.options.historySize)
        : room.rangeFrom(room.headSeq, 0);
    const routeParams = {
      im_path: "/webcast/im/fetch/",
      wrss: ctx.random.token(43),
      wss_push_did: ctx.did,
      wss_push_room_id: room.roomId,
    };
    const result = buildFetchResult(
      range.messages,
      { roomId: room.roomId, endSeq: range.endSeq, timeMs: range.timeMs },
      ctx.did,
      {
        isHistory: !resume,
        pushServer: ctx.urls.pushUrl,
        routeParams,
        isFirst: true,
        needAck: false,
        fetchInterval: String(ctx.options.fetchIntervalMs),
        now: String(Date.now()),
        fetchType: 1,
        heartbeatDuration: String(ctx.options.pingIntervalSeconds * 1000),
      },
    );
    record.response = {
      cursor: result.cursor,
      internalExt: result.internalExt,
      pushServer: ctx.urls.pushUrl,
      routeParams: { ...routeParams },
      msgIds: range.messages.map((m) => m.msgId),
    };
    sendBytes(res, 200, result.bytes, signHeaders(room, true));
    finish(record, 200);
  }

  function roomIdLookup(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    uniqueIdText: string | null,
  ): void {
    const record = begin(req, url, "room_id");
    if (!authorize(req, res, url, record)) return;
    const handle = (uniqueIdText ?? "").trim().replace(/^@/, "").toLowerCase();
    const room = ctx.roomByUniqueId(handle);
    const routesAttempted = ["sigi_state", "api_live"];
    if (room === undefined) {
      const neverLive = handle !== "" && ctx.isNeverLiveUser(handle);
      sendJson(res, 404, {
        code: 404,
        message: neverLive ? "This user has never been live." : "User not found.",
        ok: false,
        routes_attempted: routesAttempted,
        is_live: false,
        room_id: null,
        source: null,
      });
      finish(record, 404);
      return;
    }
    record.roomId = room.roomId;
    sendJson(res, 200, {
      code: 200,
      message: "OK",
      ok: true,
      routes_attempted: routesAttempted.slice(0, 1),
      is_live: ctx.roomStatus(room) === 2,
      room_id: room.roomId,
      source: "sigi_state",
    });
    finish(record, 200);
  }

  function rateLimits(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const record = begin(req, url, "rate_limits");
    if (!authorize(req, res, url, record)) return;
    const now = Date.now();
    const window = (name: keyof typeof limits) => {
      const since = now - windows[name];
      const used = signTimes.filter((t) => t > since).length;
      return {
        max: limits[name],
        remaining: Math.max(0, limits[name] - used),
        reset_at: new Date(Math.ceil(now / windows[name]) * windows[name]).toISOString(),
      };
    };
    sendJson(res, 200, {
      code: 200,
      message: "OK",
      minute: window("minute"),
      hour: window("hour"),
      day: window("day"),
      load_shedding: { at: 0.9, chance: 0 },
    });
    finish(record, 200);
  }

  async function chat(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    roomIdText: string,
  ): Promise<void> {
    const room = ctx.roomById(roomIdText);
    const record = begin(req, url, "chat", room?.roomId ?? roomIdText);
    if (!authorize(req, res, url, record)) return;
    const cookieHeader = req.headers["x-cookie-header"];
    const cookies = Array.isArray(cookieHeader) ? cookieHeader.join("; ") : (cookieHeader ?? "");
    const session = /(?:^|;\s*)sessionid=([^;\s]+)/.exec(cookies)?.[1];
    if (session === undefined) {
      sendJson(res, 401, {
        code: 401,
        message:
          "Sending chat needs a TikTok session: pass the x-cookie-header header with a sessionid cookie.",
      });
      finish(record, 401);
      return;
    }
    if (room === undefined) {
      sendJson(res, 404, { code: 404, message: `Room not found: ${roomIdText}` });
      finish(record, 404);
      return;
    }
    const body = await readBody(req);
    let content: unknown;
    try {
      content =
        body === undefined ? undefined : (JSON.parse(body.toString("utf8")) as { content?: unknown }).content;
    } catch {
      content = undefined;
    }
    if (typeof content !== "string" || content.trim() === "" || content.length > 500) {
      sendJson(res, 400, {
        code: 400,
        message: 'The body must be JSON {"content": "..."} with 1-500 characters.',
      });
      finish(record, 400);
      return;
    }
    if (!room.live || ctx.roomStatus(room) !== 2) {
      sendJson(res, 400, { code: 400, message: "The room is not live." });
      finish(record, 400);
      return;
    }
    let factory = chatFactories.get(room.roomId);
    if (factory === undefined) {
      factory = new MessageFactory(
        createRandom(hashSeed(ctx.options.seed, "chat", room.roomId)),
        room.roomId,
        room.host,
      );
      chatFactories.set(room.roomId, factory);
    }
    // The author is "you": the session's own account, stable per session id.
    const you = {
      ...createHostUser("you", "You", String(hashSeed(session))),
      verified: false,
      followerCount: 0,
      followsHost: true,
    };
    ctx.touch(room);
    room.inject(factory.chat(you, content, room.scenarioNow, "en").message);
    sendJson(res, 200, {
      code: 200,
      message: "ok",
      data: { status_code: 0, data: {}, extra: { now: Date.now() } },
    });
    finish(record, 200);
  }

  return [
    route("GET", /^\/webcast\/rooms\/([^/]+)\/connect\/?$/, (req, res, url, [roomId]) =>
      sign(req, res, url, "connect", roomId ?? null),
    ),
    route("GET", /^\/webcast\/fetch\/?$/, (req, res, url) =>
      sign(req, res, url, "fetch", url.searchParams.get("room_id")),
    ),
    route("GET", /^\/webcast\/anchors\/([^/]+)\/room_id\/?$/, (req, res, url, [uniqueId]) =>
      roomIdLookup(req, res, url, uniqueId ?? null),
    ),
    route("GET", /^\/webcast\/room_id\/?$/, (req, res, url) =>
      roomIdLookup(req, res, url, url.searchParams.get("uniqueId") ?? url.searchParams.get("unique_id")),
    ),
    route("GET", /^\/webcast\/rate_limits\/?$/, (req, res, url) => rateLimits(req, res, url)),
    route("POST", /^\/webcast\/rooms\/([^/]+)\/chat\/?$/, (req, res, url, [roomId]) =>
      chat(req, res, url, roomId ?? ""),
    ),
  ];
}

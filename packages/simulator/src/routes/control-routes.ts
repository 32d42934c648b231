// Inspection and control endpoints under /__sim/ (JSON). Everything here is also
// on the library API; these are for tools and clients in other processes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { readBody, sendJson } from "../http/http-util.js";
import type { Simulator } from "../simulator-types.js";
import { type Route, route } from "./router.js";

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, 1024 * 1024);
  if (body === undefined) throw new TikLiveError(ErrorCode.InvalidInput, "body too large");
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  if (!text.startsWith("{") && !text.startsWith("[") && !text.startsWith('"')) return { spec: text };
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TikLiveError(ErrorCode.InvalidInput, "the body is not JSON");
  }
}

class NotFound extends Error {}

function fail(res: ServerResponse, error: unknown): void {
  if (error instanceof NotFound) {
    sendJson(res, 404, { code: "not_found", message: error.message });
    return;
  }
  if (error instanceof TikLiveError) {
    sendJson(res, error.code === ErrorCode.InvalidInput ? 400 : 500, {
      code: error.code,
      message: error.message,
    });
    return;
  }
  sendJson(res, 500, { code: "internal", message: error instanceof Error ? error.message : String(error) });
}

function handler(
  fn: (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => unknown | Promise<unknown>,
) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => {
    try {
      const out = await fn(req, res, url, params);
      if (!res.headersSent) sendJson(res, 200, out ?? { ok: true });
    } catch (error) {
      fail(res, error);
    }
  };
}

function notFound(what: string): NotFound {
  return new NotFound(`${what} not found`);
}

/** The `/__sim/` routes of one simulator. */
export function createControlRoutes(sim: Simulator): Route[] {
  const room = (id: string | undefined) => {
    try {
      return sim.room(id ?? "");
    } catch {
      throw notFound(`room ${id}`);
    }
  };
  return [
    route(
      "GET",
      /^\/__sim\/?$/,
      handler(() => ({
        ...sim.info,
        endpoints: ["info", "rooms", "connections", "sign-requests", "web-requests", "faults"],
      })),
    ),
    route(
      "GET",
      /^\/__sim\/info\/?$/,
      handler(() => sim.info),
    ),
    route(
      "GET",
      /^\/__sim\/rooms\/?$/,
      handler(() => sim.rooms.map((r) => sim.room(r.roomId).snapshot())),
    ),
    route(
      "GET",
      /^\/__sim\/rooms\/([^/]+)\/?$/,
      handler((_q, _s, _u, [id]) => room(id).snapshot()),
    ),
    route(
      "GET",
      /^\/__sim\/rooms\/([^/]+)\/scenario\/?$/,
      handler((_q, _s, url, [id]) => {
        const limitText = url.searchParams.get("limit");
        const withPayload = url.searchParams.get("payload") === "1";
        const entries = room(id).scenario(limitText === null ? undefined : Number(limitText));
        return entries.map(({ payload, ...rest }) => ({
          ...rest,
          payloadSize: payload.length,
          ...(withPayload ? { payload: Buffer.from(payload).toString("base64") } : {}),
        }));
      }),
    ),
    route(
      "GET",
      /^\/__sim\/rooms\/([^/]+)\/published\/?$/,
      handler((_q, _s, _u, [id]) => room(id).published()),
    ),
    route(
      "POST",
      /^\/__sim\/rooms\/([^/]+)\/start\/?$/,
      handler((_q, _s, _u, [id]) => {
        room(id).start();
        return room(id).snapshot();
      }),
    ),
    route(
      "POST",
      /^\/__sim\/rooms\/([^/]+)\/pause\/?$/,
      handler((_q, _s, _u, [id]) => {
        room(id).pause();
        return room(id).snapshot();
      }),
    ),
    route(
      "POST",
      /^\/__sim\/rooms\/([^/]+)\/advance\/?$/,
      handler(async (req, _s, _u, [id]) => {
        const body = (await jsonBody(req)) as { ticks?: unknown };
        const ticks = body.ticks === undefined ? 1 : Number(body.ticks);
        if (!Number.isInteger(ticks) || ticks < 1)
          throw new TikLiveError(ErrorCode.InvalidInput, "ticks must be a positive whole number");
        const published = room(id).advance(ticks);
        return { published, room: room(id).snapshot() };
      }),
    ),
    route(
      "GET",
      /^\/__sim\/connections\/?$/,
      handler(() =>
        sim.connections().map(({ frames, heartbeats, acks, polls, enterRoom, ...rest }) => ({
          ...rest,
          frames: frames.length,
          heartbeats: heartbeats.length,
          acks: acks.length,
          polls: polls.length,
          enterRoom: enterRoom.length,
        })),
      ),
    ),
    route(
      "GET",
      /^\/__sim\/connections\/([^/]+)\/?$/,
      handler((_q, _s, _u, [id]) => {
        const c = sim.connection(id ?? "");
        if (c === undefined) throw notFound(`connection ${id}`);
        return c;
      }),
    ),
    route(
      "POST",
      /^\/__sim\/connections\/([^/]+)\/close\/?$/,
      handler(async (req, _s, _u, [id]) => {
        const body = (await jsonBody(req)) as { code?: unknown; reason?: unknown };
        const code = body.code === undefined ? 1000 : Number(body.code);
        const reason = typeof body.reason === "string" ? body.reason : "";
        if (!sim.closeConnection(id ?? "", code, reason)) throw notFound(`connection ${id}`);
        return { ok: true };
      }),
    ),
    route(
      "POST",
      /^\/__sim\/connections\/([^/]+)\/drop\/?$/,
      handler((_q, _s, _u, [id]) => {
        if (!sim.dropConnection(id ?? "")) throw notFound(`connection ${id}`);
        return { ok: true };
      }),
    ),
    route(
      "GET",
      /^\/__sim\/sign-requests\/?$/,
      handler(() => sim.signRequests()),
    ),
    route(
      "GET",
      /^\/__sim\/web-requests\/?$/,
      handler(() => sim.webRequests()),
    ),
    route(
      "GET",
      /^\/__sim\/faults\/?$/,
      handler(() => sim.faults()),
    ),
    route(
      "POST",
      /^\/__sim\/faults\/?$/,
      handler(async (req) => {
        const body = (await jsonBody(req)) as { spec?: unknown; specs?: unknown } | string;
        const specs =
          typeof body === "string" ? [body] : Array.isArray(body.specs) ? body.specs : [body.spec];
        if (specs.length === 0 || specs.some((s) => typeof s !== "string"))
          throw new TikLiveError(ErrorCode.InvalidInput, 'send {"spec": "<fault spec>"} or {"specs": [...]}');
        return specs.map((s) => sim.addFault(s as string));
      }),
    ),
    route(
      "DELETE",
      /^\/__sim\/faults\/?$/,
      handler(() => {
        sim.clearFaults();
        return { ok: true };
      }),
    ),
    route(
      "DELETE",
      /^\/__sim\/faults\/([^/]+)\/?$/,
      handler((_q, _s, _u, [id]) => {
        if (!sim.removeFault(id ?? "")) throw notFound(`fault ${id}`);
        return { ok: true };
      }),
    ),
  ];
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultDevicePreset, type SignedSession, TikLiveError } from "@tiklive/core";
import { httpStatusError } from "@tiklive/core/internal";
import { failure } from "@tiklive/test-support/rejection";
import { createPollingTransport } from "@tiklive/transport-poll";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebApi } from "./web-api.js";

const sigi = (state: unknown) =>
  `<!DOCTYPE html><html><head><script id="SIGI_STATE" type="application/json">${JSON.stringify(state)}</script></head></html>`;
const liveRoom = (roomId: string, status: number) => ({
  LiveRoom: { liveRoomUserInfo: { user: { roomId, uniqueId: "u", status }, liveRoom: { roomId, status } } },
});

let server: Server;
let api: WebApi;
const seen: { url: string; cookie: string | undefined; ua: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    seen.push({ url: url.pathname + url.search, cookie: req.headers.cookie, ua: req.headers["user-agent"] });
    const json = (body: string) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    };
    switch (url.pathname) {
      case "/@live_user/live":
        return res.end(sigi(liveRoom("7300993857827228449", 2)));
      case "/@offline_user/live":
        return res.end(sigi(liveRoom("7300993857827228450", 4)));
      case "/@never_live/live":
        return res.end(sigi({ AppContext: {} }));
      case "/@captcha/live":
        return res.end("<html><body>Please verify you are human (captcha)</body></html>");
      case "/@waf/live":
        res.writeHead(403);
        return res.end("<html>Access denied</html>");
      case "/api-live/user/room/": {
        const user = url.searchParams.get("uniqueId");
        if (user === "ghost") return json('{"statusCode":19881007,"message":"user_not_found","data":{}}');
        // A 19-digit room id as a JSON number: must not lose precision.
        return json(
          '{"statusCode":0,"message":"","data":{"user":{"roomId":"7300993857827228449","status":2},"liveRoom":{"roomId":7300993857827228449,"status":2}}}',
        );
      }
      case "/webcast/room/info/": {
        const room = url.searchParams.get("room_id");
        if (room === "1")
          return json('{"status_code":4003110,"data":{"prompts":"This LIVE is age-restricted"}}');
        return json(
          `{"status_code":0,"data":{"status":2,"title":"hello","owner":{"id":7300993857827228499,"display_id":"live_user"}}}`,
        );
      }
      case "/webcast/gift/list/":
        return json(
          '{"status_code":0,"data":{"gifts":[{"id":5655,"name":"Rose","diamond_count":1,"type":1,"image":{"url_list":["https://x/rose.png"]}}]}}',
        );
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  api = new WebApi({
    webUrl: new URL(base),
    webcastUrl: new URL(base),
    device: defaultDevicePreset,
    deviceId: "7012345678901234567",
    params: { extra: "1" },
    headers: {},
    cookies: () => [{ name: "tt-target-idc", value: "useast1a" }],
    timeoutMs: 2000,
    maxResponseBytes: 16 * 1024 * 1024,
    dispatcher: undefined,
    secrets: [],
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("WebApi", () => {
  it("reads the room id and live status from the live page's SIGI_STATE, sending the web params and cookies", async () => {
    expect(await api.roomFromHtml("live_user")).toEqual({
      roomId: "7300993857827228449",
      uniqueId: "live_user",
      live: "live",
      status: 2,
      source: "html",
    });
    expect(await api.roomFromHtml("offline_user")).toMatchObject({ live: "offline", status: 4 });
    const request = seen.find((s) => s.url.startsWith("/@live_user/live"));
    expect(request?.url).toContain("aid=1988");
    expect(request?.url).toContain("device_id=7012345678901234567");
    expect(request?.url).toContain("extra=1");
    expect(request?.cookie).toBe("tt-target-idc=useast1a");
    expect(request?.ua).toBe(defaultDevicePreset.userAgent);
  });

  it("types the failures with their evidence: never live, captcha page, WAF 403", async () => {
    expect((await failure(api.roomFromHtml("never_live"))).code).toBe("user_not_found");
    const captcha = await failure(api.roomFromHtml("captcha"));
    expect(captcha.code).toBe("blocked");
    expect(String(captcha.details["body"])).toContain("captcha");
    const waf = await failure(api.roomFromHtml("waf"));
    expect([waf.code, waf.retryable, waf.details["status"]]).toEqual(["blocked", false, 403]);
  });

  it("reads api-live/user/room without losing the precision of a numeric room id, and knows user_not_found", async () => {
    expect(await api.roomFromApi("live_user")).toMatchObject({
      roomId: "7300993857827228449",
      live: "live",
      source: "api",
    });
    const ghost = await failure(api.roomFromApi("ghost"));
    expect([ghost.code, ghost.retryable, ghost.details["statusCode"]]).toEqual([
      "user_not_found",
      false,
      19881007,
    ]);
  });

  it("room info keeps ids exact and recognises age-restricted rooms", async () => {
    const info = await api.roomInfo("7300993857827228449");
    expect(info.status).toBe(2);
    expect((info["owner"] as { id: string }).id).toBe("7300993857827228499");
    expect((await failure(api.roomInfo("1"))).code).toBe("age_restricted");
  });

  it("gift list ids are strings", async () => {
    expect(await api.giftList("7300993857827228449")).toMatchObject([
      { id: "5655", name: "Rose", diamondCount: 1, type: 1, imageUrl: "https://x/rose.png" },
    ]);
  });

  it("network failures and timeouts are typed", async () => {
    const dead = new WebApi({
      ...(api as unknown as { settings: ConstructorParameters<typeof WebApi>[0] }).settings,
      webUrl: new URL("http://127.0.0.1:9/"),
    });
    expect((await failure(dead.roomFromHtml("x"))).code).toBe("network_error");
  });
});

// A server answering every request with one status (and headers), on its own port.
async function statusServer(
  status: number,
  headers: Record<string, string>,
): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(status >= 300 && status < 400 ? "" : "<html>no</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const pollSession: SignedSession = {
  roomId: "7300993857827228449",
  fetchResult: {
    messages: [],
    cursor: "c0",
    fetchInterval: "0",
    now: "0",
    internalExt: "ie0",
    fetchType: 0,
    routeParams: {},
    heartbeatDuration: "0",
    needAck: false,
    pushServer: "wss://push.invalid/",
    isFirst: true,
    historyCommentCursor: "",
    historyNoMore: false,
  },
  cookies: [],
  userAgent: "Mozilla/5.0 TestAgent",
  signer: "test",
  receivedAt: 0,
};

describe("one HTTP status mapping for the web API and polling", () => {
  it.each([
    [401, {}],
    [403, {}],
    [404, {}],
    [418, {}],
    [302, { location: "/login" }],
    [429, { "retry-after": "3" }],
    [429, {}],
    [500, {}],
    [503, { "retry-after": "2" }],
  ] as const)(
    "HTTP %i %j gives the same code, retryable and retry time from both",
    async (status, headers) => {
      const local = await statusServer(status, headers);
      try {
        const web = new WebApi({
          ...(api as unknown as { settings: ConstructorParameters<typeof WebApi>[0] }).settings,
          webcastUrl: new URL(local.base),
        });
        const fromWeb = await failure(web.roomInfo("7300993857827228449"));
        // One failed poll ends the connection, so a retryable status is seen at once too.
        const connection = createPollingTransport({
          baseUrl: local.base,
          maxConsecutiveErrors: 1,
        }).connect({ session: pollSession });
        const fromPoll = await (async () => {
          try {
            for await (const _ of connection) {
              // no event is expected before the failure
            }
          } catch (error) {
            return error;
          }
          return undefined;
        })();
        expect(fromPoll).toBeInstanceOf(TikLiveError);
        const expected = httpStatusError({ status, url: local.base, what: "x", headers });
        const shape = (e: TikLiveError | undefined) => ({
          code: e?.code,
          retryable: e?.retryable,
          retryAfterMs: e?.retryAfterMs,
          status: e?.details["status"],
        });
        expect(shape(fromWeb)).toEqual(shape(expected));
        expect(shape(fromPoll as TikLiveError)).toEqual(shape(expected));
      } finally {
        await local.close();
      }
    },
  );
});

describe("WebApi response size cap", () => {
  it("an oversize body is payload_too_large, and the connection is closed rather than left hanging", async () => {
    let closed: () => void = () => {};
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    let written = 0;
    const server = createServer((req, res) => {
      if (req.url?.startsWith("/declared")) {
        // Refused from content-length alone.
        res.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
        res.write("x".repeat(1024));
        return;
      }
      res.writeHead(200, { "content-type": "text/html" });
      // An endless page: only the client can end this response.
      const chunk = "<p>".padEnd(16 * 1024, "x");
      const timer = setInterval(() => {
        written += chunk.length;
        res.write(chunk);
      }, 1);
      res.on("close", () => {
        clearInterval(timer);
        closed();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const small = new WebApi({
        ...(api as unknown as { settings: ConstructorParameters<typeof WebApi>[0] }).settings,
        webUrl: new URL(base),
        webcastUrl: new URL(`${base}declared/`),
        maxResponseBytes: 64 * 1024,
        timeoutMs: 10_000,
      });
      const started = Date.now();
      const error = await failure(small.roomFromHtml("endless"));
      expect([error.code, error.retryable]).toEqual(["payload_too_large", false]);
      expect(error.details).toMatchObject({ maxBytes: 64 * 1024, status: 200 });
      await connectionClosed;
      expect(Date.now() - started).toBeLessThan(5_000);
      // Far less than a full read would have taken: the reader stopped at the cap.
      expect(written).toBeLessThan(16 * 1024 * 1024);
      const declared = await failure(small.roomInfo("1"));
      expect(declared.code).toBe("payload_too_large");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

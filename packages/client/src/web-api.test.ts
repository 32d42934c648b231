import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultDevicePreset } from "@tiklive/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "../../../test/support/rejection.js";
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
    expect([waf.code, waf.details["status"]]).toEqual(["blocked", 403]);
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

// The TikTok web routes (docs/protocol.md §8), below `webUrl`: one base for the
// www.tiktok.com paths and the webcast.tiktok.com paths.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  parseCookies,
  queryObject,
  queryPairs,
  RawJsonNumber,
  redactCookies,
  sendHtml,
  sendJson,
} from "../http/http-util.js";
import type { WebRequestRecord } from "../inspection.js";
import type { Room } from "../room.js";
import { giftCatalogue, giftListEntry } from "../scenario/gifts.js";
import { avatarUrls } from "../scenario/users.js";
import type { SimContext } from "../sim-context.js";
import { handlePoll, type PollSessions } from "./poll-route.js";
import { type Route, route } from "./router.js";

function escapeScriptJson(value: unknown): string {
  // JSON inside <script>: "</" and "<!--" must not appear literally.
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The web routes of one simulator. */
export function createWebRoutes(ctx: SimContext, polls: PollSessions): Route[] {
  function record(
    req: IncomingMessage,
    url: URL,
    routeName: WebRequestRecord["route"],
    status: number,
  ): void {
    ctx.recordWeb({
      id: ctx.nextRequestId(),
      at: Date.now(),
      route: routeName,
      method: req.method ?? "GET",
      path: url.pathname,
      query: queryObject(queryPairs(url)),
      cookies: redactCookies(parseCookies(req.headers.cookie)),
      status,
    });
  }

  function userJson(room: Room) {
    const host = room.host;
    const urls = avatarUrls(host);
    return {
      id: host.id,
      uniqueId: room.uniqueId,
      nickname: room.nickname,
      avatarLarger: urls[1],
      avatarMedium: urls[1],
      avatarThumb: urls[0],
      signature: host.bio,
      verified: host.verified,
      secUid: host.secUid,
      secret: false,
      ftc: false,
      relation: 0,
      openFavorite: false,
      commentSetting: 0,
      duetSetting: 0,
      stitchSetting: 0,
      privateAccount: false,
      roomId: room.roomId,
      status: ctx.roomStatus(room),
    };
  }

  function liveRoomJson(room: Room) {
    const status = ctx.roomStatus(room);
    return {
      coverUrl: `https://p16-webcast.tiktokcdn.com/webcast-va/${room.roomId}~tplv-resize:1080:1920.webp`,
      title: room.title,
      startTime: Math.floor((room.liveSince ?? room.createdAt) / 1000),
      status,
      roomId: room.roomId,
      streamId: `${room.roomId.slice(0, 10)}${room.roomId.slice(-9)}`,
      liveRoomStats: { userCount: status === 2 ? room.stats.viewers : 0, enterCount: room.stats.totalUser },
      liveSubscriptionEnable: false,
      hevcStreamData: {},
      streamData: {},
      gameTagDetail: { displayName: "" },
    };
  }

  // GET /@{uniqueId}/live: the page with SIGI_STATE (docs/protocol.md §8 row 1). A user
  // who never went live, and an unknown user, get the page without LiveRoom.
  function livePage(req: IncomingMessage, res: ServerResponse, url: URL, handleText: string): void {
    const handle = handleText.toLowerCase();
    const room = ctx.roomByUniqueId(handle);
    const state: Record<string, unknown> = {
      AppContext: {
        appContext: { language: "en", region: "US", appId: 1233, appType: "m", user: "", wid: ctx.did },
      },
      SEOState: {
        metaParams: {
          title:
            room === undefined
              ? "TikTok - Make Your Day"
              : `${room.nickname} (@${room.uniqueId}) is LIVE - TikTok LIVE`,
        },
      },
      SharingMetaState: { value: { "og:title": room?.nickname ?? "TikTok" } },
    };
    if (room !== undefined) {
      state.LiveRoom = {
        loadingState: { getRecommendLive: 1, getUserInfo: 1, getUserStat: 1 },
        needLogin: false,
        showLiveGift: false,
        isAnimating: false,
        isFullScreen: false,
        liveRoomUserInfo: {
          user: userJson(room),
          stats: { followingCount: room.host.followingCount, followerCount: room.host.followerCount },
          liveRoom: liveRoomJson(room),
        },
      };
    }
    const title =
      room === undefined
        ? "TikTok - Make Your Day"
        : `${escapeHtml(room.nickname)} (@${escapeHtml(room.uniqueId)}) is LIVE | TikTok`;
    const html =
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>` +
      `<div id="app"></div>` +
      `<script id="SIGI_STATE" type="application/json">${escapeScriptJson(state)}</script>` +
      `<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" type="application/json">${escapeScriptJson({ __DEFAULT_SCOPE__: { "webapp.app-context": { language: "en" } } })}</script>` +
      `</body></html>`;
    sendHtml(res, 200, html);
    record(req, url, "live-page", 200);
  }

  // GET /api-live/user/room/?uniqueId=&sourceType=54 (docs/protocol.md §8 row 2).
  function apiLive(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const handle = (url.searchParams.get("uniqueId") ?? "").trim().replace(/^@/, "").toLowerCase();
    const room = ctx.roomByUniqueId(handle);
    if (room === undefined) {
      if (handle !== "" && ctx.isNeverLiveUser(handle)) {
        sendJson(res, 200, {
          data: { user: { id: "", uniqueId: handle, nickname: handle, roomId: "", status: 4 } },
          extra: { now: Date.now() },
          message: "",
          statusCode: 0,
        });
      } else {
        sendJson(res, 200, {
          data: {},
          extra: { now: Date.now() },
          message: "user_not_found",
          statusCode: 19881007,
        });
      }
      record(req, url, "api-live", 200);
      return;
    }
    sendJson(res, 200, {
      data: { user: userJson(room), liveRoom: liveRoomJson(room) },
      extra: { now: Date.now() },
      message: "",
      statusCode: 0,
    });
    record(req, url, "api-live", 200);
  }

  // GET /webcast/room/info/?room_id= (docs/protocol.md §8 row 4). Ids are JSON numbers
  // with all digits plus `*_str` twins, as TikTok sends them.
  function roomInfo(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const room = ctx.roomById(url.searchParams.get("room_id"));
    if (room === undefined) {
      sendJson(res, 200, {
        status_code: 30003,
        data: { message: "Room not found", room_id: url.searchParams.get("room_id") ?? "" },
        extra: { now: Date.now() },
      });
      record(req, url, "room-info", 200);
      return;
    }
    const host = room.host;
    const status = ctx.roomStatus(room);
    const urls = avatarUrls(host);
    sendJson(res, 200, {
      status_code: 0,
      data: {
        id: new RawJsonNumber(room.roomId),
        id_str: room.roomId,
        status,
        title: room.title,
        create_time: Math.floor((room.liveSince ?? room.createdAt) / 1000),
        user_count: status === 2 ? room.stats.viewers : 0,
        owner_user_id: new RawJsonNumber(host.id),
        owner: {
          id: new RawJsonNumber(host.id),
          id_str: host.id,
          display_id: room.uniqueId,
          nickname: room.nickname,
          bio_description: host.bio,
          sec_uid: host.secUid,
          avatar_thumb: { url_list: urls },
          follow_info: {
            following_count: host.followingCount,
            follower_count: host.followerCount,
            follow_status: 0,
          },
        },
        stats: {
          like_count: room.stats.likes,
          total_user: room.stats.totalUser,
          follow_count: room.stats.followers,
        },
        stream_url: {
          hls_pull_url: `https://pull-hls-f16-va01.tiktokcdn.com/stage/stream-${room.roomId}/index.m3u8`,
          rtmp_pull_url: `https://pull-f5-va01.tiktokcdn.com/stage/stream-${room.roomId}.flv`,
        },
        age_restricted: { restricted: false, source: 0 },
        link_mic: { battle_scores: [], multi_live_enum: 0 },
      },
      extra: { now: Date.now() },
    });
    record(req, url, "room-info", 200);
  }

  // GET /webcast/room/check_alive/?room_ids=a,b (docs/protocol.md §8 row 3): in request order.
  function checkAlive(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const ids = (url.searchParams.get("room_ids") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => /^\d{1,20}$/.test(s));
    if (ids.length === 0) {
      sendJson(res, 200, {
        status_code: 10011,
        data: { message: "room_ids is required", prompts: "" },
        extra: { now: Date.now() },
      });
      record(req, url, "check-alive", 200);
      return;
    }
    const data = ids.map((id) => {
      const room = ctx.roomById(id);
      return {
        alive: room !== undefined && ctx.roomStatus(room) === 2,
        room_id: new RawJsonNumber(id),
        room_id_str: id,
      };
    });
    sendJson(res, 200, { data, extra: { now: Date.now() }, status_code: 0 });
    record(req, url, "check-alive", 200);
  }

  // GET /webcast/gift/list/?room_id= (docs/protocol.md §8 row 6): ids as JSON numbers.
  function giftList(req: IncomingMessage, res: ServerResponse, url: URL): void {
    sendJson(res, 200, {
      data: { gifts: giftCatalogue.map(giftListEntry), gifts_info: { default_loc_gift_id: 5655 } },
      extra: { now: Date.now() },
      status_code: 0,
    });
    record(req, url, "gift-list", 200);
  }

  return [
    route("GET", /^\/@([^/]+)\/live\/?$/, (req, res, url, [handle]) => livePage(req, res, url, handle ?? "")),
    route("GET", /^\/api-live\/user\/room\/?$/, apiLive),
    route("GET", /^\/webcast\/room\/info\/?$/, roomInfo),
    route("GET", /^\/webcast\/room\/check_alive\/?$/, checkAlive),
    route("GET", /^\/webcast\/gift\/list\/?$/, giftList),
    route("GET", /^\/webcast\/im\/fetch\/?$/, (req, res, url) => {
      const status = handlePoll(ctx, polls, req, res, url);
      record(req, url, "im-fetch", status);
    }),
  ];
}

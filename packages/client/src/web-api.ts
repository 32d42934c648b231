import { type Cookie, type DevicePreset, ErrorCode, TikLiveError } from "@tiklive/core";
import {
  cookieHeader,
  excerpt,
  httpStatusError,
  linkSignals,
  maxErrorBodyBytes,
  parseJsonLossless,
  readBody,
  webClientParams,
  webHeaders,
} from "@tiklive/core/internal";
import { type Dispatcher, request } from "undici";

/** Live status as TikTok reports it: a boolean would hide "we could not tell". */
export type LiveStatus = "live" | "offline" | "unknown";

/** Where a room id came from (docs/protocol.md §8 order). */
export type RoomIdSource = "html" | "api" | "signer" | "option";

/** The outcome of a room lookup. */
export interface RoomLookup {
  roomId: string;
  uniqueId: string;
  live: LiveStatus;
  /** TikTok's room status code: 2 live, 3 paused, 4 ended/offline (docs/protocol.md §8). */
  status: number | undefined;
  source: RoomIdSource;
}

/** Room info from `webcast/room/info/` (the JSON `data`, ids exact). */
export type RoomInfo = Record<string, unknown> & { status?: number; title?: string };

/** One gift of the room's gift list. */
export interface GiftInfo {
  id: string;
  name: string;
  diamondCount: number;
  /** 1 = streakable. */
  type: number;
  imageUrl: string | undefined;
  /** The gift as TikTok sent it. */
  raw: Record<string, unknown>;
}

/** Settings of the web API calls. */
export interface WebApiSettings {
  /** Base of www.tiktok.com routes (the live page, `api-live/user/room/`). */
  webUrl: URL;
  /** Base of webcast.tiktok.com routes (`webcast/room/info/`, `webcast/gift/list/`). */
  webcastUrl: URL;
  device: DevicePreset;
  deviceId: string;
  /** Extra query parameters for every call. */
  params: Record<string, string>;
  /** Extra headers for every call. */
  headers: Record<string, string>;
  /** Cookies sent with every call (the default `tt-target-idc`, a session). */
  cookies: () => Cookie[];
  timeoutMs: number;
  /** Largest response body read, in bytes; a larger one is `payload_too_large`. */
  maxResponseBytes: number;
  dispatcher: Dispatcher | undefined;
  /** Secrets to redact from errors. */
  secrets: string[];
}

interface Response {
  status: number;
  text: string;
  url: string;
}

const snippet = (text: string) => excerpt(text);

/** TikTok's web endpoints (docs/protocol.md §8), per client. */
export class WebApi {
  constructor(private readonly settings: WebApiSettings) {}

  // GET with the web params, headers and cookies; the body read up to maxResponseBytes. A status
  // other than 2xx (and those in `accept`, which the route gives a meaning) is mapped by core's
  // httpStatusError, the same mapping as polling's.
  private async get(
    base: URL,
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
    accept: readonly number[] = [],
  ): Promise<Response> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries({
      ...webClientParams(this.settings.device, this.settings.deviceId),
      ...this.settings.params,
      ...params,
    })) {
      url.searchParams.set(k, v);
    }
    const where = `${url.origin}${url.pathname}`;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    // Not AbortSignal.any: it holds its sources weakly in Node 20 (see core's linkSignals).
    const linked = linkSignals([signal, timeout]);
    let response: Dispatcher.ResponseData;
    let body: Uint8Array;
    try {
      response = await request(url, {
        method: "GET",
        headers: {
          ...webHeaders(this.settings.device),
          ...this.settings.headers,
          cookie: cookieHeader(this.settings.cookies()),
        },
        dispatcher: this.settings.dispatcher,
        signal: linked.signal,
      });
      const ok =
        (response.statusCode >= 200 && response.statusCode < 300) || accept.includes(response.statusCode);
      body = await readBody(
        response.body,
        ok
          ? {
              maxBytes: this.settings.maxResponseBytes,
              headers: response.headers,
              what: `the response of ${where}`,
              details: {
                url: where,
                status: response.statusCode,
                maxResponseBytes: this.settings.maxResponseBytes,
              },
              secrets: this.settings.secrets,
            }
          : { maxBytes: maxErrorBodyBytes, truncate: true },
      );
    } catch (error) {
      if (signal?.aborted)
        throw new TikLiveError(ErrorCode.Aborted, "the request was aborted", {
          cause: error,
          retryable: false,
        });
      if (error instanceof TikLiveError) throw error;
      const timedOut = timeout.aborted;
      throw new TikLiveError(
        timedOut ? ErrorCode.Timeout : ErrorCode.NetworkError,
        `GET ${url.host}${url.pathname} failed: ${(error as Error).message}`,
        {
          cause: error,
          secrets: this.settings.secrets,
          details: { url: where },
        },
      );
    } finally {
      linked.dispose();
    }
    const status = response.statusCode;
    const failure = accept.includes(status)
      ? undefined
      : httpStatusError({
          status,
          url,
          what: url.pathname,
          headers: response.headers,
          body,
          secrets: this.settings.secrets,
        });
    if (failure !== undefined) throw failure;
    return { status, text: new TextDecoder().decode(body), url: where };
  }

  private json(response: Response): Record<string, unknown> {
    try {
      const value = parseJsonLossless(response.text);
      if (typeof value === "object" && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    // A page instead of JSON is how TikTok's WAF answers.
    const blocked = /captcha|verify|waf|<html/i.test(response.text);
    throw new TikLiveError(
      blocked ? ErrorCode.Blocked : ErrorCode.InvalidResponse,
      `${response.url} did not answer JSON${blocked ? " (a block or captcha page)" : ""}`,
      {
        details: { url: response.url, status: response.status, body: snippet(response.text) },
      },
    );
  }

  /** Room id and status from the live page's SIGI_STATE JSON (docs/protocol.md §8 row 1). */
  async roomFromHtml(uniqueId: string, signal?: AbortSignal): Promise<RoomLookup> {
    // A 404 live page means the user does not exist.
    const response = await this.get(this.settings.webUrl, `@${uniqueId}/live`, {}, signal, [404]);
    if (response.status === 404) throw userNotFound(uniqueId, "html", { status: 404 });
    const match = /<script id="SIGI_STATE" type="application\/json">([\s\S]*?)<\/script>/.exec(response.text);
    if (match?.[1] === undefined) {
      throw new TikLiveError(
        ErrorCode.Blocked,
        `the live page of @${uniqueId} has no SIGI_STATE data (usually a captcha or block page)`,
        {
          details: {
            source: "html",
            url: response.url,
            status: response.status,
            body: snippet(response.text),
          },
        },
      );
    }
    let state: Record<string, unknown>;
    try {
      state = parseJsonLossless(match[1]) as Record<string, unknown>;
    } catch (error) {
      throw new TikLiveError(ErrorCode.InvalidResponse, `the SIGI_STATE of @${uniqueId} is not valid JSON`, {
        cause: error,
        details: { source: "html", body: snippet(match[1]) },
      });
    }
    const info = pick(state, "LiveRoom", "liveRoomUserInfo");
    if (typeof info !== "object" || info === null)
      throw userNotFound(uniqueId, "html", {
        reason: "no LiveRoom in SIGI_STATE (the user does not exist or never went live)",
      });
    return lookupFrom(info as Record<string, unknown>, uniqueId, "html");
  }

  /** Room id and status from `api-live/user/room/` (docs/protocol.md §8 row 2). */
  async roomFromApi(uniqueId: string, signal?: AbortSignal): Promise<RoomLookup> {
    const body = this.json(
      await this.get(this.settings.webUrl, "api-live/user/room/", { uniqueId, sourceType: "54" }, signal),
    );
    const code = Number(body["statusCode"] ?? 0);
    const message = String(body["message"] ?? "");
    if (code !== 0 || message === "user_not_found") {
      if (message === "user_not_found" || code === 19881007)
        throw userNotFound(uniqueId, "api", { statusCode: code, message });
      throw new TikLiveError(
        ErrorCode.InvalidResponse,
        `api-live/user/room answered statusCode ${code}: ${message}`,
        { details: { source: "api", statusCode: code, message } },
      );
    }
    const data = body["data"];
    if (typeof data !== "object" || data === null)
      throw new TikLiveError(ErrorCode.InvalidResponse, "api-live/user/room answered without data", {
        details: { source: "api" },
      });
    return lookupFrom(data as Record<string, unknown>, uniqueId, "api");
  }

  /** `webcast/room/info/` (docs/protocol.md §8 row 4). Throws `age_restricted` for rooms that need a login. */
  async roomInfo(roomId: string, signal?: AbortSignal): Promise<RoomInfo> {
    const body = this.json(
      await this.get(this.settings.webcastUrl, "webcast/room/info/", { room_id: roomId }, signal),
    );
    const data = body["data"];
    const code = Number(body["status_code"] ?? 0);
    const record = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    // Age-restricted rooms: status_code 4003110 with data.prompts (Java), or prompts / a near-empty data (PY).
    if (
      code === 4003110 ||
      "prompts" in record ||
      (code === 0 && Object.keys(record).length <= 1 && data !== undefined)
    ) {
      throw new TikLiveError(
        ErrorCode.AgeRestricted,
        `room ${roomId} is age-restricted or needs a logged-in session`,
        {
          retryable: false,
          details: { statusCode: code, prompts: record["prompts"] },
        },
      );
    }
    if (code !== 0)
      throw new TikLiveError(ErrorCode.InvalidResponse, `webcast/room/info answered status_code ${code}`, {
        details: { statusCode: code, body: snippet(JSON.stringify(body)) },
      });
    return record as RoomInfo;
  }

  /** The room's gift list (`webcast/gift/list/`, docs/protocol.md §8 row 6); ids as strings (§12). */
  async giftList(roomId: string, signal?: AbortSignal): Promise<GiftInfo[]> {
    const body = this.json(
      await this.get(this.settings.webcastUrl, "webcast/gift/list/", { room_id: roomId }, signal),
    );
    const gifts = pick(body, "data", "gifts");
    if (!Array.isArray(gifts))
      throw new TikLiveError(ErrorCode.InvalidResponse, "webcast/gift/list answered without data.gifts");
    return gifts
      .filter((g): g is Record<string, unknown> => typeof g === "object" && g !== null)
      .map((g) => {
        const image = g["image"] as { url_list?: unknown } | undefined;
        const urls = Array.isArray(image?.url_list)
          ? (image.url_list as unknown[]).filter((u): u is string => typeof u === "string")
          : [];
        return {
          id: String(g["id"] ?? ""),
          name: String(g["name"] ?? ""),
          diamondCount: Number(g["diamond_count"] ?? 0),
          type: Number(g["type"] ?? 0),
          imageUrl: urls[0],
          raw: g,
        };
      });
  }
}

function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function lookupFrom(info: Record<string, unknown>, uniqueId: string, source: RoomIdSource): RoomLookup {
  const roomId = String(pick(info, "liveRoom", "roomId") ?? pick(info, "user", "roomId") ?? "");
  const statusValue = pick(info, "liveRoom", "status") ?? pick(info, "user", "status");
  const status = statusValue === undefined ? undefined : Number(statusValue);
  if (!/^\d+$/.test(roomId) || roomId === "0") {
    // A user without a room id has never gone live, or is offline without a room (docs/protocol.md §8).
    return { roomId: "", uniqueId, live: "offline", status, source };
  }
  return { roomId, uniqueId, live: liveFromStatus(status), status, source };
}

/** 2 = live, 4 = ended; 3 (paused) counts as live; anything else is unknown (docs/protocol.md §8). */
export function liveFromStatus(status: number | undefined): LiveStatus {
  if (status === 2 || status === 3) return "live";
  if (status === 4) return "offline";
  return "unknown";
}

function userNotFound(
  uniqueId: string,
  source: RoomIdSource,
  details: Record<string, unknown>,
): TikLiveError {
  return new TikLiveError(
    ErrorCode.UserNotFound,
    `the TikTok user @${uniqueId} does not exist or has never gone live`,
    { retryable: false, details: { source, ...details } },
  );
}

// The browser TikTok's web client presents, and the query parameters it sends
// (docs/protocol.md §5.2 for the push socket, §8.1/§8.2 for HTTP). Pure data: every
// transport and client derives its parameters from one DevicePreset.

/** What the client claims to be. One per client instance; the same UA must be used everywhere (§12). */
export interface DevicePreset {
  /** Browser User-Agent, sent to the sign server, on the push socket and on web requests. */
  userAgent: string;
  /** App language, e.g. "en". */
  language: string;
  /** Browser language, e.g. "en-US". */
  browserLanguage: string;
  /** Region / priority region, e.g. "US". */
  region: string;
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  screenWidth: number;
  screenHeight: number;
}

/** A current desktop Chrome on macOS. */
export const defaultUserAgent =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The default {@link DevicePreset}. */
export const defaultDevicePreset: Readonly<DevicePreset> = Object.freeze({
  userAgent: defaultUserAgent,
  language: "en",
  browserLanguage: "en-US",
  region: "US",
  timeZone: "America/New_York",
  screenWidth: 1920,
  screenHeight: 1080,
});

/** Browser fields derived from the UA (docs/protocol.md §12): name = text before the first "/", version = the rest. */
export function browserFields(userAgent: string): {
  browserName: string;
  browserVersion: string;
  browserPlatform: string;
  os: string;
} {
  const slash = userAgent.indexOf("/");
  const mac = userAgent.includes("Macintosh");
  return {
    browserName: slash === -1 ? userAgent : userAgent.slice(0, slash),
    browserVersion: slash === -1 ? "" : userAgent.slice(slash + 1),
    browserPlatform: mac ? "MacIntel" : "Win32",
    os: mac ? "mac" : "windows",
  };
}

/**
 * Default query parameters of the push WebSocket URL (docs/protocol.md §5.2), before the
 * session's own (`room_id`, `cursor`, `internal_ext`, route params). `last_rtt` is random.
 */
export function websocketParams(
  preset: DevicePreset,
  random: () => number = Math.random,
): Record<string, string> {
  const browser = browserFields(preset.userAgent);
  return {
    version_code: "180800",
    aid: "1988",
    app_language: preset.language,
    app_name: "tiktok_web",
    browser_platform: browser.browserPlatform,
    browser_language: preset.browserLanguage,
    browser_name: browser.browserName,
    browser_version: browser.browserVersion,
    browser_online: "true",
    cookie_enabled: "true",
    tz_name: preset.timeZone,
    device_platform: "web",
    identity: "audience",
    live_id: "12",
    webcast_language: preset.language,
    ws_direct: "0",
    sup_ws_ds_opt: "1",
    update_version_code: "2.0.0",
    did_rule: "3",
    screen_height: String(preset.screenHeight),
    screen_width: String(preset.screenWidth),
    heartbeat_duration: "0",
    resp_content_type: "protobuf",
    history_comment_count: "6",
    client_enter: "1",
    last_rtt: (100 + random() * 100).toFixed(3),
  };
}

/** Default query parameters of TikTok web/webcast HTTP calls (docs/protocol.md §8.2). */
export function webClientParams(preset: DevicePreset, deviceId: string): Record<string, string> {
  const browser = browserFields(preset.userAgent);
  return {
    aid: "1988",
    app_language: preset.language,
    app_name: "tiktok_web",
    browser_language: preset.browserLanguage,
    browser_name: browser.browserName,
    browser_online: "true",
    browser_platform: browser.browserPlatform,
    browser_version: browser.browserVersion,
    channel: "tiktok_web",
    cookie_enabled: "true",
    data_collection_enabled: "true",
    device_id: deviceId,
    device_platform: "web_pc",
    focus_state: "true",
    from_page: "user",
    history_len: "10",
    is_fullscreen: "false",
    is_page_visible: "true",
    os: browser.os,
    priority_region: preset.region,
    referer: "https://www.tiktok.com/",
    region: preset.region,
    root_referer: "https://www.tiktok.com/",
    screen_height: String(preset.screenHeight),
    screen_width: String(preset.screenWidth),
    tz_name: preset.timeZone,
    webcast_language: preset.language,
  };
}

/** Default HTTP headers of TikTok web calls (docs/protocol.md §8.1), without Cookie. */
export function webHeaders(preset: DevicePreset): Record<string, string> {
  return {
    "user-agent": preset.userAgent,
    accept: "text/html,application/json,application/protobuf",
    "accept-language": `${preset.browserLanguage},${preset.language};q=0.9`,
    referer: "https://www.tiktok.com/",
    origin: "https://www.tiktok.com",
    "cache-control": "max-age=0",
    "sec-fetch-site": "same-site",
    "sec-fetch-mode": "cors",
    "sec-fetch-dest": "empty",
    "sec-fetch-ua-mobile": "?0",
  };
}

/** A random 19-digit device id, fixed per client (docs/protocol.md §8.2). */
export function generateDeviceId(random: () => number = Math.random): string {
  let id = String(1 + Math.floor(random() * 9));
  while (id.length < 19) id += String(Math.floor(random() * 10));
  return id;
}

/** The `Cookie` header value for a list of cookies: `name=value; name=value`. */
export function cookieHeader(cookies: readonly { name: string; value: string }[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

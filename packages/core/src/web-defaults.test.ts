import { describe, expect, it } from "vitest";
import {
  browserFields,
  cookieHeader,
  defaultDevicePreset,
  generateDeviceId,
  webClientParams,
  websocketParams,
} from "./web-defaults.js";

describe("web defaults", () => {
  it("derives browser fields from the UA as TikTok's web client does", () => {
    expect(browserFields(defaultDevicePreset.userAgent)).toEqual({
      browserName: "Mozilla",
      browserVersion: defaultDevicePreset.userAgent.slice("Mozilla/".length),
      browserPlatform: "MacIntel",
      os: "mac",
    });
    expect(browserFields("Mozilla/5.0 (Windows NT 10.0; Win64; x64)").browserPlatform).toBe("Win32");
  });

  it("websocket params carry the §5.2 defaults", () => {
    const params = websocketParams(defaultDevicePreset, () => 0.5);
    expect(params).toMatchObject({
      version_code: "180800",
      aid: "1988",
      app_name: "tiktok_web",
      identity: "audience",
      live_id: "12",
      ws_direct: "0",
      client_enter: "1",
      resp_content_type: "protobuf",
      last_rtt: "150.000",
    });
  });

  it("web client params carry the §8.2 defaults and the device id", () => {
    const params = webClientParams(defaultDevicePreset, "7012345678901234567");
    expect(params).toMatchObject({
      aid: "1988",
      device_platform: "web_pc",
      device_id: "7012345678901234567",
      region: "US",
    });
  });

  it("device ids have 19 digits; cookie headers join name=value pairs", () => {
    expect(generateDeviceId()).toMatch(/^[1-9]\d{18}$/);
    expect(
      cookieHeader([
        { name: "ttwid", value: "1|abc" },
        { name: "tt-target-idc", value: "useast1a" },
      ]),
    ).toBe("ttwid=1|abc; tt-target-idc=useast1a");
  });
});

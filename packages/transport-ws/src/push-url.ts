import { type DevicePreset, ErrorCode, TikLiveError } from "@tiklive/core";
import { websocketParams } from "@tiklive/core/internal";

/** Inputs of {@link buildPushUrl}. */
export interface PushUrlInit {
  /** The session's push server (`wss://…/webcast/im/ws_proxy/…`). */
  pushServer: string;
  roomId: string;
  cursor: string;
  internalExt: string;
  /** The session's route params; entries with an empty value are skipped (docs/protocol.md §5.2). */
  routeParams: Record<string, string>;
  /** Ask for gzip frames (`compress=gzip`). */
  compress: boolean;
  device: DevicePreset;
  /** Extra or overriding query parameters, applied last. */
  query: Record<string, string>;
  random?: () => number;
}

/**
 * The push socket URL (docs/protocol.md §5.2): pushServer + the web client's defaults, then
 * compress/room_id/internal_ext/cursor, then the route params (later keys win), then the
 * caller's overrides, and the second `version_code=270000` appended as production URLs carry it.
 */
export function buildPushUrl(init: PushUrlInit): string {
  let url: URL;
  try {
    url = new URL(init.pushServer);
  } catch (error) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `the session's pushServer is not a URL: "${init.pushServer.slice(0, 100)}"`,
      { cause: error },
    );
  }
  if (url.protocol !== "wss:" && url.protocol !== "ws:") {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `the session's pushServer must be a ws:// or wss:// URL, got ${url.protocol}`,
    );
  }
  const params: Record<string, string> = {
    ...websocketParams(init.device, init.random),
    compress: init.compress ? "gzip" : "",
    room_id: init.roomId,
    internal_ext: init.internalExt,
    cursor: init.cursor,
  };
  for (const [key, value] of Object.entries(init.routeParams)) if (value !== "") params[key] = value;
  Object.assign(params, init.query);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return `${url.toString()}&version_code=270000`;
}

/**
 * Parses the `Handshake-Options` response header, a cookie-style list such as
 * `ping-interval=10; …`, into key/value pairs (docs/protocol.md §4.1; PY reads `ping-interval` as seconds).
 */
export function parseHandshakeOptions(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(/[;,]/)) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

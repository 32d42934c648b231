export type * from "@tiklive/core";
// Everything users need from the layers below, so most only install @tiklive/client.
export { ErrorCode, normalizeUniqueId, TikLiveError } from "@tiklive/core";
export type { ConnectOptions, EventsOptions } from "./client.js";
export { createClient, TikTokLiveClient } from "./client.js";
export type {
  ClientControlEvent,
  ClientEvent,
  ClientEventMap,
  ClientEventName,
  ClientState,
  ClientStatus,
  ConnectedEvent,
  DecodedDataEvent,
  DisconnectedEvent,
  DisconnectReason,
  ErrorEvent,
  GapEvent,
  RawDataEvent,
  ReconnectingEvent,
  WebsocketConnectedEvent,
} from "./client-events.js";
export type { ClientOptions, Logger, ReconnectOptions } from "./client-options.js";
export type { LegacyUserFields, WebcastPushConnectionOptions, WebcastPushConnectionState } from "./compat.js";
export { legacyUser, toLegacyData, WebcastPushConnection } from "./compat.js";
export type { Listener } from "./emitter.js";
export type { Proxy } from "./proxy.js";
export { createProxy } from "./proxy.js";
export type { GiftInfo, LiveStatus, RoomIdSource, RoomInfo, RoomLookup } from "./web-api.js";

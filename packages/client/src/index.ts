export { createClient, TikTokLiveClient } from "./client.js";
export type { ConnectOptions, EventsOptions } from "./client.js";
export type { ClientOptions, Logger, ReconnectOptions } from "./client-options.js";
export type {
  ClientEvent,
  ClientEventMap,
  ClientEventName,
  ClientState,
  ClientStatus,
  ConnectedEvent,
  ClientControlEvent,
  DecodedDataEvent,
  DisconnectedEvent,
  DisconnectReason,
  ErrorEvent,
  GapEvent,
  RawDataEvent,
  ReconnectingEvent,
  WebsocketConnectedEvent,
} from "./client-events.js";
export type { GiftInfo, LiveStatus, RoomIdSource, RoomInfo, RoomLookup } from "./web-api.js";
export type { Listener } from "./emitter.js";
export { createProxy } from "./proxy.js";
export type { Proxy } from "./proxy.js";
export { legacyUser, toLegacyData, WebcastPushConnection } from "./compat.js";
export type { LegacyUserFields, WebcastPushConnectionOptions, WebcastPushConnectionState } from "./compat.js";
// Everything users need from the layers below, so most only install @tiklive/client.
export { ErrorCode, TikLiveError, normalizeUniqueId } from "@tiklive/core";
export type * from "@tiklive/core";

export type { PushUrlInit } from "./push-url.js";
export { buildPushUrl, parseHandshakeOptions } from "./push-url.js";
export type { WebSocketConstructor, WebSocketTransportOptions } from "./ws-transport.js";
export { createWebSocketTransport, isNormalClose } from "./ws-transport.js";

export { createWebSocketTransport, isNormalClose } from "./ws-transport.js";
export type { WebSocketConstructor, WebSocketTransportOptions } from "./ws-transport.js";
export { buildPushUrl, parseHandshakeOptions } from "./push-url.js";
export type { PushUrlInit } from "./push-url.js";

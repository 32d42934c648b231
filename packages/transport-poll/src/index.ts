export type { PollingTransportOptions } from "./poll-transport.js";
export { createPollingTransport } from "./poll-transport.js";

export { createPollingTransport } from "./poll-transport.js";
export type { PollingTransportOptions } from "./poll-transport.js";

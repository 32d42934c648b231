import { transportContract } from "../../../test/contract/transport-contract.js";
import { createWebSocketTransport } from "./ws-transport.js";

transportContract({
  kind: "websocket",
  create: (_sim, options) => createWebSocketTransport({ heartbeatIntervalMs: options?.heartbeatIntervalMs }),
});

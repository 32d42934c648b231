import { transportContract } from "@tiklive/test-e2e/transport-contract";
import { createWebSocketTransport } from "./ws-transport.js";

transportContract({
  kind: "websocket",
  create: (_sim, options) => createWebSocketTransport({ heartbeatIntervalMs: options?.heartbeatIntervalMs }),
});

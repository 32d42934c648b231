import { transportContract } from "@tiklive/test-e2e/transport-contract";
import { createPollingTransport } from "./poll-transport.js";

transportContract({
  kind: "polling",
  create: (sim) => createPollingTransport({ baseUrl: sim.webUrl, intervalMs: 10, maxBackoffMs: 50 }),
});

import { transportContract } from "../../../test/contract/transport-contract.js";
import { createPollingTransport } from "./poll-transport.js";

transportContract({
  kind: "polling",
  create: (sim) => createPollingTransport({ baseUrl: sim.webUrl, intervalMs: 10, maxBackoffMs: 50 }),
});

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startSimulator } from "@tiklive/simulator";
import { until } from "@tiklive/test-support/wait";
import { describe, expect, it } from "vitest";
import { TikTokLiveClient } from "./index.js";

// A callable gc() without starting node with --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("connect/disconnect cycles", () => {
  it("200 cycles leave no timers, sockets or listeners behind, and the heap stays flat", async () => {
    const sim = await startSimulator({
      rooms: [{ uniqueId: "cycle_streamer" }],
      rate: 50,
      length: 100_000,
      startMode: "immediate",
    });
    try {
      const client = new TikTokLiveClient("cycle_streamer", {
        signServerUrl: sim.signUrl,
        webUrl: sim.webUrl,
        logger: false,
      });
      const onChat = () => {};
      client.on("chat", onChat);
      // Warm up (module caches, keep-alive pools), then measure.
      for (let i = 0; i < 10; i++) {
        await client.connect();
        await client.disconnect();
      }
      gc();
      const resources = process.getActiveResourcesInfo().length;
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < 200; i++) {
        const state = await client.connect();
        expect(state.status).toBe("connected");
        const iterator = client.events({ only: ["roomUser"] });
        if (i % 20 === 0) {
          // Some cycles also stream for a moment.
          for await (const event of iterator) {
            expect(event.type).toBe("roomUser");
            break;
          }
        }
        await client.disconnect();
        expect(client.getState().status).toBe("disconnected");
      }
      await until(() => process.getActiveResourcesInfo().length <= resources, {
        timeoutMs: 1000,
        what: `at most ${resources} active resources`,
      });
      gc();
      const heapAfter = process.memoryUsage().heapUsed;
      expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(resources);
      expect(client.listenerCount("chat")).toBe(1);
      expect(client.listenerCount("roomUser")).toBe(0);
      // 200 cycles may leave a little garbage, never a per-cycle leak of connections or buffers.
      expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
      const open = sim.connections().filter((c) => c.state === "open");
      expect(open).toEqual([]);
    } finally {
      await sim.close();
    }
  }, 120_000);
});

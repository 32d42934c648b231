// Shared set-up of the client's end-to-end tests: a simulator per test, clients pointed at
// it (fast polling and reconnects, no logging), and helpers to read what they delivered.
// Test code: not exported from the package, not part of the build.

import { type Simulator, type SimulatorOptions, startSimulator } from "@tiklive/simulator";
import { afterEach } from "vitest";
import { type ClientEvent, type ClientOptions, TikTokLiveClient } from "../index.js";

/** Registers per-test clean-up and returns the helpers for one streamer. */
export function clientHarness(user: string, defaults: SimulatorOptions = {}) {
  let sim: Simulator | undefined;
  const clients: TikTokLiveClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect()));
    await sim?.close();
    sim = undefined;
  });

  return {
    /** Starts the test's simulator: the streamer live, `${user}_offline` offline, a fast finite stream. */
    async start(options: SimulatorOptions = {}): Promise<Simulator> {
      sim = await startSimulator({
        rooms: [{ uniqueId: user }, { uniqueId: `${user}_offline`, live: false }],
        rate: 300,
        length: 150,
        fetchIntervalMs: 10,
        ...defaults,
        ...options,
      });
      return sim;
    },
    /** A client of `name` (default: the streamer) pointed at the simulator. */
    client(s: Simulator, options: ClientOptions = {}, name = user): TikTokLiveClient {
      const c = new TikTokLiveClient(name, {
        signServerUrl: s.signUrl,
        webUrl: s.webUrl,
        requestPollingIntervalMs: 10,
        reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
        logger: false,
        ...options,
      });
      clients.push(c);
      return c;
    },
    /** The streamer's scenario msgIds, in order. */
    scenarioIds: (s: Simulator) =>
      s
        .room(user)
        .scenario()
        .map((e) => e.msgId),
  };
}

/** Connects and returns every event until `disconnected` (or the time limit). `afterConnect` runs once connected. */
export async function collectEvents(
  c: TikTokLiveClient,
  afterConnect?: () => void,
  ms = 15_000,
): Promise<ClientEvent[]> {
  const events: ClientEvent[] = [];
  const iterator = c.events({ signal: AbortSignal.timeout(ms) });
  await c.connect();
  afterConnect?.();
  for await (const event of iterator) events.push(event);
  return events;
}

/**
 * msgIds of the message events, in order. One message is one event (an alias such as `subNotify`
 * is a listener name, never a second event), so any repeat throws.
 */
export function messageIds(events: ClientEvent[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (!("msgId" in e) || !("raw" in e)) continue;
    if (seen.has(e.msgId)) throw new Error(`message ${e.msgId} (${e.type}) delivered twice`);
    seen.add(e.msgId);
    ids.push(e.msgId);
  }
  return ids;
}

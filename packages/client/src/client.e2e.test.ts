import { type Simulator, type SimulatorOptions, startSimulator } from "@tiklive/simulator";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientEvent } from "./client-events.js";
import { type ClientOptions, TikTokLiveClient } from "./index.js";

const user = "e2e_streamer";
let sim: Simulator | undefined;
const clients: TikTokLiveClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ rooms: [{ uniqueId: user }, { uniqueId: "e2e_offline", live: false }], rate: 400, length: 150, fetchIntervalMs: 10, ...options });
  return sim;
}

function client(s: Simulator, options: ClientOptions = {}, name = user): TikTokLiveClient {
  const c = new TikTokLiveClient(name, {
    signServerUrl: s.signUrl,
    webUrl: s.webUrl,
    requestPollingIntervalMs: 10,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    logger: false,
    ...options,
  });
  clients.push(c);
  return c;
}

/** Every event until `disconnected` (or a time limit). */
async function collect(c: TikTokLiveClient, ms = 10_000): Promise<ClientEvent[]> {
  const events: ClientEvent[] = [];
  const iterator = c.events({ signal: AbortSignal.timeout(ms) });
  await c.connect();
  for await (const event of iterator) events.push(event);
  return events;
}

const messageIds = (events: ClientEvent[]) => {
  const ids: string[] = [];
  for (const e of events) {
    if ("msgId" in e && "method" in e && "raw" in e && e.type !== "subscribe" && e.type !== "streamEnd" && e.type !== "follow" && e.type !== "share") {
      if (ids.at(-1) !== e.msgId) ids.push(e.msgId);
    } else if ((e.type === "follow" || e.type === "share") && ids.at(-1) !== e.msgId) ids.push(e.msgId);
  }
  return ids;
};

describe.each([
  ["websocket", {}],
  ["polling", { enableWebsocketUpgrade: false }],
] as const)("a full scripted stream over %s", (transport, options) => {
  it("arrives as typed events, in order, each once, and ends with streamEnd", async () => {
    const s = await start();
    const c = client(s, options);
    const events = await collect(c);
    const scenario = s.room(user).scenario();
    expect(messageIds(events)).toEqual(scenario.map((e) => e.msgId));
    expect(events[0]).toMatchObject({ type: "connected", reconnected: false, state: { transport, status: "connected", live: "live" } });
    const types = events.map((e) => e.type);
    for (const type of ["chat", "gift", "giftCompleted", "member", "like", "follow", "share", "roomUser", "subscribe", "questionNew", "emote", "envelope", "linkMicBattle", "linkMicArmies", "liveIntro", "pollMessage", "goalUpdate", "captionMessage", "roomPin"]) {
      expect(types, type).toContain(type);
    }
    expect(types.slice(-3)).toEqual(["controlMessage", "streamEnd", "disconnected"]);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    expect(c.getState()).toMatchObject({ status: "disconnected", live: "offline" });
    expect(types).not.toContain("decodeError");
    expect(types).not.toContain("reconnecting");
  });
});

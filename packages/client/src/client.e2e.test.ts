import { describe, expect, it } from "vitest";
import { clientHarness, collectEvents as collect, messageIds } from "./testing/client-harness.js";

const { start, client, scenarioIds } = clientHarness("e2e_streamer");

describe.each([
  ["websocket", {}],
  ["polling", { enableWebsocketUpgrade: false }],
] as const)("a full scripted stream over %s", (transport, options) => {
  it("arrives as typed events, in order, each once, and ends with streamEnd", async () => {
    const s = await start({ rate: 400 });
    const c = client(s, options);
    const events = await collect(c);
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(events[0]).toMatchObject({
      type: "connected",
      reconnected: false,
      state: { transport, status: "connected", live: "live" },
    });
    const types = events.map((e) => e.type);
    for (const type of [
      "chat",
      "gift",
      "giftCompleted",
      "member",
      "like",
      "follow",
      "share",
      "roomUser",
      "subscribe",
      "questionNew",
      "emote",
      "envelope",
      "linkMicBattle",
      "linkMicArmies",
      "liveIntro",
      "pollMessage",
      "goalUpdate",
      "captionMessage",
      "roomPin",
    ]) {
      expect(types, type).toContain(type);
    }
    // The end is one event: a streamEnd (controlMessage listeners hear it too), then the disconnect.
    expect(types.slice(-2)).toEqual(["streamEnd", "disconnected"]);
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    expect(c.getState()).toMatchObject({ status: "disconnected", live: "offline" });
    expect(types).not.toContain("decodeError");
    expect(types).not.toContain("reconnecting");
  });
});

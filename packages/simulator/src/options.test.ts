import { TikLiveError } from "@tiklive/core";
import { describe, expect, it } from "vitest";
import { resolveOptions, type SimulatorOptions } from "./options.js";
import { startSimulator } from "./simulator.js";

describe("resolveOptions", () => {
  it("defaults to 127.0.0.1, any port, two live rooms plus an offline one", () => {
    const o = resolveOptions();
    expect(o.host).toBe("127.0.0.1");
    expect(o.port).toBe(0);
    expect(o.rooms.map((r) => [r.uniqueId, r.live])).toEqual([
      ["sim_streamer", true],
      ["sim_gamer", true],
      ["sim_offline", false],
    ]);
    expect(o.neverLiveUsers).toEqual(["sim_newbie"]);
    expect(o.rate).toBe(20);
    expect(o.maxBatch).toBe(3);
    expect(o.historySize).toBe(6);
    expect(o.ackFraction).toBeCloseTo(1 / 3);
    expect(o.pingIntervalSeconds).toBe(10);
    expect(o.startMode).toBe("on-connect");
  });

  it.each<[string, SimulatorOptions]>([
    ["port", { port: 70_000 }],
    ["port", { port: 1.5 }],
    ["rate", { rate: 0 }],
    ["rate", { rate: Number.NaN }],
    ["seed", { seed: -1 }],
    ["rooms", { rooms: 0 }],
    ["rooms", { rooms: [] }],
    ["rooms[0].uniqueId", { rooms: [{ uniqueId: "not valid!" }] }],
    ["rooms[0].roomId", { rooms: [{ uniqueId: "a", roomId: "12ab" }] }],
    ["used twice", { rooms: [{ uniqueId: "a" }, { uniqueId: "A" }] }],
    ["scenario", { scenario: "nope" as "default" }],
    ["startMode", { startMode: "later" as "manual" }],
    ["startTime", { startTime: 5 }],
    ["ackFraction", { ackFraction: 2 }],
    ["fault spec", { faults: ["explode"] }],
    ["tls", { tls: { cert: "x" } as { cert: string; key: string } }],
    ["apiKey", { apiKey: "" }],
    ["ttl", { ttl: 0 }],
  ])("rejects a bad %s with invalid_input", (what, options) => {
    let error: unknown;
    try {
      resolveOptions(options);
    } catch (e) {
      error = e;
    }
    expect(TikLiveError.is(error, "invalid_input")).toBe(true);
    expect((error as Error).message).toContain(what);
  });

  it("makes startSimulator reject before binding anything", async () => {
    await expect(startSimulator({ rate: -1 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

import { describe, expect, it } from "vitest";
import { TikLiveError } from "./index.js";
import { clientHarness, collectEvents as collect, messageIds } from "./testing/client-harness.js";

const user = "fault_streamer";
const { start, client, scenarioIds } = clientHarness(user);

// The fault matrix (every fault of the simulator on every connection, judged against the
// scenario's truth) is client.fault-matrix.test.ts; here: the cases outside it.
describe("a disconnect outlasting the stream", () => {
  it("the stream ends during a disconnect: one resume from the cursor still delivers the rest and the stream end", async () => {
    // The stall outlasts the whole stream: by the reconnect the room is offline.
    const s = await start({ faults: ["stall=3000@after=40,once"] });
    const events = await collect(client(s, { stallTimeoutMs: 1200 }));
    expect(messageIds(events)).toEqual(scenarioIds(s));
    expect(events.at(-1)).toMatchObject({ type: "disconnected", reason: "streamEnd" });
    expect(events.filter((e) => e.type === "gap")).toEqual([]);
  });
});

describe("faults that end the attempt: typed errors, never retried", () => {
  it("an offline room: connect() rejects with user_offline", async () => {
    const s = await start();
    const c = client(s, {}, `${user}_offline`);
    const error = await c.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TikLiveError);
    expect((error as TikLiveError).code).toBe("user_offline");
    expect(c.getState().status).toBe("disconnected");
  });

  it("a user that does not exist: user_not_found, with the evidence of every lookup step", async () => {
    const s = await start();
    const c = client(s, {}, "no_such_user_here");
    const error = (await c.connect().catch((e: unknown) => e)) as TikLiveError;
    expect(error.code).toBe("user_not_found");
    expect(error.retryable).toBe(false);
    expect(Array.isArray(error.details["attempts"])).toBe(true);
  });

  it("a bad API key: sign_unauthorized, and the key never shows", async () => {
    const s = await start({ apiKey: "the-right-key-123456" });
    const c = client(s, { signApiKey: "a-wrong-key-987654" });
    const error = (await c.connect().catch((e: unknown) => e)) as TikLiveError;
    expect(error.code).toBe("sign_unauthorized");
    expect(JSON.stringify({ m: error.message, d: error.details, c: String(error.cause) })).not.toContain(
      "a-wrong-key-987654",
    );
    // Never retried: one sign request (a rate_limits look-up, if any, is not one).
    expect(s.signRequests().filter((r) => r.route === "connect" || r.route === "fetch")).toHaveLength(1);
  });
});

// Reconnecting on fake time, with the test doubles users get (a memory transport and a static
// signer): no network, no simulator, no real sleep. A manual clock's sleep moves its time on at
// once and records how long the client waited; the stall test runs on vitest's fake timers.
import { Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ClientEvent,
  type ClientEventMap,
  type ClientEventName,
  type ClientOptions,
  type Clock,
  createMemoryTransport,
  createSignBudget,
  createStaticSigner,
  ErrorCode,
  type MemoryTransport,
  type Signer,
  type StaticSigner,
  type StaticSignerOptions,
  TikLiveError,
  TikTokLiveClient,
} from "./index.js";

const roomId = "7312345678901234567";

/** A dispatcher that counts what would have gone to the network, and refuses it. */
class NoNetwork extends Dispatcher {
  readonly calls: string[] = [];
  override dispatch(options: Dispatcher.DispatchOptions): boolean {
    this.calls.push(`${options.method} ${String(options.origin ?? "")}${options.path}`);
    throw new Error("this test makes no HTTP request");
  }
}
const network = new NoNetwork();
let originalDispatcher: Dispatcher | undefined;
beforeAll(() => {
  // Both the client's own dispatcher and undici's global one: nothing may reach either.
  originalDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(network);
});
afterAll(() => {
  if (originalDispatcher !== undefined) setGlobalDispatcher(originalDispatcher);
});

/** A clock whose sleep returns at once, moving its time on (`slept`: what the client waited). */
function instantClock(start = 1_700_000_000_000): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
    },
  };
}

const clients: TikTokLiveClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
  expect(network.calls.splice(0)).toEqual([]);
  vi.useRealTimers();
});

const watched = ["connected", "reconnecting", "disconnected", "error", "gap", "decodeError"] as const;

/**
 * A client of room `roomId` over a memory transport (a push transport, so bad frames are gaps)
 * and a static signer, with backoff 1 s doubling, a fixed random (+10 % jitter) and no stall
 * watchdog unless asked.
 */
function setup(options: ClientOptions & { signer?: Signer; sessions?: StaticSignerOptions["session"] } = {}) {
  const transport = createMemoryTransport({ capabilities: { switchRoom: false, push: true } });
  const signer: StaticSigner = createStaticSigner({ session: options.sessions });
  const clock = instantClock();
  const { sessions: _, ...rest } = options;
  const client = new TikTokLiveClient("someone", {
    roomId,
    fetchRoomInfoOnConnect: false,
    signer,
    transports: [transport],
    clock,
    random: () => 0.75,
    reconnect: { initialDelayMs: 1000, factor: 2, maxDelayMs: 30_000, jitter: 0.2, maxAttempts: 5 },
    stallTimeoutMs: 0,
    logger: false,
    dispatcher: network,
    ...rest,
  });
  clients.push(client);
  const events: ClientEvent[] = [];
  for (const name of watched) client.on(name, (e: ClientEvent) => events.push(e));
  const of = <K extends ClientEvent["type"]>(type: K) =>
    events.filter((e): e is Extract<ClientEvent, { type: K }> => e.type === type);
  return { client, transport, signer, clock, events, of };
}

/** The next `name` event (for which `when` holds). Listen before causing it. */
function next<K extends ClientEventName>(
  client: TikTokLiveClient,
  name: K,
  when: (event: ClientEventMap[K]) => boolean = () => true,
): Promise<ClientEventMap[K]> {
  return new Promise((resolve) => {
    const off = client.on(name, (event) => {
      if (!when(event)) return;
      off();
      resolve(event);
    });
  });
}

const reconnected = (client: TikTokLiveClient) => next(client, "connected", (e) => e.reconnected);
const down = (message = "down") => new TikLiveError(ErrorCode.SignerUnavailable, message);

/** The transport's current connection (there is one once the client connected). */
function current(transport: MemoryTransport) {
  const connection = transport.current;
  if (connection === undefined) throw new Error("no connection yet");
  return connection;
}

describe("reconnecting on fake time", () => {
  it("connects with roomId and fetchRoomInfoOnConnect: false without any HTTP request", async () => {
    const { client, transport, signer } = setup();
    const state = await client.connect();
    expect(state).toMatchObject({ status: "connected", roomId, transport: "memory", signer: "static" });
    expect(signer.requests).toHaveLength(1);
    expect(transport.connections).toHaveLength(1);
    expect(network.calls.splice(0)).toEqual([]);
  });

  it("reports each attempt's backoff (exponential, with the fixed jitter) and waits exactly that", async () => {
    // Re-signs 2 and 3 fail: attempts 1, 2 and 3, then the 4th session opens.
    const { client, transport, clock, of } = setup({
      sessions: (_request, count) => {
        if (count === 2 || count === 3) throw down(`sign ${count} failed`);
        return {};
      },
    });
    await client.connect();
    const back = reconnected(client);
    current(transport).drop();
    await back;

    const attempts = of("reconnecting");
    expect(attempts.map((e) => [e.attempt, e.delayMs, e.reason, e.signBudgetWaitMs])).toEqual([
      [1, 1100, "drop", 0],
      [2, 2200, "drop", 0],
      [3, 4400, "drop", 0],
    ]);
    expect(attempts[0]?.error?.code).toBe(ErrorCode.ConnectionClosed);
    expect(attempts[1]?.error?.message).toBe("sign 2 failed");
    expect(clock.slept).toEqual([1100, 2200, 4400]);
    expect(of("error").map((e) => e.error.code)).toEqual([
      ErrorCode.ConnectionClosed,
      ErrorCode.SignerUnavailable,
      ErrorCode.SignerUnavailable,
    ]);
    expect(client.getState()).toMatchObject({ status: "connected", reconnects: 1 });
  });

  it("starts again from attempt 1 after a successful reconnect", async () => {
    const { client, transport, clock, of } = setup();
    await client.connect();
    for (let i = 0; i < 3; i++) {
      const back = reconnected(client);
      current(transport).drop();
      await back;
    }
    expect(of("reconnecting").map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 1100],
      [1, 1100],
      [1, 1100],
    ]);
    expect(clock.slept).toEqual([1100, 1100, 1100]);
    expect(client.getState().reconnects).toBe(3);
  });

  it("gives up after maxAttempts: disconnected with reason error", async () => {
    const { client, transport, clock, of } = setup({
      reconnect: { initialDelayMs: 1000, maxAttempts: 2, jitter: 0.2 },
      sessions: (_request, count) => {
        if (count > 1) throw down();
        return {};
      },
    });
    await client.connect();
    const gone = next(client, "disconnected");
    current(transport).drop();
    const disconnected = await gone;

    expect(of("reconnecting").map((e) => e.attempt)).toEqual([1, 2]);
    expect(clock.slept).toEqual([1100, 2200]);
    expect(disconnected.reason).toBe("error");
    expect(disconnected.error?.code).toBe(ErrorCode.ConnectionClosed);
    expect(disconnected.error?.message).toBe("gave up after 2 reconnect attempts");
    expect(disconnected.error?.retryable).toBe(false);
    expect(disconnected.error?.cause).toMatchObject({ code: ErrorCode.SignerUnavailable });
    expect(client.getState().status).toBe("disconnected");
    expect(transport.connections).toHaveLength(1);
  });

  it("a 429 from the signer waits its retry time, then reconnects", async () => {
    const { client, transport, clock, of } = setup({
      sessions: (_request, count) => {
        if (count === 2) {
          throw new TikLiveError(ErrorCode.SignRateLimited, "rate-limited by the sign server", {
            retryAfterMs: 15_000,
          });
        }
        return {};
      },
    });
    await client.connect();
    const back = reconnected(client);
    current(transport).drop();
    await back;

    const attempts = of("reconnecting");
    expect(attempts.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 1100],
      [2, 15_000],
    ]);
    expect(attempts[1]?.error?.code).toBe(ErrorCode.SignRateLimited);
    expect(clock.slept).toEqual([1100, 15_000]);
    expect(transport.connections).toHaveLength(2);
  });

  it("a non-retryable error stops at once: from the connection (no attempt), or from the re-sign", async () => {
    const first = setup();
    await first.client.connect();
    let gone = next(first.client, "disconnected");
    const refused = new TikLiveError(ErrorCode.HandshakeRejected, "417 illegal secret key", {
      retryable: false,
    });
    current(first.transport).drop(refused);
    expect(await gone).toMatchObject({ reason: "error", error: refused });
    expect(first.of("reconnecting")).toEqual([]);
    expect(first.clock.slept).toEqual([]);

    const second = setup({
      sessions: (_request, count) => {
        if (count === 2) throw new TikLiveError(ErrorCode.SignUnauthorized, "bad key", { retryable: false });
        return {};
      },
    });
    await second.client.connect();
    gone = next(second.client, "disconnected");
    current(second.transport).drop();
    const disconnected = await gone;
    expect(disconnected.reason).toBe("error");
    expect(disconnected.error?.code).toBe(ErrorCode.SignUnauthorized);
    expect(second.of("reconnecting").map((e) => e.attempt)).toEqual([1]);
    expect(second.clock.slept).toEqual([1100]);
    expect(second.transport.connections).toHaveLength(1);
  });

  it("the sign budget's wait is in signBudgetWaitMs, and the client waits for it before re-signing", async () => {
    const clock = instantClock();
    // One sign a minute; a signer that draws from its budget, as the Euler signer does.
    const budget = createSignBudget({ clock, windows: [{ max: 1, periodMs: 60_000 }] });
    const inner = createStaticSigner();
    const signer: Signer = {
      name: "budgeted",
      budget,
      async sign(request) {
        await budget.acquire(request.signal);
        return inner.sign(request);
      },
    };
    const { client, transport, of } = setup({ signer, clock });
    await client.connect();
    expect(budget.waitTime()).toBe(60_000);
    const back = reconnected(client);
    current(transport).drop();
    await back;

    expect(of("reconnecting").map((e) => [e.attempt, e.delayMs, e.signBudgetWaitMs])).toEqual([
      [1, 60_000, 60_000],
    ]);
    // The client waited the minute (not the 1.1 s backoff); the signer then had no wait left.
    expect(clock.slept).toEqual([60_000]);
    expect(inner.requests).toHaveLength(2);
  });

  it("resumes: the re-sign carries the last cursor, and the new connection opens the NEW session", async () => {
    const { client, transport, signer } = setup();
    const signed = vi.spyOn(signer, "sign");
    await client.connect();
    expect(signer.requests[0]?.cursor).toBe("");
    current(transport).push({ cursor: "cursor-after-frame-1" });
    const back = reconnected(client);
    current(transport).drop();
    await back;

    expect(signer.requests[1]?.cursor).toBe("cursor-after-frame-1");
    const sessions = signed.mock.settledResults.map((r) => r.value);
    expect(sessions).toHaveLength(2);
    expect(transport.connections[0]?.request.session).toBe(sessions[0]);
    expect(transport.connections[1]?.request.session).toBe(sessions[1]);
    expect(transport.connections[1]?.request.session.fetchResult.cursor).toBe("c2");
    expect(transport.connections[1]?.request.session.cookies).toEqual([{ name: "ttwid", value: "static-2" }]);
    expect(client.getState().cursor).toBe("c2");
  });

  it("single bad frames keep the connection (decodeError and a gap naming the frame); a run of them reconnects", async () => {
    const { client, transport, of } = setup({ maxConsecutiveBadFrames: 3 });
    await client.connect();
    const connection = current(transport);
    // Never 3 in a row: skipped, reported, the socket kept.
    connection.pushBadFrame(undefined, "log-1");
    connection.push({ cursor: "k1" });
    connection.pushBadFrame(undefined, "log-3");
    connection.pushBadFrame(undefined, "log-4");
    connection.push({ cursor: "k2" });
    // Then 3 in a row: one reconnect.
    const back = reconnected(client);
    for (const id of ["log-6", "log-7", "log-8"]) connection.pushBadFrame(undefined, id);
    await back;

    expect(of("decodeError").map((e) => e.logId)).toEqual([
      "log-1",
      "log-3",
      "log-4",
      "log-6",
      "log-7",
      "log-8",
    ]);
    expect(of("decodeError")[0]?.error.code).toBe(ErrorCode.MalformedFrame);
    expect(of("gap").map((e) => [e.reason, e.logId])).toEqual([
      ["badFrame", "log-1"],
      ["badFrame", "log-3"],
      ["badFrame", "log-4"],
      ["badFrame", "log-6"],
      ["badFrame", "log-7"],
      ["badFrame", "log-8"],
    ]);
    const attempts = of("reconnecting");
    expect(attempts.map((e) => [e.attempt, e.reason])).toEqual([[1, "frameError"]]);
    expect(attempts[0]?.error?.code).toBe(ErrorCode.MalformedFrame);
    expect(transport.connections).toHaveLength(2);
    expect(connection.closed).toBe(true);
  });

  it("a stall (no frame for stallTimeoutMs) reconnects with reason stall", async () => {
    vi.useFakeTimers();
    // The system clock on vitest's fake timers: the watchdog's timer and the backoff sleep.
    const { client, transport, of } = setup({ stallTimeoutMs: 5000, clock: undefined });
    await client.connect();
    const connection = current(transport);
    await vi.advanceTimersByTimeAsync(3000);
    connection.push({ cursor: "fresh" }); // a frame: the silence starts again
    await vi.advanceTimersByTimeAsync(4999);
    expect(of("reconnecting")).toEqual([]);

    const reconnecting = next(client, "reconnecting");
    const back = reconnected(client);
    await vi.advanceTimersByTimeAsync(1);
    expect(await reconnecting).toMatchObject({ attempt: 1, reason: "stall", delayMs: 1100 });
    expect(connection.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1100);
    await back;
    expect(transport.connections).toHaveLength(2);
  });
});

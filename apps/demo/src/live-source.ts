// Where the dashboard's events come from: a TikTokLiveClient connected either to an in-process
// @tiklive/simulator (a scripted stream; when it ends, a fresh one starts with the next seed) or
// to TikTok itself (retrying while the user is offline, stopping on errors a retry cannot fix).
import { type ClientState, ErrorCode, type Logger, TikLiveError, TikTokLiveClient } from "@tiklive/client";
import { type Simulator, startSimulator } from "@tiklive/simulator";
import { type DashboardEvent, type DashboardState, dashboardEventNames } from "./dashboard-state.js";

/** Watch scripted streams of the simulator, one after the other. */
export interface SimulatorTarget {
  kind: "simulator";
  /** Messages per second. */
  rate: number;
  /** Messages per stream (the stream end included). */
  length: number;
  /** Seed of the first stream; stream n uses seed + n - 1. */
  seed: number;
  /** Pause between the end of a stream and the start of the next, in ms. */
  restartDelayMs: number;
}

/** Watch a TikTok user (or any service speaking TikTok's protocol, e.g. a separate `tiklive-sim`). */
export interface TikTokTarget {
  kind: "tiktok";
  uniqueId: string;
  signApiKey: string | undefined;
  signServerUrl: string | undefined;
  webUrl: string | undefined;
  /** Wait between checks while the user is not live, in ms. */
  offlineRetryMs: number;
}

/** The simulator room the demo watches. */
export const simulatedUniqueId = "sim_streamer";

// Errors a retry cannot fix: the settings must change.
const fatalCodes: ReadonlySet<string> = new Set([
  ErrorCode.InvalidInput,
  ErrorCode.UserNotFound,
  ErrorCode.SignUnauthorized,
  ErrorCode.SignPremiumRequired,
]);

function describe(error: unknown): TikLiveError {
  return TikLiveError.from(error, ErrorCode.NetworkError);
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1).replace(/\.0$/, "") : String(Math.round(ms / 1000));
}

function roomText(info: ClientState["roomInfo"]): { title: string; nickname: string } {
  const owner = info?.["owner"];
  const nickname =
    typeof owner === "object" &&
    owner !== null &&
    typeof (owner as { nickname?: unknown }).nickname === "string"
      ? (owner as { nickname: string }).nickname
      : "";
  return { title: typeof info?.title === "string" ? info.title : "", nickname };
}

/** Runs the connection(s) that feed a {@link DashboardState}. */
export class LiveSource {
  readonly #state: DashboardState;
  readonly #target: SimulatorTarget | TikTokTarget;
  readonly #log: (line: string) => void;
  readonly #clientLogger: Logger;
  #closed = false;
  // Aborts a connect() in flight when the demo closes (a slow network must not delay Ctrl+C).
  readonly #abort = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #client: TikTokLiveClient | undefined;
  #sim: Simulator | undefined;
  #streams = 0;
  #failures = 0;
  // Start-ups, reconnects and tear-downs run one at a time, in order.
  #queue: Promise<void> = Promise.resolve();

  constructor(state: DashboardState, target: SimulatorTarget | TikTokTarget, log: (line: string) => void) {
    this.#state = state;
    this.#target = target;
    this.#log = log;
    this.#clientLogger = { warn: (m) => log(`tiklive: ${m}`), error: (m) => log(`tiklive: ${m}`) };
  }

  /** The simulator of the current stream (simulator mode only). */
  get simulator(): Simulator | undefined {
    return this.#sim;
  }

  /** Starts watching. Never throws: problems show on the dashboard and in the log. */
  start(): void {
    this.#run(() =>
      this.#target.kind === "simulator" ? this.#nextSimulatedStream() : this.#watchTikTok(this.#target),
    );
  }

  /** Stops everything: timers, the client and the simulator. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#queue;
    await this.#teardown();
    this.#state.setConnection({ status: "stopped", transport: null, detail: null });
  }

  #run(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (error) {
        this.#log(`demo: ${describe(error).message}`);
      }
    });
  }

  #later(ms: number, task: () => Promise<void>): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run(task);
    }, ms);
  }

  async #teardown(): Promise<void> {
    const client = this.#client;
    const sim = this.#sim;
    this.#client = undefined;
    this.#sim = undefined;
    if (client !== undefined) {
      client.removeAllListeners();
      await client.disconnect().catch(() => {});
    }
    await sim?.close();
  }

  // ------------------------------------------------------------ simulator

  async #nextSimulatedStream(): Promise<void> {
    const target = this.#target as SimulatorTarget;
    await this.#teardown();
    const number = ++this.#streams;
    const sim = await startSimulator({
      rate: target.rate,
      length: target.length,
      seed: (target.seed + number - 1) % 0x1_0000_0000,
      rooms: 1,
    });
    if (this.#closed) {
      await sim.close();
      return;
    }
    this.#sim = sim;
    const room = sim.room(simulatedUniqueId);
    this.#state.reset({
      number,
      uniqueId: simulatedUniqueId,
      nickname: room.nickname,
      title: "",
      simulated: true,
    });
    this.#log(
      `demo: stream ${number} starting on the simulator (${target.rate} messages/s, ${target.length} messages, seed ${target.seed + number - 1})`,
    );
    const client = new TikTokLiveClient(simulatedUniqueId, {
      signServerUrl: sim.signUrl,
      webUrl: sim.webUrl,
      logger: this.#clientLogger,
    });
    this.#attach(client);
    try {
      await this.#connect(client);
    } catch (error) {
      const failure = describe(error);
      this.#state.setConnection({
        status: "waiting",
        transport: null,
        lastError: { code: failure.code, message: failure.message },
        detail: "starting a new stream in 2 s",
      });
      this.#log(`demo: could not connect to the simulator: ${failure.code}: ${failure.message}`);
      this.#later(2000, () => this.#nextSimulatedStream());
    }
  }

  // ------------------------------------------------------------ TikTok

  async #watchTikTok(target: TikTokTarget): Promise<void> {
    const client = new TikTokLiveClient(target.uniqueId, {
      signApiKey: target.signApiKey,
      signServerUrl: target.signServerUrl,
      webUrl: target.webUrl,
      logger: this.#clientLogger,
    });
    this.#streams = 1;
    this.#state.reset({
      number: 1,
      uniqueId: client.uniqueId,
      nickname: client.uniqueId,
      title: "",
      simulated: false,
    });
    this.#attach(client);
    await this.#connectTikTok(client, target);
  }

  async #connectTikTok(client: TikTokLiveClient, target: TikTokTarget): Promise<void> {
    try {
      await this.#connect(client);
      this.#failures = 0;
    } catch (error) {
      if (this.#closed) return;
      const failure = describe(error);
      const lastError = { code: failure.code, message: failure.message };
      if (fatalCodes.has(failure.code)) {
        this.#state.setConnection({
          status: "error",
          transport: null,
          lastError,
          detail: "not retrying: check the settings and restart the demo",
        });
        this.#log(`demo: cannot watch @${client.uniqueId}: ${failure.code}: ${failure.message}`);
        return;
      }
      const offline = failure.code === ErrorCode.UserOffline;
      const delay = offline
        ? target.offlineRetryMs
        : (failure.retryAfterMs ?? Math.min(60_000, 2000 * 2 ** this.#failures++));
      this.#state.setConnection({
        status: offline ? "offline" : "waiting",
        transport: null,
        lastError,
        detail: `${offline ? "not live; checking again" : "retrying"} in ${seconds(delay)} s`,
      });
      this.#log(
        `demo: @${client.uniqueId}: ${failure.code}: ${failure.message} (trying again in ${seconds(delay)} s)`,
      );
      this.#later(delay, () => this.#connectTikTok(client, target));
    }
  }

  // ------------------------------------------------------------ both

  async #connect(client: TikTokLiveClient): Promise<void> {
    this.#client = client;
    this.#state.setConnection({ status: "connecting", transport: null, detail: null });
    const state = await client.connect({ signal: this.#abort.signal });
    if (this.#state.stream.ended) {
      // The same user is live again: a new stream.
      this.#state.reset({
        number: ++this.#streams,
        uniqueId: client.uniqueId,
        nickname: client.uniqueId,
        title: "",
        simulated: false,
      });
    }
    const room = roomText(state.roomInfo);
    this.#state.setStream({ title: room.title, nickname: room.nickname });
    this.#state.setConnection({
      status: "connected",
      transport: state.transport ?? null,
      roomId: state.roomId ?? null,
      signer: state.signer ?? null,
      reconnects: state.reconnects,
      lastError: null,
      detail: null,
    });
    this.#log(
      `demo: connected to @${client.uniqueId} (room ${state.roomId ?? "?"}) over ${state.transport ?? "?"}`,
    );
  }

  #attach(client: TikTokLiveClient): void {
    const apply = (event: DashboardEvent) => this.#state.apply(event);
    for (const name of dashboardEventNames) client.on(name, apply);

    client.on("connected", (event) => {
      if (!event.reconnected) return; // connect() reports the first one
      this.#state.setConnection({
        status: "connected",
        transport: event.state.transport ?? null,
        reconnects: event.state.reconnects,
        detail: null,
      });
      this.#state.note("connection", `Reconnected over ${event.state.transport ?? "?"}`);
    });
    client.on("reconnecting", (event) => {
      const detail = `attempt ${event.attempt} in ${seconds(event.delayMs)} s (${event.reason})`;
      this.#state.setConnection({
        status: "reconnecting",
        transport: null,
        reconnects: client.getState().reconnects,
        detail,
      });
      this.#state.note("connection", `Connection lost: reconnecting, ${detail}`);
      this.#log(`demo: reconnecting, ${detail}`);
    });
    client.on("gap", (event) => {
      const lost = event.lostMessages === undefined ? "" : ` (${event.lostMessages} messages)`;
      this.#state.note(
        "connection",
        `Some events may be missing${lost}: ${event.reason === "offline" ? "the room ended while reconnecting" : "reconnected without a resume position"}`,
      );
    });
    client.on("error", (event) => {
      this.#state.setConnection({ lastError: { code: event.error.code, message: event.error.message } });
      this.#log(`demo: ${event.error.code}: ${event.error.message}`);
    });
    client.on("disconnected", (event) => {
      if (this.#closed || event.reason === "client" || this.#client !== client) return;
      this.#state.endStream();
      const target = this.#target;
      if (target.kind === "simulator") {
        this.#state.setConnection({
          status: event.reason === "error" ? "error" : "ended",
          transport: null,
          detail: `next stream in ${seconds(target.restartDelayMs)} s`,
        });
        this.#log(
          `demo: stream ${this.#streams} ${event.reason === "streamEnd" ? "ended" : `stopped (${event.reason})`}; the next one starts in ${seconds(target.restartDelayMs)} s`,
        );
        this.#later(target.restartDelayMs, () => this.#nextSimulatedStream());
        return;
      }
      const error =
        event.error === undefined ? null : { code: event.error.code, message: event.error.message };
      const ended = event.reason === "streamEnd" || event.reason === "offline";
      const delay = ended ? target.offlineRetryMs : Math.min(60_000, 2000 * 2 ** this.#failures++);
      this.#state.setConnection({
        status: ended ? "ended" : "error",
        transport: null,
        ...(error === null ? {} : { lastError: error }),
        detail: ended
          ? `waiting for @${client.uniqueId} to go live again (next check in ${seconds(delay)} s)`
          : `reconnecting in ${seconds(delay)} s`,
      });
      this.#log(
        `demo: @${client.uniqueId} disconnected (${event.reason}); trying again in ${seconds(delay)} s`,
      );
      this.#later(delay, () => this.#connectTikTok(client, target));
    });
  }
}

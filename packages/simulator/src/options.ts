import { ErrorCode, normalizeUniqueId, TikLiveError } from "@tiklive/core";
import { type FaultSpec, normalizeFaultSpec } from "./faults/fault-spec.js";
import type { Recording } from "./recording/recording.js";

/** A built-in scenario name. */
export type BuiltInScenario = "default" | "load";

/** The built-in scenario names. */
export const builtInScenarios: readonly BuiltInScenario[] = ["default", "load"];

/** How a live room's timeline starts. */
export type StartMode = "on-connect" | "immediate" | "manual";

/** One room of the simulator. */
export interface RoomOptions {
  /** The streamer's @handle (normalised like a client would: `@Name` -> `name`). */
  uniqueId: string;
  /** The room id (digits). Default: derived from the seed. */
  roomId?: string;
  /** The host's display name. Default: derived from the uniqueId. */
  nickname?: string;
  /** The LIVE title. Default: a title derived from the nickname. */
  title?: string;
  /** False for a room that is offline (it went live before, so lookups know its last room). Default true. */
  live?: boolean;
  /** This room's scenario: a built-in name or a parsed recording. Default: the simulator's `scenario`. */
  scenario?: BuiltInScenario | Recording;
}

/** Options of {@link startSimulator}. Every field is optional. */
export interface SimulatorOptions {
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 picks a free port. Default 0. */
  port?: number;
  /** PEM certificate and key: serve HTTPS and WSS on the same port. Default: plain HTTP/WS. */
  tls?: { cert: string | Uint8Array; key: string | Uint8Array };
  /** Require this API key on the sign server routes (header `x-api-key`, query `apiKey` or header `x-jwt-key`). Default: no key needed. */
  apiKey?: string;
  /** Seed of every scenario, id and cookie. Default 1. */
  seed?: number;
  /**
   * The scenario of the live rooms: `default` (a realistic scripted stream that
   * ends), `load` (endless traffic for benchmarks), or a parsed recording to replay
   * (its header names the first room). Default `default`.
   */
  scenario?: BuiltInScenario | Recording;
  /**
   * The rooms: a number of live rooms (`sim_streamer`, `sim_gamer`, `sim_room_3`...;
   * an offline room `sim_offline` is always added), or the full list. Default 2.
   */
  rooms?: number | RoomOptions[];
  /** Users that exist but never went live (no LiveRoom in their page). Default `["sim_newbie"]`. */
  neverLiveUsers?: string[];
  /** Messages per second per room. Default 20. */
  rate?: number;
  /** Messages per scripted stream, the stream end included; for `load`, a length makes it end too. Default 600 (`default`), endless (`load`). */
  length?: number;
  /** Most messages in one tick (one `msg` frame for a client that keeps up). Default `clamp(ceil(rate / 10), 3, 50)`. */
  maxBatch?: number;
  /** Playback speed (2 = twice as fast), for replays and scripted streams alike. Default 1. */
  speed?: number;
  /** When live rooms start their timeline: at the first sign/poll/push for them, at start-up, or only through the API. Default `on-connect`. */
  startMode?: StartMode;
  /** Epoch ms of scenario time zero (createTimes and msgIds derive from it). Default: when the room first needs it. Fix it for byte-identical runs. */
  startTime?: number;
  /** Messages published at time 0, carried by the first sign response; also the size of a fresh sign response's backlog. Default 6. */
  historySize?: number;
  /** Fraction of `msg` frames sent with `needAck`. Default 1/3. */
  ackFraction?: number;
  /** `ping-interval` (seconds) advertised in the `Handshake-Options` response header. Default 10. */
  pingIntervalSeconds?: number;
  /** Answer each client heartbeat with an `hb` frame (empty payload). Default true. */
  heartbeatReply?: boolean;
  /** How long published messages stay resumable by cursor, in ms. Default 600000 (10 min). */
  retentionMs?: number;
  /** Most messages in one sign or polling response. Default 100. */
  maxResultMessages?: number;
  /** `fetchInterval` (ms) of fetch results, the polling period suggested to clients. Default 1000. */
  fetchIntervalMs?: number;
  /** Faults in force from the start (spec strings or objects, see the README). Default none. */
  faults?: (string | FaultSpec)[];
  /** Close by itself after this many seconds. Default: never. */
  ttl?: number;
  /** Most entries kept per inspection list (frames, heartbeats, acks, requests). Default 10000. */
  maxRecords?: number;
  /** Log lines (no secrets). Default: silent. */
  logger?: (line: string) => void;
}

/** The options after validation and defaults. */
export interface ResolvedOptions {
  host: string;
  port: number;
  tls: { cert: string | Uint8Array; key: string | Uint8Array } | undefined;
  apiKey: string | undefined;
  seed: number;
  rooms: ResolvedRoom[];
  neverLiveUsers: string[];
  rate: number;
  length: number | undefined;
  maxBatch: number;
  speed: number;
  startMode: StartMode;
  startTime: number | undefined;
  historySize: number;
  ackFraction: number;
  pingIntervalSeconds: number;
  heartbeatReply: boolean;
  retentionMs: number;
  maxResultMessages: number;
  fetchIntervalMs: number;
  faults: FaultSpec[];
  ttl: number | undefined;
  maxRecords: number;
  logger: (line: string) => void;
}

/** A room after validation. */
export interface ResolvedRoom {
  uniqueId: string;
  roomId: string | undefined;
  nickname: string | undefined;
  title: string | undefined;
  live: boolean;
  scenario: BuiltInScenario | Recording;
}

function bad(message: string, details: Record<string, unknown> = {}): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, `simulator: ${message}`, { retryable: false, details });
}

function number(name: string, value: unknown, min: number, max: number, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw bad(`${name} must be a finite number, got ${JSON.stringify(value)}`, { option: name });
  if (integer && !Number.isInteger(value))
    throw bad(`${name} must be a whole number, got ${value}`, { option: name });
  if (value < min || value > max)
    throw bad(`${name} must be between ${min} and ${max}, got ${value}`, { option: name });
  return value;
}

function isRecording(value: unknown): value is Recording {
  return typeof value === "object" && value !== null && "header" in value && "frames" in value;
}

function scenarioOf(name: string, value: unknown): BuiltInScenario | Recording {
  if (isRecording(value)) return value;
  if (typeof value === "string" && (builtInScenarios as readonly string[]).includes(value))
    return value as BuiltInScenario;
  throw bad(
    `${name} must be one of ${builtInScenarios.join(", ")} or a parsed recording (readRecording), got ${JSON.stringify(value)}`,
    { option: name },
  );
}

function uniqueIdOf(name: string, value: unknown): string {
  try {
    return normalizeUniqueId(value as string);
  } catch (error) {
    throw bad(`${name}: ${error instanceof Error ? error.message : String(error)}`, { option: name });
  }
}

/** The default live room handles, in order. */
export const defaultLiveRoomIds = ["sim_streamer", "sim_gamer"] as const;
/** The handle of the offline room added to a numbered room list. */
export const defaultOfflineRoomId = "sim_offline";

/** Validates and defaults every option, once. Throws `TikLiveError` (`invalid_input`). */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== "object") throw bad("options must be an object");
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host.trim() === "")
    throw bad("host must be a non-empty string", { option: "host" });
  const port = number("port", options.port ?? 0, 0, 65_535, true);
  let tls: ResolvedOptions["tls"];
  if (options.tls !== undefined) {
    const { cert, key } = options.tls;
    const pem = (v: unknown) => typeof v === "string" || v instanceof Uint8Array;
    if (!pem(cert) || !pem(key))
      throw bad("tls needs both cert and key (PEM text or bytes)", { option: "tls" });
    tls = { cert, key };
  }
  if (options.apiKey !== undefined && (typeof options.apiKey !== "string" || options.apiKey.length === 0))
    throw bad("apiKey must be a non-empty string", { option: "apiKey" });
  const seed = number("seed", options.seed ?? 1, 0, 0xffffffff, true);
  const scenario = scenarioOf("scenario", options.scenario ?? "default");
  const rate = number("rate", options.rate ?? 20, 0.01, 100_000, false);
  const length =
    options.length === undefined ? undefined : number("length", options.length, 1, 100_000_000, true);
  const maxBatch =
    options.maxBatch === undefined
      ? Math.min(50, Math.max(3, Math.ceil(rate / 10)))
      : number("maxBatch", options.maxBatch, 1, 10_000, true);
  const speed = number("speed", options.speed ?? 1, 0.001, 100_000, false);
  const startMode = options.startMode ?? "on-connect";
  if (startMode !== "on-connect" && startMode !== "immediate" && startMode !== "manual")
    throw bad(`startMode must be on-connect, immediate or manual, got ${JSON.stringify(startMode)}`, {
      option: "startMode",
    });
  const startTime =
    options.startTime === undefined
      ? undefined
      : number("startTime", options.startTime, 1_000_000_000_000, 9_999_999_999_999, true);
  const historySize = number("historySize", options.historySize ?? 6, 0, 1000, true);
  const ackFraction = number("ackFraction", options.ackFraction ?? 1 / 3, 0, 1, false);
  const pingIntervalSeconds = number("pingIntervalSeconds", options.pingIntervalSeconds ?? 10, 1, 3600, true);
  const heartbeatReply = options.heartbeatReply ?? true;
  if (typeof heartbeatReply !== "boolean")
    throw bad("heartbeatReply must be a boolean", { option: "heartbeatReply" });
  const retentionMs = number("retentionMs", options.retentionMs ?? 600_000, 0, 365 * 86_400_000, true);
  const maxResultMessages = number("maxResultMessages", options.maxResultMessages ?? 100, 1, 100_000, true);
  const fetchIntervalMs = number("fetchIntervalMs", options.fetchIntervalMs ?? 1000, 0, 3_600_000, true);
  const ttl = options.ttl === undefined ? undefined : number("ttl", options.ttl, 0.001, 31_536_000, false);
  const maxRecords = number("maxRecords", options.maxRecords ?? 10_000, 1, 10_000_000, true);
  if (options.logger !== undefined && typeof options.logger !== "function")
    throw bad("logger must be a function", { option: "logger" });
  const logger = options.logger ?? (() => {});
  if (options.faults !== undefined && !Array.isArray(options.faults))
    throw bad("faults must be an array of fault specs", { option: "faults" });
  const faults = (options.faults ?? []).map((f) => normalizeFaultSpec(f));

  let rooms: ResolvedRoom[];
  const given = options.rooms ?? 2;
  if (typeof given === "number") {
    const n = number("rooms", given, 1, 10_000, true);
    rooms = [];
    for (let i = 0; i < n; i++) {
      const uniqueId = defaultLiveRoomIds[i] ?? `sim_room_${i + 1}`;
      rooms.push({
        uniqueId,
        roomId: undefined,
        nickname: undefined,
        title: undefined,
        live: true,
        scenario,
      });
    }
    if (isRecording(scenario)) {
      const first = rooms[0] as ResolvedRoom;
      first.uniqueId = uniqueIdOf("recording header uniqueId", scenario.header.uniqueId);
      first.roomId = scenario.header.roomId;
      for (const room of rooms.slice(1)) room.scenario = "default";
    }
    rooms.push({
      uniqueId: defaultOfflineRoomId,
      roomId: undefined,
      nickname: undefined,
      title: undefined,
      live: false,
      scenario: "default",
    });
  } else if (Array.isArray(given)) {
    if (given.length === 0) throw bad("rooms must not be empty", { option: "rooms" });
    rooms = given.map((r, i) => {
      if (r === null || typeof r !== "object")
        throw bad(`rooms[${i}] must be an object`, { option: "rooms" });
      const uniqueId = uniqueIdOf(`rooms[${i}].uniqueId`, r.uniqueId);
      if (r.roomId !== undefined && (typeof r.roomId !== "string" || !/^[1-9]\d{0,19}$/.test(r.roomId)))
        throw bad(`rooms[${i}].roomId must be a string of digits`, { option: "rooms" });
      if (r.nickname !== undefined && typeof r.nickname !== "string")
        throw bad(`rooms[${i}].nickname must be a string`, { option: "rooms" });
      if (r.title !== undefined && typeof r.title !== "string")
        throw bad(`rooms[${i}].title must be a string`, { option: "rooms" });
      if (r.live !== undefined && typeof r.live !== "boolean")
        throw bad(`rooms[${i}].live must be a boolean`, { option: "rooms" });
      const roomScenario =
        r.scenario === undefined ? scenario : scenarioOf(`rooms[${i}].scenario`, r.scenario);
      return {
        uniqueId,
        roomId: r.roomId,
        nickname: r.nickname,
        title: r.title,
        live: r.live ?? true,
        scenario: roomScenario,
      };
    });
  } else {
    throw bad("rooms must be a number or an array of rooms", { option: "rooms" });
  }
  const neverLiveUsers = (options.neverLiveUsers ?? ["sim_newbie"]).map((u, i) =>
    uniqueIdOf(`neverLiveUsers[${i}]`, u),
  );
  const handles = new Set<string>();
  for (const handle of [...rooms.map((r) => r.uniqueId), ...neverLiveUsers]) {
    if (handles.has(handle)) throw bad(`uniqueId ${handle} is used twice`, { option: "rooms" });
    handles.add(handle);
  }
  const roomIds = new Set<string>();
  for (const r of rooms) {
    if (r.roomId === undefined) continue;
    if (roomIds.has(r.roomId)) throw bad(`roomId ${r.roomId} is used twice`, { option: "rooms" });
    roomIds.add(r.roomId);
  }
  return {
    host,
    port,
    tls,
    apiKey: options.apiKey,
    seed,
    rooms,
    neverLiveUsers,
    rate,
    length,
    maxBatch,
    speed,
    startMode,
    startTime,
    historySize,
    ackFraction,
    pingIntervalSeconds,
    heartbeatReply,
    retentionMs,
    maxResultMessages,
    fetchIntervalMs,
    faults,
    ttl,
    maxRecords,
    logger,
  };
}

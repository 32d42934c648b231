import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { createRandom, hashSeed } from "@tiklive/core/internal";
import { WebSocketServer } from "ws";
import { encodeCursor } from "./cursor.js";
import { type ActiveFault, FaultRegistry } from "./faults/fault-registry.js";
import { type FaultSpec, normalizeFaultSpec } from "./faults/fault-spec.js";
import { pushBounded, sendJson } from "./http/http-util.js";
import type { ConnectionRecord, SignRequestRecord, SimulatorEvent, WebRequestRecord } from "./inspection.js";
import { type ResolvedOptions, type ResolvedRoom, resolveOptions, type SimulatorOptions } from "./options.js";
import { handleUpgrade, pushPath } from "./push/push-upgrade.js";
import { Room } from "./room.js";
import { createControlRoutes } from "./routes/control-routes.js";
import type { PollSessions } from "./routes/poll-route.js";
import { matchRoute, type Route } from "./routes/router.js";
import { createSignRoutes } from "./routes/sign-routes.js";
import { createWebRoutes } from "./routes/web-routes.js";
import { loadScenario } from "./scenario/load-scenario.js";
import { createReplayScenario } from "./scenario/replay-scenario.js";
import type { ScenarioDefinition } from "./scenario/scenario-types.js";
import { defaultScriptedLength, scriptedScenario } from "./scenario/scripted-scenario.js";
import type { SimContext, TrackedConnection } from "./sim-context.js";
import type {
  FaultInfo,
  PublishedMessage,
  Simulator,
  SimulatorInfo,
  SimulatorRoom,
} from "./simulator-types.js";

const defaultNicknames: Readonly<Record<string, string>> = {
  sim_streamer: "Sim Streamer 🎥",
  sim_gamer: "Sim Gamer 🎮",
  sim_offline: "Sim Offline 💤",
};

function scenarioFor(room: ResolvedRoom): ScenarioDefinition {
  if (room.scenario === "load") return loadScenario;
  if (room.scenario === "default") return scriptedScenario;
  return createReplayScenario(room.scenario, `replay:${room.scenario.header.uniqueId}`);
}

function pemOf(value: string | Uint8Array): string | Buffer {
  return typeof value === "string" ? value : Buffer.from(value);
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts a simulator: one server on `host:port` speaking TikTok's Webcast
 * protocol and the Euler sign server's (docs/protocol.md), with the inspection and
 * control API. Options are validated first (`invalid_input`); a port that cannot
 * be bound rejects with `network_error`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const instance = new SimulatorInstance(resolved);
  await instance.listen();
  return instance.api;
}

class SimulatorInstance implements SimContext {
  readonly options: ResolvedOptions;
  readonly faults = new FaultRegistry();
  readonly did: string;
  readonly random;
  urls = { signUrl: "", webUrl: "", pushUrl: "" };
  closing = false;
  readonly api: Simulator;
  private readonly roomList: Room[];
  private readonly byRoomId = new Map<string, Room>();
  private readonly byUniqueId = new Map<string, Room>();
  private readonly neverLive: Set<string>;
  private readonly connectionMap = new Map<string, TrackedConnection>();
  private readonly signLog: SignRequestRecord[] = [];
  private readonly webLog: WebRequestRecord[] = [];
  private readonly listeners = new Set<(event: SimulatorEvent) => void>();
  private readonly waiters = new Set<{ reject: (error: unknown) => void }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private readonly issuedTtwids = new Set<string>();
  private readonly polls: PollSessions = new Map();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly routes: Route[];
  private connectionSeq = 0;
  private requestSeq = 0;
  private ttlTimer: NodeJS.Timeout | undefined;
  private closePromise: Promise<void> | undefined;
  private resolveClosed!: () => void;
  private readonly closedPromise: Promise<void>;
  private infoValue: SimulatorInfo | undefined;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.random = createRandom(hashSeed(options.seed, "simulator"));
    this.did = `7${createRandom(hashSeed(options.seed, "did")).digits(18)}`;
    this.neverLive = new Set(options.neverLiveUsers);
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    // Room ids derive from the seed and the room's position; explicit ids win and
    // a derived id never collides with one (a replayed room keeps its recorded id).
    const taken = new Set(options.rooms.flatMap((r) => (r.roomId === undefined ? [] : [r.roomId])));
    const derivedId = (index: number): string => {
      for (let attempt = 0; ; attempt++) {
        const id = `7${createRandom(hashSeed(options.seed, "room-id", index, attempt)).digits(18)}`;
        if (!taken.has(id)) {
          taken.add(id);
          return id;
        }
      }
    };
    this.roomList = options.rooms.map((r, index) => {
      const roomId = r.roomId ?? derivedId(index);
      const nickname = r.nickname ?? defaultNicknames[r.uniqueId] ?? r.uniqueId;
      const scenario = scenarioFor(r);
      const length = r.scenario === "default" ? (options.length ?? defaultScriptedLength) : options.length;
      const room = new Room({
        index,
        uniqueId: r.uniqueId,
        roomId,
        nickname,
        title: r.title ?? `${nickname} is LIVE`,
        live: r.live,
        scenario,
        context: {
          roomId,
          uniqueId: r.uniqueId,
          nickname,
          seed: hashSeed(options.seed, "room", index, r.uniqueId),
          startTime: options.startTime,
          rate: options.rate,
          length,
          maxBatch: options.maxBatch,
          historySize: options.historySize,
        },
        speed: options.speed,
        retentionMs: options.retentionMs,
        now: Date.now,
        monotonic: () => performance.now(),
      });
      let lastHead = 0;
      room.subscribe(() => {
        const from = lastHead;
        lastHead = room.headSeq;
        this.emit({ type: "publish", roomId: room.roomId, fromSeq: from, count: room.headSeq - from });
        if (room.ended) this.emit({ type: "room-ended", roomId: room.roomId });
      });
      if (this.byRoomId.has(roomId))
        throw new TikLiveError(ErrorCode.InvalidInput, `simulator: roomId ${roomId} is used twice`, {
          retryable: false,
        });
      this.byRoomId.set(roomId, room);
      this.byUniqueId.set(r.uniqueId, room);
      return room;
    });
    for (const spec of options.faults) this.faults.add(spec);
    // A fault added at run time acts on open connections right away.
    this.faults.onChange(() => {
      for (const c of this.connectionMap.values()) c.poke();
    });
    this.server =
      options.tls === undefined
        ? createHttpServer()
        : createHttpsServer({ cert: pemOf(options.tls.cert), key: pemOf(options.tls.key) });
    this.wss = new WebSocketServer({
      noServer: true,
      // TikTok never answers WebSocket pings (docs/protocol.md §4.1).
      autoPong: false,
      perMessageDeflate: false,
      maxPayload: 4 * 1024 * 1024,
      handleProtocols: (protocols) => (protocols.has("echo-protocol") ? "echo-protocol" : false),
    });
    // PY reads the heartbeat period from this header, as seconds (docs/protocol.md §4.1).
    this.wss.on("headers", (headers) =>
      headers.push(`Handshake-Options: ping-interval=${options.pingIntervalSeconds}`),
    );
    this.api = this.createApi();
    this.routes = [
      ...createControlRoutes(this.api),
      ...createSignRoutes(this),
      ...createWebRoutes(this, this.polls),
    ];
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    this.server.on("request", (req, res) => void this.onRequest(req, res));
    this.server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
      socket.on("error", () => {});
      try {
        handleUpgrade(this, this.wss, req, socket, head);
      } catch (error) {
        this.log(`upgrade failed: ${error instanceof Error ? error.message : String(error)}`);
        socket.destroy();
      }
    });
    this.server.on("clientError", (_error, socket) => socket.destroy());
  }

  async listen(): Promise<void> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        this.server.off("listening", onListening);
        reject(
          new TikLiveError(
            ErrorCode.NetworkError,
            `simulator: cannot listen on ${host}:${port}: ${error.message}`,
            { cause: error },
          ),
        );
      };
      const onListening = () => {
        this.server.off("error", onError);
        resolve();
      };
      this.server.once("error", onError);
      this.server.once("listening", onListening);
      this.server.listen(port, host);
    });
    const address = this.server.address();
    const actualPort = typeof address === "object" && address !== null ? address.port : port;
    const secure = this.options.tls !== undefined;
    const origin = `${secure ? "https" : "http"}://${urlHost(host)}:${actualPort}`;
    this.urls = {
      signUrl: origin,
      webUrl: origin,
      pushUrl: `${secure ? "wss" : "ws"}://${urlHost(host)}:${actualPort}${pushPath}`,
    };
    this.infoValue = {
      port: actualPort,
      ...this.urls,
      rooms: this.roomList.map((r) => ({
        uniqueId: r.uniqueId,
        roomId: r.roomId,
        live: r.configuredLive && this.offlineFault(r) === undefined,
      })),
    };
    if (this.options.startMode === "immediate") for (const room of this.roomList) room.start();
    if (this.options.ttl !== undefined) {
      this.ttlTimer = setTimeout(() => {
        this.log(`ttl of ${this.options.ttl} s reached: closing`);
        void this.close();
      }, this.options.ttl * 1000);
      this.ttlTimer.unref();
    }
    this.log(`listening on ${origin}`);
  }

  get info(): SimulatorInfo {
    if (this.infoValue === undefined)
      throw new TikLiveError(ErrorCode.NotConnected, "simulator: not listening yet");
    return this.infoValue;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on("error", () => {});
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = matchRoute(this.routes, req.method ?? "GET", url.pathname);
      if (match === undefined) {
        sendJson(res, 404, { code: 404, message: `No route for ${req.method} ${url.pathname}` });
        return;
      }
      if (match === "methodNotAllowed") {
        sendJson(res, 405, { code: 405, message: `${req.method} is not allowed on ${url.pathname}` });
        return;
      }
      await match.route.handler(req, res, url, match.params);
    } catch (error) {
      this.log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { code: 500, message: "internal simulator error" });
      else res.destroy();
    }
  }

  // --- SimContext -------------------------------------------------------------

  rooms(): readonly Room[] {
    return this.roomList;
  }

  roomById(roomId: string | null | undefined): Room | undefined {
    return roomId === null || roomId === undefined ? undefined : this.byRoomId.get(roomId.trim());
  }

  roomByUniqueId(uniqueId: string | null | undefined): Room | undefined {
    if (uniqueId === null || uniqueId === undefined) return undefined;
    return this.byUniqueId.get(uniqueId.trim().replace(/^@/, "").toLowerCase());
  }

  isNeverLiveUser(uniqueId: string): boolean {
    return this.neverLive.has(uniqueId.toLowerCase());
  }

  offlineFault(room: Room): ActiveFault | undefined {
    return this.faults.matching(["offline"], { room: { uniqueId: room.uniqueId, roomId: room.roomId } })[0];
  }

  roomStatus(room: Room): 2 | 4 {
    return room.live && this.offlineFault(room) === undefined ? 2 : 4;
  }

  touch(room: Room): void {
    if (this.options.startMode === "on-connect" && room.state === "idle" && !this.closing) room.start();
  }

  nextConnectionId(): string {
    this.connectionSeq += 1;
    return String(this.connectionSeq);
  }

  nextRequestId(): string {
    this.requestSeq += 1;
    return String(this.requestSeq);
  }

  addConnection(connection: TrackedConnection): void {
    this.connectionMap.set(connection.id, connection);
  }

  removeConnection(id: string): void {
    this.connectionMap.delete(id);
  }

  recordSign(record: SignRequestRecord): void {
    pushBounded(this.signLog, record, this.options.maxRecords);
  }

  recordWeb(record: WebRequestRecord): void {
    pushBounded(this.webLog, record, this.options.maxRecords);
  }

  fireFault(fault: ActiveFault, connectionId?: string): boolean {
    if (!this.faults.fire(fault)) return false;
    this.log(
      `fault ${fault.id} (${fault.text}) acted${connectionId === undefined ? "" : ` on connection ${connectionId}`}`,
    );
    this.emit({
      type: "fault",
      faultId: fault.id,
      spec: fault.text,
      ...(connectionId === undefined ? {} : { connectionId }),
    });
    return true;
  }

  emit(event: SimulatorEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log(`event listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  log(line: string): void {
    this.options.logger(`[tiklive-sim] ${line}`);
  }

  // `x-set-tt-cookie`: several cookies in Set-Cookie syntax, joined with ", "
  // (docs/protocol.md §7.2, §13: the format is not established). ttwid comes first, so
  // a client that keeps only the first `name=value` still gets the one that counts.
  issueCookies(): string {
    const ttwid = `1|${this.random.token(43)}|${Math.floor(Date.now() / 1000)}|${this.random.hex(64)}`;
    this.issuedTtwids.add(ttwid);
    return [
      `ttwid=${encodeURIComponent(ttwid)}; Path=/; Domain=.tiktok.com; Max-Age=31536000; HttpOnly; Secure; SameSite=None`,
      `tt_csrf_token=${this.random.token(8)}-${this.random.token(24)}; Path=/; Domain=.tiktok.com; HttpOnly; Secure; SameSite=Lax`,
      `tt_chain_token=${this.random.token(24)}; Path=/; Domain=.tiktok.com; Max-Age=15552000; HttpOnly; Secure`,
    ].join(", ");
  }

  isIssuedTtwid(value: string | undefined): boolean {
    if (value === undefined || value === "") return false;
    if (this.issuedTtwids.has(value)) return true;
    try {
      return this.issuedTtwids.has(decodeURIComponent(value));
    } catch {
      return false;
    }
  }

  later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closing) fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  // --- lifecycle --------------------------------------------------------------

  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    if (this.ttlTimer !== undefined) clearTimeout(this.ttlTimer);
    for (const waiter of this.waiters) waiter.reject(new TikLiveError(ErrorCode.Aborted, "simulator closed"));
    this.waiters.clear();
    for (const room of this.roomList) room.close();
    for (const connection of this.connectionMap.values()) connection.shutdown();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections?.();
    if (this.server.listening) await serverClosed;
    this.listeners.clear();
    this.log("closed");
    this.resolveClosed();
  }

  // --- public API -------------------------------------------------------------

  private roomApi(room: Room): SimulatorRoom {
    return {
      uniqueId: room.uniqueId,
      roomId: room.roomId,
      nickname: room.nickname,
      snapshot: () => ({
        uniqueId: room.uniqueId,
        roomId: room.roomId,
        nickname: room.nickname,
        title: room.title,
        status: this.roomStatus(room),
        state: room.state,
        scenario: room.scenario.name,
        headSeq: room.headSeq,
        firstRetainedSeq: room.firstRetainedSeq,
        headCursor: encodeCursor({ roomId: room.roomId, seq: room.headSeq, timeMs: room.lastTimeMs() }),
        stats: { ...room.stats },
      }),
      scenario: (limit) => room.expected(limit),
      published: () => {
        const out: PublishedMessage[] = [];
        for (const tick of room.published()) {
          for (const [i, m] of tick.messages.entries()) {
            out.push({
              seq: tick.firstSeq + i,
              tick: tick.index,
              method: m.method,
              msgId: m.msgId,
              createTime: m.createTime,
              injected: tick.injected,
            });
          }
        }
        return out;
      },
      publishedTicks: () => room.published(),
      start: () => room.start(),
      pause: () => room.pause(),
      advance: (ticks = 1) => {
        if (!Number.isInteger(ticks) || ticks < 1)
          throw new TikLiveError(ErrorCode.InvalidInput, "advance: ticks must be a positive whole number", {
            retryable: false,
          });
        return room.advance(ticks);
      },
      cursorAt: (seq) => encodeCursor({ roomId: room.roomId, seq, timeMs: room.lastTimeMs() }),
    };
  }

  private faultInfo(fault: ActiveFault): FaultInfo {
    return {
      id: fault.id,
      text: fault.text,
      spec: { ...fault.spec },
      fired: fault.fired,
      spent: fault.spent,
    };
  }

  private createApi(): Simulator {
    const self = this;
    return {
      get info() {
        return self.info;
      },
      get port() {
        return self.info.port;
      },
      get signUrl() {
        return self.info.signUrl;
      },
      get webUrl() {
        return self.info.webUrl;
      },
      get pushUrl() {
        return self.info.pushUrl;
      },
      get rooms() {
        return self.info.rooms;
      },
      closed: this.closedPromise,
      close: () => this.close(),
      [Symbol.asyncDispose]: () => this.close(),
      room: (idOrUniqueId) => {
        const room = this.roomById(idOrUniqueId) ?? this.roomByUniqueId(idOrUniqueId);
        if (room === undefined)
          throw new TikLiveError(
            ErrorCode.InvalidInput,
            `simulator: no room ${JSON.stringify(idOrUniqueId)}`,
            { retryable: false },
          );
        return this.roomApi(room);
      },
      connections: () => [...this.connectionMap.values()].map((c) => c.snapshot()),
      connection: (id): ConnectionRecord | undefined => this.connectionMap.get(id)?.snapshot(),
      closeConnection: (id, code = 1000, reason = "") => {
        const c = this.connectionMap.get(id);
        if (c === undefined) return false;
        if (
          !(
            (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
            (code >= 3000 && code <= 4999)
          )
        ) {
          throw new TikLiveError(
            ErrorCode.InvalidInput,
            `simulator: ${code} is not a close code a server may send`,
            { retryable: false },
          );
        }
        c.close(code, reason);
        return true;
      },
      dropConnection: (id) => {
        const c = this.connectionMap.get(id);
        if (c === undefined) return false;
        c.drop();
        return true;
      },
      signRequests: () => structuredClone(this.signLog),
      webRequests: () => structuredClone(this.webLog),
      addFault: (spec: string | FaultSpec) => this.faultInfo(this.faults.add(normalizeFaultSpec(spec))),
      removeFault: (id) => this.faults.remove(id),
      clearFaults: () => this.faults.clear(),
      faults: () => this.faults.list().map((f) => this.faultInfo(f)),
      on: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      waitFor: (predicate, timeoutMs = 10_000) =>
        new Promise<SimulatorEvent>((resolve, reject) => {
          if (this.closing) {
            reject(new TikLiveError(ErrorCode.Aborted, "simulator closed"));
            return;
          }
          const waiter = {
            reject: (error: unknown) => {
              cleanup();
              reject(error);
            },
          };
          const timer = setTimeout(
            () =>
              waiter.reject(
                new TikLiveError(ErrorCode.Timeout, `simulator: no matching event within ${timeoutMs} ms`),
              ),
            timeoutMs,
          );
          const off = this.api.on((event) => {
            let ok = false;
            try {
              ok = predicate(event);
            } catch (error) {
              waiter.reject(error);
              return;
            }
            if (ok) {
              cleanup();
              resolve(event);
            }
          });
          function cleanup() {
            clearTimeout(timer);
            off();
            self.waiters.delete(waiter);
          }
          this.waiters.add(waiter);
        }),
    };
  }
}

// From the connection flags to client options: the signer and the transports --transport
// picks (optionally wrapped, which is how `record` sees every frame), the proxy, and the
// in-process simulator of --simulator.
import { connect as netConnect } from "node:net";
import { type ClientOptions, createProxy, type Logger, type Proxy as ProxyHandle } from "@tiklive/client";
import { ErrorCode, type Signer, TikLiveError, type Transport } from "@tiklive/core";
import { createEulerSigner } from "@tiklive/signer";
import {
  defaultLiveRoomIds,
  defaultOfflineRoomId,
  type RoomOptions,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "@tiklive/simulator";
import { createPollingTransport } from "@tiklive/transport-poll";
import { createWebSocketTransport } from "@tiklive/transport-ws";
import type { ConnectionSettings, SimulatorSettings } from "./args.js";

/** Hooks that wrap what the client will use (the recorder of `record` is one). */
export interface ConnectionWrappers {
  /** Wraps the signer. Default: none. */
  signer?: (signer: Signer) => Signer;
  /** Wraps each transport. Default: none. */
  transport?: (transport: Transport) => Transport;
}

/** Options of {@link prepareConnection}. */
export interface PrepareOptions {
  /** Aborts the proxy check (SIGINT, SIGTERM). Default none. */
  signal?: AbortSignal | undefined;
  /** How long the proxy may take to accept a connection, in ms. Default 10 000. */
  proxyTimeoutMs?: number;
}

/** A connection ready for `new TikTokLiveClient(uniqueId, clientOptions)`. */
export interface PreparedConnection {
  clientOptions: ClientOptions;
  /** The in-process simulator of `--simulator`, when started. */
  simulator: Simulator | undefined;
  /** Secrets to keep out of every line printed: the API key and the proxy URL. */
  secrets: string[];
  /** Closes the simulator and the proxy's sockets. */
  close(): Promise<void>;
}

// The handles the simulator already knows (live, offline, never live): the others get a room.
const builtInHandles: ReadonlySet<string> = new Set([
  ...defaultLiveRoomIds,
  defaultOfflineRoomId,
  "sim_newbie",
]);

/**
 * The simulator options of `--simulator` for a uniqueId: a scripted stream on 127.0.0.1 at
 * any free port. The built-in rooms stay (`sim_streamer`, `sim_gamer`, the offline
 * `sim_offline`); any other handle gets a live room of its own, so every valid uniqueId can
 * be watched. With an API key, the simulator requires it.
 */
export function simulatorOptions(
  uniqueId: string,
  settings: SimulatorSettings,
  apiKey: string | undefined,
): SimulatorOptions {
  const rooms: RoomOptions[] | undefined = builtInHandles.has(uniqueId)
    ? undefined
    : [
        ...defaultLiveRoomIds.map((id) => ({ uniqueId: id })),
        { uniqueId: defaultOfflineRoomId, live: false },
        { uniqueId },
      ];
  return {
    host: "127.0.0.1",
    port: 0,
    ...(rooms === undefined ? {} : { rooms }),
    ...(settings.rate === undefined ? {} : { rate: settings.rate }),
    ...(settings.length === undefined ? {} : { length: settings.length }),
    ...(apiKey === undefined ? {} : { apiKey }),
    faults: [...settings.faults],
  };
}

// ---------------------------------------------------------------- the proxy

const defaultProxyPorts: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "socks:": 1080,
  "socks5:": 1080,
  "socks5h:": 1080,
};

/**
 * Where a proxy URL points, for messages: `host:port`, never the credentials or the rest of
 * the URL. Undefined for something that is not a URL.
 */
export function proxyAddress(proxyUrl: string): { host: string; port: number; label: string } | undefined {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? (defaultProxyPorts[url.protocol] ?? 80) : Number(url.port);
  return { host, port, label: url.port === "" ? `${url.host}:${port}` : url.host };
}

// Socket error codes, in words.
const socketErrors: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens on that port)",
  ECONNRESET: "it closed the connection",
  ENOTFOUND: "its host name does not resolve",
  EAI_AGAIN: "its host name does not resolve (DNS lookup failed)",
  EHOSTUNREACH: "its host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "the connection timed out",
  EADDRNOTAVAIL: "the address is not available",
};

const unreachableHint = "is the proxy running, and are its host and port right?";

// `hint` is the second line of the report: what to check.
function proxyError(label: string, why: string, cause?: unknown, hint = unreachableHint): TikLiveError {
  return new TikLiveError(ErrorCode.NetworkError, `the proxy ${label} failed: ${why}`, {
    retryable: true,
    ...(cause === undefined ? {} : { cause }),
    details: { proxy: label, hint },
  });
}

/**
 * Checks that the proxy of `--proxy` accepts a TCP connection, so a dead proxy is named as
 * such (`network_error`, details.proxy = `host:port`) instead of surfacing later as the sign
 * server or TikTok being unreachable. Resolves once the proxy accepted; rejects with
 * `network_error`, or `aborted` when `signal` fires. The message never carries the URL's
 * credentials.
 */
export function checkProxy(
  proxyUrl: string,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number } = {},
): Promise<void> {
  const address = proxyAddress(proxyUrl);
  if (address === undefined)
    return Promise.reject(new TikLiveError(ErrorCode.InvalidInput, "--proxy is not a URL"));
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<void>((resolve, reject) => {
    const socket = netConnect({ host: address.host, port: address.port });
    const finish = (error?: TikLiveError) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () =>
      finish(new TikLiveError(ErrorCode.Aborted, "stopped while checking the proxy", { retryable: false }));
    const timer = setTimeout(
      () => finish(proxyError(address.label, `it did not accept a connection within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    socket.once("connect", () => finish());
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(proxyError(address.label, socketErrors[error.code ?? ""] ?? error.message, error)),
    );
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// What undici and the SOCKS agent say when the proxy itself answers badly.
const credentialsHint = "its user name and password, in the URL: http://user:password@host:port";
const proxyAnswers: { pattern: RegExp; why: (match: RegExpExecArray) => string; hint?: string }[] = [
  {
    pattern: /Proxy response \(407\) !== 200 when HTTP Tunneling/,
    why: () => "it asks for credentials (HTTP 407 Proxy Authentication Required)",
    hint: credentialsHint,
  },
  {
    pattern: /Proxy response \((\d+)\) !== 200 when HTTP Tunneling/,
    why: (m) => `it answered HTTP ${m[1]} instead of opening a tunnel`,
    hint: "whether the proxy lets you reach the sign server and TikTok",
  },
  { pattern: /Proxy connection timed out/i, why: () => "the connection to it timed out" },
  {
    pattern: /Invalid SOCKS version/i,
    why: () => "it does not speak SOCKS5",
    hint: "the proxy's scheme: http:// for an HTTP proxy, socks5:// for a SOCKS5 one",
  },
  {
    pattern: /Socks5? proxy rejected connection - (\w+)/i,
    why: (m) => `it rejected the connection (${m[1]})`,
    hint: "whether the proxy lets you reach the sign server and TikTok",
  },
  {
    pattern: /Socks5? Authentication failed/i,
    why: () => "it refused the credentials",
    hint: credentialsHint,
  },
];

/**
 * With `--proxy`, a failure the proxy caused (it refused the tunnel, asked for credentials,
 * answered with an error, or closed the connection) as a `network_error` that names the proxy;
 * undefined when the failure does not come from the proxy. The libraries report these as the
 * sign server or TikTok being unreachable, since that is what they were trying to reach.
 */
export function proxyFailure(error: unknown, proxyUrl: string): TikLiveError | undefined {
  const address = proxyAddress(proxyUrl);
  if (address === undefined) return undefined;
  // Already about the proxy (checkProxy's error).
  if (error instanceof TikLiveError && error.details["proxy"] !== undefined) return undefined;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    for (const { pattern, why, hint } of proxyAnswers) {
      const match = pattern.exec(e.message);
      if (match !== null) return proxyError(address.label, why(match), error, hint);
    }
    const code = (e as NodeJS.ErrnoException).code;
    const at = e as { address?: unknown; port?: unknown };
    // A socket error on the proxy's own address: the proxy went away after the check.
    if (code !== undefined && at.address === address.host && at.port === address.port)
      return proxyError(address.label, socketErrors[code] ?? e.message, error);
    // Every socket goes to the proxy: one reset before any answer is the proxy hanging up.
    if (code === "ECONNRESET")
      return proxyError(address.label, `the connection through it was cut (${code})`, error);
  }
  return undefined;
}

/** The transports of a `--transport` choice: `ws` the WebSocket only, `poll` polling only, `auto` both in that order. */
export function transportsFor(
  choice: ConnectionSettings["transport"],
  init: { webUrl: string | undefined; proxy: ProxyHandle | undefined },
): Transport[] {
  const ws = () => createWebSocketTransport({ agent: init.proxy?.agent });
  const poll = () =>
    createPollingTransport({
      // As the client does: webcast routes share the web base when one is given.
      baseUrl: init.webUrl ?? "https://webcast.tiktok.com",
      dispatcher: init.proxy?.dispatcher,
    });
  switch (choice) {
    case "ws":
      return [ws()];
    case "poll":
      return [poll()];
    case "auto":
      return [ws(), poll()];
  }
}

/**
 * Prepares a connection: checks that the proxy answers (see {@link checkProxy}), starts the
 * simulator for `--simulator`, builds the proxy, the Euler signer (the API key goes only into
 * its `x-api-key` header) and the transports, wrapped as asked. `logger` receives the client's
 * log lines. Throws `TikLiveError` (`invalid_input` for bad values, `network_error` for a proxy
 * that does not answer, `aborted` when `options.signal` fires); nothing is left open when it
 * throws.
 */
export async function prepareConnection(
  uniqueId: string,
  settings: ConnectionSettings,
  wrappers: ConnectionWrappers = {},
  logger: Logger | false = false,
  options: PrepareOptions = {},
): Promise<PreparedConnection> {
  const secrets = [settings.apiKey, settings.proxy].filter((s): s is string => s !== undefined);
  if (settings.proxy !== undefined)
    await checkProxy(settings.proxy, {
      signal: options.signal,
      ...(options.proxyTimeoutMs === undefined ? {} : { timeoutMs: options.proxyTimeoutMs }),
    });
  const proxy = settings.proxy === undefined ? undefined : createProxy(settings.proxy);
  let simulator: Simulator | undefined;
  try {
    if (settings.simulator !== undefined)
      simulator = await startSimulator(simulatorOptions(uniqueId, settings.simulator, settings.apiKey));
    const signUrl = simulator?.signUrl ?? settings.signUrl;
    const webUrl = simulator?.webUrl ?? settings.webUrl;
    const signer = createEulerSigner({
      apiKey: settings.apiKey,
      ...(signUrl === undefined ? {} : { baseUrl: signUrl }),
      dispatcher: proxy?.dispatcher,
    });
    const transports = transportsFor(settings.transport, { webUrl, proxy });
    const clientOptions: ClientOptions = {
      signer: wrappers.signer === undefined ? signer : wrappers.signer(signer),
      transports: wrappers.transport === undefined ? transports : transports.map(wrappers.transport),
      // The signer above uses the key; the client gets it too so it redacts it everywhere.
      signApiKey: settings.apiKey,
      enableWebsocketUpgrade: settings.transport !== "poll",
      ...(webUrl === undefined ? {} : { webUrl }),
      // Web requests (room lookup, room info) through the same proxy.
      ...(proxy === undefined ? {} : { dispatcher: proxy.dispatcher }),
      logger,
    };
    return {
      clientOptions,
      simulator,
      secrets,
      close: async () => {
        await simulator?.close();
        await proxy?.close();
      },
    };
  } catch (error) {
    await simulator?.close();
    await proxy?.close();
    throw error;
  }
}

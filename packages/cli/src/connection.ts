// From the connection flags to client options: the signer and the transports --transport
// picks (optionally wrapped, which is how `record` sees every frame), the proxy, and the
// in-process simulator of --simulator.
import { type ClientOptions, createProxy, type Logger, type Proxy as ProxyHandle } from "@tiklive/client";
import type { Signer, Transport } from "@tiklive/core";
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
 * Prepares a connection: starts the simulator for `--simulator`, builds the proxy, the Euler
 * signer (the API key goes only into its `x-api-key` header) and the transports, wrapped as
 * asked. `logger` receives the client's log lines. Throws `TikLiveError` (`invalid_input` for
 * bad values); nothing is left open when it throws.
 */
export async function prepareConnection(
  uniqueId: string,
  settings: ConnectionSettings,
  wrappers: ConnectionWrappers = {},
  logger: Logger | false = false,
): Promise<PreparedConnection> {
  const secrets = [settings.apiKey, settings.proxy].filter((s): s is string => s !== undefined);
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

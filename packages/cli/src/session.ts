// One connection's life, shared by `watch` and `record`: prepare, connect, wait for the end
// (stream end, --duration, a signal, a fatal error), disconnect, and choose the exit code.
import { type ClientOptions, type DisconnectedEvent, TikTokLiveClient } from "@tiklive/client";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { createRedactor } from "@tiklive/core/internal";
import type { ConnectionSettings, HelpTopic } from "./args.js";
import { usageLines } from "./args.js";
import { type CliIo, ExitCode } from "./cli-io.js";
import {
  type ConnectionWrappers,
  type PreparedConnection,
  prepareConnection,
  proxyFailure,
} from "./connection.js";
import { formatErrorLines, plainErrorMessage } from "./format.js";

/** The options every session command takes. */
export interface SessionOptions {
  /** The streamer's uniqueId or live URL. */
  uniqueId: string;
  connection: ConnectionSettings;
  /** Disconnect after this many ms. Default: when the stream ends. */
  durationMs?: number | undefined;
  /**
   * More client options, applied over the ones the flags give (library use and tests: a
   * reconnect policy, timeouts). Default none.
   */
  clientOptions?: Partial<ClientOptions>;
}

/** What a command adds to a session. */
export interface SessionHooks extends ConnectionWrappers {
  /** The command, for the usage line of an invalid value. */
  topic: HelpTopic;
  /** Called with the client before it connects: add listeners here. */
  attach(client: TikTokLiveClient, redact: (text: string) => string): void;
}

/** How a session ended. */
export interface SessionResult {
  code: ExitCode;
  /** The client's `disconnected` event, when it connected. */
  disconnected: DisconnectedEvent | undefined;
  /** The error that ended it, if any. */
  error: unknown;
}

/**
 * Runs one session: prepares the connection (and the simulator of --simulator), connects,
 * and waits until the stream ends, `durationMs` runs out or `io.signal` aborts (exit 0), or an
 * error ends it (exit 1: its lines go to stderr). A value the client rejects (`invalid_input`
 * before connecting) is a usage error (exit 2). Everything is closed when it resolves.
 */
export async function runSession(
  options: SessionOptions,
  io: CliIo,
  hooks: SessionHooks,
): Promise<SessionResult> {
  const redact = createRedactor([options.connection.apiKey, options.connection.proxy]);
  const { proxy } = options.connection;
  const fail = (failure: unknown, code: ExitCode): SessionResult => {
    // What the proxy caused is said of the proxy, not of the sign server or TikTok behind it.
    const error = (proxy === undefined ? undefined : proxyFailure(failure, proxy)) ?? failure;
    for (const line of formatErrorLines(error, { now: io.now })) io.stderr(`${redact(line)}\n`);
    if (code === ExitCode.Usage) io.stderr(`${usageLines[hooks.topic]}\n`);
    return { code, disconnected: undefined, error };
  };

  let connected = false;
  // Before the stream opens, a failure is reported once, by the error connect() throws (it
  // names every attempt); once streaming, warnings go to stderr as they happen.
  const log = (level: string) => (message: string) => {
    if (connected) io.stderr(`${redact(`tiklive: ${level}: ${plainErrorMessage(message)}`)}\n`);
  };
  let prepared: PreparedConnection;
  try {
    prepared = await prepareConnection(
      options.uniqueId,
      options.connection,
      hooks,
      { warn: log("warning"), error: log("error") },
      { signal: io.signal },
    );
  } catch (error) {
    // Stopped (a signal) while checking the proxy: a clean exit.
    if (io.signal?.aborted === true && TikLiveError.is(error, ErrorCode.Aborted))
      return { code: ExitCode.Ok, disconnected: undefined, error: undefined };
    return fail(error, TikLiveError.is(error, ErrorCode.InvalidInput) ? ExitCode.Usage : ExitCode.Failure);
  }

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (io.signal?.aborted === true) stop.abort();
  io.signal?.addEventListener("abort", onAbort, { once: true });
  const timer =
    options.durationMs === undefined ? undefined : setTimeout(() => stop.abort(), options.durationMs);
  let client: TikTokLiveClient | undefined;
  try {
    try {
      client = new TikTokLiveClient(options.uniqueId, {
        ...prepared.clientOptions,
        ...options.clientOptions,
      });
    } catch (error) {
      return fail(error, TikLiveError.is(error, ErrorCode.InvalidInput) ? ExitCode.Usage : ExitCode.Failure);
    }
    const live = client;
    hooks.attach(live, redact);
    const ended = new Promise<DisconnectedEvent>((resolve) => live.once("disconnected", resolve));
    try {
      await live.connect({ signal: stop.signal });
    } catch (error) {
      // Stopped (signal or --duration) before the stream opened: a clean exit.
      if (stop.signal.aborted && TikLiveError.is(error, ErrorCode.Aborted))
        return { code: ExitCode.Ok, disconnected: undefined, error: undefined };
      return fail(error, ExitCode.Failure);
    }
    connected = true;
    stop.signal.addEventListener("abort", () => void live.disconnect(), { once: true });
    if (stop.signal.aborted) void live.disconnect();
    const disconnected = await ended;
    if (disconnected.reason === "error") {
      const error =
        disconnected.error ??
        new TikLiveError(ErrorCode.ConnectionClosed, "the connection ended with an error");
      return { ...fail(error, ExitCode.Failure), disconnected };
    }
    return { code: ExitCode.Ok, disconnected, error: undefined };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    io.signal?.removeEventListener("abort", onAbort);
    await client?.disconnect();
    await prepared.close();
  }
}

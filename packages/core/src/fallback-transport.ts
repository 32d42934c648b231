// A Transport made of transports: each connect tries them in order and keeps the first that
// opens (viem's `fallback([...])`). The client's WebSocket-to-polling fallback is this, so the
// client itself holds one transport and never asks which kind it is.
import type { Transport, TransportConnection, TransportConnectRequest, TransportEvent } from "./contracts.js";
import { ErrorCode, TikLiveError } from "./errors.js";

/** Options of {@link createFallbackTransport}. */
export interface FallbackTransportOptions {
  /** Called when a transport could not open and the next one is tried. Default: nothing. */
  onFallback?: (info: { from: string; to: string; error: TikLiveError }) => void;
}

/**
 * Combines transports into one that, for every connect, opens the first that works: a
 * transport that throws or ends before its `open` event is closed and the next one is tried
 * with the same request. When none opens, the iteration throws one `TikLiveError` naming every
 * attempt (its code is the last attempt's; it is retryable when any attempt was).
 *
 * @example
 * const transport = createFallbackTransport([createWebSocketTransport(), createPollingTransport()]);
 */
export function createFallbackTransport(
  transports: readonly Transport[],
  options: FallbackTransportOptions = {},
): Transport {
  if (!Array.isArray(transports) || transports.length === 0) {
    throw new TikLiveError(ErrorCode.InvalidInput, "createFallbackTransport needs at least one transport");
  }
  for (const [i, t] of transports.entries()) {
    if (typeof t?.connect !== "function" || typeof t.kind !== "string") {
      throw new TikLiveError(ErrorCode.InvalidInput, `transports[${i}] is not a Transport`);
    }
  }
  const list = [...transports];
  return {
    kind: list.map((t) => t.kind).join("|"),
    connect: (request) => fallbackConnection(list, request, options),
  };
}

function fallbackConnection(
  transports: readonly Transport[],
  request: TransportConnectRequest,
  options: FallbackTransportOptions,
): TransportConnection {
  let active: TransportConnection | undefined;
  let closed = false;

  async function* run(): AsyncGenerator<TransportEvent> {
    const failures: { kind: string; error: TikLiveError }[] = [];
    for (const [index, transport] of transports.entries()) {
      if (closed || request.signal?.aborted) return;
      const connection = transport.connect(request);
      active = connection;
      const iterator = connection[Symbol.asyncIterator]();
      let first: IteratorResult<TransportEvent>;
      try {
        first = await iterator.next();
        if (first.done === true || first.value.type !== "open") {
          throw new TikLiveError(
            ErrorCode.ConnectionClosed,
            `the ${transport.kind} transport ended before opening`,
          );
        }
      } catch (error) {
        await connection.close().catch(() => {});
        active = undefined;
        const failure = TikLiveError.from(error, ErrorCode.NetworkError);
        if (failure.code === ErrorCode.Aborted || closed || request.signal?.aborted) return;
        failures.push({ kind: transport.kind, error: failure });
        const next = transports[index + 1];
        if (next !== undefined) options.onFallback?.({ from: transport.kind, to: next.kind, error: failure });
        continue;
      }
      yield first.value;
      // From here on this connection is the stream; its end or error is the stream's.
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    }
    const last = failures.at(-1)?.error;
    throw new TikLiveError(
      last?.code ?? ErrorCode.ConnectionClosed,
      `no transport could open the stream: ${failures.map((f) => `${f.kind}: ${f.error.code}: ${f.error.message}`).join("; ")}`,
      {
        cause: last,
        retryable: failures.some((f) => f.error.retryable),
        retryAfterMs: last?.retryAfterMs,
        details: {
          attempts: failures.map((f) => ({
            transport: f.kind,
            code: f.error.code,
            message: f.error.message,
            details: f.error.details,
          })),
        },
      },
    );
  }

  const generator = run();
  return {
    get kind() {
      return active?.kind ?? "fallback";
    },
    get capabilities() {
      return active?.capabilities;
    },
    switchRoom(roomId: string) {
      if (active?.switchRoom === undefined) {
        return Promise.reject(
          new TikLiveError(
            ErrorCode.FeatureDisabled,
            `the ${active?.kind ?? "fallback"} transport cannot switch rooms`,
          ),
        );
      }
      return active.switchRoom(roomId);
    },
    async close() {
      closed = true;
      await active?.close();
      await generator.return(undefined);
    },
    [Symbol.asyncIterator]: () => generator,
  };
}

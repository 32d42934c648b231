// Test doubles users can use: a transport that lives in memory and a signer that hands out
// fixed sessions. A bot's tests script a stream (results, bad frames, drops, closes) and
// assert what the bot did, with neither network nor simulator (as connect-es ships its router
// transport and undici its MockAgent).
import { createAsyncQueue } from "./async-queue.js";
import type {
  SignedSession,
  Signer,
  SignRequest,
  Transport,
  TransportConnection,
  TransportConnectRequest,
  TransportEvent,
} from "./contracts.js";
import { ErrorCode, TikLiveError } from "./errors.js";
import { decodeFetchResult, encodeFetchResult, type FetchResultInit } from "./frame-codec.js";

/** One scripted connection of a {@link MemoryTransport}. */
export interface MemoryConnection {
  /** What the client asked this connection to open (session, cursor, internalExt). */
  readonly request: TransportConnectRequest;
  /** 1 for the first connection of the transport, 2 for the next... */
  readonly index: number;
  /** True once the client closed it or the script ended it. */
  readonly closed: boolean;
  /**
   * Delivers a fetch result, encoded and decoded as a real one would be. `logId` is the
   * frame id a push server would give it. Ignored after the connection closed.
   */
  push(result: FetchResultInit, logId?: string): void;
  /**
   * Delivers a frame that did not decode: its messages are lost, the stream goes on. `logId`
   * (default: the frame's number) is the event's, as when only the frame's payload was bad.
   */
  pushBadFrame(error?: TikLiveError, logId?: string): void;
  /** The server closes the connection normally (default 1000). */
  close(code?: number, reason?: string): void;
  /** The connection drops: the iteration throws (default `connection_closed`, code 1006). */
  drop(error?: TikLiveError): void;
}

/** A {@link Transport} scripted in memory. */
export interface MemoryTransport extends Transport {
  /** Every connection made, oldest first. */
  readonly connections: readonly MemoryConnection[];
  /** The newest connection, or undefined before the first. */
  readonly current: MemoryConnection | undefined;
  /** Makes the next connect fail before it opens (e.g. a `handshake_rejected` error). */
  failNextConnect(error: TikLiveError): void;
  /** Resolves with the n-th connection (1-based) once it is open. Default: the next one to open. */
  opened(index?: number): Promise<MemoryConnection>;
}

/** Options of {@link createMemoryTransport}. */
export interface MemoryTransportOptions {
  /** The connections' `kind`. Default `"memory"`. */
  kind?: string;
  /** Whether the connections say they can switch rooms / are pushed. Default both false. */
  capabilities?: { switchRoom: boolean; push: boolean };
}

/**
 * Creates a transport whose connections a test drives: `push()` results, `pushBadFrame()`,
 * `drop()` or `close()` them, and read what the client asked for in `request`.
 *
 * @example
 * const transport = createMemoryTransport();
 * const client = new TikTokLiveClient("someone", { roomId: "1", signer: createStaticSigner(),
 *   transports: [transport], fetchRoomInfoOnConnect: false });
 * await client.connect();
 * transport.current?.push({ messages: [{ method: "WebcastChatMessage", payload }] });
 */
export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const kind = options.kind ?? "memory";
  const capabilities = options.capabilities ?? { switchRoom: false, push: false };
  const connections: MemoryConnection[] = [];
  const waiters: { index: number | undefined; resolve: (c: MemoryConnection) => void }[] = [];
  let pendingFailure: TikLiveError | undefined;

  const notifyOpen = (connection: MemoryConnection) => {
    for (const waiter of waiters.splice(0)) {
      if (waiter.index === undefined || waiter.index === connection.index) waiter.resolve(connection);
      else waiters.push(waiter);
    }
  };

  return {
    kind,
    get connections() {
      return connections;
    },
    get current() {
      return connections.at(-1);
    },
    failNextConnect(error) {
      pendingFailure = error;
    },
    opened(index) {
      const found = index === undefined ? undefined : connections.find((c) => c.index === index);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    connect(request): TransportConnection {
      const queue = createAsyncQueue<TransportEvent>();
      let closed = false;
      let frames = 0;
      const end = () => {
        closed = true;
        queue.end();
      };
      const failure = pendingFailure;
      pendingFailure = undefined;
      const connection: MemoryConnection = {
        request,
        index: connections.length + 1,
        get closed() {
          return closed;
        },
        push(init, logId) {
          if (closed) return;
          const frame = encodeFetchResult(init);
          frames += 1;
          queue.push({
            type: "result",
            result: decodeFetchResult(frame),
            logId: logId ?? String(frames),
            frame,
            receivedAt: Date.now(),
          });
        },
        pushBadFrame(error, logId) {
          if (closed) return;
          frames += 1;
          const id = logId ?? String(frames);
          queue.push({
            type: "frameError",
            error:
              error ??
              new TikLiveError(ErrorCode.MalformedFrame, "a scripted frame that does not decode", {
                retryable: false,
                details: { logId: id },
              }),
            frame: new Uint8Array([0xff]),
            receivedAt: Date.now(),
            // As a push transport reports a frame whose envelope decoded but not its payload.
            logId: id,
          });
        },
        close(code = 1000, reason = "") {
          if (closed) return;
          queue.push({ type: "closed", code, reason });
          end();
        },
        drop(error) {
          if (closed) return;
          closed = true;
          queue.fail(
            error ??
              new TikLiveError(ErrorCode.ConnectionClosed, "the scripted connection dropped", {
                details: { code: 1006 },
              }),
          );
        },
      };
      connections.push(connection);
      request.signal?.addEventListener("abort", end, { once: true });
      if (failure !== undefined) {
        closed = true;
        queue.fail(failure);
      } else {
        queue.push({ type: "open", transport: kind });
        queueMicrotask(() => notifyOpen(connection));
      }
      return {
        kind,
        capabilities,
        [Symbol.asyncIterator]: () => queue,
        async close() {
          end();
        },
      };
    },
  };
}

/** A {@link Signer} handing out fixed sessions, counting what it was asked. */
export interface StaticSigner extends Signer {
  /** Every sign request, oldest first (the cursor the client resumed from is in here). */
  readonly requests: readonly SignRequest[];
}

/** Options of {@link createStaticSigner}. */
export interface StaticSignerOptions {
  /** The signer's name. Default `"static"`. */
  name?: string;
  /**
   * The session to return, or a function making one per request (e.g. a new cursor each
   * time). Fields left out get working defaults. Throwing from the function fails the sign.
   */
  session?: Partial<SignedSession> | ((request: SignRequest, count: number) => Partial<SignedSession>);
}

/**
 * Creates a signer that signs nothing: every request gets a session made from the options,
 * with a fresh cursor (`"c<count>"`) and internalExt unless given. For tests and for
 * transports that need no signature.
 */
export function createStaticSigner(options: StaticSignerOptions = {}): StaticSigner {
  const requests: SignRequest[] = [];
  return {
    name: options.name ?? "static",
    get requests() {
      return requests;
    },
    async sign(request) {
      if (request.signal?.aborted) {
        throw TikLiveError.from(
          request.signal.reason ?? new DOMException("aborted", "AbortError"),
          ErrorCode.Aborted,
        );
      }
      requests.push(request);
      const count = requests.length;
      const given =
        typeof options.session === "function" ? options.session(request, count) : (options.session ?? {});
      const fetchResult = decodeFetchResult(
        encodeFetchResult({
          cursor: `c${count}`,
          internalExt: `internal_ext:${count}`,
          pushServer: "memory://push",
          ...given.fetchResult,
          messages: given.fetchResult?.messages ?? [],
        }),
      );
      return {
        roomId: request.roomId,
        cookies: [{ name: "ttwid", value: `static-${count}` }],
        userAgent: request.userAgent,
        signer: options.name ?? "static",
        receivedAt: Date.now(),
        ...given,
        fetchResult,
      };
    },
  };
}

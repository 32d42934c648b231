import {
  type DecodeLimits,
  type DevicePreset,
  decodeFetchResult,
  defaultDecodeLimits,
  defaultDevicePreset,
  ErrorCode,
  normalizeRoomId,
  TikLiveError,
  type Transport,
  type TransportConnection,
  type TransportConnectRequest,
  type TransportEvent,
} from "@tiklive/core";
import {
  cookieHeader,
  createAsyncQueue,
  delayOption,
  generateDeviceId,
  httpStatusError,
  integerOption,
  linkSignals,
  maxErrorBodyBytes,
  readBody,
  sleep,
  webClientParams,
  webHeaders,
} from "@tiklive/core/internal";
import { type Dispatcher, request as undiciRequest } from "undici";

/**
 * Options of {@link createPollingTransport}. Validated and defaulted once, at creation: delays
 * (`…Ms`) are whole milliseconds of at most 2 147 483 647 (what a timer accepts), counts and
 * sizes whole numbers; anything else is refused with `invalid_input` naming the option.
 */
export interface PollingTransportOptions {
  /** Base URL of TikTok's webcast API; requests go to `{baseUrl}/webcast/im/fetch/`. Default `https://webcast.tiktok.com`. */
  baseUrl?: string;
  /** Pause between polls. Default 1 000 ms (docs/protocol.md §6). */
  intervalMs?: number;
  /** Wait the server's `fetchInterval` (ms) instead when it is longer than `intervalMs`. Default true. */
  honorServerInterval?: boolean;
  /** Timeout of one request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Longest back-off after errors (429, 5xx, network). Default 60 000 ms. */
  maxBackoffMs?: number;
  /** Consecutive failed polls after which the connection fails (a whole number). Default 5. */
  maxConsecutiveErrors?: number;
  /** Extra request headers. Default none. */
  headers?: Record<string, string>;
  /** Extra or overriding query parameters. Default none. */
  query?: Record<string, string>;
  /** Device preset for the web client parameters; the User-Agent comes from the session. Default {@link defaultDevicePreset}. */
  device?: DevicePreset;
  /** The 19-digit device id sent as `device_id`. Default: random, fixed per transport. */
  deviceId?: string;
  /**
   * Size limits (whole numbers of bytes) of a response and its decoding. A response body is read
   * up to the larger of `maxFrameBytes` and `maxInflatedBytes`, what `decodeFetchResult` accepts:
   * 16 MiB with core's {@link defaultDecodeLimits}. A larger one is not read further (the
   * connection is closed) and becomes a `frameError` with `payload_too_large`; polling goes on.
   * Default: core's `defaultDecodeLimits`.
   */
  limits?: Partial<DecodeLimits>;
  /** undici dispatcher (proxy agent, MockAgent). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
}

interface Resolved {
  endpoint: URL;
  intervalMs: number;
  honorServerInterval: boolean;
  timeoutMs: number;
  maxBackoffMs: number;
  maxConsecutiveErrors: number;
  headers: Record<string, string>;
  query: Record<string, string>;
  device: DevicePreset;
  deviceId: string;
  limits: DecodeLimits;
  /** Largest response body read: the larger of the two limits. */
  maxBytes: number;
  dispatcher: Dispatcher | undefined;
}

function resolveOptions(options: PollingTransportOptions): Resolved {
  const base = options.baseUrl ?? "https://webcast.tiktok.com";
  let endpoint: URL;
  try {
    endpoint = new URL("webcast/im/fetch/", base.endsWith("/") ? base : `${base}/`);
  } catch (error) {
    throw new TikLiveError(ErrorCode.InvalidInput, `baseUrl is not a URL: "${base}"`, { cause: error });
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:")
    throw new TikLiveError(ErrorCode.InvalidInput, `baseUrl must be http(s), got ${endpoint.protocol}`);
  const limits: DecodeLimits = {
    maxFrameBytes: integerOption(
      "limits.maxFrameBytes",
      options.limits?.maxFrameBytes,
      defaultDecodeLimits.maxFrameBytes,
    ),
    maxInflatedBytes: integerOption(
      "limits.maxInflatedBytes",
      options.limits?.maxInflatedBytes,
      defaultDecodeLimits.maxInflatedBytes,
    ),
  };
  return {
    endpoint,
    intervalMs: delayOption("intervalMs", options.intervalMs, 1000),
    honorServerInterval: options.honorServerInterval ?? true,
    timeoutMs: delayOption("timeoutMs", options.timeoutMs, 10_000),
    maxBackoffMs: delayOption("maxBackoffMs", options.maxBackoffMs, 60_000),
    maxConsecutiveErrors: integerOption("maxConsecutiveErrors", options.maxConsecutiveErrors, 5),
    headers: { ...options.headers },
    query: { ...options.query },
    device: options.device ?? defaultDevicePreset,
    deviceId: options.deviceId ?? generateDeviceId(),
    limits,
    maxBytes: Math.max(limits.maxFrameBytes, limits.maxInflatedBytes),
    dispatcher: options.dispatcher,
  };
}

/**
 * A transport that polls `webcast/im/fetch/` (docs/protocol.md §6) with the session's cookies,
 * carrying `cursor` and `internal_ext` forward after every response, waiting the poll
 * interval between requests and backing off on 429/5xx with the server's retry time.
 */
export function createPollingTransport(options: PollingTransportOptions = {}): Transport {
  const resolved = resolveOptions(options);
  return { kind: "polling", connect: (request) => startPolling(resolved, request) };
}

function startPolling(options: Resolved, request: TransportConnectRequest): TransportConnection {
  const { session } = request;
  const roomId = normalizeRoomId(session.roomId);
  const stop = new AbortController();
  // Not AbortSignal.any: it holds its sources weakly in Node 20, so a caller's
  // AbortSignal.timeout() could be collected and never end the loop (see core's linkSignals).
  const linked = linkSignals([stop.signal, request.signal]);
  const signal = linked.signal;
  const queue = createAsyncQueue<TransportEvent>({ onReturn: () => stop.abort() });
  let cursor = session.fetchResult.cursor;
  let internalExt = session.fetchResult.internalExt;
  const headers = {
    ...webHeaders(options.device),
    ...options.headers,
    "user-agent": session.userAgent,
    cookie: cookieHeader(session.cookies),
  };
  const baseParams = {
    ...webClientParams(options.device, options.deviceId),
    room_id: roomId,
    resp_content_type: "protobuf",
    fetch_rule: "1",
    did_rule: "3",
    live_id: "12",
    version_code: "180800",
    webcast_sdk_version: "1.3.0",
    update_version_code: "1.3.0",
    last_rtt: "0",
  };

  const url = () => {
    const next = new URL(options.endpoint);
    for (const [k, v] of Object.entries({
      ...baseParams,
      cursor,
      internal_ext: internalExt,
      ...options.query,
    }))
      next.searchParams.set(k, v);
    return next;
  };

  const poll = async (): Promise<{ wait: number; event: TransportEvent }> => {
    const receivedAt = Date.now();
    let response: Dispatcher.ResponseData;
    let body: Uint8Array;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const perRequest = linkSignals([signal, timeout]);
    try {
      response = await undiciRequest(url(), {
        method: "GET",
        headers,
        dispatcher: options.dispatcher,
        signal: perRequest.signal,
      });
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      // An error status's body is read only for an excerpt.
      body = await readBody(
        response.body,
        ok
          ? {
              maxBytes: options.maxBytes,
              headers: response.headers,
              what: "the poll response",
              details: { status: response.statusCode },
            }
          : { maxBytes: maxErrorBodyBytes, truncate: true },
      );
    } catch (error) {
      if (signal.aborted) throw error;
      if (TikLiveError.is(error, ErrorCode.PayloadTooLarge)) {
        // The rest was not read (the connection is closed); the next poll asks again.
        return {
          wait: options.intervalMs,
          event: { type: "frameError", error, frame: new Uint8Array(0), receivedAt },
        };
      }
      throw new TikLiveError(
        timeout.aborted ? ErrorCode.Timeout : ErrorCode.NetworkError,
        `polling ${options.endpoint.host} failed: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      perRequest.dispose();
    }
    // The same mapping as the client's web API: 401/403 blocked (not retried), 429 rate_limited
    // and 5xx service_unavailable (retried with back-off), anything else invalid_response.
    const failure = httpStatusError({
      status: response.statusCode,
      url: options.endpoint,
      what: "webcast/im/fetch",
      headers: response.headers,
      body,
    });
    if (failure !== undefined) throw failure;
    try {
      const result = decodeFetchResult(body, { limits: options.limits });
      // Keep the old position when the server leaves it out ("0" was PY 5.x's rule too, docs/protocol.md §6).
      if (result.cursor !== "" && result.cursor !== "0") cursor = result.cursor;
      if (result.internalExt !== "") internalExt = result.internalExt;
      const server = Number(result.fetchInterval);
      const wait =
        options.honorServerInterval && Number.isFinite(server) && server > options.intervalMs
          ? Math.min(server, options.maxBackoffMs)
          : options.intervalMs;
      return { wait, event: { type: "result", result, logId: "0", frame: body, receivedAt } };
    } catch (error) {
      return {
        wait: options.intervalMs,
        event: {
          type: "frameError",
          error: TikLiveError.from(error, ErrorCode.MalformedFrame),
          frame: body,
          receivedAt,
        },
      };
    }
  };

  const run = async () => {
    let errors = 0;
    let opened = false;
    while (!signal.aborted) {
      let wait: number;
      try {
        const outcome = await poll();
        wait = outcome.wait;
        errors = 0;
        if (!opened) {
          opened = true;
          // The stream counts as established once a poll has succeeded.
          queue.push({ type: "open", transport: "polling" });
        }
        queue.push(outcome.event);
      } catch (error) {
        if (signal.aborted) break;
        const failure = TikLiveError.from(error, ErrorCode.NetworkError);
        errors += 1;
        if (!failure.retryable || errors >= options.maxConsecutiveErrors) {
          queue.fail(failure);
          linked.dispose();
          return;
        }
        wait = Math.min(
          options.maxBackoffMs,
          Math.max(failure.retryAfterMs ?? 0, options.intervalMs * 2 ** errors),
        );
      }
      try {
        await sleep(wait, signal);
      } catch {
        break;
      }
    }
    queue.end();
    linked.dispose();
  };

  const running = run();
  return {
    kind: "polling",
    capabilities: { switchRoom: false, push: false },
    [Symbol.asyncIterator]: () => queue,
    async close() {
      stop.abort();
      queue.end();
      await running;
    },
  };
}

import { type Clock, ErrorCode, type SignBudget, systemClock, TikLiveError } from "@tiklive/core";
import { createRedactor, delayOption, integerOption } from "@tiklive/core/internal";
import { type Dispatcher, getGlobalDispatcher } from "undici";
import { createRedactedLog, type RedactedLog, type SignerLogger } from "./logger.js";
import { signerVersion } from "./version.js";

/** The public Euler Stream sign server (docs/protocol.md §7.1). */
export const eulerBaseUrl = "https://api.eulerstream.com";

/** Options of {@link createEulerSigner}. Validated and defaulted once, at creation. */
export interface EulerSignerOptions {
  /**
   * Euler Stream API key, sent as the `x-api-key` header (never in the URL). A secret: it is
   * redacted from every error and log line. Default: none (anonymous, the smallest rate limits).
   */
  apiKey?: string;
  /**
   * A JWT minted by your backend for this client, sent as the `x-jwt-key` header (never in the
   * URL). A secret, redacted like the API key. Default: none.
   */
  jwtKey?: string;
  /**
   * Base URL of the sign server: `http:` or `https:`, optionally with a path prefix, without
   * query, fragment or credentials. Default `https://api.eulerstream.com`.
   */
  baseUrl?: string | URL;
  /**
   * A short name for logs, errors, `SignedSession.signer` and a signer chain's `status()`.
   * Default `"euler"` for the default base URL, else `"euler@<host>"`.
   */
  name?: string;
  /**
   * Which form of the "fetch first result" route to call (docs/protocol.md §7.2):
   * `"fetch"` = `GET /webcast/fetch?room_id=…` (Python, Java and the OpenAPI spec),
   * `"connect"` = `GET /webcast/rooms/{roomId}/connect` (the TypeScript SDK). Default `"fetch"`.
   */
  route?: "fetch" | "connect";
  /**
   * Which form of the room id route {@link EulerSigner.resolveRoomId} calls (docs/protocol.md §7.3):
   * `"query"` = `GET /webcast/room_id?uniqueId=…` (the OpenAPI spec),
   * `"anchors"` = `GET /webcast/anchors/{uniqueId}/room_id` (the TypeScript SDK). Default `"query"`.
   */
  roomIdRoute?: "query" | "anchors";
  /** The `client` query parameter: who is calling, for the sign server's statistics. Default `"tiklive"`. */
  client?: string;
  /**
   * Time limit of one request to the sign server, in ms, headers and body included. It is
   * combined with the caller's `signal`. A whole number of ms from 1 to 2 147 483 647 (what a
   * timer accepts). Default 10 000.
   */
  timeoutMs?: number;
  /**
   * Send the TikTok session of a {@link SignRequest} (and of `sendChat`) to the sign server in
   * the `x-cookie-header` header. Default `false`: a session in the request is then not sent,
   * because whoever runs the sign server could act as the logged-in TikTok user with it. Set it
   * only for a sign server you trust. It is per signer, not a process-wide setting.
   */
  forwardSession?: boolean;
  /**
   * The undici dispatcher the requests go through: an `Agent` with your limits, a `ProxyAgent`,
   * a `MockAgent` in tests. Default: undici's global dispatcher at the time of creation.
   */
  dispatcher?: Dispatcher;
  /** Where to write what the signer does; lines are redacted. Default: none. */
  logger?: SignerLogger;
  /**
   * The clock, in ms since the epoch, for `receivedAt` and HTTP-date retry times. Default
   * `clock.now`, which is `Date.now` unless `clock` is given.
   */
  now?: () => number;
  /**
   * The clock the sign budget reads and waits on (tests: fake time). Default the system clock
   * (`Date.now`, `setTimeout`).
   */
  clock?: Clock;
  /**
   * The budget of sign requests `sign()` draws one from before each request (docs/protocol.md
   * §7.2): when it is empty, `sign()` waits (the caller's `signal` still aborts it) instead of
   * spending a request that is sure to be refused, and a 429 blocks it for the retry time (a
   * minute when the server gives none). Exposed as `signer.budget`, so every client using this
   * signer shares it and can say why a reconnect waits. `resolveRoomId` and `sendChat` do not
   * draw from it. Default, a budget of the signer's own:
   *
   * - Euler's server (`*.eulerstream.com`) without a key: the anonymous limits
   *   (`createSignBudget()`: 5 per minute, 30 per hour).
   * - With `apiKey` or `jwtKey`: the limits `GET /webcast/rate_limits` reports for the key,
   *   asked once before the first sign, again at most every 5 minutes, and after a 429 (not
   *   sooner than 10 s after the last answer). That request is not a sign request and draws
   *   nothing. When it fails the signer signs anyway, with the anonymous limits on Euler's
   *   server (or the limits it reported before), and says so on `logger.debug`.
   * - Another sign server without a key: no local limit, only what its 429s say.
   *
   * A budget passed in is used as it is (never filled from `rate_limits`), and may be shared by
   * several signers. `false`: no budget (`signer.budget` is undefined).
   */
  budget?: SignBudget | false;
  /**
   * Largest response body accepted, in bytes (a whole number up to 256 MiB); a larger one is
   * refused with `payload_too_large` and the rest is not read. The body of an error status is
   * read only for its message, up to 64 KiB. Default 4 MiB.
   */
  maxResponseBytes?: number;
}

/** A validated, fully defaulted {@link EulerSignerOptions}. Inner code reads only this. */
export interface EulerConfig {
  readonly name: string;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly route: "fetch" | "connect";
  readonly roomIdRoute: "query" | "anchors";
  readonly client: string;
  readonly timeoutMs: number;
  readonly forwardSession: boolean;
  readonly dispatcher: Dispatcher;
  readonly now: () => number;
  readonly clock: Clock;
  /** The `budget` option as given: a budget, `false`, or undefined (the default budget). */
  readonly budget: SignBudget | false | undefined;
  /** Whether the base URL is Euler's own server (its anonymous limits apply). */
  readonly eulerHost: boolean;
  /** Whether an API key or JWT is set (the server then knows the key's limits). */
  readonly keyed: boolean;
  readonly maxResponseBytes: number;
  /** Headers every request carries: auth, Accept is added per route. */
  readonly headers: Readonly<Record<string, string>>;
  /** The signer's secrets (API key, JWT) for redaction. */
  readonly secrets: readonly string[];
  /** The user's logger, for per-request redacting wrappers. */
  readonly logger: SignerLogger | undefined;
  /** The logger, redacting the signer's secrets. */
  readonly log: RedactedLog;
}

// Characters that may not appear in an HTTP header value (and so in a key we send).
const badHeaderCharacter = /[\x00-\x1f\x7f\s]/;

function invalid(message: string, secrets: readonly string[] = []): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message, { secrets });
}

function checkSecret(value: unknown, option: string, secrets: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  // The value itself never goes into the message: it is a secret.
  if (typeof value !== "string") throw invalid(`createEulerSigner: \`${option}\` must be a string`);
  if (value === "") throw invalid(`createEulerSigner: \`${option}\` is empty; omit it for anonymous access`);
  if (value.length < 4) throw invalid(`createEulerSigner: \`${option}\` is too short to be a key`);
  if (badHeaderCharacter.test(value)) {
    throw invalid(`createEulerSigner: \`${option}\` contains whitespace or control characters`, secrets);
  }
  return value;
}

function checkChoice<T extends string>(
  value: unknown,
  option: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw invalid(`createEulerSigner: \`${option}\` must be one of ${choices.map((c) => `"${c}"`).join(", ")}`);
}

function checkBaseUrl(value: unknown, secrets: readonly string[]): URL {
  if (value === undefined) return new URL(eulerBaseUrl);
  if (typeof value !== "string" && !(value instanceof URL))
    throw invalid("createEulerSigner: `baseUrl` must be a string or a URL");
  let url: URL;
  try {
    url = new URL(value.toString());
  } catch {
    throw invalid("createEulerSigner: `baseUrl` is not a valid absolute URL", secrets);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(`createEulerSigner: \`baseUrl\` must be an http: or https: URL, not ${url.protocol}`);
  }
  // A key in the URL would end up in logs and proxies: auth goes in headers only.
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw invalid(
      "createEulerSigner: `baseUrl` must not carry credentials, a query or a fragment (pass keys as `apiKey`/`jwtKey`)",
      [...secrets, url.username, url.password, url.search.slice(1)],
    );
  }
  return url;
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
const caller = "createEulerSigner";

/** Validates and defaults {@link EulerSignerOptions}: the only place defaults are applied. */
export function resolveEulerOptions(options: EulerSignerOptions = {}): EulerConfig {
  if (options === null || typeof options !== "object")
    throw invalid("createEulerSigner: options must be an object");
  const secrets: string[] = [];
  const apiKey = checkSecret(options.apiKey, "apiKey", secrets);
  if (apiKey !== undefined) secrets.push(apiKey);
  const jwtKey = checkSecret(options.jwtKey, "jwtKey", secrets);
  if (jwtKey !== undefined) secrets.push(jwtKey);

  const url = checkBaseUrl(options.baseUrl, secrets);
  const baseUrl = url.href.replace(/\/+$/, "");
  const defaultName = baseUrl === eulerBaseUrl ? "euler" : `euler@${url.host}`;
  if (options.name !== undefined && (typeof options.name !== "string" || options.name.trim() === "")) {
    throw invalid("createEulerSigner: `name` must be a non-empty string");
  }
  const name = options.name ?? defaultName;
  const client = options.client ?? "tiklive";
  if (typeof client !== "string" || client === "")
    throw invalid("createEulerSigner: `client` must be a non-empty string");
  if (options.forwardSession !== undefined && typeof options.forwardSession !== "boolean") {
    throw invalid("createEulerSigner: `forwardSession` must be a boolean");
  }
  const dispatcher = options.dispatcher ?? getGlobalDispatcher();
  if (typeof dispatcher !== "object" || dispatcher === null || typeof dispatcher.dispatch !== "function") {
    throw invalid("createEulerSigner: `dispatcher` must be an undici Dispatcher");
  }
  if (options.now !== undefined && typeof options.now !== "function")
    throw invalid("createEulerSigner: `now` must be a function");
  const clock = options.clock ?? systemClock;
  if (
    clock === null ||
    typeof clock !== "object" ||
    typeof clock.now !== "function" ||
    typeof clock.sleep !== "function"
  ) {
    throw invalid("createEulerSigner: `clock` must be an object with `now()` and `sleep(ms, signal)`");
  }
  const budget = options.budget;
  if (
    budget !== undefined &&
    budget !== false &&
    (budget === null ||
      typeof budget !== "object" ||
      typeof budget.waitTime !== "function" ||
      typeof budget.acquire !== "function" ||
      typeof budget.penalize !== "function" ||
      typeof budget.report !== "function")
  ) {
    throw invalid("createEulerSigner: `budget` must be a SignBudget (see createSignBudget) or false");
  }
  const logger = options.logger;
  if (logger !== undefined && (logger === null || typeof logger !== "object")) {
    throw invalid("createEulerSigner: `logger` must be an object with optional `debug`/`warn` methods");
  }

  const headers: Record<string, string> = { "user-agent": `tiklive/${signerVersion}` };
  if (apiKey !== undefined) headers["x-api-key"] = apiKey;
  if (jwtKey !== undefined) headers["x-jwt-key"] = jwtKey;

  const redact = createRedactor(secrets);
  const log = createRedactedLog(logger, redact);
  if (url.protocol === "http:" && !loopbackHosts.has(url.hostname) && secrets.length > 0) {
    log.warn(`signer "${name}": sending credentials to ${url.host} over plain http`);
  }

  return {
    name,
    baseUrl,
    route: checkChoice(options.route, "route", ["fetch", "connect"], "fetch"),
    roomIdRoute: checkChoice(options.roomIdRoute, "roomIdRoute", ["query", "anchors"], "query"),
    client,
    timeoutMs: delayOption("timeoutMs", options.timeoutMs, 10_000, { caller }),
    forwardSession: options.forwardSession ?? false,
    dispatcher,
    now: options.now ?? (options.clock === undefined ? Date.now : () => clock.now()),
    clock,
    budget,
    eulerHost: url.hostname === "eulerstream.com" || url.hostname.endsWith(".eulerstream.com"),
    keyed: secrets.length > 0,
    maxResponseBytes: integerOption("maxResponseBytes", options.maxResponseBytes, 4 * 1024 * 1024, {
      max: 256 * 1024 * 1024,
      caller,
    }),
    headers,
    secrets,
    logger,
    log,
  };
}

import { ErrorCode, TikLiveError } from "@tiklive/core";
import { createRedactor } from "@tiklive/core/internal";
import { type Dispatcher, getGlobalDispatcher } from "undici";
import { createRedactedLog, type RedactedLog, type SignerLogger } from "./logger.js";
import { signerVersion } from "./version.js";

/** The public Euler Stream sign server (PROTOCOL.md §7.1). */
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
   * Which form of the "fetch first result" route to call (PROTOCOL.md §7.2):
   * `"fetch"` = `GET /webcast/fetch?room_id=…` (Python, Java and the OpenAPI spec),
   * `"connect"` = `GET /webcast/rooms/{roomId}/connect` (the TypeScript SDK). Default `"fetch"`.
   */
  route?: "fetch" | "connect";
  /**
   * Which form of the room id route {@link EulerSigner.resolveRoomId} calls (PROTOCOL.md §7.3):
   * `"query"` = `GET /webcast/room_id?uniqueId=…` (the OpenAPI spec),
   * `"anchors"` = `GET /webcast/anchors/{uniqueId}/room_id` (the TypeScript SDK). Default `"query"`.
   */
  roomIdRoute?: "query" | "anchors";
  /** The `client` query parameter: who is calling, for the sign server's statistics. Default `"tiklive"`. */
  client?: string;
  /**
   * Time limit of one request to the sign server, in ms, headers and body included. It is
   * combined with the caller's `signal`. Default 10 000.
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
  /** The clock, in ms since the epoch, for `receivedAt` and HTTP-date retry times. Default `Date.now`. */
  now?: () => number;
  /** Largest response body accepted, in bytes; a larger one is refused (`payload_too_large`). Default 4 MiB. */
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

const maxTimerMs = 2_147_483_647;
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

function checkPositiveInteger(value: unknown, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > max) {
    throw invalid(`createEulerSigner: \`${option}\` must be a positive integer of at most ${max}`);
  }
  return value;
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
    timeoutMs: checkPositiveInteger(options.timeoutMs, "timeoutMs", 10_000, maxTimerMs),
    forwardSession: options.forwardSession ?? false,
    dispatcher,
    now: options.now ?? Date.now,
    maxResponseBytes: checkPositiveInteger(
      options.maxResponseBytes,
      "maxResponseBytes",
      4 * 1024 * 1024,
      256 * 1024 * 1024,
    ),
    headers,
    secrets,
    logger,
    log,
  };
}

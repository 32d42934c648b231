// Argument parsing for `tiklive` (shared/CLI.md), on node:util parseArgs. Every problem
// is a UsageError (exit 2); nothing here touches the network.
import { parseArgs } from "node:util";
import type { ClientEventName } from "@tiklive/client";
import { normalizeUniqueId, TikLiveError } from "@tiklive/core";
import { defaultLiveRoomIds, parseFaultSpec } from "@tiklive/simulator";
import { clientEventNames, isClientEventName } from "./event-names.js";

/** Which transports `--transport` allows: the WebSocket only, polling only, or the WebSocket falling back to polling. */
export type TransportChoice = "ws" | "poll" | "auto";

/** Settings of the in-process simulator `--simulator` starts. */
export interface SimulatorSettings {
  /** Messages per second (`--sim-rate`). Default: the simulator's (20). */
  rate: number | undefined;
  /** Messages in the stream, its end included (`--sim-length`). Default: the simulator's (600). */
  length: number | undefined;
  /** Fault specs (`--sim-fault`, repeatable), as the simulator's README describes them. Default none. */
  faults: string[];
}

/** Where and how to connect: the flags `watch` and `record` share. */
export interface ConnectionSettings {
  /** Base URL of the Euler sign server (`--sign-url`). Default: the signer's (`https://api.eulerstream.com`). */
  signUrl: string | undefined;
  /**
   * Sign server API key (`--api-key`, else `EULER_API_KEY`, else the deprecated `TIKLIVE_API_KEY`).
   * Sent as the `x-api-key` header only. Default none.
   */
  apiKey: string | undefined;
  /** Base of TikTok's web routes (`--web-url`). Default `https://www.tiktok.com` (and `https://webcast.tiktok.com`). */
  webUrl: string | undefined;
  /** `--transport`. Default `auto`. */
  transport: TransportChoice;
  /** One http://, https:// or socks5:// proxy URL for every request and the WebSocket (`--proxy`). Default none. */
  proxy: string | undefined;
  /** Start an in-process simulator and connect to it (`--simulator`). Default: connect to TikTok. */
  simulator: SimulatorSettings | undefined;
}

/** What `watch` and `record` have in common. */
export interface SessionArgs {
  /**
   * The streamer's uniqueId, normalised (`@Name`, `https://www.tiktok.com/@name/live` -> `name`).
   * With `--simulator` and no uniqueId: the simulator's first live streamer ({@link simulatorStreamer}).
   */
  uniqueId: string;
  connection: ConnectionSettings;
  /** Disconnect after this long (`--duration`, in seconds on the command line). Default: until the stream ends. */
  durationMs: number | undefined;
}

/** `tiklive watch`. */
export interface WatchArgs extends SessionArgs {
  /** NDJSON on stdout instead of readable lines (`--json`). */
  json: boolean;
  /** Only these events (`--events`). Default: every event but `rawData` and `decodedData`. */
  events: ClientEventName[] | undefined;
}

/** `tiklive record`. */
export interface RecordArgs extends SessionArgs {
  /** The recording file to write (`--out`). */
  out: string;
}

/** A parsed command line. */
export type CliCommand =
  | { command: "watch"; args: WatchArgs }
  | { command: "record"; args: RecordArgs }
  | { command: "help"; topic: HelpTopic }
  | { command: "version" };

/** Which help text to show. */
export type HelpTopic = "main" | "watch" | "record";

/** A command line that cannot run: printed with a usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The command whose usage line fits. */
  readonly topic: HelpTopic;

  constructor(message: string, topic: HelpTopic) {
    super(message);
    this.topic = topic;
  }
}

/** The environment variable of the sign server API key (the same name everywhere in tiklive). */
export const apiKeyEnv = "EULER_API_KEY";
/** Its former name in the CLI: still read when `EULER_API_KEY` is unset, with a deprecation notice. */
export const deprecatedApiKeyEnv = "TIKLIVE_API_KEY";

/** Whom `--simulator` watches when no uniqueId is given: the simulator's first live streamer. */
export const simulatorStreamer: string = defaultLiveRoomIds[0];

/** The one-line usage of each command. */
export const usageLines: Readonly<Record<HelpTopic, string>> = {
  main: "Usage: tiklive <watch|record> <uniqueId|url> [options]   (tiklive --help)",
  watch:
    "Usage: tiklive watch <uniqueId|url> [--json] [--events a,b] [--duration <s>] [connection options]   (tiklive watch --help)",
  record:
    "Usage: tiklive record <uniqueId|url> --out <file> [--duration <s>] [connection options]   (tiklive record --help)",
};

const connectionHelp = `Connection options:
  --sign-url <url>        base URL of the Euler sign server (default https://api.eulerstream.com)
  --api-key <key>         sign server API key, sent as the x-api-key header, never printed
                          (default: the EULER_API_KEY environment variable)
  --web-url <url>         base of TikTok's web routes (default https://www.tiktok.com)
  --transport <t>         ws (WebSocket only) | poll (HTTP polling only) | auto (WebSocket,
                          falling back to polling; the default)
  --proxy <url>           http://, https:// or socks5:// proxy for every request and the WebSocket
  --duration <s>          disconnect after this many seconds (default: until the stream ends)

Simulator (no network needed):
  --simulator             start @tiklive/simulator in-process on 127.0.0.1 and connect to it;
                          any valid uniqueId gets a live room (sim_offline is offline), and
                          without one it watches sim_streamer; with --api-key the simulator
                          requires that key
  --sim-rate <n>          its messages per second (default 20)
  --sim-length <n>        its stream length in messages, the end included (default 600)
  --sim-fault <spec>      a fault to inject, e.g. drop@after=50 (repeatable; see the simulator README)`;

const exitHelp = `Exit codes: 0 the stream ended, --duration ran out, or SIGINT/SIGTERM;
            1 an error (user offline or not found, bad API key, rate limit, ...);
            2 a usage error (bad flag, invalid uniqueId, unknown event name);
            3 watch ran to its end but events may be missing (the client reported gaps:
              frames that did not decode, a reconnect without a cursor, the room ending
              during a reconnect); a summary line on stderr counts them.`;

/** The help texts (`tiklive --help`, `tiklive watch --help`, `tiklive record --help`). */
export const helpTexts: Readonly<Record<HelpTopic, string>> = {
  main: `tiklive: TikTok LIVE events in your terminal.

Usage:
  tiklive watch <uniqueId|url> [options]            print a stream's events as they arrive
  tiklive record <uniqueId|url> --out <file> [...]  record a session for tiklive-sim --scenario
  tiklive help [watch|record]                       show help
  tiklive --version                                 show the version

Examples:
  tiklive watch --simulator
  tiklive watch @someone --api-key "$EULER_API_KEY" --json --events chat,giftCompleted
  tiklive record @someone --out session.ndjson --duration 60

${exitHelp}`,
  watch: `${usageLines.watch.split("   ")[0]}

Prints every event of a TikTok LIVE stream as it arrives: chat, each step of a gift streak
(gift) and the finished streak (giftCompleted), joins, likes, follows, shares, viewer counts,
the initial history, the control message and the stream end, and the connection's own events
(connected, reconnecting, gap, error, disconnected).

Options:
  --json                  one JSON object per line on stdout: {"event":"<name>", ...fields},
                          ids as strings; logs go to stderr
  --events <a,b,...>      only these events (repeatable), e.g. chat,gift,giftCompleted,streamEnd;
                          also rawData and decodedData, which are off by default
  -h, --help              show this text

${connectionHelp}

Colours only when stdout is a terminal and NO_COLOR is not set.
${exitHelp}`,
  record: `${usageLines.record.split("   ")[0]}

Writes the frames of a session as received (the sign server's fetch results, every WebSocket
frame or polling response) to a recording file, NDJSON in the @tiklive/simulator format.
Replay it with: tiklive-sim --scenario <file>

Options:
  -o, --out <file>        the recording file to write (required)
  -h, --help              show this text

${connectionHelp}

${exitHelp}`,
};

const connectionOptions = {
  "sign-url": { type: "string" },
  "api-key": { type: "string" },
  "web-url": { type: "string" },
  transport: { type: "string" },
  proxy: { type: "string" },
  duration: { type: "string" },
  simulator: { type: "boolean" },
  "sim-rate": { type: "string" },
  "sim-length": { type: "string" },
  "sim-fault": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

const watchOptions = {
  ...connectionOptions,
  json: { type: "boolean" },
  events: { type: "string", multiple: true },
} as const;

const recordOptions = {
  ...connectionOptions,
  out: { type: "string", short: "o" },
} as const;

// setTimeout's limit: 2^31 - 1 ms.
const maxDurationSeconds = 2_147_483;

/** Environment variables, as `process.env` gives them. */
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses a `tiklive` command line (without `node` and the script). Throws {@link UsageError}.
 * `notice` receives one-line notices for stderr (without "tiklive: " or a newline), such as
 * the deprecation of `TIKLIVE_API_KEY`; they never carry a secret.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Env = {},
  notice: (line: string) => void = () => {},
): CliCommand {
  const [first, ...rest] = argv;
  switch (first) {
    case undefined:
      throw new UsageError("no command given", "main");
    case "-h":
    case "--help":
      return { command: "help", topic: "main" };
    case "-v":
    case "--version":
      return { command: "version" };
    case "help": {
      const topic = rest[0] ?? "main";
      if (topic !== "main" && topic !== "watch" && topic !== "record")
        throw new UsageError(`no help for "${topic}" (commands: watch, record)`, "main");
      return { command: "help", topic };
    }
    case "watch":
      return parseWatch(rest, env, notice);
    case "record":
      return parseRecord(rest, env, notice);
    default:
      throw new UsageError(
        first.startsWith("-")
          ? `unknown option ${optionName(first)}`
          : `unknown command "${first}" (commands: watch, record)`,
        "main",
      );
  }
}

function parseWatch(argv: readonly string[], env: Env, notice: (line: string) => void): CliCommand {
  const { values, positionals } = parse(argv, watchOptions, "watch");
  if (values.help === true) return { command: "help", topic: "watch" };
  const session = sessionArgs(values, positionals, env, notice, "watch");
  return {
    command: "watch",
    args: { ...session, json: values.json === true, events: eventList(values.events) },
  };
}

function parseRecord(argv: readonly string[], env: Env, notice: (line: string) => void): CliCommand {
  const { values, positionals } = parse(argv, recordOptions, "record");
  if (values.help === true) return { command: "help", topic: "record" };
  const session = sessionArgs(values, positionals, env, notice, "record");
  if (values.out === undefined || values.out.trim() === "")
    throw new UsageError("record needs --out <file>", "record");
  return { command: "record", args: { ...session, out: values.out } };
}

type ParsedValues = {
  [K in keyof typeof connectionOptions]?: (typeof connectionOptions)[K] extends { multiple: true }
    ? string[]
    : (typeof connectionOptions)[K] extends { type: "boolean" }
      ? boolean
      : string;
};

function parse<const O extends typeof connectionOptions>(
  argv: readonly string[],
  options: O,
  topic: HelpTopic,
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), topic);
  }
}

// node:util parseArgs messages are long and mention the raw token; keep them short and,
// for an unknown option, never echo a value that might be a key.
function parseArgsMessage(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const match = /Unknown option '([^']+)'/.exec(message);
    return `unknown option ${optionName(match?.[1] ?? "")}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const match = /Option '(-\w, )?(--[\w-]+)/.exec(message);
    const name = match?.[2] ?? "an option";
    if (message.includes("argument missing")) return `${name} needs a value`;
    if (message.includes("ambiguous"))
      return `${name} needs a value (for one that starts with "-", write ${name}=<value>)`;
    return `${name} ${message.includes("does not take") ? "does not take a value" : "has an invalid value"}`;
  }
  return message.split(". ")[0] ?? message;
}

function optionName(token: string): string {
  const eq = token.indexOf("=");
  return eq === -1 ? token : token.slice(0, eq);
}

// The key itself never goes into a message, not even a wrong one: only where it came from.
// The checks are the signer's (createEulerSigner), said in the command line's words.
function apiKeyArg(values: ParsedValues, env: Env, notice: (line: string) => void, topic: HelpTopic) {
  let apiKey = values["api-key"];
  let source = "--api-key";
  if (apiKey === undefined && env[apiKeyEnv] !== undefined) {
    apiKey = env[apiKeyEnv];
    source = apiKeyEnv;
  } else if (apiKey === undefined && env[deprecatedApiKeyEnv] !== undefined) {
    apiKey = env[deprecatedApiKeyEnv];
    source = deprecatedApiKeyEnv;
    notice(`${deprecatedApiKeyEnv} is deprecated: set ${apiKeyEnv} instead (it is used the same way)`);
  }
  if (apiKey === undefined) return undefined;
  if (apiKey.trim() === "") throw new UsageError(`${source} is empty`, topic);
  if (apiKey.length < 4) throw new UsageError(`${source} is too short to be an API key`, topic);
  if (/[\x00-\x1f\x7f\s]/.test(apiKey))
    throw new UsageError(
      `${source} contains whitespace or control characters (an API key cannot have any)`,
      topic,
    );
  return apiKey;
}

function sessionArgs(
  values: ParsedValues,
  positionals: string[],
  env: Env,
  notice: (line: string) => void,
  topic: HelpTopic,
): SessionArgs {
  const simulator = values.simulator === true;
  if (positionals.length === 0 && !simulator)
    throw new UsageError(`${topic} needs a TikTok uniqueId or live URL`, topic);
  if (positionals.length > 1)
    throw new UsageError(`${topic} takes one uniqueId, got ${positionals.length} arguments`, topic);
  let uniqueId: string;
  try {
    // Without a uniqueId, --simulator watches its own first live streamer.
    uniqueId = normalizeUniqueId(positionals[0] ?? simulatorStreamer);
  } catch (error) {
    throw new UsageError(error instanceof TikLiveError ? error.message : String(error), topic);
  }

  if (simulator && values["sign-url"] !== undefined)
    throw new UsageError(
      "--simulator and --sign-url cannot go together (the simulator is the sign server)",
      topic,
    );
  if (simulator && values["web-url"] !== undefined)
    throw new UsageError(
      "--simulator and --web-url cannot go together (the simulator is the web server)",
      topic,
    );
  if (!simulator) {
    for (const flag of ["sim-rate", "sim-length", "sim-fault"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --simulator`, topic);
    }
  }

  const transport = values.transport ?? "auto";
  if (transport !== "ws" && transport !== "poll" && transport !== "auto")
    throw new UsageError(`--transport must be ws, poll or auto, got "${transport}"`, topic);

  const apiKey = apiKeyArg(values, env, notice, topic);

  const faults = values["sim-fault"] ?? [];
  for (const spec of faults) {
    try {
      parseFaultSpec(spec);
    } catch (error) {
      throw new UsageError(`--sim-fault: ${error instanceof Error ? error.message : String(error)}`, topic);
    }
  }

  return {
    uniqueId,
    durationMs:
      values.duration === undefined
        ? undefined
        : Math.round(
            numberFlag("--duration", values.duration, 0.001, maxDurationSeconds, false, topic) * 1000,
          ),
    connection: {
      signUrl:
        values["sign-url"] === undefined ? undefined : httpUrl("--sign-url", values["sign-url"], topic),
      apiKey,
      webUrl: values["web-url"] === undefined ? undefined : httpUrl("--web-url", values["web-url"], topic),
      transport,
      proxy: values.proxy === undefined ? undefined : proxyUrl(values.proxy, topic),
      simulator: simulator
        ? {
            rate:
              values["sim-rate"] === undefined
                ? undefined
                : numberFlag("--sim-rate", values["sim-rate"], 0.01, 100_000, false, topic),
            length:
              values["sim-length"] === undefined
                ? undefined
                : numberFlag("--sim-length", values["sim-length"], 1, 100_000_000, true, topic),
            faults,
          }
        : undefined,
    },
  };
}

function numberFlag(
  flag: string,
  text: string,
  min: number,
  max: number,
  integer: boolean,
  topic: HelpTopic,
): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(
      `${flag} needs ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got "${text}"`,
      topic,
    );
  }
  return n;
}

function httpUrl(flag: string, text: string, topic: HelpTopic): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag} is not a URL: "${text}"`, topic);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${flag} must be an http:// or https:// URL, got ${url.protocol}`, topic);
  if (url.username !== "" || url.password !== "" || url.search !== "")
    throw new UsageError(
      `${flag} must not carry credentials or a query (pass the API key with --api-key)`,
      topic,
    );
  return text;
}

// The proxy URL may carry credentials: messages never echo it.
function proxyUrl(text: string, topic: HelpTopic): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError("--proxy is not a URL", topic);
  }
  if (!["http:", "https:", "socks:", "socks5:", "socks5h:"].includes(url.protocol))
    throw new UsageError(`--proxy must be an http://, https:// or socks5:// URL, got ${url.protocol}`, topic);
  return text;
}

function eventList(values: string[] | undefined): ClientEventName[] | undefined {
  if (values === undefined) return undefined;
  const names: ClientEventName[] = [];
  for (const name of values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "")) {
    if (!isClientEventName(name)) {
      const near = clientEventNames.find((known) => known.toLowerCase() === name.toLowerCase());
      throw new UsageError(
        `unknown event "${name}" in --events${near === undefined ? " (see tiklive watch --help, or the @tiklive/client event names)" : ` (did you mean "${near}"?)`}`,
        "watch",
      );
    }
    if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) throw new UsageError("--events needs at least one event name", "watch");
  return names;
}

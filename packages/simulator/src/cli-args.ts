import { readFile } from "node:fs/promises";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { type BuiltInScenario, builtInScenarios, type SimulatorOptions } from "./options.js";
import { readRecording } from "./recording/recording.js";

/** The flags of `tiklive-sim` (shared/CLI.md). */
export interface CliArgs {
  port?: number;
  host?: string;
  /** A built-in scenario name or a recording file. */
  scenario?: string;
  seed?: number;
  rooms?: number;
  rate?: number;
  faults: string[];
  cert?: string;
  key?: string;
  apiKey?: string;
  ttl?: number;
  help: boolean;
}

/** The usage text. */
export const usage = `Usage: tiklive-sim [options]

A local TikTok LIVE (Webcast) service and Euler sign server.

Options:
  --port <n>          port to listen on; 0 = any free port (default 0)
  --host <addr>       address to bind (default 127.0.0.1)
  --scenario <x>      ${builtInScenarios.join(" | ")} | <recording.ndjson> (default default)
  --seed <n>          seed of scenarios, ids and cookies (default 1)
  --rooms <n>         number of live rooms (default 2; an offline room is always added)
  --rate <msgs/s>     messages per second per room (default 20)
  --fault <spec>      a fault, e.g. drop@after=20 (repeatable; see the README)
  --cert <pem>        certificate file: serve HTTPS and WSS (needs --key)
  --key <pem>         private key file (needs --cert)
  --api-key <k>       require this API key on the sign routes
  --ttl <seconds>     exit after this many seconds
  --help              show this text

The first line on stdout is a JSON object with port, signUrl, webUrl, pushUrl and rooms.
Logs go to stderr.`;

function bad(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message, { retryable: false });
}

function numberArg(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw bad(`${flag} needs ${integer ? "a whole number" : "a number"}, got ${JSON.stringify(text)}`);
  return n;
}

/** Parses `tiklive-sim` arguments (`--flag value` or `--flag=value`). Throws `invalid_input`. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { faults: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") {
      args.help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw bad(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2))
        throw bad(`${flag} needs a value`);
      value = next;
      i += 1;
    }
    switch (flag) {
      case "--port":
        args.port = numberArg(flag, value, true);
        break;
      case "--host":
        args.host = value;
        break;
      case "--scenario":
        args.scenario = value;
        break;
      case "--seed":
        args.seed = numberArg(flag, value, true);
        break;
      case "--rooms":
        args.rooms = numberArg(flag, value, true);
        break;
      case "--rate":
        args.rate = numberArg(flag, value, false);
        break;
      case "--fault":
        args.faults.push(value);
        break;
      case "--cert":
        args.cert = value;
        break;
      case "--key":
        args.key = value;
        break;
      case "--api-key":
        args.apiKey = value;
        break;
      case "--ttl":
        args.ttl = numberArg(flag, value, false);
        break;
      default:
        throw bad(`unknown option ${flag}`);
    }
  }
  if ((args.cert === undefined) !== (args.key === undefined)) throw bad("--cert and --key go together");
  return args;
}

async function readText(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw bad(`${flag}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Turns parsed flags into {@link SimulatorOptions}, reading the cert, key and recording files. */
export async function cliOptions(args: CliArgs): Promise<SimulatorOptions> {
  const options: SimulatorOptions = { faults: args.faults };
  if (args.port !== undefined) options.port = args.port;
  if (args.host !== undefined) options.host = args.host;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.rooms !== undefined) options.rooms = args.rooms;
  if (args.rate !== undefined) options.rate = args.rate;
  if (args.apiKey !== undefined) options.apiKey = args.apiKey;
  if (args.ttl !== undefined) options.ttl = args.ttl;
  if (args.cert !== undefined && args.key !== undefined)
    options.tls = { cert: await readText("--cert", args.cert), key: await readText("--key", args.key) };
  if (args.scenario !== undefined) {
    options.scenario = (builtInScenarios as readonly string[]).includes(args.scenario)
      ? (args.scenario as BuiltInScenario)
      : await readRecording(args.scenario);
  }
  return options;
}

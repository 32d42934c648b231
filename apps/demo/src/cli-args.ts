// Command-line arguments of the demo (`pnpm demo -- --user someone`), parsed with node:util.
import { parseArgs } from "node:util";
import type { DemoOptions } from "./server.js";

/** The demo's usage text. */
export const usage = `Usage: npm run demo -- [options]

Without --user the dashboard shows scripted streams of the local simulator (no TikTok account or
network needed); a new stream starts whenever one ends.

Options:
  --port <n>        port on 127.0.0.1 (default 4321, or any free port when 4321 is taken; 0 = any)
  --user <name>     watch this TikTok user (@name, name or live URL) instead of the simulator
  --api-key <key>   sign server API key for --user (or env EULER_API_KEY); never printed
  --sign-url <url>  sign server base URL (default the client's: Euler Stream)
  --web-url <url>   TikTok web base URL (default https://www.tiktok.com)
  --rate <n>        simulator: messages per second (default 30)
  --length <n>      simulator: messages per stream (default 4500)
  --seed <n>        simulator: seed of the first stream (default 1)
  -h, --help        show this help
`;

/** The environment variable of the sign server API key (the same name everywhere in tiklive). */
export const apiKeyEnv = "EULER_API_KEY";
/** Its former name in the demo: still read when `EULER_API_KEY` is unset, with a deprecation notice. */
export const deprecatedApiKeyEnv = "SIGN_API_KEY";

/** A bad command line; the message says why. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What the command line asks for. */
export type DemoArgs = { help: true } | { help: false; options: DemoOptions };

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function decimal(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${text}"`);
  return value;
}

// The API key of --user: the flag, else EULER_API_KEY, else the former SIGN_API_KEY (with a
// notice). Empty variables count as unset. The notice never carries the key.
function apiKeyFrom(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  notice: (line: string) => void,
): string | undefined {
  if (flag !== undefined) return flag;
  const current = env[apiKeyEnv];
  if (current !== undefined && current !== "") return current;
  const former = env[deprecatedApiKeyEnv];
  if (former === undefined || former === "") return undefined;
  notice(`${deprecatedApiKeyEnv} is deprecated: set ${apiKeyEnv} instead (it is used the same way)`);
  return former;
}

/**
 * Parses the demo's arguments. Lone `--` tokens are dropped: npm and pnpm forward
 * `npm run demo -- --port 5555` with one or two of them in front. `notice` receives one-line
 * notices for stderr (without a prefix or newline), such as the deprecation of `SIGN_API_KEY`.
 */
export function parseDemoArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  notice: (line: string) => void = () => {},
): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        user: { type: "string" },
        "api-key": { type: "string" },
        "sign-url": { type: "string" },
        "web-url": { type: "string" },
        rate: { type: "string" },
        length: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { help: true };

  const options: DemoOptions = {};
  const port = integer("port", values.port);
  if (port !== undefined) {
    if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    options.port = port;
  }
  const user = values.user;
  // The key only matters with --user: the simulator needs none.
  const apiKey = user === undefined ? values["api-key"] : apiKeyFrom(values["api-key"], env, notice);
  if (user !== undefined) {
    if (user.trim() === "") throw new UsageError("--user needs a TikTok user name");
    options.user = user;
    if (apiKey !== undefined) options.signApiKey = apiKey;
    if (values["sign-url"] !== undefined) options.signServerUrl = values["sign-url"];
    if (values["web-url"] !== undefined) options.webUrl = values["web-url"];
  } else {
    for (const name of ["api-key", "sign-url", "web-url"] as const) {
      if (values[name] !== undefined)
        throw new UsageError(`--${name} needs --user (without it the demo uses the simulator)`);
    }
  }
  const rate = decimal("rate", values.rate);
  const length = integer("length", values.length);
  const seed = integer("seed", values.seed);
  if (rate !== undefined || length !== undefined || seed !== undefined) {
    if (user !== undefined)
      throw new UsageError("--rate, --length and --seed set the simulator; they do not go with --user");
    options.simulator = {
      ...(rate === undefined ? {} : { rate }),
      ...(length === undefined ? {} : { length }),
      ...(seed === undefined ? {} : { seed }),
    };
  }
  return { help: false, options };
}

// The `tiklive-sim` command (shared/CLI.md): prints one JSON line with the URLs
// once listening, logs to stderr, exits on SIGINT, SIGTERM or when --ttl runs out.
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { cliOptions, parseCliArgs, usage } from "./cli-args.js";
import { startSimulator } from "./simulator.js";

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `tiklive-sim: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`,
    );
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  let simulator;
  try {
    const options = await cliOptions(args);
    simulator = await startSimulator({ ...options, logger: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    const message =
      error instanceof TikLiveError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`tiklive-sim: ${message}\n`);
    return error instanceof TikLiveError && error.code === ErrorCode.InvalidInput ? 2 : 1;
  }
  process.stdout.write(`${JSON.stringify(simulator.info)}\n`);
  const stop = (signal: string) => {
    process.stderr.write(`[tiklive-sim] ${signal}: closing\n`);
    void simulator.close();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  await simulator.closed;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed; should a stray handle remain, do not hang.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`tiklive-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

// `tiklive <command>`: parses the command line and runs the command with the given I/O.
import { type CliCommand, helpTexts, parseCliArgs, UsageError, usageLines } from "./args.js";
import { type CliIo, ExitCode } from "./cli-io.js";
import { runRecord } from "./commands/record.js";
import { runWatch } from "./commands/watch.js";
import { cliVersion } from "./version.js";

/**
 * Runs `tiklive` with arguments (without `node` and the script) and resolves with the exit
 * code: 0 done, 1 an error, 2 a usage error (its message and a usage line on stderr).
 * Everything goes through `io`, so tests and tools run commands in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: CliCommand;
  try {
    parsed = parseCliArgs(argv, io.env, (line) => io.stderr(`tiklive: ${line}\n`));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tiklive: ${error.message}\n${usageLines[error.topic]}\n`);
    return ExitCode.Usage;
  }
  switch (parsed.command) {
    case "help":
      io.stdout(`${helpTexts[parsed.topic]}\n`);
      return ExitCode.Ok;
    case "version":
      io.stdout(`${cliVersion}\n`);
      return ExitCode.Ok;
    case "watch":
      return runWatch(parsed.args, io);
    case "record":
      return runRecord(parsed.args, io);
  }
}

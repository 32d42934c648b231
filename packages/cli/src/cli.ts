// The `tiklive` bin (shared/CLI.md). SIGINT and SIGTERM disconnect cleanly and exit 0; a
// second signal exits at once (130). A closed stdout (`tiklive watch ... | head`) stops too.
import type { CliIo } from "./cli-io.js";
import { runCli } from "./run-cli.js";

const stop = new AbortController();
let stdoutClosed = false;

function onSignal(signal: NodeJS.Signals): void {
  if (stop.signal.aborted) process.exit(130);
  process.stderr.write(`tiklive: ${signal}: disconnecting\n`);
  stop.abort();
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  stdoutClosed = true;
  if (error.code !== "EPIPE") process.stderr.write(`tiklive: cannot write to stdout: ${error.message}\n`);
  stop.abort();
});

const io: CliIo = {
  stdout: (text) => {
    if (!stdoutClosed) process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  env: process.env,
  signal: stop.signal,
};

// Resolves once everything written so far has been handed to the OS.
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write("", () => resolve());
  });
}

async function main(): Promise<number> {
  try {
    return await runCli(process.argv.slice(2), io);
  } catch (error) {
    // A bug, not a TikTok failure: still one line, no stack trace.
    process.stderr.write(
      `tiklive: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

const code = await main();
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// Sockets kept alive by HTTP agents must not hold the exit back.
process.exit(code);

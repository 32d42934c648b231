// `npm run demo`: the live dashboard, on the simulator by default or on TikTok with --user.
// The URL goes to stdout (one line); everything else to stderr.
import { TikLiveError } from "@tiklive/client";
import { parseDemoArgs, UsageError, usage } from "./cli-args.js";
import { startDemo } from "./server.js";

async function main(): Promise<number> {
  let args;
  try {
    args = parseDemoArgs(process.argv.slice(2), process.env, (line) =>
      process.stderr.write(`tiklive demo: ${line}\n`),
    );
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`tiklive demo: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(usage);
    return 0;
  }

  let demo;
  try {
    demo = await startDemo(args.options);
  } catch (error) {
    // Messages of TikLiveError never carry the API key.
    process.stderr.write(`tiklive demo: ${error instanceof TikLiveError ? error.message : String(error)}\n`);
    return error instanceof TikLiveError && error.code === "invalid_input" ? 2 : 1;
  }
  const source =
    demo.mode === "simulator"
      ? "the built-in simulator (no TikTok account needed)"
      : `@${args.options.user ?? "?"} on TikTok`;
  process.stdout.write(`tiklive demo: open ${demo.url}\n`);
  process.stderr.write(`tiklive demo: showing ${source}; Ctrl+C stops it\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130); // a second Ctrl+C does not wait
      stopping = true;
      process.stderr.write(`tiklive demo: ${signal}, stopping\n`);
      demo.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tiklive demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

// The bin as users run it: a child process, from source (tsx) and, once built, from dist.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { stackTraceLine } from "./test-helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cliSource = fileURLToPath(new URL("./cli.ts", import.meta.url));
const cliBuilt = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function run(
  command: string,
  args: string[],
  onLine?: (line: string, child: ChildProcess) => void,
): Promise<Exit> {
  // tsconfig.test.json maps @tiklive/* to the sources, so no build is needed.
  const child = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", TSX_TSCONFIG_PATH: `${root}tsconfig.test.json` },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  let seen = 0;
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split("\n").slice(0, -1);
    for (; seen < lines.length; seen++) onLine?.(lines[seen] as string, child);
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(timeout);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

function parseNdjson(stdout: string): { event: string; msgId?: string }[] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => JSON.parse(line) as { event: string; msgId?: string });
}

describe("the tiklive bin", () => {
  it("watch --simulator --json prints NDJSON and exits 0 when the stream ends", async () => {
    const exit = await run(tsx, [
      cliSource,
      "watch",
      "sim_streamer",
      "--simulator",
      "--json",
      "--sim-rate",
      "200",
      "--sim-length",
      "120",
      "--duration",
      "10",
    ]);
    expect(exit.code).toBe(0);
    const events = parseNdjson(exit.stdout);
    expect(events[0]?.event).toBe("connected");
    expect(events.some((e) => e.event === "giftCompleted")).toBe(true);
    expect(events.some((e) => e.event === "streamEnd")).toBe(true);
    expect(events.at(-1)).toEqual({ event: "disconnected", reason: "streamEnd" });
    expect(exit.stderr).not.toMatch(stackTraceLine);
  });

  it("a run that lost events exits 3 with the summary as the last line on stderr", async () => {
    const exit = await run(tsx, [
      cliSource,
      "watch",
      "sim_streamer",
      "--simulator",
      "--json",
      "--sim-rate",
      "200",
      "--sim-length",
      "120",
      "--sim-fault",
      "corrupt-gzip@after=20,destroy",
      "--duration",
      "10",
    ]);
    expect(exit.code).toBe(3);
    expect(parseNdjson(exit.stdout).at(-1)).toEqual({ event: "disconnected", reason: "streamEnd" });
    expect(exit.stderr).toBe("tiklive: 1 gap: events may be missing (1 bad frame)\n");
  });

  it("SIGINT disconnects cleanly and exits 0", async () => {
    const exit = await run(
      tsx,
      [cliSource, "watch", "sim_streamer", "--simulator", "--json", "--sim-rate", "5"],
      (line, child) => {
        if (line.includes('"event":"connected"')) child.kill("SIGINT");
      },
    );
    expect(exit.code).toBe(0);
    expect(parseNdjson(exit.stdout).at(-1)).toEqual({ event: "disconnected", reason: "client" });
    expect(exit.stderr).toBe("tiklive: SIGINT: disconnecting\n");
  });

  it("a usage error exits 2 with a usage line", async () => {
    const exit = await run(tsx, [cliSource, "watch", "sim_streamer", "--events", "chat,nope"]);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe("");
    expect(exit.stderr).toMatch(/^tiklive: unknown event "nope" in --events.*\nUsage: tiklive watch /);
  });

  it.skipIf(!existsSync(cliBuilt))("the built bin runs too (after pnpm build)", async () => {
    const exit = await run(process.execPath, [
      cliBuilt,
      "watch",
      "sim_streamer",
      "--simulator",
      "--json",
      "--duration",
      "1",
    ]);
    expect(exit.code).toBe(0);
    const events = parseNdjson(exit.stdout);
    expect(events[0]?.event).toBe("connected");
    expect(events.at(-1)).toEqual({ event: "disconnected", reason: "client" });
  });
});

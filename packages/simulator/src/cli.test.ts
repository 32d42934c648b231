import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TikLiveError } from "@tiklive/core";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs } from "./cli-args.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cliSource = fileURLToPath(new URL("./cli.ts", import.meta.url));
const cliBuilt = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Run {
  child: ChildProcess;
  /** Resolves with the first stdout line. */
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function run(command: string, args: string[]): Run {
  const child = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TSX_TSCONFIG_PATH: `${root}tsconfig.test.json` },
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  let resolveLine!: (line: string) => void;
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve));
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const nl = stdout.indexOf("\n");
    if (nl !== -1) resolveLine(stdout.slice(0, nl));
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    child.once("exit", (code, signal) => {
      resolveLine("");
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, firstLine, exit };
}

const fromSource = (...args: string[]) => run(tsx, [cliSource, ...args]);

function expectInfoLine(line: string): {
  port: number;
  signUrl: string;
  rooms: { uniqueId: string; roomId: string; live: boolean }[];
} {
  const info = JSON.parse(line) as {
    port: number;
    signUrl: string;
    webUrl: string;
    pushUrl: string;
    rooms: { uniqueId: string; roomId: string; live: boolean }[];
  };
  expect(Object.keys(info)).toEqual(["port", "signUrl", "webUrl", "pushUrl", "rooms"]);
  expect(info.port).toBeGreaterThan(0);
  expect(info.signUrl).toBe(`http://127.0.0.1:${info.port}`);
  expect(info.webUrl).toBe(`http://127.0.0.1:${info.port}`);
  expect(info.pushUrl).toBe(`ws://127.0.0.1:${info.port}/webcast/im/ws_proxy/ws_reuse_supplement/`);
  for (const room of info.rooms) {
    expect(typeof room.roomId).toBe("string");
    expect(room.roomId).toMatch(/^\d{19}$/);
  }
  return info;
}

describe("parseCliArgs", () => {
  it("reads every flag of the contract, in both --flag value and --flag=value forms", () => {
    expect(
      parseCliArgs([
        "--port",
        "0",
        "--host=127.0.0.1",
        "--scenario",
        "load",
        "--seed",
        "7",
        "--rooms",
        "3",
        "--rate",
        "12.5",
        "--fault",
        "drop@after=3",
        "--fault=no-gzip",
        "--cert",
        "c.pem",
        "--key",
        "k.pem",
        "--api-key",
        "k",
        "--ttl",
        "5",
      ]),
    ).toEqual({
      port: 0,
      host: "127.0.0.1",
      scenario: "load",
      seed: 7,
      rooms: 3,
      rate: 12.5,
      faults: ["drop@after=3", "no-gzip"],
      cert: "c.pem",
      key: "k.pem",
      apiKey: "k",
      ttl: 5,
      help: false,
    });
  });

  it.each([
    [["--port"]],
    [["--port", "abc"]],
    [["--seed", "1.5"]],
    [["--bogus", "1"]],
    [["stray"]],
    [["--cert", "c.pem"]],
  ])("rejects %j with invalid_input", (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(TikLiveError);
  });
});

describe("tiklive-sim", () => {
  it("prints the JSON line first, logs to stderr only, and exits by itself when --ttl runs out", async () => {
    const started = Date.now();
    const r = fromSource("--port", "0", "--ttl", "1");
    const info = expectInfoLine(await r.firstLine);
    expect(info.rooms.map((x) => [x.uniqueId, x.live])).toEqual([
      ["sim_streamer", true],
      ["sim_gamer", true],
      ["sim_offline", false],
    ]);
    const res = await fetch(`${info.signUrl}/webcast/rooms/${info.rooms[0]?.roomId}/connect`);
    expect(res.status).toBe(200);
    const exit = await r.exit;
    expect(exit.code).toBe(0);
    expect(exit.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(exit.stderr).toContain("[tiklive-sim] listening on");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("stops cleanly on SIGTERM and passes --fault, --api-key, --rooms and --seed through", async () => {
    const r = fromSource(
      "--rooms",
      "3",
      "--seed",
      "11",
      "--api-key",
      "cli-secret-key",
      "--fault",
      "sign-429@retry-after=2",
    );
    const info = expectInfoLine(await r.firstLine);
    expect(info.rooms).toHaveLength(4);
    const roomId = info.rooms[0]?.roomId ?? "";
    expect((await fetch(`${info.signUrl}/webcast/rooms/${roomId}/connect`)).status).toBe(401);
    const limited = await fetch(`${info.signUrl}/webcast/rooms/${roomId}/connect`, {
      headers: { "x-api-key": "cli-secret-key" },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    r.child.kill("SIGTERM");
    const exit = await r.exit;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toContain("cli-secret-key");
  });

  it("exits 2 with a plain message for a bad flag or fault, printing nothing on stdout", async () => {
    for (const args of [
      ["--port", "nope"],
      ["--fault", "explode"],
      ["--scenario", "/nonexistent/recording.ndjson"],
    ]) {
      const exit = await fromSource(...args).exit;
      expect(exit.code, args.join(" ")).toBe(2);
      expect(exit.stdout).toBe("");
      expect(exit.stderr).toMatch(/^tiklive-sim: /);
    }
  });

  it.skipIf(!existsSync(cliBuilt))(
    "runs from the build (dist/cli.js, with its shebang) and exits after --ttl",
    async () => {
      const r = run(cliBuilt, ["--ttl", "1"]);
      expectInfoLine(await r.firstLine);
      expect((await r.exit).code).toBe(0);
    },
  );
});

if (!existsSync(cliBuilt))
  console.warn(`[cli.test] ${cliBuilt} is missing: build @tiklive/simulator to test the built CLI`);

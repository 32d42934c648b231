import { createServer } from "node:net";
import { type Simulator, type SimulatorOptions, startSimulator } from "@tiklive/simulator";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { memoryIo, stackTraceLine } from "./test-helpers.js";

const rightKey = "sk-live-right-0123456789abcdef";
const wrongKey = "sk-live-wrong-fedcba9876543210";
// Everything any run printed, searched for the keys at the end.
const printed: string[] = [];
const sims: Simulator[] = [];

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  for (const text of printed) {
    expect(text).not.toContain(rightKey);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(encodeURIComponent(rightKey));
  }
});

async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ rate: 200, length: 40, ...options });
  sims.push(s);
  return s;
}

async function watch(argv: string[], env: Record<string, string> = {}) {
  const out = memoryIo({ env });
  const code = await runCli(["watch", ...argv], out.io);
  printed.push(out.stdout(), out.stderr());
  const stderrLines = out
    .stderr()
    .split("\n")
    .filter((l) => l !== "");
  return { code, stdout: out.stdout(), stderr: out.stderr(), stderrLines };
}

const at = (s: Simulator) => ["--sign-url", s.signUrl, "--web-url", s.webUrl];

// Names of functions and methods inside the libraries: none belongs in what a person reads.
const internalName = /createEulerSigner|resolveRoomId|sendChat|signer "|\bsign: |\w+\(\)/;

// A local port nothing listens on.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("tiklive watch: exit codes and messages", () => {
  it("an offline user: exit 1, one line naming user_offline, nothing on stdout", async () => {
    const s = await sim();
    const run = await watch(["sim_offline", "--json", ...at(s), "--api-key", rightKey]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/^tiklive: user_offline: @sim_offline is not live/);
    expect(run.stderr).not.toMatch(stackTraceLine);
  });

  it("a user that does not exist: exit 1, user_not_found", async () => {
    const s = await sim();
    const run = await watch(["nobody_here_at_all", ...at(s)]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/^tiklive: user_not_found: .*@nobody_here_at_all/);
    expect(run.stderr).not.toMatch(stackTraceLine);
  });

  it("a bad API key: exit 1, sign_unauthorized and what to check; the key is never printed", async () => {
    const s = await sim({ apiKey: rightKey });
    const run = await watch(["sim_streamer", "--json", ...at(s), "--api-key", wrongKey]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(2);
    expect(run.stderrLines[0]).toMatch(/^tiklive: sign_unauthorized: /);
    expect(run.stderrLines[1]).toContain("--api-key");
    expect(run.stderrLines[1]).toContain("EULER_API_KEY");
    expect(run.stderr).not.toMatch(stackTraceLine);
  });

  it("a refused key is said in plain words: what was being done and where, no function names", async () => {
    const s = await sim({ apiKey: rightKey });
    const host = new URL(s.signUrl).host;
    const signing = await watch(["sim_streamer", ...at(s), "--api-key", wrongKey]);
    expect(signing.code).toBe(1);
    expect(signing.stderrLines[0]).toBe(
      `tiklive: sign_unauthorized: signing the connection (sign server ${host}): the sign server rejected the API key or JWT (HTTP 403): Invalid API key.`,
    );
    expect(signing.stderr).not.toMatch(internalName);
    // TikTok's pages unreachable: the room id comes from the sign server, which refuses the key.
    const lookup = await watch([
      "someone",
      "--sign-url",
      s.signUrl,
      "--web-url",
      `http://127.0.0.1:${await closedPort()}`,
      "--api-key",
      wrongKey,
    ]);
    expect(lookup.code).toBe(1);
    expect(lookup.stderrLines).toHaveLength(2);
    expect(lookup.stderrLines[0]).toMatch(
      new RegExp(
        `^tiklive: sign_unauthorized: could not find the room of @someone: looking up the room id \\(sign server ${host}\\): `,
      ),
    );
    expect(lookup.stderr).not.toMatch(internalName);
  });

  it("a key too short to be one (--api-key k): a usage error in plain words, the simulator's too", async () => {
    for (const argv of [
      ["x", "--api-key", "k"],
      ["x", "--simulator", "--api-key", "k"],
    ]) {
      const run = await watch(argv);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderrLines).toEqual([
        "tiklive: --api-key is too short to be an API key",
        expect.stringMatching(/^Usage: tiklive watch /),
      ]);
      expect(run.stderr).not.toMatch(internalName);
    }
    const fromEnv = await watch(["x"], { EULER_API_KEY: "k" });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderrLines[0]).toBe("tiklive: EULER_API_KEY is too short to be an API key");
  });

  it("--simulator without a uniqueId watches the simulator's first live streamer", async () => {
    const run = await watch([
      "--simulator",
      "--json",
      "--sim-rate",
      "200",
      "--sim-length",
      "20",
      "--events",
      "connected,streamEnd",
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const events = run.stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { event: string; uniqueId?: string });
    expect(events[0]).toMatchObject({ event: "connected", uniqueId: "sim_streamer" });
    expect(events.at(-1)).toMatchObject({ event: "streamEnd" });
  });

  it("the right API key (from EULER_API_KEY too) goes to the sign server as the x-api-key header only", async () => {
    const s = await sim({ apiKey: rightKey });
    expect((await watch(["sim_streamer", "--json", ...at(s), "--api-key", rightKey])).code).toBe(0);
    const fromEnv = await watch(["sim_gamer", "--json", ...at(s)], { EULER_API_KEY: rightKey });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr).toBe("");
    const signs = s.signRequests();
    expect(signs.length).toBeGreaterThanOrEqual(2);
    for (const request of signs) {
      expect(request.status).toBe(200);
      expect(Object.keys(request.headers)).toContain("x-api-key");
      expect(JSON.stringify(request.query)).not.toContain(rightKey);
      expect(request.path).not.toContain(rightKey);
    }
    for (const request of s.webRequests()) expect(JSON.stringify(request)).not.toContain(rightKey);
  });

  it("the former TIKLIVE_API_KEY still works alone, with a one-line deprecation notice (never the key)", async () => {
    const s = await sim({ apiKey: rightKey });
    const run = await watch(["sim_streamer", "--json", ...at(s)], { TIKLIVE_API_KEY: rightKey });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"streamEnd"');
    expect(run.stderrLines).toEqual([
      "tiklive: TIKLIVE_API_KEY is deprecated: set EULER_API_KEY instead (it is used the same way)",
    ]);
    expect(s.signRequests().every((r) => r.status === 200)).toBe(true);
  });

  it("--simulator with --api-key makes the simulator require that key", async () => {
    const run = await watch([
      "sim_streamer",
      "--simulator",
      "--json",
      "--sim-rate",
      "200",
      "--sim-length",
      "20",
      "--api-key",
      rightKey,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"streamEnd"');
  });

  it("a rate limit: exit 1, sign_rate_limited with the retry time", async () => {
    const s = await sim({ faults: ["sign-429@retry-after=3"] });
    const run = await watch(["sim_streamer", "--json", ...at(s), "--api-key", rightKey]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(2);
    expect(run.stderrLines[0]).toMatch(/^tiklive: sign_rate_limited: /);
    expect(run.stderrLines[1]).toMatch(/try again in 3 s \(after \d\d:\d\d:\d\d\)/);
    expect(run.stderr).not.toMatch(stackTraceLine);
  });

  it("a rejected handshake with --transport ws: exit 1, handshake_rejected (no fallback)", async () => {
    const s = await sim({ faults: ["handshake-reject"] });
    const run = await watch(["sim_streamer", "--json", "--transport", "ws", ...at(s)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toHaveLength(2);
    expect(run.stderrLines[0]).toBe(
      "tiklive: handshake_rejected: the push server rejected the handshake: 417 illegal secret key",
    );
    expect(s.connections().map((c) => c.kind)).toEqual(["ws"]);
  });

  it("a rejected handshake with --transport auto falls back to polling", async () => {
    const s = await sim({ faults: ["handshake-reject"] });
    const run = await watch(["sim_streamer", "--json", "--events", "connected,streamEnd", ...at(s)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"transport":"polling"');
    expect(run.stderr).toBe("");
  });

  it("an invalid uniqueId is a usage error: exit 2 with the reason and a usage line, no connection made", async () => {
    const s = await sim();
    const run = await watch(["not a user!", ...at(s), "--api-key", rightKey]);
    expect(run.code).toBe(2);
    expect(run.stderrLines).toHaveLength(2);
    expect(run.stderrLines[0]).toContain("is not a valid TikTok uniqueId");
    expect(run.stderrLines[1]).toMatch(/^Usage: tiklive watch /);
    expect(s.signRequests()).toHaveLength(0);
  });

  it("an unknown --events name is a usage error: exit 2", async () => {
    const run = await watch(["sim_streamer", "--simulator", "--events", "chat,gifts", "--api-key", rightKey]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe(
      'tiklive: unknown event "gifts" in --events (see tiklive watch --help, or the @tiklive/client event names)',
    );
    expect(run.stderrLines[1]).toMatch(/^Usage: tiklive watch /);
  });

  it("an unknown option is a usage error, and the key given with it is not echoed", async () => {
    const run = await watch(["sim_streamer", `--api-key=${rightKey}`, `--apikey=${rightKey}`]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe("tiklive: unknown option --apikey");
  });

  it("--help and --version print to stdout and exit 0; no command is a usage error", async () => {
    const help = memoryIo();
    expect(await runCli(["--help"], help.io)).toBe(0);
    expect(help.stdout()).toContain("tiklive watch <uniqueId|url>");
    const watchHelp = memoryIo();
    expect(await runCli(["watch", "--help"], watchHelp.io)).toBe(0);
    for (const flag of [
      "--json",
      "--sign-url",
      "--api-key",
      "--web-url",
      "--transport",
      "--events",
      "--duration",
      "--proxy",
      "--simulator",
      "--sim-rate",
      "--sim-length",
      "--sim-fault",
    ]) {
      expect(watchHelp.stdout(), flag).toContain(flag);
    }
    const version = memoryIo();
    expect(await runCli(["--version"], version.io)).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const none = memoryIo();
    expect(await runCli([], none.io)).toBe(2);
    expect(none.stdout()).toBe("");
    expect(none.stderr()).toContain("Usage: tiklive");
  });
});

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
    expect(run.stderr).not.toMatch(stackTraceLine);
  });

  it("the right API key (from TIKLIVE_API_KEY too) goes to the sign server as the x-api-key header only", async () => {
    const s = await sim({ apiKey: rightKey });
    expect((await watch(["sim_streamer", "--json", ...at(s), "--api-key", rightKey])).code).toBe(0);
    expect((await watch(["sim_gamer", "--json", ...at(s)], { TIKLIVE_API_KEY: rightKey })).code).toBe(0);
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

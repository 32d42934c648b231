import { describe, expect, it } from "vitest";
import { type CliCommand, parseCliArgs, UsageError } from "./args.js";
import { clientEventNames, defaultWatchEvents } from "./event-names.js";

function watch(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseCliArgs(["watch", ...argv], env);
  if (parsed.command !== "watch") throw new Error(`parsed as ${parsed.command}`);
  return parsed.args;
}

function usageError(argv: string[], env: Record<string, string> = {}): UsageError {
  try {
    parseCliArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`parsed: ${argv.join(" ")}`);
}

describe("parseCliArgs", () => {
  it("parses watch with defaults: auto transport, every event but rawData/decodedData, no duration", () => {
    expect(watch(["@Sim_Streamer"])).toEqual({
      uniqueId: "sim_streamer",
      json: false,
      events: undefined,
      durationMs: undefined,
      connection: {
        signUrl: undefined,
        apiKey: undefined,
        webUrl: undefined,
        transport: "auto",
        proxy: undefined,
        simulator: undefined,
      },
    });
    expect(defaultWatchEvents).not.toContain("rawData");
    expect(defaultWatchEvents).toContain("giftCompleted");
    expect(defaultWatchEvents).toContain("disconnected");
    expect(clientEventNames.length).toBe(defaultWatchEvents.length + 2);
  });

  it("takes a live URL as the user", () => {
    expect(watch(["https://www.tiktok.com/@someone/live?lang=en"]).uniqueId).toBe("someone");
  });

  it("parses every flag, in either --flag value or --flag=value form", () => {
    const args = watch([
      "someone",
      "--json",
      "--sign-url",
      "http://127.0.0.1:9/",
      "--api-key=k-123456",
      "--web-url=http://127.0.0.1:9",
      "--transport",
      "poll",
      "--events",
      "chat, gift",
      "--events=streamEnd,chat",
      "--duration",
      "2.5",
      "--proxy",
      "socks5://user:pw@127.0.0.1:1080",
    ]);
    expect(args).toEqual({
      uniqueId: "someone",
      json: true,
      events: ["chat", "gift", "streamEnd"],
      durationMs: 2500,
      connection: {
        signUrl: "http://127.0.0.1:9/",
        apiKey: "k-123456",
        webUrl: "http://127.0.0.1:9",
        transport: "poll",
        proxy: "socks5://user:pw@127.0.0.1:1080",
        simulator: undefined,
      },
    });
  });

  it("parses the simulator flags", () => {
    expect(
      watch([
        "x",
        "--simulator",
        "--sim-rate",
        "200",
        "--sim-length=50",
        "--sim-fault",
        "drop@after=5",
        "--sim-fault",
        "sign-429@retry-after=3,once",
      ]).connection.simulator,
    ).toEqual({
      rate: 200,
      length: 50,
      faults: ["drop@after=5", "sign-429@retry-after=3,once"],
    });
  });

  it("takes the API key from TIKLIVE_API_KEY, the flag first", () => {
    expect(watch(["x"], { TIKLIVE_API_KEY: "from-env" }).connection.apiKey).toBe("from-env");
    expect(watch(["x", "--api-key", "from-flag"], { TIKLIVE_API_KEY: "from-env" }).connection.apiKey).toBe(
      "from-flag",
    );
  });

  it("parses record with --out or -o", () => {
    const parsed: CliCommand = parseCliArgs([
      "record",
      "someone",
      "-o",
      "s.ndjson",
      "--duration",
      "60",
      "--transport",
      "ws",
    ]);
    expect(parsed).toMatchObject({
      command: "record",
      args: { uniqueId: "someone", out: "s.ndjson", durationMs: 60_000, connection: { transport: "ws" } },
    });
  });

  it("help and version", () => {
    expect(parseCliArgs(["--help"])).toEqual({ command: "help", topic: "main" });
    expect(parseCliArgs(["-h"])).toEqual({ command: "help", topic: "main" });
    expect(parseCliArgs(["watch", "--help"])).toEqual({ command: "help", topic: "watch" });
    expect(parseCliArgs(["record", "-h"])).toEqual({ command: "help", topic: "record" });
    expect(parseCliArgs(["help", "record"])).toEqual({ command: "help", topic: "record" });
    expect(parseCliArgs(["--version"])).toEqual({ command: "version" });
  });

  it.each([
    [[], "no command given", "main"],
    [["stream", "x"], 'unknown command "stream"', "main"],
    [["--nope"], "unknown option --nope", "main"],
    [["watch"], "watch needs a TikTok uniqueId", "watch"],
    [["watch", "a", "b"], "takes one uniqueId", "watch"],
    [["watch", "not valid!"], "is not a valid TikTok uniqueId", "watch"],
    [["watch", "12345"], "is a number, not a TikTok uniqueId", "watch"],
    [["watch", "https://example.com/@x"], "is not a TikTok host", "watch"],
    [["watch", "x", "--events", "chat,nope"], 'unknown event "nope"', "watch"],
    [["watch", "x", "--events", "Chat"], 'did you mean "chat"', "watch"],
    [["watch", "x", "--events", ","], "at least one event", "watch"],
    [["watch", "x", "--transport", "http"], "--transport must be ws, poll or auto", "watch"],
    [["watch", "x", "--duration", "0"], "--duration needs a number", "watch"],
    [["watch", "x", "--duration", "soon"], "--duration needs a number", "watch"],
    [["watch", "x", "--duration", "-1"], "--duration needs a value", "watch"],
    [["watch", "x", "--sign-url", "ftp://x"], "must be an http:// or https:// URL", "watch"],
    [["watch", "x", "--sign-url", "http://h/?apiKey=1"], "must not carry credentials or a query", "watch"],
    [["watch", "x", "--web-url", "nope"], "--web-url is not a URL", "watch"],
    [["watch", "x", "--proxy", "ftp://p"], "--proxy must be an http://", "watch"],
    [["watch", "x", "--simulator", "--sign-url", "http://h"], "cannot go together", "watch"],
    [["watch", "x", "--sim-rate", "5"], "--sim-rate needs --simulator", "watch"],
    [["watch", "x", "--simulator", "--sim-rate", "0"], "--sim-rate needs a number", "watch"],
    [["watch", "x", "--simulator", "--sim-length", "1.5"], "--sim-length needs a whole number", "watch"],
    [["watch", "x", "--simulator", "--sim-fault", "explode"], "--sim-fault", "watch"],
    [["watch", "x", "--json=yes"], "--json does not take a value", "watch"],
    [["watch", "x", "--api-key"], "--api-key needs a value", "watch"],
    [["watch", "x", "--api-key", ""], "--api-key is empty", "watch"],
    [["watch", "x", "--out", "f"], "unknown option --out", "watch"],
    [["record", "x"], "record needs --out", "record"],
    [["record", "x", "--out", "f", "--json"], "unknown option --json", "record"],
  ])("%j is a usage error", (argv, message, topic) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.topic).toBe(topic);
  });

  it("never echoes an API key or a proxy URL in a usage error", () => {
    expect(
      usageError(["watch", "x", "--api-key=sk-secret-1234", "--bogus=sk-secret-1234"]).message,
    ).not.toContain("sk-secret-1234");
    expect(usageError(["watch", "x", "--proxy", "gopher://user:hunter2@p"]).message).not.toContain("hunter2");
    expect(usageError(["watch", "x", "--proxy", "::not a url hunter2"]).message).not.toContain("hunter2");
    expect(usageError(["watch", "x"], { TIKLIVE_API_KEY: " " }).message).toBe("TIKLIVE_API_KEY is empty");
  });
});

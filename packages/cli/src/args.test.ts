import { describe, expect, it } from "vitest";
import { type CliCommand, parseCliArgs, simulatorStreamer, UsageError } from "./args.js";
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

  it("--simulator without a uniqueId watches the simulator's first live streamer", () => {
    expect(simulatorStreamer).toBe("sim_streamer");
    const args = watch(["--simulator", "--json"]);
    expect(args.uniqueId).toBe("sim_streamer");
    expect(args.connection.simulator).toEqual({ rate: undefined, length: undefined, faults: [] });
    expect(watch(["--simulator", "sim_gamer"]).uniqueId).toBe("sim_gamer");
    expect(parseCliArgs(["record", "--simulator", "--out", "s.ndjson"])).toMatchObject({
      command: "record",
      args: { uniqueId: "sim_streamer" },
    });
    // Without --simulator a uniqueId is still needed.
    expect(usageError(["watch", "--json"]).message).toBe("watch needs a TikTok uniqueId or live URL");
  });

  it("takes the API key from EULER_API_KEY, the flag first, without notices", () => {
    const notices: string[] = [];
    const parse = (argv: string[], env: Record<string, string>) => {
      const parsed = parseCliArgs(["watch", ...argv], env, (line) => notices.push(line));
      return parsed.command === "watch" ? parsed.args.connection.apiKey : undefined;
    };
    expect(parse(["x"], { EULER_API_KEY: "from-env" })).toBe("from-env");
    expect(parse(["x", "--api-key", "from-flag"], { EULER_API_KEY: "from-env" })).toBe("from-flag");
    expect(parse(["x", "--api-key", "from-flag"], { TIKLIVE_API_KEY: "old-env" })).toBe("from-flag");
    expect(parse(["x"], { EULER_API_KEY: "from-env", TIKLIVE_API_KEY: "old-env" })).toBe("from-env");
    expect(notices).toEqual([]);
  });

  it("still reads the deprecated TIKLIVE_API_KEY alone, with a one-line notice that never shows the key", () => {
    const notices: string[] = [];
    const parsed = parseCliArgs(["watch", "x"], { TIKLIVE_API_KEY: "sk-old-name-1234" }, (line) =>
      notices.push(line),
    );
    expect(parsed).toMatchObject({ command: "watch", args: { connection: { apiKey: "sk-old-name-1234" } } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("TIKLIVE_API_KEY is deprecated");
    expect(notices[0]).toContain("EULER_API_KEY");
    expect(notices[0]).not.toContain("sk-old-name-1234");
    expect(notices[0]).not.toContain("\n");
  });

  it("checks the API key in the command line's words, never showing it", () => {
    expect(usageError(["watch", "x", "--api-key", "k"]).message).toBe(
      "--api-key is too short to be an API key",
    );
    expect(usageError(["watch", "x"], { EULER_API_KEY: "k" }).message).toBe(
      "EULER_API_KEY is too short to be an API key",
    );
    const spaced = usageError(["watch", "x"], { EULER_API_KEY: "sk-key-1234\n" }).message;
    expect(spaced).toMatch(/^EULER_API_KEY contains whitespace or control characters/);
    expect(spaced).not.toContain("sk-key-1234");
    expect(usageError(["watch", "x", "--api-key", "sk one 1234"]).message).not.toContain("sk one");
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
    expect(usageError(["watch", "x"], { EULER_API_KEY: " " }).message).toBe("EULER_API_KEY is empty");
    expect(usageError(["watch", "x"], { TIKLIVE_API_KEY: " " }).message).toBe("TIKLIVE_API_KEY is empty");
  });
});

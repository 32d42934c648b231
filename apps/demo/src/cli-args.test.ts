import { describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "./cli-args.js";

describe("parseDemoArgs", () => {
  it("defaults to the simulator", () => {
    expect(parseDemoArgs([])).toEqual({ help: false, options: {} });
  });

  it("drops the `--` that npm and pnpm put in front of forwarded arguments", () => {
    // `npm run demo -- --user x` and `pnpm demo -- --port 5555` reach the demo like this.
    expect(parseDemoArgs(["--", "--user", "x"])).toEqual({ help: false, options: { user: "x" } });
    expect(parseDemoArgs(["--", "--", "--port", "5555"])).toEqual({ help: false, options: { port: 5555 } });
  });

  it("watches a TikTok user with an API key from the flag or SIGN_API_KEY", () => {
    expect(parseDemoArgs(["--user", "@someone", "--api-key", "k1"], { SIGN_API_KEY: "k2" })).toEqual({
      help: false,
      options: { user: "@someone", signApiKey: "k1" },
    });
    expect(parseDemoArgs(["--user", "someone"], { SIGN_API_KEY: "k2" })).toEqual({
      help: false,
      options: { user: "someone", signApiKey: "k2" },
    });
    expect(
      parseDemoArgs([
        "--user",
        "someone",
        "--sign-url",
        "http://127.0.0.1:1",
        "--web-url",
        "http://127.0.0.1:2",
      ]),
    ).toEqual({
      help: false,
      options: { user: "someone", signServerUrl: "http://127.0.0.1:1", webUrl: "http://127.0.0.1:2" },
    });
  });

  it("tunes the simulator", () => {
    expect(parseDemoArgs(["--rate", "12.5", "--length", "900", "--seed", "4"])).toEqual({
      help: false,
      options: { simulator: { rate: 12.5, length: 900, seed: 4 } },
    });
  });

  it("rejects what it cannot use, without echoing the API key", () => {
    for (const argv of [
      ["--port", "http"],
      ["--port", "70000"],
      ["--rate", "0"],
      ["--bogus"],
      ["stray"],
      ["--api-key", "sekret"],
      ["--user", "x", "--rate", "5"],
      ["--user", " "],
    ]) {
      expect(() => parseDemoArgs(argv), argv.join(" ")).toThrow(UsageError);
    }
    try {
      parseDemoArgs(["--api-key", "sekret"]);
    } catch (error) {
      expect((error as Error).message).not.toContain("sekret");
    }
  });

  it("asks for help", () => {
    expect(parseDemoArgs(["-h"])).toEqual({ help: true });
    expect(parseDemoArgs(["--", "--help"])).toEqual({ help: true });
  });
});

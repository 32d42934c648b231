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

  it("watches a TikTok user with an API key from the flag or EULER_API_KEY", () => {
    const notices: string[] = [];
    const notice = (line: string) => notices.push(line);
    expect(parseDemoArgs(["--user", "@someone", "--api-key", "k1"], { EULER_API_KEY: "k2" }, notice)).toEqual(
      {
        help: false,
        options: { user: "@someone", signApiKey: "k1" },
      },
    );
    expect(parseDemoArgs(["--user", "someone"], { EULER_API_KEY: "k2" }, notice)).toEqual({
      help: false,
      options: { user: "someone", signApiKey: "k2" },
    });
    // The new name wins over the former one, quietly.
    expect(parseDemoArgs(["--user", "someone"], { EULER_API_KEY: "k2", SIGN_API_KEY: "k3" }, notice)).toEqual(
      { help: false, options: { user: "someone", signApiKey: "k2" } },
    );
    // The simulator needs no key: the variables are not read.
    expect(parseDemoArgs([], { EULER_API_KEY: "k2", SIGN_API_KEY: "k3" }, notice)).toEqual({
      help: false,
      options: {},
    });
    expect(notices).toEqual([]);
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

  it("still reads the former SIGN_API_KEY alone, with a one-line deprecation notice that never shows the key", () => {
    const notices: string[] = [];
    expect(
      parseDemoArgs(["--user", "someone"], { SIGN_API_KEY: "sk-old-1234" }, (l) => notices.push(l)),
    ).toEqual({ help: false, options: { user: "someone", signApiKey: "sk-old-1234" } });
    expect(notices).toEqual([
      "SIGN_API_KEY is deprecated: set EULER_API_KEY instead (it is used the same way)",
    ]);
    // The flag needs neither variable, and says nothing.
    notices.length = 0;
    parseDemoArgs(["--user", "someone", "--api-key", "k1"], { SIGN_API_KEY: "sk-old-1234" }, (l) =>
      notices.push(l),
    );
    expect(notices).toEqual([]);
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

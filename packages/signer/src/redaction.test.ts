// No secret (API key, JWT, session id) may appear in any error message, details, cause
// (message and stack) or log line, on any failure path, even when a hostile sign server
// echoes the credentials it received back into its bodies and headers.
import { inspect } from "node:util";
import { encodeFetchResult, type SignRequest, TikLiveError } from "@tiklive/core";
import { afterEach, describe, expect, it } from "vitest";
import type { EulerSignerOptions } from "./euler-options.js";
import { createEulerSigner } from "./euler-signer.js";
import { createSignerChain } from "./signer-chain.js";
import {
  apiKey,
  closedPort,
  fetchResultBytes,
  instantClock,
  jwtKey,
  type LocalServer,
  roomId,
  sessionId,
  startServer,
  userAgent,
} from "./testing/euler-fixtures.js";

const secrets = [apiKey, jwtKey, sessionId];
const session = { sessionId, ttTargetIdc: "useast1a" };
const request: SignRequest = { roomId, userAgent, platform: "web", session };

/** Everything an error carries, as text: message, stack, details, cause chain, inspect output. */
function everything(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 20, showHidden: true })];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; depth++) {
    if (e instanceof Error) {
      parts.push(String(e), e.message, e.stack ?? "");
      if (e instanceof TikLiveError) parts.push(JSON.stringify(e.details), String(e.retryAfterMs));
      e = e.cause;
    } else {
      parts.push(inspect(e, { depth: 20 }));
      break;
    }
  }
  return parts.join("\n");
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("secrets never leak", () => {
  it("across every failure path of sign, resolveRoomId, sendChat and the chain", async () => {
    // A hostile server: each mode answers with the credentials it received echoed back.
    let mode = "";
    server = await startServer((req, res) => {
      const echo = `key=${String(req.headers["x-api-key"])} jwt=${String(req.headers["x-jwt-key"])} cookie=${String(req.headers["x-cookie-header"])}`;
      const raw = `${String(req.headers["x-api-key"])} ${String(req.headers["x-jwt-key"])} ${String(req.headers["x-cookie-header"])}`;
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          "content-type": "application/json",
          "x-request-id": raw.replace(/\s/g, "_"),
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      const proto = (bytes: Uint8Array, cookie: string | undefined) => {
        const headers: Record<string, string> = {
          "content-type": "application/protobuf",
          "x-request-id": raw.replace(/\s/g, "_"),
          "x-room-id": raw.replace(/\s/g, "_"),
        };
        if (cookie !== undefined) headers["x-set-tt-cookie"] = cookie;
        res.writeHead(200, headers);
        res.end(Buffer.from(bytes));
      };
      switch (mode) {
        case "401":
        case "402":
        case "403":
        case "500":
        case "503":
        case "400":
          return json(Number(mode), { code: Number(mode), message: `rejected ${echo}` });
        case "404":
          return json(404, { code: 404, ok: false, message: `user not found ${raw}` });
        case "429":
          return json(429, { message: `too many ${echo}`, limit_label: raw }, { "retry-after": "5" });
        case "302":
          res.writeHead(302, {
            location: `https://elsewhere.example/?apiKey=${String(req.headers["x-api-key"])}`,
          });
          return res.end(`moved ${raw}`);
        case "empty":
          return proto(new Uint8Array(0), "ttwid=x");
        case "garbage":
          res.writeHead(200, { "content-type": "application/octet-stream" });
          return res.end(
            Buffer.concat([
              Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
              Buffer.from(raw),
            ]),
          );
        case "json200":
          return json(200, { code: 200, ok: false, message: `fallback ${echo}` });
        case "stub":
          return proto(
            encodeFetchResult({ internalExt: raw, pushServer: `not a url ${raw}` }),
            `ttwid=${raw}`,
          );
        case "nocookie":
          return proto(fetchResultBytes({ internalExt: raw }), undefined);
        case "badcookie":
          return proto(fetchResultBytes(), `${raw}; Path=/`);
        case "room-json-code":
          return json(200, { code: 403, ok: false, message: `forbidden ${echo}` });
        case "room-not-json":
          res.writeHead(200, { "content-type": "text/html" });
          return res.end(`<html>${raw}</html>`);
        case "chat-code":
          return json(200, { code: 500, message: `failed ${echo}` });
        case "chat-status":
          return json(200, { code: 200, message: echo, data: { status_code: 5, data: { prompts: raw } } });
        case "hang":
          return; // never answers
        case "half":
          res.writeHead(200, { "content-type": "application/protobuf", "content-length": "100000" });
          return res.write(raw);
        default:
          return json(599, { message: `unknown mode ${mode}` });
      }
    });

    const logLines: string[] = [];
    const logger = {
      debug: (message: string, data?: Record<string, unknown>) =>
        logLines.push(message, inspect(data, { depth: 20 })),
      warn: (message: string, data?: Record<string, unknown>) =>
        logLines.push(message, inspect(data, { depth: 20 })),
    };
    // Fake time: a 429 blocks the signer's sign budget, and the next path must not wait for real.
    const options: EulerSignerOptions = {
      apiKey,
      jwtKey,
      baseUrl: server.url,
      forwardSession: true,
      logger,
      clock: instantClock(),
    };
    const signer = createEulerSigner(options);
    // Only the paths that never answer get a short time limit: a slow machine must not turn
    // another path into a timeout.
    const impatient = createEulerSigner({ ...options, timeoutMs: 200 });
    const pick = (m: string) => (m === "hang" || m === "half" ? impatient : signer);
    const errors: unknown[] = [];
    const codes: string[] = [];
    const capture = async (what: string, promise: Promise<unknown>): Promise<void> => {
      const error = await promise.then(
        () => new Error(`${what} did not fail`),
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(TikLiveError);
      codes.push(`${what}: ${(error as TikLiveError).code}`);
      errors.push(error);
    };

    for (const m of [
      "401",
      "402",
      "403",
      "429",
      "500",
      "503",
      "400",
      "302",
      "empty",
      "garbage",
      "json200",
      "stub",
      "nocookie",
      "badcookie",
      "hang",
      "half",
    ]) {
      mode = m;
      await capture(`sign ${m}`, pick(m).sign(request));
    }
    mode = "nocookie";
    await capture("sign oversize", createEulerSigner({ ...options, maxResponseBytes: 8 }).sign(request));
    for (const m of [
      "401",
      "402",
      "403",
      "404",
      "429",
      "500",
      "room-json-code",
      "room-not-json",
      "json200",
      "hang",
    ]) {
      mode = m;
      await capture(`resolveRoomId ${m}`, pick(m).resolveRoomId("someone"));
    }
    for (const m of [
      "401",
      "403",
      "429",
      "500",
      "400",
      "chat-code",
      "chat-status",
      "room-not-json",
      "hang",
    ]) {
      mode = m;
      await capture(`sendChat ${m}`, pick(m).sendChat({ roomId, content: `hello ${apiKey}`, session }));
    }
    // The caller's abort, with a reason that itself carries a secret.
    mode = "hang";
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error(`cancelled, key ${apiKey}, session ${sessionId}`)), 30);
    await capture(
      "sign abort",
      createEulerSigner({ ...options, timeoutMs: 5000 }).sign({ ...request, signal: controller.signal }),
    );
    // Network failure.
    const port = await closedPort();
    const refused = createEulerSigner({ ...options, baseUrl: `http://127.0.0.1:${port}` });
    await capture("sign refused", refused.sign(request));
    // Invalid input that involves the secrets.
    await capture(
      "bad session",
      signer.sign({ ...request, session: { sessionId: `${sessionId} x`, ttTargetIdc: "useast1a" } }),
    );
    await capture(
      "bad idc",
      signer.sign({ ...request, session: { sessionId, ttTargetIdc: `${sessionId};` } }),
    );
    for (const bad of [
      { apiKey: `${apiKey}\n` },
      { jwtKey: `${jwtKey} ` },
      { baseUrl: `https://x.example/?apiKey=${apiKey}` },
      { baseUrl: `https://u:${apiKey}@x.example/` },
    ]) {
      await capture(
        `options ${Object.keys(bad)[0]}`,
        Promise.resolve().then(() => createEulerSigner(bad)),
      );
    }
    // The chain: every member failing, and every member rate-limited.
    mode = "503";
    const chain = createSignerChain([signer, createEulerSigner({ ...options, name: "second" })], { logger });
    await capture("chain unavailable", chain.sign(request));
    await capture("chain cooling", chain.sign(request));
    mode = "429";
    const limited = createSignerChain(
      [createEulerSigner({ ...options, name: "l1" }), createEulerSigner({ ...options, name: "l2" })],
      { logger },
    );
    await capture("chain rate-limited", limited.sign(request));
    await capture("chain resolveRoomId", limited.resolveRoomId!("someone"));

    expect(errors.length).toBeGreaterThanOrEqual(45);
    // Each path failed the way it should (so the search below covers every kind of error).
    expect(codes.map((c) => c.split(": ")[1])).toEqual([
      ...[
        "sign_unauthorized",
        "sign_premium_required",
        "sign_unauthorized",
        "sign_rate_limited",
        "signer_unavailable",
        "signer_unavailable",
      ],
      ...[
        "invalid_response",
        "invalid_response",
        "signer_degraded",
        "signer_degraded",
        "signer_degraded",
        "signer_degraded",
      ],
      ...["signer_degraded", "signer_degraded", "timeout", "timeout", "payload_too_large"],
      ...[
        "sign_unauthorized",
        "sign_premium_required",
        "sign_unauthorized",
        "user_not_found",
        "sign_rate_limited",
        "signer_unavailable",
      ],
      ...["sign_unauthorized", "invalid_response", "invalid_response", "timeout"],
      ...[
        "sign_unauthorized",
        "sign_premium_required",
        "sign_rate_limited",
        "signer_unavailable",
        "invalid_response",
        "invalid_response",
      ],
      ...["invalid_response", "invalid_response", "timeout"],
      ...[
        "aborted",
        "signer_unavailable",
        "invalid_input",
        "invalid_input",
        "invalid_input",
        "invalid_input",
        "invalid_input",
        "invalid_input",
      ],
      ...["signer_unavailable", "signer_unavailable", "sign_rate_limited", "sign_rate_limited"],
    ]);
    const text = errors.map(everything).join("\n=====\n");
    const logs = logLines.join("\n");
    // The collection is real: the server's echoes and the log lines are in it, redacted.
    expect(text).toContain("[redacted]");
    expect(text).toContain("rejected key=");
    expect(logs).toContain("HTTP 401");
    // The keyed signers asked the hostile server for their rate limits too: those failures
    // (echoing the key) are in the logs, redacted like the rest.
    expect(logs).toContain("could not read the key's limits");
    for (const secret of secrets) {
      expect(text.includes(secret), `a secret in an error: ${secret}`).toBe(false);
      expect(text.includes(encodeURIComponent(secret)), `an encoded secret in an error: ${secret}`).toBe(
        false,
      );
      expect(logs.includes(secret), `a secret in a log line: ${secret}`).toBe(false);
    }
  });
});

// The README's ```ts snippets, run as they are written (each as its own module, unmodified)
// against an undici MockAgent installed as the global dispatcher and a local server on
// 127.0.0.1, and type-checked with the compiler. A README edit that breaks a snippet fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  fetchResultBytes,
  intercept,
  type LocalServer,
  mockEuler,
  signHeaders,
  startServer,
} from "./testing/euler-fixtures.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

let dir = "";
const files: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tiklive-signer-readme-"));
  snippets.forEach((code, i) => {
    // .mts: an ES module wherever it lies, so top-level await works as in the README.
    const file = join(dir, `snippet-${i + 1}.mts`);
    writeFileSync(file, code);
    files.push(file);
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let original: Dispatcher | undefined;
let server: LocalServer | undefined;
afterEach(async () => {
  if (original !== undefined) setGlobalDispatcher(original);
  original = undefined;
  await server?.close();
  server = undefined;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Runs snippet `n` (1-based) and returns what it printed. */
async function run(n: number): Promise<unknown[][]> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  await import(pathToFileURL(files[n - 1] ?? "").href);
  return log.mock.calls;
}

/** Installs a MockAgent as undici's global dispatcher for this test (the snippets use the default). */
function mockGlobal(): ReturnType<typeof mockEuler> {
  const mock = mockEuler();
  original = getGlobalDispatcher();
  setGlobalDispatcher(mock.agent);
  return mock;
}

describe("README", () => {
  it("has one snippet per section: createEulerSigner, createSignerChain, a custom signer", () => {
    expect(snippets).toHaveLength(3);
    expect(snippets[0]).toContain("createEulerSigner({ apiKey: process.env.EULER_API_KEY })");
    expect(snippets[1]).toContain("createSignerChain([");
    expect(snippets[2]).toContain("satisfies Signer");
  });

  it("createEulerSigner snippet: signs a room and resolves a uniqueId", async () => {
    vi.stubEnv("EULER_API_KEY", "readme-test-key");
    const { pool } = mockGlobal();
    const signs = intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const lookups = intercept(pool, "/webcast/room_id", {
      body: JSON.stringify({ code: 200, ok: true, is_live: true, room_id: "7312345678901234567" }),
      headers: { "content-type": "application/json" },
    });
    const printed = await run(1);
    expect(printed).toEqual([
      ["wss://webcast-ws.tiktok.example/webcast/im/push/v2/", ["ttwid", "msToken"]],
      ["7312345678901234567", true],
    ]);
    expect(signs[0]?.headers["x-api-key"]).toBe("readme-test-key");
    expect(lookups[0]?.url.searchParams.get("uniqueId")).toBe("someone");
  });

  it("createSignerChain snippet: the paid key is rate-limited, the anonymous signer serves", async () => {
    vi.stubEnv("EULER_API_KEY", "readme-test-key");
    const { pool } = mockGlobal();
    pool
      .intercept({
        path: (p) => p.startsWith("/webcast/fetch"),
        headers: (h) => "x-api-key" in h || "X-Api-Key" in h,
      })
      .reply(429, JSON.stringify({ message: "Too many connections started", limit_label: "minute" }), {
        headers: { "retry-after": "60" },
      })
      .persist();
    intercept(pool, "/webcast/fetch", { body: fetchResultBytes(), headers: signHeaders() });
    const printed = await run(2);
    expect(printed[0]).toEqual(["signed by euler-anonymous"]);
    expect(printed[1]?.slice(0, 2)).toEqual(["euler-paid", "rate_limited"]);
    expect(printed[1]?.[2]).toBeGreaterThan(Date.now() + 50_000);
    expect(printed[2]).toEqual(["euler-anonymous", "ready", undefined]);
  });

  it("custom signer snippet: a Signer object literal serves through a chain", async () => {
    server = await startServer((req, res) => {
      expect(req.url.pathname).toBe("/sign");
      res.setHeader("set-cookie", [
        "ttwid=custom; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
        "msToken=abc",
      ]);
      res.end(Buffer.from(fetchResultBytes()));
    });
    vi.stubEnv("MY_SIGN_SERVER", server.url);
    const printed = await run(3);
    expect(printed).toEqual([
      [
        "my-sign-server",
        [
          { name: "ttwid", value: "custom" },
          { name: "msToken", value: "abc" },
        ],
      ],
    ]);
    expect(server.requests[0]?.url.searchParams.get("room_id")).toBe("7312345678901234567");
  });

  it("every snippet type-checks under the repo's strict settings", () => {
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      paths: { "@tiklive/*": [join(root, "packages/*/src/index.ts")] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(diagnostics).toEqual([]);
  }, 60_000);
});

// Runs every ```ts snippet of the README, as written, against the simulator each one starts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("./.readme-snippets/", import.meta.url));
const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the README's snippets run", () => {
  it("has snippets", () => expect(snippets.length).toBeGreaterThanOrEqual(4));

  it.each(snippets.map((code, i) => [i + 1, code] as const))("snippet %i", async (n, code) => {
    mkdirSync(dir, { recursive: true });
    const file = `${dir}snippet-${n}.ts`;
    // Wrapped in a function so the module can be run; the code itself is untouched.
    const imports = code.split("\n").filter((l) => l.startsWith("import "));
    const body = code.split("\n").filter((l) => !l.startsWith("import "));
    writeFileSync(file, `${imports.join("\n")}\nexport async function run(): Promise<void> {\n${body.join("\n")}\n}\n`);
    const logs: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => logs.push(args.join(" "));
    try {
      const module = (await import(file)) as { run: () => Promise<void> };
      await module.run();
    } finally {
      console.log = original;
    }
    expect(logs.length).toBeGreaterThan(0);
  }, 30_000);
});

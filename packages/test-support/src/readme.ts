// Runs every ```ts snippet of a package README, as written: each becomes a module whose body
// runs inside an async function (imports stay at the top). A snippet must finish by itself
// and print something with console.log.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

export function readmeSnippets(readmePath: string, options: { min?: number; timeoutMs?: number } = {}): void {
  const dir = join(dirname(readmePath), "src", ".readme-snippets");
  const snippets = [...readFileSync(readmePath, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map(
    (m) => m[1] ?? "",
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe(`the snippets of ${readmePath.split("/").slice(-2).join("/")} run`, () => {
    it("has snippets", () => expect(snippets.length).toBeGreaterThanOrEqual(options.min ?? 1));

    it.each(snippets.map((code, i) => [i + 1, code] as const))(
      "snippet %i",
      async (n, code) => {
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `snippet-${n}.ts`);
        const lines = code.split("\n");
        const imports = lines.filter((l) => l.startsWith("import "));
        const body = lines.filter((l) => !l.startsWith("import "));
        writeFileSync(
          file,
          `${imports.join("\n")}\nexport async function run(): Promise<void> {\n${body.join("\n")}\n}\n`,
        );
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
      },
      options.timeoutMs ?? 30_000,
    );
  });
}

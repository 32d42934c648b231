// Comments cite the protocol notes as `docs/protocol.md §N`. These tests keep the citations
// meaningful: every cited section exists in docs/protocol.md, and nothing cites the old
// `PROTOCOL.md` (a team file outside the repository).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const skipped = new Set(["node_modules", "dist", ".turbo", ".readme-snippets", "coverage"]);
const extensions = /\.(ts|mts|mjs|js|md|proto)$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (skipped.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (extensions.test(name)) out.push(path);
  }
  return out;
}

const sources = ["packages", "apps", "bench", "scripts", "test", "docs"]
  .flatMap((dir) => files(join(root, dir)))
  .filter((path) => !path.endsWith(join("docs", "events.md")));

/** Section numbers of docs/protocol.md: `## 2. The push frame` is 2, `### 2.1 Frame kinds` is 2.1. */
function sections(): Set<string> {
  const text = readFileSync(join(root, "docs", "protocol.md"), "utf8");
  return new Set([...text.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1] ?? ""));
}

/** Every `docs/protocol.md §…` citation: the sections named on its line (or the next one, when it wraps). */
function citations(): { where: string; section: string }[] {
  const out: { where: string; section: string }[] = [];
  for (const path of sources) {
    const lines = readFileSync(path, "utf8").split("\n");
    lines.forEach((line, i) => {
      const at = line.indexOf("docs/protocol.md");
      if (at < 0) return;
      let rest = line.slice(at).replace(/RFC \d+ §[\d.]+/g, "");
      if (!rest.includes("§")) rest = (lines[i + 1] ?? "").replace(/RFC \d+ §[\d.]+/g, "");
      for (const m of rest.matchAll(/§(\d+(?:\.\d+)?)/g)) {
        out.push({ where: `${relative(root, path)}:${i + 1}`, section: m[1] ?? "" });
      }
    });
  }
  return out;
}

describe("docs/protocol.md citations", () => {
  it("name sections that exist", () => {
    const known = sections();
    expect(known.size).toBeGreaterThan(50);
    const found = citations();
    expect(found.length).toBeGreaterThan(100);
    const missing = found.filter((c) => !known.has(c.section)).map((c) => `${c.where} §${c.section}`);
    expect(missing).toEqual([]);
  });

  it("replace the old PROTOCOL.md everywhere", () => {
    const old = "PROTOCOL" + ".md";
    const stale = sources
      .filter((path) => !path.endsWith("protocol-citations.test.ts"))
      .flatMap((path) =>
        readFileSync(path, "utf8")
          .split("\n")
          .flatMap((line, i) => (line.includes(old) ? [`${relative(root, path)}:${i + 1}`] : [])),
      );
    expect(stale).toEqual([]);
  });
});

// Every published package ships dual ESM/CJS with types for both, an explicit exports map,
// sideEffects false, a README, and workspace:* links between siblings. The build runs before
// the tests in `npm test`; where dist is missing (plain `vitest` in development) the
// build-output checks are skipped with a notice.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  files?: string[];
  exports?: Record<
    string,
    { import?: { types: string; default: string }; require?: { types: string; default: string } } | string
  >;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const packages = readdirSync(join(root, "packages"))
  .map((dir) => ({
    dir: join(root, "packages", dir),
    manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest,
  }))
  .filter((p) => p.manifest.private !== true);

describe.each(packages.map((p) => [p.manifest.name, p] as const))("%s", (_name, { dir, manifest }) => {
  it("has the package.json a published package needs", () => {
    expect(manifest.name.startsWith("@tiklive/")).toBe(true);
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toContain("dist");
    const entry = manifest.exports?.["."];
    expect(typeof entry).toBe("object");
    const conditions = entry as Exclude<typeof entry, string | undefined>;
    expect(conditions.import?.types).toMatch(/\.d\.ts$/);
    expect(conditions.require?.types).toMatch(/\.d\.cts$/);
    expect(existsSync(join(dir, "README.md"))).toBe(true);
    for (const [dep, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (dep.startsWith("@tiklive/")) expect(version, `${dep} link`).toBe("workspace:*");
      else expect(version, `${dep} is pinned`).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  const built = existsSync(join(dir, "dist"));
  if (!built)
    console.warn(`[tiklive] ${manifest.name} has no dist (run pnpm build): build-output checks skipped`);
  it.skipIf(!built)(
    "its ESM and CJS builds load and export the same names, with types for both",
    async () => {
      const entry = manifest.exports?.["."] as {
        import: { types: string; default: string };
        require: { types: string; default: string };
      };
      for (const file of [
        entry.import.types,
        entry.import.default,
        entry.require.types,
        entry.require.default,
      ]) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      const esm = (await import(pathToFileURL(join(dir, entry.import.default)).href)) as Record<
        string,
        unknown
      >;
      const cjs = createRequire(join(dir, "package.json"))(join(dir, entry.require.default)) as Record<
        string,
        unknown
      >;
      expect(Object.keys(esm).length).toBeGreaterThan(0);
      expect(
        Object.keys(cjs)
          .filter((k) => k !== "__esModule")
          .sort(),
      ).toEqual(Object.keys(esm).sort());
    },
  );
});

// Every workspace package (published or private, apps and bench too) imports, from any file of
// its src (tests included), only the @tiklive packages its package.json declares, and the
// declared links have no cycle: an undeclared import is an edge pnpm and turbo cannot see, and
// can hide one (core's tests once imported the simulator, which depends on core).
const workspace = [
  ...readdirSync(join(root, "packages")).map((dir) => join(root, "packages", dir)),
  ...readdirSync(join(root, "apps")).map((dir) => join(root, "apps", dir)),
  join(root, "bench"),
]
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest,
  }));

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    // Dot directories hold generated scratch files (the README snippets while they run).
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

const importedPackage =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](@tiklive\/[a-z0-9-]+)(?:\/[^"']*)?["']/g;

describe("workspace links", () => {
  it.each(workspace.map((p) => [p.manifest.name, p] as const))(
    "%s imports only the @tiklive packages it declares",
    (_name, { dir, manifest }) => {
      const declared = new Set([
        manifest.name,
        ...Object.keys({
          ...manifest.dependencies,
          ...manifest.devDependencies,
          ...manifest.peerDependencies,
        }),
      ]);
      const undeclared = sourceFiles(join(dir, "src")).flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(importedPackage)]
          .map((m) => m[1] as string)
          .filter((name) => !declared.has(name))
          .map((name) => `${relative(root, file)} imports ${name}`),
      );
      expect(undeclared).toEqual([]);
    },
  );

  it("the dependencies and devDependencies between @tiklive packages have no cycle", () => {
    const links = new Map(
      workspace.map((p) => [
        p.manifest.name,
        Object.keys({ ...p.manifest.dependencies, ...p.manifest.devDependencies }).filter((name) =>
          name.startsWith("@tiklive/"),
        ),
      ]),
    );
    const cycles: string[] = [];
    const visit = (name: string, path: string[]): void => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(" -> "));
        return;
      }
      for (const next of links.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of links.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });
});

// The public API surface of every published package, from its built type declarations, as one
// committed report per entry point (`packages/<name>/api-report/<entry>.api.d.ts`). CI runs
// `--check`: a change to what a package exports shows up in review as a diff of that file.
//
//   tsx scripts/api-report.ts           rewrite the reports (after `pnpm build`)
//   tsx scripts/api-report.ts --check   exit 1 when a report differs from the build
//
// A report lists every export of the entry (sorted, comments stripped), then every declaration
// they refer to that the entry does not export (types inlined from other files or chunks),
// so a change to a referenced option type shows up too.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const check = process.argv.includes("--check");

interface Entry {
  pkg: string;
  dir: string;
  name: string;
  dts: string;
}

function entries(): Entry[] {
  const out: Entry[] = [];
  for (const name of readdirSync(join(root, "packages")).sort()) {
    const dir = join(root, "packages", name);
    const manifestPath = join(dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      name: string;
      private?: boolean;
      exports?: Record<string, string | { import?: { types?: string } }>;
    };
    if (manifest.private === true || manifest.exports === undefined) continue;
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string" || target.import?.types === undefined) continue;
      const entryName = subpath === "." ? "index" : subpath.replace(/^\.\//, "").replace(/\//g, "-");
      out.push({ pkg: manifest.name, dir, name: entryName, dts: join(dir, target.import.types) });
    }
  }
  return out;
}

// Where a re-exported declaration lives, stable across machines and builds: the package name
// (not the checkout's path, nor the build's chunk file names).
function origin(fileName: string): string {
  const inRepo = /\/packages\/([^/]+)\/dist\//.exec(fileName.startsWith(root) ? fileName : "");
  if (inRepo !== null) return `@tiklive/${inRepo[1]}`;
  const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName);
  return inModules?.[1] ?? "another package";
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

// A declaration as text: the whole statement (a `declare const x: T;` is a variable statement).
function statementOf(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent !== undefined &&
    !ts.isSourceFile(current.parent) &&
    !ts.isModuleBlock(current.parent)
  ) {
    current = current.parent;
  }
  return current;
}

function render(node: ts.Node): string {
  const text = printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
  // Neither `export` nor `declare` is part of the shape; the section says which are exported.
  return text.replace(/^(export )?(declare )?(default )?/, "");
}

function report(entry: Entry): string {
  const program = ts.createProgram([entry.dts], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry.dts);
  if (source === undefined) throw new Error(`cannot read ${entry.dts}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${entry.dts} has no exports`);
  const distDir = join(entry.dir, "dist");
  const ours = (node: ts.Node) => node.getSourceFile().fileName.startsWith(distDir);

  const exported = new Map<string, string>();
  const seen = new Set<ts.Node>();
  const queue: ts.Node[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const texts: string[] = [];
    for (const declaration of target.declarations ?? []) {
      if (!ours(declaration)) {
        texts.push(`/* re-exported from ${origin(declaration.getSourceFile().fileName)} */`);
        continue;
      }
      const statement = statementOf(declaration);
      seen.add(statement);
      queue.push(statement);
      texts.push(render(statement));
    }
    const alias = target.name === symbol.name ? "" : ` /* = ${target.name} */`;
    exported.set(symbol.name, `// export ${symbol.name}${alias}\n${texts.join("\n")}`);
  }

  // Declarations the exports refer to, in our dist files, that the entry does not export.
  const referenced = new Map<string, string>();
  while (queue.length > 0) {
    const node = queue.shift() as ts.Node;
    const visit = (child: ts.Node): void => {
      if (ts.isIdentifier(child) || ts.isTypeReferenceNode(child)) {
        const at = ts.isTypeReferenceNode(child) ? child.typeName : child;
        let symbol = checker.getSymbolAtLocation(at);
        if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias)
          symbol = checker.getAliasedSymbol(symbol);
        for (const declaration of symbol?.declarations ?? []) {
          if (!ours(declaration) || ts.isTypeParameterDeclaration(declaration)) continue;
          const statement = statementOf(declaration);
          if (seen.has(statement) || ts.isImportDeclaration(statement)) continue;
          if (ts.isSourceFile(statement) || statement.kind === ts.SyntaxKind.ExportDeclaration) continue;
          seen.add(statement);
          queue.push(statement);
          const name = symbol?.name ?? "?";
          referenced.set(`${name}\u0000${referenced.size}`, `// ${name}\n${render(statement)}`);
        }
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
  }

  const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const lines = [
    `// API report of ${entry.pkg}${entry.name === "index" ? "" : `/${entry.name}`}: generated by scripts/api-report.ts from`,
    "// the built declarations. Do not edit: run `pnpm api:update` after `pnpm build`.",
    "",
    ...[...exported].sort(byName).map(([, text]) => `${text}\n`),
  ];
  if (referenced.size > 0) {
    lines.push("// ---- referenced, not exported from this entry ----", "");
    const unique = new Map<string, string>();
    for (const [key, text] of [...referenced].sort(byName)) unique.set(text, key);
    for (const text of unique.keys()) lines.push(`${text}\n`);
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

let stale = 0;
for (const entry of entries()) {
  if (!existsSync(entry.dts)) {
    console.error(`api-report: ${entry.dts} is missing; run pnpm build first`);
    process.exit(1);
  }
  const out = join(entry.dir, "api-report", `${entry.name}.api.d.ts`);
  const text = report(entry);
  const current = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  if (current === text) continue;
  if (check) {
    stale += 1;
    console.error(
      `api-report: the public API of ${entry.pkg} (${entry.name}) changed: ${out.slice(root.length)}`,
    );
  } else {
    mkdirSync(join(entry.dir, "api-report"), { recursive: true });
    writeFileSync(out, text);
    console.log(`api-report: wrote ${out.slice(root.length)}`);
  }
}
if (stale > 0) {
  console.error(
    `api-report: ${stale} report(s) out of date. Review the change, then run \`pnpm api:update\` and commit the reports.`,
  );
  process.exit(1);
}

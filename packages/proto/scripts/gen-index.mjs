#!/usr/bin/env node
// Writes src/index.ts: an explicit list of every export of the generated modules (no
// `export *`), followed by the hand-written modules' exports. Run by `pnpm gen` after buf;
// `pnpm gen:check` fails when the committed index differs from what this writes.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const genDir = "src/gen/tiklive/webcast/v1";

function exportsOf(file) {
  const values = [];
  const types = [];
  for (const match of readFileSync(`${root}${file}`, "utf8").matchAll(/^export (const|enum|type) (\w+)/gm)) {
    (match[1] === "type" ? types : values).push(match[2]);
  }
  return { values: values.sort(), types: types.sort() };
}

function block(keyword, names, from) {
  if (names.length === 0) return [];
  return [`${keyword} {`, ...names.map((n) => `  ${n},`), `} from "${from}";`];
}

const lines = [
  "// The public surface of @tiklive/proto: the generated message types and their schemas",
  "// (`fromBinary(WebcastChatMessageSchema, bytes)`), one module per .proto file, then the method",
  "// catalogue (which method names the public peers know) and the schema audit (what a payload",
  "// carries that the schema does not declare). Written by scripts/gen-index.mjs (`pnpm gen`):",
  "// do not edit the generated part by hand.",
  "",
];
for (const name of readdirSync(`${root}${genDir}`)
  .filter((f) => f.endsWith("_pb.ts"))
  .sort()) {
  const from = `./gen/tiklive/webcast/v1/${name.replace(/\.ts$/, ".js")}`;
  const { values, types } = exportsOf(`${genDir}/${name}`);
  lines.push(...block("export type", types, from), ...block("export", values, from));
}
lines.push(
  "",
  "// Hand-written",
  'export type { MethodCatalogueSource } from "./method-catalogue.js";',
  'export { catalogueMethods, methodCatalogue } from "./method-catalogue.js";',
  "export type {",
  "  FetchResultAudit,",
  "  MalformedMessage,",
  "  SchemaAuditOptions,",
  "  SchemaAuditReport,",
  "  UndeclaredField,",
  "  WireTypeMismatch,",
  '} from "./schema-audit.js";',
  "export {",
  "  auditFetchResult,",
  "  auditSchema,",
  "  methodSchemas,",
  "  schemaForMethod,",
  "  wireTypeName,",
  '} from "./schema-audit.js";',
);
writeFileSync(`${root}src/index.ts`, `${lines.join("\n")}\n`);

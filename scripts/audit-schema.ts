// Audits real payloads against our protobuf schema: prints, per message type, every field
// number the schema does not declare (with its wire type, how often it was seen and an example
// value), every wire-type mismatch and every malformed sub-message, and exits 1 when there is
// anything to report. Input: the real vectors JSON (../shared/vectors/real-payloads.json) or a
// tiklive recording (NDJSON, see packages/simulator/src/recording/recording.ts), whose `msg` and
// `fetch` frames are fetch results (the envelope is audited too).
//
// Usage: pnpm audit:schema <vectors.json | recording.ndjson>
import { readFileSync } from "node:fs";
import { auditFetchResult, auditSchema, type SchemaAuditReport, wireTypeName } from "@tiklive/proto";
import { parseRecording } from "@tiklive/simulator";

interface Finding {
  kind: "undeclared" | "mismatch" | "malformed";
  path: string;
  detail: string;
  count: number;
  example: string;
}

interface TypeSummary {
  payloads: number;
  findings: Map<string, Finding>;
}

const file = process.argv[2];
if (file === undefined || file === "--help" || file === "-h") {
  console.error("usage: pnpm audit:schema <vectors.json | recording.ndjson>");
  process.exit(file === undefined ? 2 : 0);
}

const byType = new Map<string, TypeSummary>();
const noSchema = new Map<string, number>();
const skipped = new Map<string, number>();

function summary(type: string): TypeSummary {
  let s = byType.get(type);
  if (s === undefined) {
    s = { payloads: 0, findings: new Map() };
    byType.set(type, s);
  }
  return s;
}

function note(s: TypeSummary, f: Omit<Finding, "count">): void {
  const key = `${f.kind} ${f.path} ${f.detail}`;
  const existing = s.findings.get(key);
  if (existing) existing.count++;
  else s.findings.set(key, { ...f, count: 1 });
}

function add(report: SchemaAuditReport): void {
  const s = summary(report.message);
  s.payloads++;
  for (const u of report.undeclared)
    note(s, { kind: "undeclared", path: u.path, detail: wireTypeName(u.wireType), example: u.example });
  for (const m of report.mismatches)
    note(s, {
      kind: "mismatch",
      path: m.path,
      detail: `${m.declared} needs ${wireTypeName(m.expected)}, got ${wireTypeName(m.wireType)}`,
      example: m.example,
    });
  for (const m of report.malformed)
    note(s, { kind: "malformed", path: m.path, detail: m.reason, example: "" });
}

function addFetchResult(bytes: Uint8Array): void {
  const audit = auditFetchResult(bytes);
  add(audit.envelope);
  for (const m of audit.messages) {
    if (m.report) add(m.report);
    else noSchema.set(m.method || "(empty method)", (noSchema.get(m.method) ?? 0) + 1);
  }
}

const text = readFileSync(file, "utf8");
let source: string;
if (text.trimStart().startsWith('{"format"') || text.includes('"tiklive-recording"')) {
  const recording = parseRecording(text);
  source = `recording of @${recording.header.uniqueId} (${recording.frames.length} frames)`;
  for (const frame of recording.frames) {
    if (frame.payloadType === "msg" || frame.payloadType === "fetch") addFetchResult(frame.payload);
    else skipped.set(frame.payloadType, (skipped.get(frame.payloadType) ?? 0) + 1);
  }
} else {
  const json = JSON.parse(text) as { vectors?: { id?: string; type: string; base64: string }[] };
  if (!Array.isArray(json.vectors)) throw new Error(`${file}: neither a recording nor a vectors file`);
  source = `${json.vectors.length} payloads`;
  for (const v of json.vectors) {
    const bytes = new Uint8Array(Buffer.from(v.base64, "base64"));
    if (v.type === "ProtoMessageFetchResult") addFetchResult(bytes);
    else {
      try {
        add(auditSchema(v.type, bytes));
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        noSchema.set(v.type, (noSchema.get(v.type) ?? 0) + 1);
      }
    }
  }
}

console.log(`Schema audit of ${file}: ${source}, ${byType.size} message types\n`);
let undeclared = 0;
let mismatches = 0;
let malformed = 0;
const clean: string[] = [];
for (const [type, s] of [...byType].sort((a, b) => a[0].localeCompare(b[0]))) {
  if (s.findings.size === 0) {
    clean.push(`${type} (${s.payloads})`);
    continue;
  }
  console.log(`${type}  (${s.payloads} payload${s.payloads === 1 ? "" : "s"})`);
  const findings = [...s.findings.values()].sort((a, b) =>
    a.path.localeCompare(b.path, "en", { numeric: true }),
  );
  for (const f of findings) {
    if (f.kind === "undeclared") undeclared++;
    else if (f.kind === "mismatch") mismatches++;
    else malformed++;
    const example = f.example === "" ? "" : `  e.g. ${f.example}`;
    console.log(`  ${f.kind.padEnd(10)} ${f.path}  ${f.detail}  ${f.count}x${example}`);
  }
  console.log();
}
if (clean.length > 0) console.log(`Fully declared: ${clean.join(", ")}\n`);
for (const [method, n] of noSchema) console.log(`no schema for method ${method} (${n}x)`);
if (skipped.size > 0)
  console.log(`not audited (no payload schema): ${[...skipped].map(([t, n]) => `${t} ${n}x`).join(", ")}`);

const failed = undeclared + mismatches + malformed + noSchema.size;
if (failed > 0) {
  console.log(
    `FAIL: ${undeclared} undeclared field paths, ${mismatches} wire-type mismatches, ${malformed} malformed, ${noSchema.size} methods without a schema`,
  );
  process.exit(1);
}
console.log("OK: every field of every payload is declared with its wire type");

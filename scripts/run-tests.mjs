#!/usr/bin/env node
// Runs every vitest test once and ends with the plain line CI reads:
// "N passed, N failed, N skipped". vitest's own summary is not read by CI, so
// the counts come from its JSON reporter; a suite that fails to load counts
// as a failure, and a run with no test at all is a failure too.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const out = join(".test-results", "vitest.json");
mkdirSync(".test-results", { recursive: true });
rmSync(out, { force: true });

const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${out}`,
  ...process.argv.slice(2),
];
const run = spawnSync("pnpm", ["exec", ...args], { stdio: "inherit", env: process.env });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Files that crashed before running any test.
  for (const file of report.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) {
      console.error(`suite failed to run: ${file.name}\n${file.message ?? ""}`);
      failed += 1;
    }
  }
} else {
  console.error("vitest wrote no report (it crashed before running tests)");
  failed += 1;
}
if (passed + failed === 0) {
  console.error("no test ran");
  failed += 1;
}
if (run.status !== 0 && failed === 0) {
  console.error(`vitest exited with status ${run.status} (${run.signal ?? "no signal"})`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);

#!/usr/bin/env node
// CI guard: regenerate src/gen from the .proto sources and fail if the result
// differs from what is committed (generated code is never edited by hand).
import { execFileSync } from "node:child_process";

execFileSync("buf", ["generate"], { stdio: "inherit" });
execFileSync("node", ["scripts/gen-index.mjs"], { stdio: "inherit" });
const status = execFileSync("git", ["status", "--porcelain", "--", "src/gen", "src/index.ts"], {
  encoding: "utf8",
});
if (status.trim() !== "") {
  console.error(
    `packages/proto/src/gen is out of date with the .proto sources; run \`pnpm gen\` and commit:\n${status}`,
  );
  execFileSync("git", ["--no-pager", "diff", "--stat", "--", "src/gen", "src/index.ts"], {
    stdio: "inherit",
  });
  process.exit(1);
}
console.log("generated code is up to date");

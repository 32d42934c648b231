// What a run records about where it ran: machine, Node, commit, the peer's version, and
// the state of packages/ (a change during a run means the steps measured different code).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { Environment } from "./report.js";

// bench/ (this file runs from bench/dist/): git paths below are relative to it.
const benchDir = fileURLToPath(new URL("..", import.meta.url));

/** HEAD plus the state of the measured sources: if it changes during a run, the steps measured different code. */
export function sourceState(): string | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", ["--no-optional-locks", ...args], {
        cwd: benchDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    return `${git("rev-parse", "HEAD").trim()}\n${git("status", "--porcelain", "--", "../packages")}\n${git("diff", "--", "../packages")}`;
  } catch {
    return undefined;
  }
}

/** The machine, Node, commit and peer of this run. */
export function environment(): Environment {
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["--no-optional-locks", "rev-parse", "--short", "HEAD"], {
      cwd: benchDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    commit = undefined;
  }
  const peerPackage = JSON.parse(
    readFileSync(
      fileURLToPath(new URL("../node_modules/tiktok-live-connector/package.json", import.meta.url)),
      "utf8",
    ),
  ) as { version: string };
  return {
    date: new Date().toISOString(),
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    commit,
    peer: { name: "tiktok-live-connector", version: peerPackage.version },
  };
}

// `pnpm bench`: builds the corpus from ../shared/vectors, runs the decode
// comparison, the per-message breakdown, a CPU profile and the scale step, and
// writes results/latest.json and results/latest.md. Never fails on a number.
//
//   node dist/run.js [--only decode,breakdown,profile,scale] [--quick] [--rounds N] [--out DIR] [--render]
//
// A full run writes results/latest.{json,md}; --only, --quick and --rounds runs write
// to results/tmp/ (gitignored) unless --out says otherwise.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBreakdown } from "./breakdown.js";
import { createCandidates } from "./candidates.js";
import { buildCorpus, corpusFile, writeFrames } from "./corpus.js";
import { runDecodeBench } from "./decode-bench.js";
import { profileCandidate } from "./profile.js";
import { type BenchResults, type Environment, renderMarkdown } from "./report.js";
import { defaultSteps, runScaleBench, type ScaleStep } from "./scale/scale-bench.js";
import { evaluateTargets } from "./targets.js";
import { loadVectors, missingVectorsNotice } from "./vectors.js";

const parts = ["decode", "breakdown", "profile", "scale"] as const;
type Part = (typeof parts)[number];

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    out: { type: "string" },
    render: { type: "boolean", default: false },
  },
});

// --render: rewrite latest.md from latest.json (after a change to the report's format), measuring nothing.
if (values.render === true) {
  const dir = values.out ?? fileURLToPath(new URL("../results/", import.meta.url));
  const saved = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as BenchResults;
  writeFileSync(join(dir, "latest.md"), `${renderMarkdown(saved)}\n`);
  console.log(`re-rendered ${join(dir, "latest.md")} from latest.json`);
  process.exit(0);
}
const only = new Set<Part>(
  values.only === undefined ? parts : (values.only.split(",").map((p) => p.trim()) as Part[]),
);
for (const p of only)
  if (!parts.includes(p)) throw new Error(`--only: unknown part "${p}" (use ${parts.join(", ")})`);
const quick = values.quick === true;
// Only a full run replaces results/latest.*; partial and quick runs write to results/tmp/.
const partial = values.only !== undefined || quick || values.rounds !== undefined;
const outDir =
  values.out ?? fileURLToPath(new URL(partial ? "../results/tmp/" : "../results/", import.meta.url));
const log = (line: string) => console.log(line);

/** HEAD plus the state of the measured sources: if it changes during a run, the steps measured different code. */
function sourceState(): string | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", ["--no-optional-locks", ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    return `${git("rev-parse", "HEAD").trim()}\n${git("status", "--porcelain", "--", "../packages")}\n${git("diff", "--", "../packages")}`;
  } catch {
    return undefined;
  }
}
const sourcesAtStart = sourceState();

function environment(): Environment {
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["--no-optional-locks", "rev-parse", "--short", "HEAD"], {
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

const started = performance.now();
const results: BenchResults = {
  environment: environment(),
  corpus: undefined,
  decode: undefined,
  breakdown: undefined,
  profiles: undefined,
  scale: undefined,
  targets: [],
  durationSeconds: 0,
};

const needsVectors = only.has("decode") || only.has("breakdown") || only.has("profile");
const vectors = needsVectors ? loadVectors() : undefined;
if (needsVectors && vectors === undefined) {
  console.log(missingVectorsNotice());
  console.log("[bench] `pnpm --filter @tiklive/bench run bench:scale` still runs without them.");
  process.exit(0);
}

if (vectors !== undefined) {
  const corpus = buildCorpus(vectors);
  writeFrames(corpus.frames);
  results.corpus = corpus.summary;
  log(
    `corpus: ${corpus.summary.frames} frames, ${corpus.summary.messages} messages, ${Math.round(corpus.summary.frameBytes.total / 1024)} KiB gzip -> ${corpusFile}`,
  );

  if (only.has("decode")) {
    log("decode throughput:");
    const rounds = values.rounds === undefined ? (quick ? 5 : 15) : Number(values.rounds);
    results.decode = await runDecodeBench(corpus.frames, corpus.summary.inflatedBytes, {
      rounds,
      warmup: quick ? 2 : 3,
      log,
    });
  }
  if (only.has("breakdown")) {
    log("per-message cost breakdown...");
    results.breakdown = runBreakdown(vectors, corpus.summary.methods, { rounds: quick ? 3 : 5, top: 6 });
  }
  if (only.has("profile")) {
    log("CPU profiles...");
    const candidates = createCandidates();
    results.profiles = [];
    for (const id of ["envelope", "peerSync", "typical", "chatOnly", "everything"]) {
      const candidate = candidates.find((c) => c.id === id);
      if (candidate === undefined) continue;
      const profile = await profileCandidate(
        candidate,
        corpus.frames,
        quick ? 1000 : 3000,
        fileURLToPath(new URL("../results/tmp/", import.meta.url)),
      );
      // Relative to bench/, so that committed results name no machine's paths.
      if (profile.file !== undefined)
        profile.file = relative(fileURLToPath(new URL("..", import.meta.url)), profile.file);
      results.profiles.push(profile);
    }
  }
}

if (only.has("scale")) {
  log("memory and scale (each step: a fresh client process + a simulator process):");
  const steps: ScaleStep[] = quick
    ? [
        { n: 10, rate: 10, windowMs: 4000 },
        { n: 100, rate: 3, windowMs: 4000 },
      ]
    : defaultSteps;
  results.scale = await runScaleBench({
    steps,
    libs: ["tiklive", "peer", "floor"],
    log,
    ...(quick ? { warmMs: 1500, idleMs: 1000 } : {}),
  });
}

results.targets = evaluateTargets(results.decode, results.scale);
results.environment.sourcesChangedDuringRun =
  sourcesAtStart !== undefined && sourceState() !== sourcesAtStart;
if (results.environment.sourcesChangedDuringRun) {
  console.warn(
    "[bench] WARNING: packages/ changed during this run (a commit or an edit): the steps measured different code. Run again.",
  );
}
results.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
const markdown = renderMarkdown(results);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, "latest.md"), `${markdown}\n`);
console.log(`\n${markdown}`);
console.log(`\nwritten: ${join(outDir, "latest.json")}, ${join(outDir, "latest.md")}`);

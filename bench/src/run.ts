// `pnpm bench`: builds the live corpus (live-corpus.ts), checks that the peer decodes it,
// runs the decode comparison on it (and, secondary, on the vectors corpus of
// ../shared/vectors where present), the per-message breakdown, a CPU profile and the
// scale step, and writes results/latest.json and results/latest.md. Never fails on a number.
//
//   node dist/run.js [--only decode,breakdown,profile,scale] [--quick] [--rounds N] [--frames N] [--out DIR] [--render]
//
// A full run writes results/latest.{json,md}; --only, --quick, --rounds and --frames runs
// write to results/tmp/ (gitignored) unless --out says otherwise. The soak (soak.ts) writes
// its own section into the same files; each keeps the other's.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runBreakdown } from "./breakdown.js";
import { createCandidates } from "./candidates.js";
import { buildCorpus, corpusFile, writeFrames } from "./corpus.js";
import { runDecodeBench } from "./decode-bench.js";
import { environment, sourceState } from "./environment.js";
import { buildLiveCorpus } from "./live-corpus.js";
import { checkPeerDecodes } from "./peer-check.js";
import { profileCandidate } from "./profile.js";
import { type BenchResults, readResults, renderMarkdown } from "./report.js";
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
    frames: { type: "string" },
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
const partial =
  values.only !== undefined || quick || values.rounds !== undefined || values.frames !== undefined;
const outDir =
  values.out ?? fileURLToPath(new URL(partial ? "../results/tmp/" : "../results/", import.meta.url));
const log = (line: string) => console.log(line);

const sourcesAtStart = sourceState();

const started = performance.now();
const results: BenchResults = {
  environment: environment(),
  corpus: undefined,
  peerCheck: undefined,
  decode: undefined,
  decodeVectors: undefined,
  breakdown: undefined,
  profiles: undefined,
  scale: undefined,
  soak: undefined,
  targets: [],
  durationSeconds: 0,
};

const needsCorpus = only.has("decode") || only.has("breakdown") || only.has("profile");
if (needsCorpus) {
  const frameCount = values.frames === undefined ? undefined : Number(values.frames);
  if (frameCount !== undefined && (!Number.isInteger(frameCount) || frameCount < 1))
    throw new Error(`--frames: a positive whole number, got ${values.frames}`);
  const corpus = buildLiveCorpus(frameCount === undefined ? {} : { frames: frameCount });
  writeFrames(corpus.frames);
  results.corpus = corpus.summary;
  log(
    `live corpus: ${corpus.summary.frames} frames, ${corpus.summary.messages} messages, ${Math.round(corpus.summary.frameBytes.total / 1024)} KiB gzip -> ${corpusFile}`,
  );
  // Fairness: the comparison means something only if the peer decodes every message.
  results.peerCheck = await checkPeerDecodes(corpus.frames);
  const pc = results.peerCheck;
  log(
    `peer check: ${pc.decoded}/${pc.messages} messages decoded by the peer, ${pc.fieldsCompared} values compared, ` +
      `${Object.keys(pc.mismatches).length} mismatching paths, ${Object.keys(pc.decodeErrors).length} methods with decode errors` +
      (Object.keys(pc.notInPeerSchema).length > 0
        ? `; not in the peer's schema (skipped by it): ${Object.keys(pc.notInPeerSchema).join(", ")}`
        : ""),
  );
  if (!pc.clean) console.warn(`[bench] WARNING: the peer does not read the live corpus as we wrote it:`, pc);

  const rounds = values.rounds === undefined ? (quick ? 5 : 15) : Number(values.rounds);
  if (only.has("decode")) {
    log("decode throughput (live corpus):");
    results.decode = await runDecodeBench(corpus.frames, corpus.summary.inflatedBytes, {
      rounds,
      warmup: quick ? 2 : 3,
      log,
    });
    // Secondary: the 44 real payloads on repeat, the corpus this bench used before (it flatters
    // every decoder: gzip and caches see the same users and URLs again and again).
    const vectors = loadVectors();
    if (vectors === undefined) log(`${missingVectorsNotice()} (the secondary vectors row only)`);
    else {
      const vectorsCorpus = buildCorpus(vectors);
      log(
        `decode throughput (secondary: vectors corpus, ${vectorsCorpus.summary.frames} frames re-wrapped from ${vectorsCorpus.summary.distinctPayloads} real payloads):`,
      );
      results.decodeVectors = {
        corpus: vectorsCorpus.summary,
        decode: await runDecodeBench(vectorsCorpus.frames, vectorsCorpus.summary.inflatedBytes, {
          rounds: Math.max(3, Math.round(rounds / 3)),
          warmup: 2,
          log,
        }),
      };
    }
  }
  if (only.has("breakdown")) {
    log("per-message cost breakdown...");
    results.breakdown = runBreakdown(corpus.samples, corpus.summary.methods, {
      rounds: quick ? 3 : 5,
      top: 6,
    });
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

// The soak writes its own section (soak.ts); a bench run keeps the last one, and vice versa.
results.soak = readResults(outDir)?.soak;
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

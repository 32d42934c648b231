// Keeps the benchmark code from rotting: the decode comparison on 10 frames, one
// round, checked for shape only. No timing is asserted (STYLE.md: benchmarks never
// gate CI on a time). Skips, with a notice, where ../shared/vectors is absent.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCorpus, readFrames, writeFrames } from "./corpus.js";
import { runDecodeBench } from "./decode-bench.js";
import { renderMarkdown } from "./report.js";
import { evaluateTargets } from "./targets.js";
import { loadVectors, missingVectorsNotice } from "./vectors.js";

const vectors = loadVectors();
if (vectors === undefined) console.warn(missingVectorsNotice());

describe.skipIf(vectors === undefined)("bench (smoke)", () => {
  const real = vectors ?? [];

  it("builds the same corpus from the same seed, within the frame size band, and frames.bin round-trips", () => {
    const a = buildCorpus(real, { frames: 10 });
    const b = buildCorpus(real, { frames: 10 });
    expect(a.frames).toEqual(b.frames);
    expect(buildCorpus(real, { frames: 10, seed: 7 }).frames).not.toEqual(a.frames);
    for (const f of a.frames) {
      expect(f.length).toBeGreaterThanOrEqual(5 * 1024);
      expect(f.length).toBeLessThanOrEqual(20 * 1024);
    }
    expect(a.summary.messages).toBeGreaterThanOrEqual(100);
    expect(a.summary.messages).toBeLessThanOrEqual(300);
    const dir = mkdtempSync(join(tmpdir(), "tiklive-bench-smoke-"));
    try {
      writeFrames(a.frames, join(dir, "frames.bin"));
      expect(readFrames(join(dir, "frames.bin"))).toEqual(a.frames);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs every candidate over 10 frames for one round and reports finite ratios and counted events", async () => {
    const corpus = buildCorpus(real, { frames: 10 });
    const result = await runDecodeBench(corpus.frames, corpus.summary.inflatedBytes, {
      rounds: 1,
      warmup: 1,
    });
    expect(result.rounds).toBe(1);
    expect(result.frames).toBe(10);
    expect(result.candidates.map((c) => c.id)).toEqual([
      "envelope",
      "peer",
      "peerSync",
      "typical",
      "typicalReflection",
      "chatOnly",
      "everything",
    ]);
    for (const c of result.candidates) {
      for (const v of [
        c.framesPerSec,
        c.eventsPerSec,
        c.vsPeer,
        c.vsPeerEvents,
        c.vsPeerSync,
        c.vsCeiling,
        c.msPerPass,
      ]) {
        expect(Number.isFinite(v), `${c.id}: ${v}`).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
      expect(c.eventsPerPass, c.id).toBeGreaterThan(0);
      expect(c.samplesMs).toHaveLength(1);
    }
    const events = Object.fromEntries(result.candidates.map((c) => [c.id, c.eventsPerPass]));
    // The baseline counts every message; the peer decodes those it has a schema for.
    expect(events["envelope"]).toBe(corpus.summary.messages);
    expect(events["peer"]).toBe(events["peerSync"]);
    expect(events["typicalReflection"]).toBe(events["typical"]);
    expect(events["peer"]).toBeLessThanOrEqual(corpus.summary.messages);
    // Decode-on-demand: fewer listeners, fewer events.
    expect(events["chatOnly"]).toBeLessThan(events["typical"] as number);
    expect(events["typical"]).toBeLessThan(events["everything"] as number);
    expect(result.candidates.find((c) => c.id === "peer")?.vsPeer).toBe(1);
    expect(result.candidates.find((c) => c.id === "envelope")?.vsCeiling).toBe(1);

    const targets = evaluateTargets(result, undefined);
    expect(targets.map((t) => t.status)).toEqual([
      expect.stringMatching(/^(met|missed)$/),
      expect.stringMatching(/^(met|missed)$/),
      expect.stringMatching(/^(met|missed)$/),
      expect.stringMatching(/^(met|missed)$/),
      "not measured",
      "not measured",
    ]);
    const md = renderMarkdown({
      environment: {
        date: "",
        node: "",
        platform: "",
        cpu: "",
        cores: 1,
        loadAverage: 0,
        commit: undefined,
        peer: { name: "p", version: "0" },
      },
      corpus: corpus.summary,
      decode: result,
      breakdown: undefined,
      profiles: undefined,
      scale: undefined,
      targets,
      durationSeconds: 0,
    });
    expect(md).toContain("| tiklive, typical listeners |");
  });
});

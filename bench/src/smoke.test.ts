// Keeps the benchmark code from rotting: the live corpus, the peer check and the decode
// comparison on 10 frames for one round, checked for shape only, plus the soak's verdict on
// made-up series. No timing is asserted (STYLE.md: benchmarks never gate CI on a time). The
// vectors corpus part skips, with a notice, where ../shared/vectors is absent.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCorpus, readFrames, writeFrames } from "./corpus.js";
import { runDecodeBench } from "./decode-bench.js";
import { buildLiveCorpus } from "./live-corpus.js";
import { checkPeerDecodes } from "./peer-check.js";
import { renderMarkdown } from "./report.js";
import { judgeSeries, type SoakSample } from "./soak/analysis.js";
import type { SoakResult } from "./soak.js";
import { evaluateTargets } from "./targets.js";
import { loadVectors, missingVectorsNotice } from "./vectors.js";

const vectors = loadVectors();
if (vectors === undefined) console.warn(missingVectorsNotice());

const live = buildLiveCorpus({ frames: 10 });

describe("bench (smoke): live corpus", () => {
  it("is deterministic, within the frame size band, and every message and user is distinct", () => {
    // Frame i depends only on the draws before it: a shorter corpus is a prefix.
    expect(buildLiveCorpus({ frames: 3 }).frames).toEqual(live.frames.slice(0, 3));
    expect(buildLiveCorpus({ frames: 3, seed: 7 }).frames).not.toEqual(live.frames.slice(0, 3));
    for (const f of live.frames) {
      expect(f.length).toBeGreaterThanOrEqual(5 * 1024);
      expect(f.length).toBeLessThanOrEqual(20 * 1024);
    }
    const s = live.summary;
    expect(s.kind).toBe("live");
    expect(s.messages).toBeGreaterThanOrEqual(100);
    expect(s.messagesPerFrame?.max).toBeLessThanOrEqual(40);
    expect(s.distinctPayloads).toBe(s.messages);
    // The primary methods and some secondary ones are all there.
    for (const m of [
      "WebcastChatMessage",
      "WebcastLikeMessage",
      "WebcastMemberMessage",
      "WebcastGiftMessage",
      "WebcastSocialMessage",
      "WebcastRoomUserSeqMessage",
    ])
      expect(s.methods[m], m).toBeGreaterThan(0);
    expect(Object.keys(s.methods).length).toBeGreaterThan(8);
    // Fresh users: only gift-streak steps and ranks repeat one.
    const u = s.users;
    expect(u).toBeDefined();
    expect((u?.distinctUsers ?? 0) / (u?.messagesWithUser ?? 1)).toBeGreaterThan(0.75);
    expect(u?.meanAvatarUrlLength).toBeGreaterThan(150);
    expect(u?.badgesPerUser.length).toBe(7);
    const dir = mkdtempSync(join(tmpdir(), "tiklive-bench-smoke-"));
    try {
      writeFrames(live.frames, join(dir, "frames.bin"));
      expect(readFrames(join(dir, "frames.bin"))).toEqual(live.frames);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is read by the peer exactly as written: no decode error, no differing value", async () => {
    const check = await checkPeerDecodes(live.frames);
    expect(check.decodeErrorExamples).toEqual([]);
    expect(check.mismatchExamples).toEqual([]);
    expect(check.unknownToPeer).toEqual({});
    expect(check.decoded).toBe(live.summary.messages);
    expect(check.fieldsCompared).toBeGreaterThan(10_000);
    expect(check.clean).toBe(true);
  });

  it("runs every candidate over 10 frames for one round and reports finite ratios and counted events", async () => {
    const result = await runDecodeBench(live.frames, live.summary.inflatedBytes, { rounds: 1, warmup: 1 });
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
    // The baseline counts every message; the peer decodes every one of this corpus.
    expect(events["envelope"]).toBe(live.summary.messages);
    expect(events["peer"]).toBe(live.summary.messages);
    expect(events["peerSync"]).toBe(events["peer"]);
    expect(events["typicalReflection"]).toBe(events["typical"]);
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
    const sample = (t: number, total: number): SoakSample => ({
      t,
      heap: total,
      external: 0,
      arrayBuffers: 0,
      rss: total * 2,
      total,
      heapBeforeGc: total * 1.5,
      externalBeforeGc: 0,
      eventsPerSec: 50,
      cpuPercent: 3,
      openConnections: 10,
      errors: 0,
    });
    const samples = [0, 30, 60, 90, 120, 150, 180].map((t) => sample(t, 30_000));
    const soak: SoakResult = {
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
      options: { minutes: 3, rooms: 10, rate: 5, sampleSeconds: 30, libs: ["tiklive"] },
      tls: true,
      peerNotMeasured: undefined,
      dedup: { mode: "auto", windowMsSupported: true, option: { windowMs: 45_000 }, note: "accelerated" },
      libs: [
        {
          lib: "tiklive",
          n: 10,
          rate: 5,
          connected: 10,
          failed: 0,
          firstError: undefined,
          connectSeconds: 1,
          baseline: { heapUsed: 1, external: 1, rss: 1 },
          idlePerConnection: { heap: 1, external: 1, total: 2 },
          samples,
          verdict: judgeSeries(samples),
          verdictHeap: judgeSeries(samples, (s) => s.heap),
          eventsPerSec: 50,
          simFramesSent: 100,
          errors: 0,
          dedup: {
            soak: { ids: 225, retainedBytes: 4096, measuredBytes: 5000 },
            defaults: { ids: 3000, retainedBytes: 65536, measuredBytes: 70000 },
          },
          loadAverage: { start: 0, end: 0 },
          seconds: 200,
        },
      ],
      durationSeconds: 200,
    };
    const md = renderMarkdown({
      environment: soak.environment,
      corpus: live.summary,
      peerCheck: undefined,
      decode: result,
      decodeVectors: undefined,
      breakdown: undefined,
      profiles: undefined,
      scale: undefined,
      soak,
      targets,
      durationSeconds: 0,
    });
    expect(md).toContain("| tiklive, typical listeners |");
    expect(md).toContain("Corpus (live");
    expect(md).toContain("## Memory over time");
    expect(md).toContain("| tiklive | 10/10 |");
  });
});

describe("bench (smoke): soak verdict", () => {
  const series = (values: number[]): SoakSample[] =>
    values.map((total, i) => ({
      t: i * 30,
      heap: total,
      external: 0,
      arrayBuffers: 0,
      rss: 0,
      total,
      heapBeforeGc: 0,
      externalBeforeGc: 0,
      eventsPerSec: 0,
      cpuPercent: 0,
      openConnections: 0,
      errors: 0,
    }));

  it("calls a series that rose early and then stays put (with noise) flat", () => {
    const values = Array.from(
      { length: 21 },
      (_, i) => 40_000 + Math.min(i, 5) * 2_000 + ((i * 7919) % 5) * 100,
    );
    const v = judgeSeries(series(values));
    expect(v.flat).toBe(true);
    expect(v.slopeAll).toBeGreaterThan(0);
    expect(v.samplesLastThird).toBeGreaterThanOrEqual(7);
  });

  it("calls a series that keeps growing by 100 bytes per sample (12 KiB/h) growing", () => {
    const values = Array.from({ length: 21 }, (_, i) => 40_000 + i * 100 + ((i * 7919) % 3) * 10);
    const v = judgeSeries(series(values));
    expect(v.flat).toBe(false);
    expect(v.slopeLastThird).toBeCloseTo(12_000, -3);
    expect(v.reason).toMatch(/^growing/);
  });

  it("does not judge a series with fewer than 3 samples in its last third", () => {
    expect(judgeSeries(series([1, 2, 3])).flat).toBeUndefined();
  });
});

describe.skipIf(vectors === undefined)("bench (smoke): vectors corpus (secondary)", () => {
  const real = vectors ?? [];

  it("builds the same corpus from the same seed, within the frame size band", () => {
    const a = buildCorpus(real, { frames: 10 });
    const b = buildCorpus(real, { frames: 10 });
    expect(a.frames).toEqual(b.frames);
    expect(buildCorpus(real, { frames: 10, seed: 7 }).frames).not.toEqual(a.frames);
    for (const f of a.frames) {
      expect(f.length).toBeGreaterThanOrEqual(5 * 1024);
      expect(f.length).toBeLessThanOrEqual(20 * 1024);
    }
    expect(a.summary.kind).toBe("vectors");
    expect(a.summary.messages).toBeGreaterThanOrEqual(100);
    expect(a.summary.messages).toBeLessThanOrEqual(300);
  });
});

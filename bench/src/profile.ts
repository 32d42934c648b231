// CPU profile of decode candidates (the V8 sampling profiler through node:inspector,
// the same data `node --cpu-prof` writes), summarised as hot spots by self time.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { findSourceMap } from "node:module";
import { join } from "node:path";
import type { Candidate } from "./candidates.js";
import { round } from "./stats.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  /** `function (file:line)`. */
  name: string;
  /** Share of all samples, in percent. */
  selfPercent: number;
}

export interface ProfileResult {
  candidate: string;
  durationMs: number;
  samples: number;
  /** Top functions by self time. */
  functions: HotSpot[];
  /** Self time grouped by where the code lives (protobuf-es reflection, zlib, mapping, ...). */
  areas: HotSpot[];
  /** The .cpuprofile written (open it in Chrome DevTools), if any. */
  file: string | undefined;
}

/** A sampled position in its original source: through source maps (tsup's for the packages' dist, tsc's for the bench). */
function original(frame: CallFrame): { url: string; line: number } {
  if (frame.url.startsWith("file:") || frame.url.startsWith("/")) {
    try {
      const entry = findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber) as
        | { originalSource?: string; originalLine?: number }
        | undefined;
      if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
        const source =
          entry.originalSource.startsWith("file:") || entry.originalSource.startsWith("/")
            ? entry.originalSource
            : new URL(entry.originalSource, frame.url).href;
        return { url: source, line: entry.originalLine + 1 };
      }
    } catch {
      // no usable map: the generated position
    }
  }
  return { url: frame.url, line: frame.lineNumber + 1 };
}

/** Where a sampled function lives, in words a reader of the report knows. */
export function areaOf(frame: CallFrame): string {
  const url = original(frame).url;
  const fn = frame.functionName;
  if (url === "") {
    if (fn === "(garbage collector)") return "GC";
    if (fn === "(program)" || fn === "(idle)") return "V8/native (program, idle)";
    // zlib's synchronous inflate runs inside the binding's writeSync.
    if (fn === "writeSync") return "gunzip (native zlib)";
    if (fn === "decodeUTF8") return "UTF-8 decoding (TextDecoder)";
    return `native: ${fn || "(anonymous)"}`;
  }
  if (url.includes("zlib")) return "gunzip (node:zlib JS side)";
  if (url.startsWith("node:internal/encoding")) return "UTF-8 decoding (TextDecoder)";
  if (url.startsWith("node:internal/buffer") || url.startsWith("node:buffer"))
    return "Buffer allocation and slicing (node:buffer)";
  if (url.startsWith("node:")) return `node internals (${url.replace("node:", "").split("/")[0]})`;
  if (url.includes("@bufbuild/protobuf")) {
    if (url.includes("/wire/")) return "protobuf-es wire (BinaryReader, varint, utf8)";
    if (/from-binary|reflect|create|clone|fields|registry|codegen/.test(url))
      return "protobuf-es reflection (fromBinary, create, reflect)";
    return "protobuf-es (other)";
  }
  if (url.includes("tiktok-live-proto")) return "peer: generated decoders (tiktok-live-proto)";
  if (url.includes("tiktok-live-connector")) return "peer: connector";
  if (url.includes("/core/src/events/fast/")) return "tiklive fast partial readers (events/fast)";
  if (url.includes("/core/src/events/user.ts")) return "tiklive mapping: users/badges (events/user.ts)";
  if (url.includes("/core/src/events/")) return "tiklive mapping + decoder (core/src/events)";
  if (url.includes("/core/src/")) return "tiklive codec (frame-codec, inflate)";
  if (url.includes("/core/dist/")) return "tiklive core (unmapped dist)";
  if (url.includes("/bench/")) return "bench harness";
  return (
    url
      .replace(/^file:\/\//, "")
      .split("/node_modules/")
      .pop() ?? url
  );
}

function short(frame: CallFrame): string {
  const { url, line } = original(frame);
  const file = url
    .replace(/^file:\/\//, "")
    .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
    .replace(/^.*?\/(packages|bench)\//, "$1/");
  return `${frame.functionName || "(anonymous)"}${file ? ` (${file}:${line})` : ""}`;
}

/** Profiles `candidate` for about `ms` milliseconds of repeated passes over `frames`. */
export async function profileCandidate(
  candidate: Candidate,
  frames: readonly Uint8Array[],
  ms: number,
  outDir?: string,
): Promise<ProfileResult> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    // Warm first so the profile shows optimised code, not the interpreter.
    for (let i = 0; i < 2; i++) await candidate.run(frames);
    await session.post("Profiler.start");
    const until = performance.now() + ms;
    while (performance.now() < until) await candidate.run(frames);
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    let file: string | undefined;
    if (outDir !== undefined) {
      mkdirSync(outDir, { recursive: true });
      file = join(outDir, `decode-${candidate.id}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
    }
    return summarise(candidate.id, profile, file);
  } finally {
    session.disconnect();
  }
}

function summarise(candidate: string, profile: CpuProfile, file: string | undefined): ProfileResult {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<number, number>();
  for (const id of profile.samples ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const fnSelf = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  for (const [id, n] of counts) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const name = short(node.callFrame);
    fnSelf.set(name, (fnSelf.get(name) ?? 0) + n);
    const area = areaOf(node.callFrame);
    areaSelf.set(area, (areaSelf.get(area) ?? 0) + n);
  }
  const top = (m: Map<string, number>, limit: number): HotSpot[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, n]) => ({ name, selfPercent: round((100 * n) / Math.max(1, total), 3) }));
  return {
    candidate,
    durationMs: round((profile.endTime - profile.startTime) / 1000, 4),
    samples: total,
    functions: top(fnSelf, 15),
    areas: top(areaSelf, 12),
    file,
  };
}

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One real captured inner message from `../shared/vectors/real-payloads.json`. */
export interface RealVector {
  id: string;
  /** The wire method, e.g. `WebcastChatMessage`. */
  type: string;
  /** The payload bytes (not the base64 any more). */
  payload: Uint8Array;
}

/** Where the vectors are read from: `../shared/vectors` next to the repository, or `$BENCH_VECTORS`. */
export const vectorsFile: string =
  process.env["BENCH_VECTORS"] ??
  fileURLToPath(new URL("../../../shared/vectors/real-payloads.json", import.meta.url));

/**
 * The real payloads, read in place (never copied into the repository). Returns
 * `undefined` where the file is absent (a user's clone), so callers can print a
 * notice and skip.
 */
export function loadVectors(file: string = vectorsFile): RealVector[] | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as {
    vectors: { id: string; type: string; base64: string }[];
  };
  return parsed.vectors.map((v) => ({
    id: v.id,
    type: v.type,
    payload: new Uint8Array(Buffer.from(v.base64, "base64")),
  }));
}

/** The notice printed when the vectors are absent. */
export function missingVectorsNotice(file: string = vectorsFile): string {
  return `[bench] ${file} not found: the benchmarks need the real payloads of ../shared/vectors; skipping.`;
}

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One real captured payload from `../shared/vectors/real-payloads.json`. */
export interface RealVector {
  id: string;
  type: string;
  base64: string;
  notes: string;
  topLevelFieldOrder: string;
  expected: {
    common?: Record<string, string>;
    fields?: Record<string, unknown>;
  };
}

const vectorsFile = fileURLToPath(new URL("../../../../shared/vectors/real-payloads.json", import.meta.url));

/**
 * The real payloads, read in place from `../shared/vectors` (never copied into the repo).
 * Returns `undefined` and prints a notice where `../shared` is absent (a user's fresh clone),
 * so tests that need them can skip visibly.
 */
export function loadRealVectors(): RealVector[] | undefined {
  if (!existsSync(vectorsFile)) {
    console.warn(`[tiklive] ../shared/vectors not found (${vectorsFile}): real-payload tests are skipped`);
    return undefined;
  }
  const file = JSON.parse(readFileSync(vectorsFile, "utf8")) as { vectors: RealVector[] };
  return file.vectors;
}

export function base64ToBytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, "base64"));
}

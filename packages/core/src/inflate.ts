import { Gunzip } from "fflate";
import { ErrorCode, TikLiveError } from "./errors.js";

/**
 * Inflates a gzip payload synchronously, refusing output larger than
 * `maxOutputLength` bytes. Throws a {@link TikLiveError} (`payload_too_large`
 * or `decompression_failed`), never anything else.
 */
export type Inflate = (data: Uint8Array, maxOutputLength: number) => Uint8Array;

/** True when the bytes start with the gzip magic and the deflate method (`1f 8b 08`, docs/protocol.md §2.2). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08;
}

interface NodeZlib {
  gunzipSync(data: Uint8Array, options: { maxOutputLength: number }): Uint8Array;
}

// On Node (>= 20.16) the native zlib is several times faster than any JS inflater.
// process.getBuiltinModule keeps `node:zlib` out of the module graph, so bundlers
// for browsers and other runtimes never see it; elsewhere fflate does the work.
const nodeZlib: NodeZlib | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.("node:zlib") as NodeZlib | undefined;
  } catch {
    return undefined;
  }
})();

/** Inflates with Node's native zlib where available, else with the pure-JS fflate. */
export const defaultInflate: Inflate = (data, maxOutputLength) =>
  nodeZlib === undefined
    ? inflatePortable(data, maxOutputLength)
    : inflateNode(nodeZlib, data, maxOutputLength);

function inflateNode(zlib: NodeZlib, data: Uint8Array, maxOutputLength: number): Uint8Array {
  try {
    return zlib.gunzipSync(data, { maxOutputLength });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError)
      throw tooLarge(maxOutputLength, error);
    throw corrupt(error);
  }
}

class OutputLimitExceeded extends Error {}

/** The portable inflater (fflate, streaming so that the size cap holds while inflating). */
export const inflatePortable: Inflate = (data, maxOutputLength) => {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const gunzip = new Gunzip((chunk, final) => {
    total += chunk.length;
    if (total > maxOutputLength) throw new OutputLimitExceeded();
    chunks.push(chunk);
    if (final) done = true;
  });
  try {
    gunzip.push(data, true);
  } catch (error) {
    if (error instanceof OutputLimitExceeded) throw tooLarge(maxOutputLength, error);
    throw corrupt(error);
  }
  if (!done) throw corrupt(new Error("unexpected end of gzip data"));
  let out: Uint8Array;
  if (chunks.length === 1) {
    out = chunks[0] as Uint8Array;
  } else {
    out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
  }
  // fflate does not check the gzip trailer; without this a truncated stream
  // would inflate to a silently shortened payload (RFC 1952: CRC32, then ISIZE).
  const n = data.length;
  const trailer = (i: number) =>
    ((data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24)) >>>
    0;
  if (n < 18 || trailer(n - 4) !== total >>> 0 || trailer(n - 8) !== crc32(out)) {
    throw corrupt(new Error("gzip trailer does not match the data (truncated or corrupt)"));
  }
  return out;
};

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++)
    crc = (crcTable[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function tooLarge(limit: number, cause: unknown): TikLiveError {
  return new TikLiveError(
    ErrorCode.PayloadTooLarge,
    `gzip payload inflates to more than ${limit} bytes; refused`,
    {
      cause,
      retryable: false,
      details: { maxInflatedBytes: limit },
    },
  );
}

function corrupt(cause: unknown): TikLiveError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TikLiveError(ErrorCode.DecompressionFailed, `gzip payload could not be inflated: ${reason}`, {
    cause,
    retryable: false,
  });
}

import { ErrorCode, TikLiveError } from "./errors.js";
import { type HeaderValues, headerValue } from "./retry-after.js";

/**
 * How much of an error response's body is read: it serves only as a message excerpt, so
 * 64 KiB are plenty; the rest is not read.
 */
export const maxErrorBodyBytes = 64 * 1024;

/** A response body: undici's `request()` body (a Node Readable) or a web `ReadableStream`. */
export type BodySource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /**
   * Keep the first `maxBytes` and stop reading instead of failing: for the body of an error
   * response, read only for its message. Default false.
   */
  truncate?: boolean;
  /** The response headers: a `content-length` above `maxBytes` is refused before reading. */
  headers?: HeaderValues;
  /** What is read, for the error message. Default "the response body". */
  what?: string;
  /** Evidence for the error's `details` (the URL, the status). */
  details?: Readonly<Record<string, unknown>>;
  /** Secret values to redact from the error. */
  secrets?: readonly (string | undefined)[];
  /** Makes the error instead of the default `payload_too_large` (a caller with its own wording). */
  tooLarge?: (maxBytes: number) => TikLiveError;
}

/**
 * Reads a response body up to `maxBytes`. A larger body (or a `content-length` saying so) fails
 * with `payload_too_large` (not retryable) as soon as the limit is crossed, and the rest is not
 * read: the stream is cancelled (for undici: destroyed, which closes the connection), so
 * a server that keeps sending never holds the caller or its memory. With `truncate`, the first
 * `maxBytes` are returned instead. Errors of the stream itself (reset, abort) are passed on.
 */
export async function readBody(body: BodySource, options: ReadBodyOptions): Promise<Uint8Array> {
  const limit = options.maxBytes;
  const tooLarge = (): TikLiveError =>
    options.tooLarge?.(limit) ??
    new TikLiveError(
      ErrorCode.PayloadTooLarge,
      `${options.what ?? "the response body"} exceeds ${limit} bytes`,
      {
        retryable: false,
        details: { ...options.details, maxBytes: limit },
        secrets: options.secrets,
      },
    );
  const declared = Number(headerValue(options.headers ?? {}, "content-length"));
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Returns false once the limit is reached (truncating); throws when refusing.
  const add = (chunk: Uint8Array): boolean => {
    if (size + chunk.length <= limit) {
      chunks.push(chunk);
      size += chunk.length;
      return true;
    }
    if (options.truncate !== true) throw tooLarge();
    chunks.push(chunk.subarray(0, limit - size));
    size = limit;
    return false;
  };
  if (isWebStream(body)) {
    const reader = body.getReader();
    let ended = false;
    try {
      if (options.truncate !== true && declared > limit) throw tooLarge();
      for (;;) {
        const next = await reader.read();
        if (next.done === true) {
          ended = true;
          break;
        }
        if (!add(next.value)) break;
      }
    } finally {
      // A stream left early (refused, truncated, failed) is cancelled so its source stops.
      if (!ended) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  } else {
    const iterator = body[Symbol.asyncIterator]();
    let ended = false;
    try {
      if (options.truncate !== true && declared > limit) throw tooLarge();
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) {
          ended = true;
          break;
        }
        if (!add(next.value)) break;
      }
    } finally {
      // Left early: ending the iteration destroys a Node Readable (undici then closes the
      // connection instead of waiting for the rest).
      if (!ended) await iterator.return?.()?.catch(() => {});
    }
  }
  return concat(chunks, size);
}

function isWebStream(body: BodySource): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === "function";
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

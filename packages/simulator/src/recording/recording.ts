// The recording format (NDJSON), what clients write from the frames they receive
// and what the simulator replays:
//
//   line 1:  {"format":"tiklive-recording","version":1,"uniqueId":"…","roomId":"…","recordedAt":"<ISO 8601>"}
//   then one line per received frame:
//            {"t":<ms since the recording started>,"payloadType":"msg","logId":"…","headers":{"compress_type":"gzip"},"payload":"<base64>"}
//
// `payload` is always stored un-gzipped: for `msg` frames (and `fetch` lines, the
// fetch results a client got over HTTP from the sign server or the polling
// endpoint) it is the raw `ProtoMessageFetchResult` (docs/protocol.md §3.1). `headers`
// are the frame's headers as received. Blank lines are ignored.
import { readFile, writeFile } from "node:fs/promises";
import { decodeFetchResult, decodePushFrame, ErrorCode, framePayload, TikLiveError } from "@tiklive/core";

/** The `format` value of a recording's header line. */
export const recordingFormat = "tiklive-recording";
/** The recording format version this package reads and writes. */
export const recordingVersion = 1;

/** The first line of a recording. */
export interface RecordingHeader {
  format: typeof recordingFormat;
  version: typeof recordingVersion;
  /** The streamer's @handle. */
  uniqueId: string;
  /** The room id (digits, as a string). */
  roomId: string;
  /** When the recording started (ISO 8601). */
  recordedAt: string;
}

/** One received frame of a recording. */
export interface RecordingFrame {
  /** Milliseconds since the recording started. Never decreases from one frame to the next. */
  t: number;
  /** The push frame's payloadType (`msg`, `im_enter_room_resp`, ...), or `fetch` for an HTTP fetch result. */
  payloadType: string;
  /** The frame's logId ("0" when it had none). */
  logId: string;
  /** The frame's headers as received. */
  headers: Record<string, string>;
  /** The payload, un-gzipped. */
  payload: Uint8Array;
}

/** A parsed recording. */
export interface Recording {
  header: RecordingHeader;
  frames: RecordingFrame[];
}

/** What {@link createRecorder} needs. */
export interface RecorderInit {
  uniqueId: string;
  roomId: string;
  /** When the recording started. Default: now. */
  recordedAt?: Date | string;
  /** The clock, in epoch ms; frame times are measured from its value at creation. Default `Date.now`. */
  now?: () => number;
}

/** Collects received frames into the recording format. */
export interface Recorder {
  readonly header: RecordingHeader;
  readonly frames: readonly RecordingFrame[];
  /**
   * Adds one received WebSocket frame (the raw `WebcastPushFrame` bytes). A gzip
   * payload is stored inflated. Throws a `TikLiveError` for bytes that are not a push frame.
   */
  addFrame(frame: Uint8Array, receivedAt?: number): RecordingFrame;
  /** Adds a fetch result received over HTTP (sign response or polling), as payloadType `fetch`. */
  addFetchResult(result: Uint8Array, receivedAt?: number): RecordingFrame;
  /** The recording so far. */
  toRecording(): Recording;
  /** The recording so far as NDJSON text (ends with a newline). */
  toNdjson(): string;
}

function invalid(message: string, details: Record<string, unknown> = {}): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message, { retryable: false, details });
}

/** Creates a {@link Recorder}. */
export function createRecorder(init: RecorderInit): Recorder {
  if (typeof init.uniqueId !== "string" || init.uniqueId.length === 0)
    throw invalid("createRecorder: uniqueId must be a non-empty string");
  if (typeof init.roomId !== "string" || !/^\d{1,20}$/.test(init.roomId))
    throw invalid("createRecorder: roomId must be a string of digits");
  const now = init.now ?? Date.now;
  const startedAt = now();
  const recordedAt =
    init.recordedAt === undefined
      ? new Date(startedAt).toISOString()
      : new Date(init.recordedAt).toISOString();
  const header: RecordingHeader = {
    format: recordingFormat,
    version: recordingVersion,
    uniqueId: init.uniqueId,
    roomId: init.roomId,
    recordedAt,
  };
  const frames: RecordingFrame[] = [];
  const at = (receivedAt: number | undefined): number => {
    const t = Math.max(0, Math.round((receivedAt ?? now()) - startedAt));
    const previous = frames[frames.length - 1];
    return previous === undefined ? t : Math.max(previous.t, t);
  };
  const push = (frame: RecordingFrame): RecordingFrame => {
    frames.push(frame);
    return frame;
  };
  return {
    header,
    frames,
    addFrame(bytes, receivedAt) {
      const frame = decodePushFrame(bytes);
      const payload = frame.payloadType === "msg" ? framePayload(frame) : frame.payload;
      return push({
        t: at(receivedAt),
        payloadType: frame.payloadType,
        logId: frame.logId,
        headers: { ...frame.headers },
        payload: payload.slice(),
      });
    },
    addFetchResult(result, receivedAt) {
      decodeFetchResult(result);
      return push({
        t: at(receivedAt),
        payloadType: "fetch",
        logId: "0",
        headers: {},
        payload: result.slice(),
      });
    },
    toRecording: () => ({ header: { ...header }, frames: [...frames] }),
    toNdjson: () => formatRecording({ header, frames }),
  };
}

/** Serialises a recording as NDJSON (header line, then one line per frame). */
export function formatRecording(recording: Recording): string {
  const lines = [JSON.stringify(recording.header)];
  for (const f of recording.frames) {
    lines.push(
      JSON.stringify({
        t: f.t,
        payloadType: f.payloadType,
        logId: f.logId,
        headers: f.headers,
        payload: Buffer.from(f.payload).toString("base64"),
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Writes a recording (or a recorder's frames so far) to a file. */
export async function writeRecording(path: string, recording: Recording | Recorder): Promise<void> {
  const text = "toNdjson" in recording ? recording.toNdjson() : formatRecording(recording);
  await writeFile(path, text, "utf8");
}

/** Reads and validates a recording file. Rejects with a `TikLiveError` (`invalid_input`) naming the line. */
export async function readRecording(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new TikLiveError(
      ErrorCode.InvalidInput,
      `cannot read recording ${path}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        retryable: false,
        details: { path },
      },
    );
  }
  return parseRecording(text);
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses and validates recording text. Every problem is a `TikLiveError` with code
 * `invalid_input` and `details.line` (1-based): a bad header, a line that is not
 * JSON, a missing or mistyped field, time going backwards, a payload that is not
 * base64, or a `msg`/`fetch` payload that is not a fetch result.
 */
export function parseRecording(text: string): Recording {
  if (typeof text !== "string") throw invalid("parseRecording: text must be a string");
  const lines = text.split(/\r?\n/);
  let header: RecordingHeader | undefined;
  const frames: RecordingFrame[] = [];
  lines.forEach((line, index) => {
    const n = index + 1;
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw invalid(
        `recording line ${n}: not JSON (${error instanceof Error ? error.message : String(error)})`,
        { line: n },
      );
    }
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw invalid(`recording line ${n}: expected a JSON object`, { line: n });
    const obj = value as Record<string, unknown>;
    if (header === undefined) {
      header = parseHeader(obj, n);
      return;
    }
    frames.push(parseFrame(obj, n, frames[frames.length - 1]));
  });
  if (header === undefined)
    throw invalid("recording is empty: the first line must be the header", { line: 1 });
  return { header, frames };
}

function parseHeader(obj: Record<string, unknown>, n: number): RecordingHeader {
  if (obj.format !== recordingFormat)
    throw invalid(`recording line ${n}: header "format" must be "${recordingFormat}"`, { line: n });
  if (obj.version !== recordingVersion)
    throw invalid(
      `recording line ${n}: unsupported version ${JSON.stringify(obj.version)} (expected ${recordingVersion})`,
      { line: n },
    );
  if (typeof obj.uniqueId !== "string" || obj.uniqueId.length === 0)
    throw invalid(`recording line ${n}: header "uniqueId" must be a non-empty string`, { line: n });
  if (typeof obj.roomId !== "string" || !/^\d{1,20}$/.test(obj.roomId))
    throw invalid(`recording line ${n}: header "roomId" must be a string of digits`, { line: n });
  if (typeof obj.recordedAt !== "string" || Number.isNaN(Date.parse(obj.recordedAt)))
    throw invalid(`recording line ${n}: header "recordedAt" must be an ISO 8601 date`, { line: n });
  return {
    format: recordingFormat,
    version: recordingVersion,
    uniqueId: obj.uniqueId,
    roomId: obj.roomId,
    recordedAt: obj.recordedAt,
  };
}

function parseFrame(
  obj: Record<string, unknown>,
  n: number,
  previous: RecordingFrame | undefined,
): RecordingFrame {
  const { t, payloadType, logId, headers, payload } = obj;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0)
    throw invalid(`recording line ${n}: "t" must be a number of milliseconds >= 0`, { line: n });
  if (previous !== undefined && t < previous.t)
    throw invalid(`recording line ${n}: "t" goes backwards (${t} < ${previous.t})`, { line: n });
  if (typeof payloadType !== "string" || payloadType.length === 0)
    throw invalid(`recording line ${n}: "payloadType" must be a non-empty string`, { line: n });
  if (typeof logId !== "string" || !/^\d{1,20}$/.test(logId))
    throw invalid(`recording line ${n}: "logId" must be a string of digits`, { line: n });
  const headerMap: Record<string, string> = {};
  if (headers !== undefined) {
    if (headers === null || typeof headers !== "object" || Array.isArray(headers))
      throw invalid(`recording line ${n}: "headers" must be an object of strings`, { line: n });
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v !== "string")
        throw invalid(`recording line ${n}: header ${JSON.stringify(k)} must be a string`, { line: n });
      headerMap[k] = v;
    }
  }
  if (typeof payload !== "string" || payload.length % 4 !== 0 || !base64Pattern.test(payload)) {
    throw invalid(`recording line ${n}: "payload" must be base64`, { line: n });
  }
  const bytes = new Uint8Array(Buffer.from(payload, "base64"));
  if (payloadType === "msg" || payloadType === "fetch") {
    try {
      decodeFetchResult(bytes);
    } catch (error) {
      throw new TikLiveError(
        ErrorCode.InvalidInput,
        `recording line ${n}: the payload is not a fetch result (${error instanceof Error ? error.message : String(error)})`,
        {
          cause: error,
          retryable: false,
          details: { line: n },
        },
      );
    }
  }
  return { t, payloadType, logId, headers: headerMap, payload: bytes };
}

// Fairness check of a corpus against the peer: does tiktok-live-connector's decoder accept every
// frame and message, and does it read the same values we wrote? A message the peer cannot decode
// would make it look faster (it skips the work) or slower (it throws), so the decode comparison
// only means something when this check is clean. The live corpus is built from our schema
// (@tiklive/proto); the peer has its own (tiktok-live-proto), so a field whose number or wire type
// differs between the two would show up here.
//
// Method: every frame through the peer's real path (`deserializeWebSocketMessage`: push frame,
// gunzip, fetch result, each message with its generated decoder); every message through our own
// schema (`fromBinary`); then every field our decode holds with a non-default value is compared
// with the peer's value at the same path (int64 as decimal strings, bytes by length, enums as
// numbers, maps as objects). Paths are reported with array indexes folded (`user.badgeList[].str`).
import { type DescMessage, fromBinary } from "@bufbuild/protobuf";
import { decodeMsgFrame } from "@tiklive/core";
import * as schemas from "@tiklive/proto";
import { deserializeWebSocketMessage } from "tiktok-live-connector";

export interface PeerCheckResult {
  frames: number;
  messages: number;
  /** Messages the peer decoded (`decodedData` set). */
  decoded: number;
  /** Messages whose decode threw in the peer (`decodeError`), by method. */
  decodeErrors: Record<string, number>;
  /** The first decode errors, verbatim (shortened). */
  decodeErrorExamples: string[];
  /** Messages of methods the peer has no schema for (it skips them), by method. */
  unknownToPeer: Record<string, number>;
  /** Field values compared (every non-default value of our decode, arrays element by element). */
  fieldsCompared: number;
  /** Values that differ, by `Method.path`. */
  mismatches: Record<string, number>;
  /**
   * Values the peer did not read because its schema does not declare the field (it skips it
   * undecoded, which saves it work), by `Method.path`. Not a decode failure.
   */
  notInPeerSchema: Record<string, number>;
  /** The first mismatches: path, ours, theirs. */
  mismatchExamples: string[];
  /** True when every message decoded in the peer and every value it read matched ours. */
  clean: boolean;
}

interface PeerMessage {
  method: string;
  decodedData?: { data: unknown };
  decodeError?: unknown;
}

const schemaOf = (method: string): DescMessage | undefined =>
  (schemas as unknown as Record<string, DescMessage | undefined>)[`${method}Schema`];

function isDefault(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === 0 ||
    v === "" ||
    v === false ||
    v === "0" ||
    v === 0n ||
    (Array.isArray(v) && v.length === 0) ||
    (v instanceof Uint8Array && v.length === 0)
  );
}

// Fields the two schemas name differently (same number and type).
const peerNames: Readonly<Record<string, string>> = { badgeDisplayType: "displayType" };

function scalar(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return v;
}

/** Compares every non-default value of `ours` (a protobuf-es message) with `theirs` at the same path. */
function compare(
  ours: unknown,
  theirs: unknown,
  path: string,
  out: {
    compared: number;
    report: (path: string, a: unknown, b: unknown) => void;
    absent: (path: string) => void;
  },
): void {
  if (isDefault(ours)) return;
  if (theirs === undefined) {
    out.absent(path);
    return;
  }
  if (Array.isArray(ours)) {
    const list = Array.isArray(theirs) ? theirs : [];
    if (list.length !== ours.length) out.report(`${path}.length`, ours.length, list.length);
    for (let i = 0; i < ours.length; i++) compare(ours[i], list[i], `${path}[]`, out);
    return;
  }
  if (typeof ours === "object" && !(ours instanceof Uint8Array)) {
    const theirsObj = (typeof theirs === "object" && theirs !== null ? theirs : {}) as Record<
      string,
      unknown
    >;
    for (const [key, value] of Object.entries(ours as Record<string, unknown>)) {
      if (key === "$typeName" || key === "$unknown") continue;
      const alias = peerNames[key];
      const peerValue =
        theirsObj[key] === undefined && alias !== undefined ? theirsObj[alias] : theirsObj[key];
      compare(value, peerValue, path === "" ? key : `${path}.${key}`, out);
    }
    return;
  }
  out.compared += 1;
  const a = scalar(ours);
  const b = scalar(theirs);
  if (a !== b && String(a) !== String(b)) out.report(path, a, b);
}

/** Runs every frame through the peer and compares what it read with our own decode. */
export async function checkPeerDecodes(frames: readonly Uint8Array[]): Promise<PeerCheckResult> {
  const result: PeerCheckResult = {
    frames: frames.length,
    messages: 0,
    decoded: 0,
    decodeErrors: {},
    decodeErrorExamples: [],
    unknownToPeer: {},
    fieldsCompared: 0,
    mismatches: {},
    notInPeerSchema: {},
    mismatchExamples: [],
    clean: false,
  };
  let method = "";
  const out = {
    compared: 0,
    report(path: string, a: unknown, b: unknown) {
      const key = `${method}.${path}`;
      result.mismatches[key] = (result.mismatches[key] ?? 0) + 1;
      if (result.mismatchExamples.length < 10)
        result.mismatchExamples.push(`${key}: ours ${JSON.stringify(a)}, peer ${JSON.stringify(b)}`);
    },
    absent(path: string) {
      const key = `${method}.${path}`;
      result.notInPeerSchema[key] = (result.notInPeerSchema[key] ?? 0) + 1;
    },
  };
  for (const frame of frames) {
    const ours = decodeMsgFrame(frame).result?.messages ?? [];
    const container = (await deserializeWebSocketMessage(
      Buffer.from(frame.buffer, frame.byteOffset, frame.length),
    )) as { protoMessageFetchResult?: { messages?: PeerMessage[] } };
    const theirs = container.protoMessageFetchResult?.messages ?? [];
    if (theirs.length !== ours.length) {
      out.report("(fetch result).messages.length", ours.length, theirs.length);
    }
    result.messages += ours.length;
    ours.forEach((raw, i) => {
      method = raw.method;
      const peer = theirs[i];
      if (peer === undefined) return;
      if (peer.decodeError !== undefined) {
        result.decodeErrors[method] = (result.decodeErrors[method] ?? 0) + 1;
        if (result.decodeErrorExamples.length < 5)
          result.decodeErrorExamples.push(`${method}: ${String(peer.decodeError).slice(0, 300)}`);
        return;
      }
      if (peer.decodedData === undefined) {
        result.unknownToPeer[method] = (result.unknownToPeer[method] ?? 0) + 1;
        return;
      }
      result.decoded += 1;
      const schema = schemaOf(method);
      if (schema === undefined) return;
      compare(fromBinary(schema, raw.payload), peer.decodedData.data, "", out);
    });
  }
  result.fieldsCompared = out.compared;
  result.clean =
    result.decoded === result.messages &&
    Object.keys(result.decodeErrors).length === 0 &&
    Object.keys(result.mismatches).length === 0;
  return result;
}

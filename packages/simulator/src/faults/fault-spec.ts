// The fault spec grammar (also documented in the README):
//
//   spec   = kind [ "=" value ] [ "@" param *( "," param ) ]
//   param  = key "=" text | "once" | "destroy"
//
//   kinds (value)                      where it acts
//   drop                               push / poll: destroy the TCP socket, no close frame
//   close=<code>                       push: close with that code (optional reason=<text>)
//   stall=<ms>                         push / poll: send nothing for <ms>, then go on
//   corrupt-frame                      push / poll: one frame / body that is not protobuf
//                                      (push with `destroy`: the next real batch goes out with a
//                                      payload that is not a fetch result; envelope intact)
//   corrupt-gzip                       push: one msg frame whose gzip payload is corrupt
//                                      (with `destroy`: the next real batch's gzip is corrupt)
//   unknown-method                     push / poll: one extra message whose method has no schema
//   bad-payload                        push / poll: one extra WebcastChatMessage that does not decode
//   no-gzip                            push: never gzip, even when the client asked
//   sign-429                           sign: 429 + Retry-After (retry-after=<s>, default 60; limit-label=<text>)
//   sign-stub                          sign: 200 "fallback stub" without pushServer, cursor or cookies
//   offline                            lookups say status 4; push connections close 1000
//   handshake-reject                   push: HTTP 200 + handshake-status/handshake-msg (status=<n>, msg=<text>)
//
//   scope and timing params (any kind): after=<n> messages sent on that connection
//   first (push/poll faults; default 0), room=<uniqueId|roomId>, conn=<connection id>,
//   once (= times=1), times=<n> (how many connections / requests it fires on, then
//   it is spent). `destroy` (corrupt-frame, corrupt-gzip; push only): instead of an extra
//   frame, corrupt the next frame of real messages, whose messages are then lost to the
//   client; the frame record lists them (`lostMsgIds`). Polling treats it as the plain kind
//   (a client polls that batch again, so nothing is lost there).
import { ErrorCode, TikLiveError } from "@tiklive/core";

/** Every fault kind. */
export const faultKinds = [
  "drop",
  "close",
  "stall",
  "corrupt-frame",
  "corrupt-gzip",
  "unknown-method",
  "bad-payload",
  "no-gzip",
  "sign-429",
  "sign-stub",
  "offline",
  "handshake-reject",
] as const;

/** One of {@link faultKinds}. */
export type FaultKind = (typeof faultKinds)[number];

/** A parsed fault spec. */
export interface FaultSpec {
  kind: FaultKind;
  /** `close`: the close code; `stall`: the duration in ms. */
  value?: number;
  /** Messages the connection must have been sent before the fault acts. Default 0. */
  after: number;
  /** Only this room (uniqueId, case-insensitive, or roomId). */
  room?: string;
  /** Only this connection id (WebSocket handshakes and polling sessions are numbered from 1). */
  conn?: string;
  /** How many times it acts before it is spent; `undefined` = every time. `once` is `times=1`. */
  times?: number;
  /** `close`: the close reason. Default "". */
  reason?: string;
  /** `sign-429`: the Retry-After seconds. Default 60. */
  retryAfter?: number;
  /** `sign-429`: the body's `limit_label`. Default "minute". */
  limitLabel?: string;
  /** `handshake-reject`: the `handshake-status` header. Default 417. */
  status?: number;
  /** `handshake-reject`: the `handshake-msg` header. Default "illegal secret key". */
  msg?: string;
  /**
   * `corrupt-frame`, `corrupt-gzip` (push): corrupt the next frame of real messages instead of
   * sending an extra one; its messages are lost to the client (the frame record's `lostMsgIds`).
   */
  destroy?: boolean;
}

const needsValue: ReadonlySet<FaultKind> = new Set(["close", "stall"]);
const kindParams: Readonly<Partial<Record<FaultKind, readonly string[]>>> = {
  close: ["reason"],
  "sign-429": ["retry-after", "limit-label"],
  "handshake-reject": ["status", "msg"],
  "corrupt-frame": ["destroy"],
  "corrupt-gzip": ["destroy"],
};
const commonParams = ["after", "room", "conn", "times", "once"];

function bad(spec: string, reason: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, `invalid fault spec ${JSON.stringify(spec)}: ${reason}`, {
    retryable: false,
    details: { spec },
  });
}

function integer(spec: string, name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw bad(spec, `${name} must be a whole number, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (n < min || n > max) throw bad(spec, `${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** True when `code` may be sent in a WebSocket close frame (RFC 6455 §7.4; what `ws` accepts). */
export function isValidCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/**
 * Parses a fault spec such as `drop@after=20`, `close=4001@after=10,room=sim_gamer`,
 * `sign-429@retry-after=3,times=2` or `handshake-reject@status=415,msg=DEVICE_BLOCKED`.
 * Throws a `TikLiveError` (`invalid_input`) naming the problem.
 */
export function parseFaultSpec(text: string): FaultSpec {
  if (typeof text !== "string" || text.trim() === "") throw bad(String(text), "empty");
  const spec = text.trim();
  const at = spec.indexOf("@");
  const head = at === -1 ? spec : spec.slice(0, at);
  const tail = at === -1 ? "" : spec.slice(at + 1);
  const eq = head.indexOf("=");
  const kindText = (eq === -1 ? head : head.slice(0, eq)).trim();
  const valueText = eq === -1 ? undefined : head.slice(eq + 1).trim();
  if (!(faultKinds as readonly string[]).includes(kindText))
    throw bad(spec, `unknown kind ${JSON.stringify(kindText)} (known: ${faultKinds.join(", ")})`);
  const kind = kindText as FaultKind;
  const out: FaultSpec = { kind, after: 0 };
  if (needsValue.has(kind)) {
    if (valueText === undefined || valueText === "")
      throw bad(spec, `${kind} needs a value (${kind === "close" ? "close=<code>" : "stall=<ms>"})`);
    if (kind === "close") {
      const code = integer(spec, "the close code", valueText, 1000, 4999);
      if (!isValidCloseCode(code))
        throw bad(spec, `${code} is not a close code a server may send (1000-1003, 1007-1014, 3000-4999)`);
      out.value = code;
    } else {
      out.value = integer(spec, "the stall duration", valueText, 1, 3_600_000);
    }
  } else if (valueText !== undefined) {
    throw bad(spec, `${kind} takes no value`);
  }
  if (tail.trim() === "" && at !== -1) throw bad(spec, "nothing after @");
  const allowed = new Set([...commonParams, ...(kindParams[kind] ?? [])]);
  const seen = new Set<string>();
  for (const raw of at === -1 ? [] : tail.split(",")) {
    const param = raw.trim();
    const pe = param.indexOf("=");
    const key = (pe === -1 ? param : param.slice(0, pe)).trim();
    const value = pe === -1 ? undefined : param.slice(pe + 1).trim();
    if (key === "") throw bad(spec, "empty parameter");
    if (!allowed.has(key))
      throw bad(
        spec,
        `unknown parameter ${JSON.stringify(key)} for ${kind} (allowed: ${[...allowed].join(", ")})`,
      );
    if (seen.has(key)) throw bad(spec, `parameter ${key} given twice`);
    seen.add(key);
    if (key === "once") {
      if (value !== undefined) throw bad(spec, "once takes no value");
      if (seen.has("times")) throw bad(spec, "once and times together");
      out.times = 1;
      continue;
    }
    if (key === "destroy") {
      if (value !== undefined) throw bad(spec, "destroy takes no value");
      out.destroy = true;
      continue;
    }
    if (value === undefined || value === "") throw bad(spec, `${key} needs a value`);
    switch (key) {
      case "after":
        out.after = integer(spec, "after", value, 0, 1_000_000_000);
        break;
      case "room":
        out.room = value;
        break;
      case "conn":
        integer(spec, "conn", value, 1, Number.MAX_SAFE_INTEGER);
        out.conn = String(Number(value));
        break;
      case "times":
        if (seen.has("once")) throw bad(spec, "once and times together");
        out.times = integer(spec, "times", value, 1, 1_000_000_000);
        break;
      case "reason":
        if (Buffer.byteLength(value) > 123) throw bad(spec, "a close reason is at most 123 bytes");
        out.reason = value;
        break;
      case "retry-after":
        out.retryAfter = integer(spec, "retry-after", value, 0, 86_400);
        break;
      case "limit-label":
        out.limitLabel = value;
        break;
      case "status":
        out.status = integer(spec, "status", value, 100, 999);
        break;
      case "msg":
        out.msg = value;
        break;
    }
  }
  return out;
}

/** Formats a {@link FaultSpec} back into the spec grammar (the inverse of {@link parseFaultSpec}). */
export function formatFaultSpec(spec: FaultSpec): string {
  const head = spec.value === undefined ? spec.kind : `${spec.kind}=${spec.value}`;
  const params: string[] = [];
  if (spec.after > 0) params.push(`after=${spec.after}`);
  if (spec.reason !== undefined) params.push(`reason=${spec.reason}`);
  if (spec.retryAfter !== undefined) params.push(`retry-after=${spec.retryAfter}`);
  if (spec.limitLabel !== undefined) params.push(`limit-label=${spec.limitLabel}`);
  if (spec.status !== undefined) params.push(`status=${spec.status}`);
  if (spec.msg !== undefined) params.push(`msg=${spec.msg}`);
  if (spec.destroy === true) params.push("destroy");
  if (spec.room !== undefined) params.push(`room=${spec.room}`);
  if (spec.conn !== undefined) params.push(`conn=${spec.conn}`);
  if (spec.times === 1) params.push("once");
  else if (spec.times !== undefined) params.push(`times=${spec.times}`);
  return params.length === 0 ? head : `${head}@${params.join(",")}`;
}

/** Validates a spec given as an object (library API) by formatting and re-parsing it. */
export function normalizeFaultSpec(spec: string | FaultSpec): FaultSpec {
  if (typeof spec === "string") return parseFaultSpec(spec);
  if (
    spec === null ||
    typeof spec !== "object" ||
    !(faultKinds as readonly string[]).includes((spec as FaultSpec).kind)
  ) {
    throw new TikLiveError(ErrorCode.InvalidInput, `invalid fault spec: ${JSON.stringify(spec)}`, {
      retryable: false,
    });
  }
  return parseFaultSpec(formatFaultSpec({ ...spec, after: spec.after ?? 0 }));
}

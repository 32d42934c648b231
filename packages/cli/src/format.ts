// How `tiklive watch` shows events: `toJsonEvent` for --json (one object per line), and
// `formatEventLine` for people. Both are pure: no clock unless asked, no I/O.
import type { ClientEvent, ClientState, User } from "@tiklive/client";
import { type AnyMethodEvent, isMethodEvent, TikLiveError } from "@tiklive/core";

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An event as `tiklive watch --json` prints it: `{"event": "<name>", ...fields}`. */
export type JsonEvent = { event: string } & { [key: string]: JsonValue };

/** A `TikLiveError` as JSON. */
export interface JsonError {
  [key: string]: JsonValue;
  code: string;
  message: string;
  retryable: boolean;
}

// ---------------------------------------------------------------- error messages

// What the signer was doing, by the name of the signer's method that failed (its errors start
// `signer "<name>" <method>: `): the method names mean nothing to someone at a terminal.
const signerOperations: Record<string, string> = {
  sign: "signing the connection",
  resolveRoomId: "looking up the room id",
  sendChat: "sending a chat message",
};
// The options of createEulerSigner that the command line sets, by the flag that sets them.
const signerOptions: Record<string, string> = {
  apiKey: "the API key (--api-key or EULER_API_KEY)",
  jwtKey: "the JWT key",
  baseUrl: "--sign-url",
};

// The sign server a signer named `name` talks to: the host of the URL in its errors' details,
// else the host in its name (`euler@host`).
function signServerHost(error: unknown, name: string): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) {
    const url = e instanceof TikLiveError ? e.details["url"] : undefined;
    if (e instanceof TikLiveError && e.details["signer"] === name && typeof url === "string") {
      try {
        return new URL(url).host;
      } catch {
        break;
      }
    }
  }
  const at = name.lastIndexOf("@");
  return at === -1 ? undefined : name.slice(at + 1);
}

/**
 * An error's message in plain words, for people: the names of functions and methods that
 * the libraries put in front (`signer "euler@host" resolveRoomId: ...`,
 * `createEulerSigner: \`apiKey\` ...`) become what was being done
 * (`looking up the room id (sign server host): ...`). Secrets were already redacted by the
 * error itself. Anything else is returned as it is.
 */
export function plainErrorMessage(error: unknown, message?: string): string {
  const text = message ?? (error instanceof Error ? error.message : String(error));
  return text
    .replace(/\bsigner "([^"]*)" (\w+): /g, (match, name: string, operation: string) => {
      const doing = signerOperations[operation];
      if (doing === undefined) return match;
      const host = signServerHost(error, name);
      return `${doing} (${host === undefined ? "sign server" : `sign server ${host}`}): `;
    })
    .replace(/\bcreateEulerSigner: (?:`(\w+)` )?/g, (_match, option: string | undefined) =>
      option === undefined
        ? "the sign server settings: "
        : `${signerOptions[option] ?? `the signer's ${option}`} `,
    );
}

/** The fields of a `TikLiveError` worth printing: code, message, retryable, and retryAfterMs when set. */
export function errorToJson(error: unknown): JsonError {
  if (error instanceof TikLiveError) {
    const json: JsonError = {
      code: error.code,
      message: plainErrorMessage(error),
      retryable: error.retryable,
    };
    if (error.retryAfterMs !== undefined) json["retryAfterMs"] = error.retryAfterMs;
    return json;
  }
  return {
    code: "unexpected",
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  };
}

// Keys whose value is an id: always a string in JSON (19-digit ids do not fit a JS number).
const idKey = /(?:^id|Id)$/;

/**
 * Turns any value of an event into JSON: drops `raw` (the decoded protobuf message), bytes,
 * undefined and protobuf bookkeeping (`$typeName`, `$unknown`); ids (`msgId`, `userId`,
 * `roomId`, `giftId`, any `...Id`) become strings; bigints become strings; errors become
 * `{code, message, retryable}`.
 */
function toJsonValue(value: unknown, key: string): JsonValue | undefined {
  if (
    value === undefined ||
    typeof value === "function" ||
    typeof value === "symbol" ||
    value instanceof Uint8Array
  )
    return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (idKey.test(key)) return String(value);
    return Number.isFinite(value) ? value : null;
  }
  if (value instanceof Error) return errorToJson(value);
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, "") ?? null);
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "raw" || k.startsWith("$")) continue;
      const json = toJsonValue(v, k);
      if (json !== undefined) out[k] = json;
    }
    return out;
  }
  return String(value);
}

function withFields(name: string, fields: Record<string, unknown>): JsonEvent {
  const event: JsonEvent = { event: name };
  for (const [key, value] of Object.entries(fields)) {
    if (key === "raw") continue;
    const json = toJsonValue(value, key);
    if (json !== undefined) event[key] = json;
  }
  return event;
}

function stateFields(state: ClientState): Record<string, unknown> {
  const title = state.roomInfo?.title;
  return {
    uniqueId: state.uniqueId,
    roomId: state.roomId,
    title: typeof title === "string" ? title : undefined,
    transport: state.transport,
    signer: state.signer,
    reconnects: state.reconnects,
  };
}

/**
 * An event as `tiklive watch --json` prints it: `{"event": "<name>", ...}` with the event's
 * friendly fields (nested `user` objects included), ids as strings, and no `raw` protobuf
 * message or bytes. The client's own events carry their fields: `connected` (uniqueId,
 * roomId, title, transport, signer, reconnects, reconnected), `reconnecting` (attempt,
 * delayMs, reason, error), `gap` (from, until, reason, lostMessages), `error` (code,
 * message, retryable, retryAfterMs), `disconnected` (reason, error); `rawData` and
 * `decodedData` give the method, msgId and payload size (and the decoded event names). The
 * generic Webcast method events (`giftGallery`, ...) keep their decoded message as `data`.
 */
export function toJsonEvent(event: ClientEvent): JsonEvent {
  switch (event.type) {
    case "connected":
      return withFields(event.type, { ...stateFields(event.state), reconnected: event.reconnected });
    case "websocketConnected":
      return withFields(event.type, { url: event.url });
    case "reconnecting":
      return withFields(event.type, {
        attempt: event.attempt,
        delayMs: event.delayMs,
        reason: event.reason,
        signBudgetWaitMs: event.signBudgetWaitMs,
        error: event.error,
      });
    case "gap":
      return withFields(event.type, {
        from: event.from,
        until: event.until,
        reason: event.reason,
        lostMessages: event.lostMessages,
        logId: event.logId,
        seqId: event.seqId,
      });
    case "error":
      return { event: event.type, ...errorToJson(event.error) };
    case "disconnected":
      return withFields(event.type, { reason: event.reason, error: event.error });
    case "rawData":
      return withFields(event.type, {
        method: event.method,
        msgId: event.msgId,
        payloadSize: event.payload.length,
      });
    case "decodedData":
      return withFields(event.type, {
        method: event.method,
        msgId: event.msgId,
        payloadSize: event.payload.length,
        events: event.events.map((e) => e.type),
      });
    default: {
      const { type, ...fields } = event;
      return withFields(type, fields);
    }
  }
}

// ---------------------------------------------------------------- lines for people

/** Options of {@link formatEventLine}. */
export interface LineOptions {
  /** ANSI colours. Default false. */
  color?: boolean;
  /**
   * Start the line with the local time (HH:MM:SS) of the message (its `createTime`), or of
   * `now()` for events without one. Default false.
   */
  time?: boolean;
  /** The clock for events without a createTime. Default `Date.now`. */
  now?: () => number;
}

type Tone = "chat" | "gift" | "social" | "like" | "viewers" | "join" | "control" | "error" | "plain";

const ansi = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  blue: "\u001b[34m",
  magenta: "\u001b[35m",
  cyan: "\u001b[36m",
} as const;

const toneColor: Record<Tone, string> = {
  chat: ansi.cyan,
  gift: ansi.magenta,
  social: ansi.green,
  like: ansi.red,
  viewers: ansi.blue,
  join: ansi.dim,
  control: ansi.yellow,
  error: `${ansi.bold}${ansi.red}`,
  plain: "",
};

// Text from the stream goes to a terminal: control characters (escape sequences, carriage
// returns, newlines) would let a chat message repaint the screen or split the line.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f-\u009f]/g;

/** Makes text from the stream safe for one terminal line: control characters become spaces or U+FFFD. */
export function sanitizeText(text: string): string {
  return text.replace(controlChars, (c) => (c === "\n" || c === "\r" || c === "\t" ? " " : "\uFFFD"));
}

function who(user: Pick<User, "uniqueId" | "nickname" | "userId"> | undefined): string {
  if (user === undefined) return "someone";
  if (user.uniqueId !== "") return `@${sanitizeText(user.uniqueId)}`;
  if (user.nickname !== "") return sanitizeText(user.nickname);
  return `user ${user.userId}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

const memberActions: Record<number, string> = {
  1: "joined",
  2: "left",
  3: "subscribed",
  26: "shared the stream",
  27: "followed",
};
const battleActions: Record<number, string> = {
  1: "invited",
  2: "rejected",
  3: "cancelled",
  4: "opened",
  5: "finished",
  6: "cut short",
  7: "accepted",
};
const streakEnds: Record<string, string> = {
  repeatEnd: "",
  single: "",
  timeout: " (streak timed out)",
  flush: " (streak cut off by the disconnect)",
};

// Fields a secondary event may carry that read well as its summary, in order of preference.
const summaryKeys = [
  "content",
  "text",
  "description",
  "title",
  "message",
  "tips",
  "contentPattern",
  "displayText",
  "displayKey",
] as const;

function summary(event: Record<string, unknown>): string {
  const parts: string[] = [];
  const user = event["user"];
  if (typeof user === "object" && user !== null && "uniqueId" in user) parts.push(who(user as User));
  for (const key of summaryKeys) {
    const value = event[key];
    if (typeof value === "string" && value !== "") {
      parts.push(sanitizeText(value));
      break;
    }
  }
  if (parts.length === 0 || (parts.length === 1 && user !== undefined))
    parts.push(String(event["method"] ?? ""));
  return parts.filter((p) => p !== "").join(" ");
}

// A value of a decoded message worth a `key=value` in a one-line summary: set scalars only.
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") {
    if (value === "" || value === "0") return undefined;
    const text = sanitizeText(value.length > 40 ? `${value.slice(0, 39)}…` : value);
    return /^-?\d+$/.test(value) ? text : JSON.stringify(text);
  }
  if (typeof value === "number") return value === 0 ? undefined : String(value);
  if (typeof value === "bigint") return value === 0n ? undefined : value.toString();
  if (typeof value === "boolean") return value ? "true" : undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : `[${value.length}]`;
  return undefined;
}

/**
 * A generic method event in one line: its method, then the message's set top-level scalars
 * (`WebcastGiftGalleryMessage msgType=2 logId="abc"`), at most about 80 characters of them.
 */
function methodEventText(event: AnyMethodEvent): string {
  const parts = [sanitizeText(event.method)];
  let length = 0;
  for (const [key, value] of Object.entries(event.data)) {
    if (key === "common" || key.startsWith("$")) continue;
    const text = scalarText(value);
    if (text === undefined) continue;
    const part = `${key}=${text}`;
    if (length + part.length > 80) {
      parts.push("…");
      break;
    }
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join(" ");
}

function errorText(error: TikLiveError): string {
  const retry = error.retryAfterMs === undefined ? "" : `, retry in ${seconds(error.retryAfterMs)}`;
  return `${error.code}: ${sanitizeText(plainErrorMessage(error))}${retry}`;
}

function describe(event: ClientEvent): { tone: Tone; text: string } {
  switch (event.type) {
    case "chat":
      return { tone: "chat", text: `${who(event.user)}: ${sanitizeText(event.comment)}` };
    case "gift": {
      const to = event.toUser === undefined || event.toUser.uniqueId === "" ? "" : ` to ${who(event.toUser)}`;
      const state = event.isStreaking ? " (streak running)" : event.repeatEnd ? " (streak ended)" : "";
      return {
        tone: "gift",
        text: `${who(event.user)} sent ${sanitizeText(event.giftName)} x${event.repeatCount}${to}${state}`,
      };
    }
    case "giftCompleted":
      return {
        tone: "gift",
        text: `${who(event.user)} gave ${sanitizeText(event.giftName)} x${event.repeatCount} = ${plural(event.diamonds, "diamond")}${streakEnds[event.reason] ?? ""}`,
      };
    case "member":
      return {
        tone: "join",
        text: `${who(event.user)} ${memberActions[event.action] ?? `(member action ${event.action})`}`,
      };
    case "like":
      return {
        tone: "like",
        text: `${who(event.user)} sent ${plural(event.likeCount, "like")} (room total ${event.totalLikeCount})`,
      };
    case "follow":
      return { tone: "social", text: `${who(event.user)} followed the host` };
    case "share":
      return { tone: "social", text: `${who(event.user)} shared the stream` };
    case "social":
      return {
        tone: "social",
        text: `${who(event.user)} ${event.displayKey === "" ? `(social action ${event.action})` : sanitizeText(event.displayKey)}`,
      };
    case "roomUser": {
      const top = event.topViewers.slice(0, 3).map((t) => `${who(t.user)} (${t.coinCount})`);
      return {
        tone: "viewers",
        text: `${plural(event.viewerCount, "viewer")} now, ${event.totalViewers} in total${top.length > 0 ? `; top: ${top.join(", ")}` : ""}`,
      };
    }
    case "controlMessage":
      return {
        tone: "control",
        text: `stream ${event.actionName} (action ${event.action})${event.tips === "" ? "" : `: ${sanitizeText(event.tips)}`}`,
      };
    case "streamEnd":
      return {
        tone: "control",
        text: event.reason === "ended" ? "the stream ended" : "the stream was suspended",
      };
    case "subscribe":
      return {
        tone: "social",
        text: `${who(event.user)} subscribed${event.subMonth > 0 ? ` (month ${event.subMonth})` : ""}`,
      };
    case "questionNew":
      return { tone: "chat", text: `${who(event.user)} asks: ${sanitizeText(event.questionText)}` };
    case "linkMicBattle": {
      const hosts = event.battleUsers
        .map((u) => (u.uniqueId === "" ? sanitizeText(u.nickname) : `@${sanitizeText(u.uniqueId)}`))
        .join(" vs ");
      const results = event.battleResults.map((r) => `${r.userId}: ${r.score}`).join(", ");
      return {
        tone: "plain",
        text: `battle ${battleActions[event.action] ?? `action ${event.action}`}${hosts === "" ? "" : `: ${hosts}`}${results === "" ? "" : ` (${results})`}`,
      };
    }
    case "linkMicArmies":
      return {
        tone: "plain",
        text: `battle scores: ${event.battleArmies.map((a) => `${a.hostUserId} ${a.points}`).join(", ") || "none"}`,
      };
    case "emote":
      return { tone: "chat", text: `${who(event.user)} sent ${plural(event.emotes.length, "emote")}` };
    case "envelope":
    case "superFanBox":
      return {
        tone: "gift",
        text: `${sanitizeText(event.sendUserName) || "someone"} dropped a treasure chest: ${plural(event.diamondCount, "diamond")} for ${plural(event.peopleCount, "viewer")}`,
      };
    case "liveIntro":
      return { tone: "plain", text: `${who(event.host)}: ${sanitizeText(event.description)}` };
    case "pollMessage":
      return {
        tone: "plain",
        text: `poll ${event.kind}: ${event.options.map((o) => `${sanitizeText(o.text)} (${o.votes})`).join(", ") || "no options"}`,
      };
    case "captionMessage":
      return {
        tone: "plain",
        text: `${event.definite ? "" : "(partial) "}${event.captions.map((c) => `[${sanitizeText(c.language)}] ${sanitizeText(c.text)}`).join(" ")}`,
      };
    case "roomPin": {
      const pinned =
        event.pinnedComment === undefined
          ? sanitizeText(event.pinnedMethod)
          : `"${sanitizeText(event.pinnedComment)}"`;
      const author = event.pinnedUser === undefined ? "" : ` by ${who(event.pinnedUser)}`;
      return {
        tone: "plain",
        text: `${who(event.operator)} ${typeof event.action === "number" ? `pin action ${event.action}` : `${event.action}ned`} ${pinned}${author}`,
      };
    }
    case "imDelete":
      return {
        tone: "plain",
        text: `${plural(event.deleteMsgIds.length, "message")} deleted${event.deleteMsgIds.length > 0 ? `: ${event.deleteMsgIds.join(", ")}` : ""}`,
      };
    case "unknownMessage":
      return {
        tone: "plain",
        text: `${sanitizeText(event.method)} (${plural(event.payloadSize, "byte")}, no schema)`,
      };
    case "decodeError":
      return {
        tone: "error",
        text: `${sanitizeText(event.method)} did not decode: ${sanitizeText(event.error.message)}`,
      };
    case "connected": {
      const { state } = event;
      const title =
        typeof state.roomInfo?.title === "string" && state.roomInfo.title !== ""
          ? ` "${sanitizeText(state.roomInfo.title)}"`
          : "";
      return {
        tone: "control",
        text: `${event.reconnected ? "reconnected" : "connected"} to @${state.uniqueId}${title} (room ${state.roomId ?? "?"}) over ${state.transport ?? "?"}`,
      };
    }
    case "websocketConnected":
      return { tone: "control", text: "WebSocket open" };
    case "reconnecting":
      return {
        tone: "control",
        text: `connection lost (${event.reason}${event.error === undefined ? "" : `: ${event.error.code}`}); reconnecting in ${seconds(event.delayMs)}${event.signBudgetWaitMs > 0 ? ` (waiting ${seconds(event.signBudgetWaitMs)} for the sign budget)` : ""}, attempt ${event.attempt}`,
      };
    case "gap":
      return {
        tone: "error",
        text:
          event.reason === "badFrame"
            ? `a frame${event.logId === undefined ? "" : ` (logId ${event.logId})`} did not decode: its events are missing`
            : `events from ${clock(event.from)} to ${clock(event.until)} may be missing (${event.reason === "offline" ? "the room ended while reconnecting" : "reconnected without a cursor"})`,
      };
    case "error":
      return { tone: "error", text: errorText(event.error) };
    case "disconnected":
      return {
        tone: "control",
        text: `disconnected (${event.reason})${event.error === undefined ? "" : `: ${errorText(event.error)}`}`,
      };
    case "rawData":
      return {
        tone: "plain",
        text: `${sanitizeText(event.method)} ${event.msgId} (${plural(event.payload.length, "byte")})`,
      };
    case "decodedData":
      return {
        tone: "plain",
        text: `${sanitizeText(event.method)} ${event.msgId} -> ${event.events.map((e) => e.type).join(", ") || "nothing"}`,
      };
    default:
      if (isMethodEvent(event)) return { tone: "plain", text: methodEventText(event) };
      return { tone: "plain", text: summary(event as unknown as Record<string, unknown>) };
  }
}

/**
 * One readable line for an event (no newline): its name, then what happened, e.g.
 * `chat          @alice: hello`, `gift          @bob sent Rose x3 (streak running)`,
 * `giftCompleted @bob gave Rose x5 = 5 diamonds`. Text from the stream is sanitised
 * (no control characters), so one event is always one line.
 */
export function formatEventLine(event: ClientEvent, options: LineOptions = {}): string {
  const { tone, text } = describe(event);
  const color = options.color === true;
  const label = event.type.padEnd(14);
  const paint = (code: string, s: string) => (color && code !== "" ? `${code}${s}${ansi.reset}` : s);
  let prefix = "";
  if (options.time === true) {
    const created =
      "createTime" in event && typeof event.createTime === "number" && event.createTime > 0
        ? event.createTime
        : (options.now ?? Date.now)();
    prefix = `${paint(ansi.dim, clock(created))} `;
  }
  return `${prefix}${paint(toneColor[tone], label)} ${text}`;
}

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set. */
export function shouldColor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && env["NO_COLOR"] === undefined;
}

/**
 * The lines `tiklive` prints on stderr when it stops on an error: what went wrong, with the
 * error code (`tiklive: user_offline: @someone is not live`), and for some codes a second
 * line on what to do (a rate limit's retry time, checking the API key, another transport).
 * No stack trace.
 */
export function formatErrorLines(error: unknown, options: { now?: () => number } = {}): string[] {
  if (!(error instanceof TikLiveError)) {
    return [`tiklive: unexpected error: ${sanitizeText(plainErrorMessage(error))}`];
  }
  // "no transport could open the stream: <the one failure>": say the failure itself.
  const attempts = error.details["attempts"];
  const cause = error.cause;
  const message =
    cause instanceof TikLiveError &&
    cause.code === error.code &&
    Array.isArray(attempts) &&
    attempts.length === 1
      ? cause.message
      : error.message;
  const lines = [`tiklive: ${error.code}: ${sanitizeText(plainErrorMessage(error, message))}`];
  const now = options.now ?? Date.now;
  switch (error.code) {
    case "sign_rate_limited":
    case "rate_limited":
      lines.push(
        error.retryAfterMs === undefined
          ? "tiklive: rate-limited; try again later"
          : `tiklive: rate-limited; try again in ${seconds(error.retryAfterMs)} (after ${clock(now() + error.retryAfterMs)})`,
      );
      break;
    case "sign_unauthorized":
      lines.push("tiklive: the sign server refused the API key: check --api-key (or EULER_API_KEY)");
      break;
    case "network_error": {
      // A failure of the --proxy (details.proxy is its host:port, never its credentials).
      const hint = error.details["hint"];
      if (typeof error.details["proxy"] === "string")
        lines.push(`tiklive: check --proxy: ${typeof hint === "string" ? hint : "is the proxy running?"}`);
      break;
    }
    case "handshake_rejected":
      lines.push(
        "tiklive: the push server refused the WebSocket; --transport auto or poll falls back to HTTP polling",
      );
      break;
    default:
      break;
  }
  return lines;
}

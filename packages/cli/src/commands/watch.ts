// `tiklive watch <uniqueId|url>`: every event of a stream on stdout, as readable lines or
// NDJSON (shared/CLI.md).
import type { ClientEvent, ClientEventName, GapEvent, TikLiveError, TikTokLiveClient } from "@tiklive/client";
import { type CliIo, ExitCode } from "../cli-io.js";
import { defaultWatchEvents } from "../event-names.js";
import { formatEventLine, plainErrorMessage, shouldColor, toJsonEvent } from "../format.js";
import { runSession, type SessionOptions } from "../session.js";

/** Options of {@link runWatch}. */
export interface WatchOptions extends SessionOptions {
  /** NDJSON on stdout (`--json`) instead of readable lines. Default false. */
  json?: boolean;
  /** Only these events (`--events`). Default: every event but `rawData` and `decodedData`. */
  events?: readonly ClientEventName[] | undefined;
}

// Events that come from the client rather than the stream; their text may carry URLs and
// server messages, so their lines go through the redactor as well.
function isControl(event: ClientEvent): boolean {
  return !("msgId" in event) && event.type !== "giftCompleted";
}

/**
 * Errors not asked for with `--events` still go somewhere: a line on stderr each. The error
 * that ends the session is left to the final report (runSession's lines), so each error is
 * said once: an error is held until the client shows it carried on (another control event,
 * or 500 ms), and dropped if `disconnected` names it.
 */
function reportErrorsOnStderr(client: TikTokLiveClient, io: CliIo, redact: (text: string) => string): void {
  let pending: TikLiveError | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending !== undefined)
      io.stderr(`${redact(`tiklive: error: ${pending.code}: ${plainErrorMessage(pending)}`)}\n`);
    pending = undefined;
  };
  client.on("error", (event) => {
    if (event.error === pending) return;
    flush();
    pending = event.error;
    timer = setTimeout(flush, 500);
    timer.unref?.();
  });
  for (const name of ["connected", "reconnecting", "gap"] as const) client.on(name, flush);
  client.on("disconnected", (event) => {
    if (event.error === pending) pending = undefined;
    flush();
  });
}

// How each gap reason is counted in the summary line (one, many).
const gapWords: Readonly<Record<GapEvent["reason"], readonly [string, string]>> = {
  badFrame: ["bad frame", "bad frames"],
  noCursor: ["reconnect without cursor", "reconnects without cursor"],
  offline: ["room end while reconnecting", "room ends while reconnecting"],
};

/**
 * The line `tiklive watch` writes on stderr at the end of a run that had gaps, e.g.
 * `tiklive: 3 gaps: events may be missing (2 bad frames, 1 reconnect without cursor)`.
 */
export function gapSummary(reasons: readonly GapEvent["reason"][]): string {
  const counts = new Map<GapEvent["reason"], number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = (Object.keys(gapWords) as GapEvent["reason"][]).flatMap((reason) => {
    const n = counts.get(reason) ?? 0;
    const [one, many] = gapWords[reason];
    return n === 0 ? [] : [`${n} ${n === 1 ? one : many}`];
  });
  const total = reasons.length;
  return `tiklive: ${total} ${total === 1 ? "gap" : "gaps"}: events may be missing (${parts.join(", ")})`;
}

/**
 * Runs `tiklive watch`: connects and writes one line per event to `io.stdout` as it arrives
 * (JSON with `json`), until the stream ends, `durationMs` runs out or `io.signal` aborts.
 * Listens only for the selected events, so the client decodes only what is printed. Resolves
 * with the exit code: 0 (ended or stopped), 1 (an error, on stderr), 2 (a rejected value), 3
 * (it ran to its end but the client reported gaps: events may be missing; a summary line on
 * stderr counts them; a run that failed keeps 1).
 */
export async function runWatch(options: WatchOptions, io: CliIo): Promise<number> {
  const json = options.json === true;
  const color = !json && shouldColor(io.stdoutIsTTY, io.env);
  const selected = new Set<ClientEventName>(options.events ?? defaultWatchEvents);
  const gaps: GapEvent["reason"][] = [];
  const result = await runSession(options, io, {
    topic: "watch",
    attach(client, redact) {
      // The client may emit the error that ends the session twice (from its reconnect loop,
      // then as it tears down); the same error object is printed once.
      let lastError: unknown;
      // An event reaches every selected name that hears it (`social` hears `follow`): one line.
      let lastEvent: ClientEvent | undefined;
      const print = (event: ClientEvent) => {
        if (event === lastEvent) return;
        lastEvent = event;
        if (event.type === "error") {
          if (event.error === lastError) return;
          lastError = event.error;
        }
        const line = json
          ? JSON.stringify(toJsonEvent(event))
          : formatEventLine(event, { color, time: true, now: io.now });
        io.stdout(`${isControl(event) ? redact(line) : line}\n`);
      };
      for (const name of selected) client.on(name, print);
      if (!selected.has("error")) reportErrorsOnStderr(client, io, redact);
      // Printed or not, every gap counts for the exit code.
      client.on("gap", (event) => gaps.push(event.reason));
    },
  });
  if (gaps.length === 0) return result.code;
  io.stderr(`${gapSummary(gaps)}\n`);
  return result.code === ExitCode.Ok ? ExitCode.EventsMissing : result.code;
}

// `tiklive record <uniqueId|url> --out <file>`: the frames of a session, as received, in the
// simulator's recording format, for `tiklive-sim --scenario <file>`.
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { normalizeUniqueId, TikLiveError } from "@tiklive/core";
import { writeRecording } from "@tiklive/simulator";
import { usageLines } from "../args.js";
import { type CliIo, ExitCode } from "../cli-io.js";
import {
  createRecordingSigner,
  createRecordingTransport,
  createSessionRecorder,
} from "../recording-transport.js";
import { runSession, type SessionOptions } from "../session.js";

/** Options of {@link runRecord}. */
export interface RecordOptions extends SessionOptions {
  /** The recording file to write (replaced if it exists). */
  out: string;
}

/**
 * Runs `tiklive record`: connects through a recording signer and recording transports, and when
 * the session ends (stream end, `durationMs`, `io.signal`, or an error after the first sign)
 * writes what was received to `out`. Progress goes to stderr; stdout stays empty. Resolves
 * with the exit code, as `runWatch` does; a file that cannot be written is an error (1).
 */
export async function runRecord(options: RecordOptions, io: CliIo): Promise<number> {
  let uniqueId: string;
  try {
    uniqueId = normalizeUniqueId(options.uniqueId);
  } catch (error) {
    io.stderr(
      `tiklive: ${error instanceof TikLiveError ? error.message : String(error)}\n${usageLines.record}\n`,
    );
    return ExitCode.Usage;
  }
  // Find out now, not after an hour of recording, that the file cannot be written.
  try {
    await access(dirname(resolve(options.out)), constants.W_OK);
  } catch {
    io.stderr(`tiklive: cannot write ${options.out}: its directory does not exist or is not writable\n`);
    return ExitCode.Failure;
  }

  const recorder = createSessionRecorder({ uniqueId, now: io.now });
  const result = await runSession(options, io, {
    topic: "record",
    signer: (signer) => createRecordingSigner(signer, recorder),
    transport: (transport) => createRecordingTransport(transport, recorder),
    attach(client) {
      client.on("connected", (event) => {
        if (!event.reconnected)
          io.stderr(
            `tiklive: recording @${event.state.uniqueId} (room ${event.state.roomId ?? "?"}) over ${event.state.transport ?? "?"} to ${options.out}\n`,
          );
      });
    },
  });

  const recording = recorder.recording();
  if (recording === undefined) return result.code;
  try {
    await writeRecording(options.out, recording);
  } catch (error) {
    io.stderr(
      `tiklive: cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return ExitCode.Failure;
  }
  const stats = recorder.stats();
  io.stderr(
    `tiklive: wrote ${stats.frames} frames (${stats.messages} messages) to ${options.out}${stats.skipped > 0 ? `; ${stats.skipped} undecodable frames left out` : ""}\n`,
  );
  return result.code;
}

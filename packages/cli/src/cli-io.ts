/** Exit codes of `tiklive`. */
export const ExitCode = {
  /** The stream ended, `--duration` ran out, or SIGINT/SIGTERM stopped it. */
  Ok: 0,
  /** A typed error: offline user, user not found, bad API key, rate limit, handshake rejected... */
  Failure: 1,
  /** A usage error: a bad flag or value, an invalid uniqueId, an unknown event name. */
  Usage: 2,
  /**
   * `watch` ran to its end but events may be missing: the client reported gaps (frames that
   * did not decode, a reconnect without a cursor, the room ending during a reconnect). A
   * summary line on stderr counts them. A run that failed keeps its own code (1).
   */
  EventsMissing: 3,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Where a command writes and what it knows of its process, so commands run in-process (tests,
 * other tools) as well as from the `tiklive` bin.
 */
export interface CliIo {
  /** Writes to standard output. Called once per line (newline included), as each event arrives. */
  stdout(text: string): void;
  /** Writes to standard error (logs, progress, errors). */
  stderr(text: string): void;
  /** Whether stdout is a terminal: human output is coloured only then (and without NO_COLOR). */
  stdoutIsTTY: boolean;
  /** Environment variables (`NO_COLOR`, `EULER_API_KEY`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborting it stops the command cleanly, as SIGINT and SIGTERM do: disconnect, exit 0. */
  signal?: AbortSignal;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

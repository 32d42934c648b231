// Test helpers: an in-memory CliIo. Not exported from the package.
import type { CliIo } from "./cli-io.js";
import type { JsonEvent } from "./format.js";

/** An in-memory {@link CliIo} and what was written to it. */
export interface MemoryIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** stdout split into lines (without the last empty one). */
  lines(): string[];
  /** stdout parsed as NDJSON: throws on a line that is not one JSON object. */
  events(): JsonEvent[];
  /** How many times stdout was written to. */
  writes(): number;
}

/** Creates a {@link MemoryIo}: not a TTY, empty environment, unless overridden. */
export function memoryIo(overrides: Partial<CliIo> = {}): MemoryIo {
  let out = "";
  let err = "";
  let writes = 0;
  const io: CliIo = {
    stdout: (text) => {
      out += text;
      writes += 1;
    },
    stderr: (text) => {
      err += text;
    },
    stdoutIsTTY: false,
    env: {},
    ...overrides,
  };
  const lines = () => out.split("\n").slice(0, -1);
  return {
    io,
    stdout: () => out,
    stderr: () => err,
    lines,
    events: () =>
      lines().map((line) => {
        const value: unknown = JSON.parse(line);
        if (
          typeof value !== "object" ||
          value === null ||
          Array.isArray(value) ||
          typeof (value as { event?: unknown }).event !== "string"
        ) {
          throw new Error(`not an event object: ${line.slice(0, 200)}`);
        }
        return value as JsonEvent;
      }),
    writes: () => writes,
  };
}

/** A stack trace line ("    at fn (file:1:2)"). */
export const stackTraceLine = /^\s+at\s.+[:(]/m;

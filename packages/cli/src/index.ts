// @tiklive/cli: the `tiklive` command line, and its parts for tools and tests. First the
// commands, then formatting, then recording.

export type {
  CliCommand,
  ConnectionSettings,
  HelpTopic,
  RecordArgs,
  SessionArgs,
  SimulatorSettings,
  TransportChoice,
  WatchArgs,
} from "./args.js";
// Arguments
export { helpTexts, parseCliArgs, UsageError, usageLines } from "./args.js";
export type { CliIo } from "./cli-io.js";
export { ExitCode } from "./cli-io.js";
export type { RecordOptions } from "./commands/record.js";
export { runRecord } from "./commands/record.js";
export type { WatchOptions } from "./commands/watch.js";
export { runWatch } from "./commands/watch.js";
export type { ConnectionWrappers, PreparedConnection, PrepareOptions } from "./connection.js";
// Connections and recording
export { prepareConnection, simulatorOptions, transportsFor } from "./connection.js";
export { clientEventNames, controlEventNames, defaultWatchEvents, isClientEventName } from "./event-names.js";
export type { JsonError, JsonEvent, JsonValue, LineOptions } from "./format.js";
// Output formats
export {
  errorToJson,
  formatErrorLines,
  formatEventLine,
  sanitizeText,
  shouldColor,
  toJsonEvent,
} from "./format.js";
export type {
  FrameSink,
  SessionRecorder,
  SessionRecorderInit,
  SessionRecorderStats,
} from "./recording-transport.js";
export {
  createRecordingSigner,
  createRecordingTransport,
  createSessionRecorder,
} from "./recording-transport.js";
// Commands, run in-process with your own I/O
export { runCli } from "./run-cli.js";
export type { SessionOptions } from "./session.js";
export { cliVersion } from "./version.js";

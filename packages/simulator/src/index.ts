// @tiklive/simulator: a local TikTok LIVE Webcast service and Euler sign server.
// First what users need, then the building blocks for tools and tests.

export type { CursorPosition } from "./cursor.js";
// Cursors (the simulator's resume positions)
export { decodeCursor, decodeInternalExt, encodeCursor, encodeInternalExt } from "./cursor.js";
export type { FaultKind, FaultSpec } from "./faults/fault-spec.js";
// Faults
export {
  faultKinds,
  formatFaultSpec,
  isValidCloseCode,
  normalizeFaultSpec,
  parseFaultSpec,
} from "./faults/fault-spec.js";

// Inspection records and events
export type {
  AckRecord,
  CloseRecord,
  ConnectionRecord,
  EnterRoomRecord,
  FaultFiredRecord,
  FrameRecord,
  HeartbeatRecord,
  PollRecord,
  SignRequestRecord,
  SignResponseRecord,
  SimulatorEvent,
  WebRequestRecord,
} from "./inspection.js";
export type {
  BuiltInScenario,
  ResolvedOptions,
  ResolvedRoom,
  RoomOptions,
  SimulatorOptions,
  StartMode,
} from "./options.js";
export { builtInScenarios, defaultLiveRoomIds, defaultOfflineRoomId, resolveOptions } from "./options.js";
export type {
  Recorder,
  RecorderInit,
  Recording,
  RecordingFrame,
  RecordingHeader,
} from "./recording/recording.js";
// Recordings
export {
  createRecorder,
  formatRecording,
  parseRecording,
  readRecording,
  recordingFormat,
  recordingVersion,
  writeRecording,
} from "./recording/recording.js";
export type { PublishedTick, RoomState, ScenarioEntry } from "./room.js";
export type { SimGift } from "./scenario/gifts.js";
export { giftCatalogue } from "./scenario/gifts.js";
export { loadScenario } from "./scenario/load-scenario.js";
export { createReplayScenario } from "./scenario/replay-scenario.js";
export type {
  ScenarioContext,
  ScenarioDefinition,
  ScenarioFieldValue,
  ScenarioMessage,
  ScenarioTick,
} from "./scenario/scenario-types.js";
// Scenarios (generate a room's messages without a server)
export { defaultScriptedLength, scriptedScenario } from "./scenario/scripted-scenario.js";
// Starting a simulator
export { startSimulator } from "./simulator.js";
export type {
  FaultInfo,
  PublishedMessage,
  RoomSnapshot,
  Simulator,
  SimulatorInfo,
  SimulatorRoom,
  SimulatorRoomInfo,
} from "./simulator-types.js";

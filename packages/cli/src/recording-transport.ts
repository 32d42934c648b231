// Recording a session: a Signer and a Transport that wrap the real ones and hand every
// fetch result and frame they pass on to a sink, and a sink that writes the simulator's
// recording format (@tiklive/simulator README, "Recordings").
import type { SignedSession, Signer, Transport, TransportConnection, TransportEvent } from "@tiklive/core";
import { encodeFetchResult, encodePushFrame } from "@tiklive/core";
import { createRecorder, type Recorder, type Recording } from "@tiklive/simulator";

/** What the recording wrappers report. */
export interface FrameSink {
  /** A session the signer produced: its first fetch result came from the sign server. */
  addSignedSession(session: SignedSession): void;
  /**
   * One event a transport yielded, with the kind of its connection: `result` events carry the
   * bytes they came in (a push frame on `websocket`, an HTTP body otherwise), `frame` events a
   * decoded push frame that is not a fetch result, `frameError` the bytes that did not decode.
   */
  addTransportEvent(event: TransportEvent, kind: string): void;
}

/**
 * Wraps a signer: every signed session is reported to `sink` (then returned unchanged).
 * `resolveRoomId` and `sendChat` pass through.
 */
export function createRecordingSigner(inner: Signer, sink: FrameSink): Signer {
  const signer: Signer = {
    name: inner.name,
    async sign(request) {
      const session = await inner.sign(request);
      sink.addSignedSession(session);
      return session;
    },
  };
  if (inner.resolveRoomId !== undefined) signer.resolveRoomId = inner.resolveRoomId.bind(inner);
  if (inner.sendChat !== undefined) signer.sendChat = inner.sendChat.bind(inner);
  return signer;
}

/**
 * Wraps a transport: its connections yield exactly what the inner ones yield, and report
 * each event to `sink` before passing it on. Closing, aborting and `switchRoom` pass through.
 */
export function createRecordingTransport(inner: Transport, sink: FrameSink): Transport {
  return {
    kind: inner.kind,
    connect(request) {
      const connection = inner.connect(request);
      const recorded: TransportConnection = {
        kind: connection.kind,
        close: () => connection.close(),
        async *[Symbol.asyncIterator]() {
          for await (const event of connection) {
            sink.addTransportEvent(event, connection.kind);
            yield event;
          }
        },
      };
      const { switchRoom } = connection;
      if (switchRoom !== undefined) recorded.switchRoom = (roomId) => switchRoom.call(connection, roomId);
      return recorded;
    },
  };
}

/** Counts of a {@link SessionRecorder}. */
export interface SessionRecorderStats {
  /** Lines recorded after the header (fetch results and frames). */
  frames: number;
  /** Messages in the recorded fetch results (repeats included). */
  messages: number;
  /** Frames that did not decode, so could not be recorded. */
  skipped: number;
}

/** A {@link FrameSink} that builds a recording in the simulator's format. */
export interface SessionRecorder extends FrameSink {
  /** The recording so far; undefined until the first signed session (the header needs the room id). */
  recording(): Recording | undefined;
  /** The recording so far as NDJSON text, or undefined before the first signed session. */
  toNdjson(): string | undefined;
  stats(): SessionRecorderStats;
}

/** What {@link createSessionRecorder} needs. */
export interface SessionRecorderInit {
  /** The streamer's uniqueId, for the header. */
  uniqueId: string;
  /** The clock, epoch ms; frame times count from the first signed session. Default `Date.now`. */
  now?: () => number;
}

/**
 * Records a session with the simulator's `createRecorder`: the header (uniqueId, the room id of
 * the first signed session, the start time), then one line per fetch result and frame, `t` in
 * ms since the first sign. Every signed session's fetch result is a `fetch` line (the first
 * carries the initial history; one after a reconnect carries what was sent while away), each
 * WebSocket frame a line with its own payloadType, logId and headers (`msg` payloads stored
 * inflated; `im_enter_room_resp` and server `hb` frames kept, replay ignores them), each polling
 * response a `fetch` line. Frames that did not decode are counted in `skipped`.
 */
export function createSessionRecorder(init: SessionRecorderInit): SessionRecorder {
  const now = init.now ?? Date.now;
  let recorder: Recorder | undefined;
  let messages = 0;
  let skipped = 0;
  const safely = (add: (r: Recorder) => void): void => {
    if (recorder === undefined) return;
    try {
      add(recorder);
    } catch {
      skipped += 1;
    }
  };
  return {
    addSignedSession(session) {
      recorder ??= createRecorder({ uniqueId: init.uniqueId, roomId: session.roomId, now });
      safely((r) => r.addFetchResult(encodeFetchResult(session.fetchResult), session.receivedAt));
      messages += session.fetchResult.messages.length;
    },
    addTransportEvent(event, kind) {
      switch (event.type) {
        case "result":
          safely((r) =>
            kind === "websocket"
              ? r.addFrame(event.frame, event.receivedAt)
              : r.addFetchResult(event.frame, event.receivedAt),
          );
          messages += event.result.messages.length;
          break;
        case "frame":
          safely((r) => r.addFrame(encodePushFrame(event.frame), event.receivedAt));
          break;
        case "frameError":
          skipped += 1;
          break;
        default:
          break;
      }
    },
    recording: () => recorder?.toRecording(),
    toNdjson: () => recorder?.toNdjson(),
    stats: () => ({ frames: recorder?.frames.length ?? 0, messages, skipped }),
  };
}

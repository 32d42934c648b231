// The simulator's cursor and internalExt (docs/protocol.md §3.1: `cursor` is the resume
// position, `internalExt` an opaque routing blob that also becomes the ack payload).
//
// A room publishes one timeline of messages; message n of the room has sequence
// number n (0-based). A cursor names the position *after* the last message a
// client has: "give me everything from seq onwards".
//
//   cursor      = "r-" roomId "_s-" seq "_t-" timeMs
//   internalExt = "internal_src:dim|wss_push_room_id:" roomId "|wss_push_did:" did
//                 "|first_req_ms:" timeMs "|fetch_time:" timeMs "|seq:" seq
//                 "|wss_info:0-" timeMs "-0-0|next_cursor:" cursor
//
// `timeMs` is the scenario time of the last message covered (informational).
// Both are plain ASCII without `&`, `=`, `,` or `;`, so they survive query strings
// and cookies unchanged.

/** A decoded cursor: a position in one room's timeline. */
export interface CursorPosition {
  roomId: string;
  /** Sequence number of the next message the holder wants. */
  seq: number;
  /** Scenario time (epoch ms) of the last message before the position. */
  timeMs: number;
}

const cursorPattern = /^r-(\d{1,20})_s-(\d{1,15})_t-(\d{1,15})$/;

/** Encodes a {@link CursorPosition} as a cursor string. */
export function encodeCursor(position: CursorPosition): string {
  return `r-${position.roomId}_s-${position.seq}_t-${Math.floor(position.timeMs)}`;
}

/** Decodes a cursor string; `undefined` for anything that is not a simulator cursor. */
export function decodeCursor(cursor: string | null | undefined): CursorPosition | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = cursorPattern.exec(cursor.trim());
  if (match === null) return undefined;
  return { roomId: match[1] as string, seq: Number(match[2]), timeMs: Number(match[3]) };
}

/** Builds the internalExt for a position (see the format above). */
export function encodeInternalExt(position: CursorPosition, did: string): string {
  const t = Math.floor(position.timeMs);
  return [
    "internal_src:dim",
    `wss_push_room_id:${position.roomId}`,
    `wss_push_did:${did}`,
    `first_req_ms:${t}`,
    `fetch_time:${t}`,
    `seq:${position.seq}`,
    `wss_info:0-${t}-0-0`,
    `next_cursor:${encodeCursor(position)}`,
  ].join("|");
}

/** Reads the position back out of an internalExt built by {@link encodeInternalExt}. */
export function decodeInternalExt(internalExt: string | null | undefined): CursorPosition | undefined {
  if (internalExt === null || internalExt === undefined) return undefined;
  for (const part of internalExt.split("|")) {
    if (part.startsWith("next_cursor:")) return decodeCursor(part.slice("next_cursor:".length));
  }
  return undefined;
}

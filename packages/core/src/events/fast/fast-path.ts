import { fromBinary, type Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { TikTokEvent } from "../types.js";
import type { MessageEnvelope } from "../user.js";
import { type MessageReader, WireReader } from "./wire-reader.js";

/** Decodes a payload straight to events, without a full protobuf decode. */
export type FastDecode = (
  payload: Uint8Array,
  envelope: MessageEnvelope,
) => TikTokEvent | readonly TikTokEvent[];

/**
 * A fast path for one message type: `reader` decodes only what `map` reads (into an object
 * shaped like the generated message), `map` is the same mapper the full path uses, and each
 * event's `raw` becomes a getter that decodes the full message on first access (once).
 */
export function fastPath<M extends Message>(
  schema: GenMessage<M>,
  reader: MessageReader<object>,
  map: (message: M, envelope: MessageEnvelope) => TikTokEvent | readonly TikTokEvent[],
): FastDecode {
  return (payload, envelope) => {
    const partial = reader(new WireReader(payload), payload.length) as unknown as M;
    const out = map(partial, envelope);
    let full: M | undefined;
    // `payload` is a view into the whole inflated frame: keep a copy of just this message, so
    // an event someone holds on to does not keep the frame (tens of KiB) alive.
    const bytes = payload.slice();
    const raw = {
      get: () => (full ??= fromBinary(schema, bytes)),
      enumerable: true,
      configurable: true,
    };
    if (Array.isArray(out))
      for (const event of out as readonly TikTokEvent[]) Object.defineProperty(event, "raw", raw);
    else Object.defineProperty(out, "raw", raw);
    return out;
  };
}

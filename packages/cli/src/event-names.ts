import type { ClientControlEvent, ClientEventName } from "@tiklive/client";
import { coreEventNames } from "@tiklive/core";

/** The client's own events (connection lifecycle and raw access), for runtime checks. */
export const controlEventNames = [
  "connected",
  "websocketConnected",
  "reconnecting",
  "gap",
  "error",
  "disconnected",
  "rawData",
  "decodedData",
] as const satisfies readonly ClientControlEvent["type"][];

// Fails to compile when the client gains a control event this list does not name.
type MissingControl = Exclude<ClientControlEvent["type"], (typeof controlEventNames)[number]>;
const controlExhaustive: [MissingControl] extends [never] ? true : MissingControl = true;
void controlExhaustive;

/** Every event name a `TikTokLiveClient` emits: what `--events` accepts. */
export const clientEventNames: readonly ClientEventName[] = [...coreEventNames, ...controlEventNames];

/**
 * What `tiklive watch` prints when `--events` is not given: every event except the noisy
 * `rawData` and `decodedData` (one of each per message, duplicating the decoded events).
 */
export const defaultWatchEvents: readonly ClientEventName[] = clientEventNames.filter(
  (name) => name !== "rawData" && name !== "decodedData",
);

const known: ReadonlySet<string> = new Set(clientEventNames);

/** True when `name` is an event a client emits. */
export function isClientEventName(name: string): name is ClientEventName {
  return known.has(name);
}

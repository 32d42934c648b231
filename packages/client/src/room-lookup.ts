// uniqueId -> room id: the live page's SIGI_STATE, then `api-live/user/room`, then the
// signer's room route (docs/protocol.md §8). The most telling failure wins.
import { ErrorCode, type Signer, TikLiveError } from "@tiklive/core";
import type { RoomLookup, WebApi } from "./web-api.js";

/** Finds the room of `uniqueId`. Rejects with the most telling `TikLiveError` of the steps. */
export async function lookupRoom(
  web: WebApi,
  signer: Signer,
  uniqueId: string,
  signal: AbortSignal | undefined,
): Promise<RoomLookup> {
  const failures: TikLiveError[] = [];
  for (const step of [() => web.roomFromHtml(uniqueId, signal), () => web.roomFromApi(uniqueId, signal)]) {
    try {
      const found = await step();
      if (found.roomId !== "") return found;
      failures.push(
        new TikLiveError(ErrorCode.UserOffline, `@${uniqueId} has no live room`, {
          retryable: false,
          details: { source: found.source },
        }),
      );
    } catch (error) {
      const failure = TikLiveError.from(error, ErrorCode.InvalidResponse);
      if (failure.code === ErrorCode.Aborted) throw failure;
      failures.push(failure);
    }
  }
  if (signer.resolveRoomId !== undefined) {
    try {
      const found = await signer.resolveRoomId(uniqueId, { signal });
      return {
        roomId: found.roomId,
        uniqueId,
        live: found.isLive === undefined ? "unknown" : found.isLive ? "live" : "offline",
        status: undefined,
        source: "signer",
      };
    } catch (error) {
      const failure = TikLiveError.from(error, ErrorCode.InvalidResponse);
      if (failure.code === ErrorCode.Aborted) throw failure;
      failures.push(failure);
    }
  }
  const attempts = failures.map((f) => ({ code: f.code, message: f.message }));
  // The most telling outcome wins: a user that does not exist, then offline, then a block.
  for (const code of [
    ErrorCode.UserNotFound,
    ErrorCode.UserOffline,
    ErrorCode.AgeRestricted,
    ErrorCode.Blocked,
  ]) {
    const found = failures.find((f) => f.code === code);
    if (found !== undefined) {
      throw new TikLiveError(code, found.message, {
        retryable: found.retryable,
        cause: found,
        details: { ...found.details, attempts },
      });
    }
  }
  const last = failures.at(-1);
  throw new TikLiveError(
    last?.code ?? ErrorCode.InvalidResponse,
    `could not find the room of @${uniqueId}: ${last?.message ?? "no lookup succeeded"}`,
    { cause: last, details: { attempts } },
  );
}

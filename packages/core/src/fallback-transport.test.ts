import { describe, expect, it } from "vitest";
import type { TransportEvent } from "./contracts.js";
import { ErrorCode, TikLiveError } from "./errors.js";
import { createFallbackTransport } from "./fallback-transport.js";
import { createMemoryTransport, createStaticSigner } from "./memory-transport.js";

async function session() {
  return createStaticSigner().sign({ roomId: "1", userAgent: "ua", platform: "web" });
}

async function take(iterator: AsyncIterator<TransportEvent>, n: number): Promise<TransportEvent[]> {
  const out: TransportEvent[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

describe("createFallbackTransport", () => {
  it("uses the first transport that opens, and reports the fallback", async () => {
    const ws = createMemoryTransport({ kind: "websocket", capabilities: { switchRoom: true, push: true } });
    const poll = createMemoryTransport({ kind: "polling" });
    const fallbacks: string[] = [];
    const transport = createFallbackTransport([ws, poll], {
      onFallback: ({ from, to, error }) => fallbacks.push(`${from}->${to}:${error.code}`),
    });
    ws.failNextConnect(
      new TikLiveError(ErrorCode.HandshakeRejected, "illegal secret key", { retryable: false }),
    );
    const connection = transport.connect({ session: await session() });
    const iterator = connection[Symbol.asyncIterator]();
    const [open] = await take(iterator, 1);
    expect(open).toEqual({ type: "open", transport: "polling" });
    expect(connection.kind).toBe("polling");
    expect(connection.capabilities).toEqual({ switchRoom: false, push: false });
    expect(fallbacks).toEqual(["websocket->polling:handshake_rejected"]);
    poll.current?.push({
      cursor: "9",
      messages: [{ method: "WebcastChatMessage", payload: new Uint8Array([1]) }],
    });
    const [result] = await take(iterator, 1);
    expect(result?.type).toBe("result");
    poll.current?.close(1000);
    expect(await take(iterator, 5)).toEqual([{ type: "closed", code: 1000, reason: "" }]);
  });

  it("keeps the first transport when it opens; its drop is the stream's error (no silent fallback mid-stream)", async () => {
    const ws = createMemoryTransport({ kind: "websocket", capabilities: { switchRoom: true, push: true } });
    const poll = createMemoryTransport({ kind: "polling" });
    const connection = createFallbackTransport([ws, poll]).connect({ session: await session() });
    const iterator = connection[Symbol.asyncIterator]();
    await take(iterator, 1);
    expect(connection.capabilities?.push).toBe(true);
    ws.current?.drop();
    await expect(iterator.next()).rejects.toMatchObject({ code: ErrorCode.ConnectionClosed });
    expect(poll.connections).toHaveLength(0);
  });

  it("when none opens, throws one error naming every attempt, retryable if any was", async () => {
    const a = createMemoryTransport({ kind: "a" });
    const b = createMemoryTransport({ kind: "b" });
    a.failNextConnect(new TikLiveError(ErrorCode.HandshakeRejected, "no", { retryable: false }));
    b.failNextConnect(new TikLiveError(ErrorCode.ServiceUnavailable, "503"));
    const iterator = createFallbackTransport([a, b])
      .connect({ session: await session() })
      [Symbol.asyncIterator]();
    const error = (await iterator.next().catch((e: unknown) => e)) as TikLiveError;
    expect(error).toBeInstanceOf(TikLiveError);
    expect(error.code).toBe(ErrorCode.ServiceUnavailable);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("a: handshake_rejected");
    expect((error.details["attempts"] as unknown[]).length).toBe(2);
  });

  it("close() ends the iteration and closes the open connection; bad input is a typed error", async () => {
    const ws = createMemoryTransport();
    const connection = createFallbackTransport([ws]).connect({ session: await session() });
    const iterator = connection[Symbol.asyncIterator]();
    await take(iterator, 1);
    const pending = iterator.next();
    await connection.close();
    expect((await pending).done).toBe(true);
    expect(ws.current?.closed).toBe(true);
    expect(() => createFallbackTransport([])).toThrow(TikLiveError);
    expect(() => createFallbackTransport([{} as never])).toThrow(/transports\[0\]/);
  });
});

describe("createStaticSigner", () => {
  it("gives a fresh cursor per request and records what it was asked", async () => {
    const signer = createStaticSigner();
    const first = await signer.sign({ roomId: "7", userAgent: "ua", platform: "web" });
    const second = await signer.sign({
      roomId: "7",
      userAgent: "ua",
      platform: "web",
      cursor: first.fetchResult.cursor,
    });
    expect(first.fetchResult.cursor).toBe("c1");
    expect(second.fetchResult.cursor).toBe("c2");
    expect(second.fetchResult.internalExt).toBe("internal_ext:2");
    expect(signer.requests.map((r) => r.cursor)).toEqual([undefined, "c1"]);
  });
});

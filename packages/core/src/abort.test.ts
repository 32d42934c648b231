import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { settle } from "@tiklive/test-support/wait";
import { describe, expect, it } from "vitest";
import { linkSignals } from "./abort.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("linkSignals", () => {
  it("aborts with the first source's reason, and starts aborted when a source is", () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, undefined, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error("b first"));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe("b first");
    a.abort(new Error("a later"));
    expect((linked.signal.reason as Error).message).toBe("b first");
    const done = new AbortController();
    done.abort("already");
    expect(linkSignals([done.signal]).signal.reason).toBe("already");
  });

  it("fires for an AbortSignal.timeout nobody else holds, even across garbage collections", async () => {
    const linked = linkSignals([AbortSignal.timeout(50)]);
    const fired = new Promise<void>((resolve) => linked.signal.addEventListener("abort", () => resolve()));
    for (let i = 0; i < 5; i++) {
      gc();
      await settle(20);
    }
    await fired;
    expect(linked.signal.aborted).toBe(true);
  });

  it("dispose detaches from the sources", () => {
    const a = new AbortController();
    const linked = linkSignals([a.signal]);
    linked.dispose();
    a.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});

import { TikLiveError } from "@tiklive/core";
import { describe, expect, it } from "vitest";
import { formatFaultSpec, parseFaultSpec } from "./faults/fault-spec.js";

describe("parseFaultSpec", () => {
  it("parses every kind of the grammar", () => {
    expect(parseFaultSpec("drop@after=20")).toEqual({ kind: "drop", after: 20 });
    expect(parseFaultSpec("close=4001@after=10")).toEqual({ kind: "close", value: 4001, after: 10 });
    expect(parseFaultSpec("close=1000@reason=bye now")).toEqual({
      kind: "close",
      value: 1000,
      after: 0,
      reason: "bye now",
    });
    expect(parseFaultSpec("stall=5000@after=10")).toEqual({ kind: "stall", value: 5000, after: 10 });
    expect(parseFaultSpec("corrupt-frame@after=5")).toEqual({ kind: "corrupt-frame", after: 5 });
    expect(parseFaultSpec("corrupt-gzip@after=5")).toEqual({ kind: "corrupt-gzip", after: 5 });
    expect(parseFaultSpec("corrupt-gzip@after=5,destroy")).toEqual({
      kind: "corrupt-gzip",
      after: 5,
      destroy: true,
    });
    expect(parseFaultSpec("corrupt-frame@destroy,once")).toEqual({
      kind: "corrupt-frame",
      after: 0,
      destroy: true,
      times: 1,
    });
    expect(parseFaultSpec("unknown-method@after=5")).toEqual({ kind: "unknown-method", after: 5 });
    expect(parseFaultSpec("bad-payload@after=5")).toEqual({ kind: "bad-payload", after: 5 });
    expect(parseFaultSpec("no-gzip")).toEqual({ kind: "no-gzip", after: 0 });
    expect(parseFaultSpec("sign-429@retry-after=3,times=2")).toEqual({
      kind: "sign-429",
      after: 0,
      retryAfter: 3,
      times: 2,
    });
    expect(parseFaultSpec("sign-stub@once")).toEqual({ kind: "sign-stub", after: 0, times: 1 });
    expect(parseFaultSpec("offline@room=@Sim_Gamer")).toEqual({
      kind: "offline",
      after: 0,
      room: "@Sim_Gamer",
    });
    expect(parseFaultSpec("handshake-reject@status=415,msg=DEVICE_BLOCKED")).toEqual({
      kind: "handshake-reject",
      after: 0,
      status: 415,
      msg: "DEVICE_BLOCKED",
    });
    expect(parseFaultSpec(" drop@after=1, conn=3 ,once ")).toEqual({
      kind: "drop",
      after: 1,
      conn: "3",
      times: 1,
    });
  });

  it("formats back to an equivalent spec", () => {
    for (const text of [
      "drop@after=20",
      "close=4001@after=10,reason=x",
      "sign-429@retry-after=3,times=2",
      "handshake-reject@status=415,msg=DEVICE_BLOCKED,room=a,conn=2,once",
      "no-gzip",
      "corrupt-gzip@after=20,destroy,room=a,once",
    ]) {
      expect(parseFaultSpec(formatFaultSpec(parseFaultSpec(text)))).toEqual(parseFaultSpec(text));
    }
    expect(formatFaultSpec(parseFaultSpec("corrupt-gzip@destroy,after=20"))).toBe(
      "corrupt-gzip@after=20,destroy",
    );
  });

  it.each([
    ["", "empty"],
    ["explode", "unknown kind"],
    ["close", "needs a value"],
    ["close=1006", "not a close code"],
    ["close=abc", "whole number"],
    ["stall", "needs a value"],
    ["drop=3", "takes no value"],
    ["drop@after=-1", "whole number"],
    ["drop@retry-after=3", "unknown parameter"],
    ["drop@after=1,after=2", "twice"],
    ["drop@once,times=2", "together"],
    ["drop@", "nothing after @"],
    ["drop@conn=0", "between"],
    ["handshake-reject@status=abc", "whole number"],
    ["drop@destroy", "unknown parameter"],
    ["corrupt-gzip@destroy=1", "destroy takes no value"],
    ["corrupt-frame@destroy,destroy", "twice"],
  ])("rejects %j with invalid_input (%s)", (text, reason) => {
    let error: unknown;
    try {
      parseFaultSpec(text);
    } catch (e) {
      error = e;
    }
    expect(TikLiveError.is(error, "invalid_input")).toBe(true);
    expect((error as Error).message).toContain(reason);
  });
});

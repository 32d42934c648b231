import { describe, expect, it } from "vitest";
import { coreEventNames, isCoreEventName } from "./event-names.js";
import { defaultMessageHandlers } from "./handlers.js";

describe("coreEventNames", () => {
  it("is exactly the handlers' events plus unknownMessage, decodeError and giftCompleted", () => {
    const fromHandlers = new Set(defaultMessageHandlers.flatMap((h) => h.events));
    expect(new Set(coreEventNames)).toEqual(
      new Set([...fromHandlers, "unknownMessage", "decodeError", "giftCompleted"]),
    );
    expect(new Set(coreEventNames).size).toBe(coreEventNames.length);
  });

  it("isCoreEventName checks at runtime", () => {
    expect(isCoreEventName("chat")).toBe(true);
    expect(isCoreEventName("chta")).toBe(false);
    expect(isCoreEventName(42)).toBe(false);
  });
});

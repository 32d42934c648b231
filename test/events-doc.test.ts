// docs/events.md is generated from the event types (scripts/events-doc.ts). These tests run the
// generator in-process and hold it to the runtime lists of event names, so an event the
// generator cannot see (or misfiles) fails here instead of silently missing from the page.
import { coreEventNames, defaultMessageHandlers, isMethodEvent, methodEventNames } from "@tiklive/core";
import { beforeAll, describe, expect, it } from "vitest";
// The CLI's list of control events (compile-checked against the client's ClientControlEvent),
// imported alone: the CLI's index would load the whole simulator.
import { controlEventNames } from "../packages/cli/src/event-names.js";
import { collectEvents, type EventsModel, renderEventsDoc } from "../scripts/events-doc.js";

describe("docs/events.md generator", () => {
  let model: EventsModel;
  let page: string;
  beforeAll(() => {
    model = collectEvents();
    page = renderEventsDoc(model);
  }, 60_000);

  it("documents every core event and every client control event, and nothing else", () => {
    const names = model.events.map((e) => e.name);
    expect([...names].sort()).toEqual([...coreEventNames, ...controlEventNames].sort());
    for (const name of [...coreEventNames, ...controlEventNames]) {
      expect(page).toContain(`### \`${name}\`\n`);
    }
  });

  it("puts the client's control events in their own section", () => {
    const control = model.events.filter((e) => e.group === "control").map((e) => e.name);
    expect(control.sort()).toEqual([...controlEventNames].sort());
    const section = page.slice(page.indexOf("## Client control events"), page.indexOf("## Inherited fields"));
    for (const name of controlEventNames) expect(section).toContain(`### \`${name}\`\n`);
  });

  it("names the Webcast message of every event a handler produces", () => {
    for (const handler of defaultMessageHandlers) {
      for (const name of handler.events) {
        const event = model.events.find((e) => e.name === name);
        expect(event?.group, name).toBe(isMethodEvent({ type: name }) ? "method" : "message");
        expect(event?.methods, name).toContain(handler.method);
      }
    }
    expect(model.events.find((e) => e.name === "chat")?.methods).toEqual(["WebcastChatMessage"]);
    expect(model.events.find((e) => e.name === "follow")?.siblings).toEqual(["share", "social"]);
  });

  it("documents the generic method events once, with a short section each", () => {
    const method = model.events.filter((e) => e.group === "method").map((e) => e.name);
    expect(method.sort()).toEqual([...methodEventNames].sort());
    expect(model.methodEvent?.fields.map((f) => f.name)).toEqual(["type", "method", "data"]);
    const section = page.slice(
      page.indexOf("## Webcast method events"),
      page.indexOf("## Events made by tiklive"),
    );
    for (const name of methodEventNames) expect(section).toContain(`### \`${name}\`\n`);
    expect(section).toContain(
      "From `WebcastGiftGalleryMessage`: `data` is a `WebcastGiftGalleryMessage` (`@tiklive/proto`).",
    );
    expect(model.events.find((e) => e.name === "aiLiveSummary")?.methods).toEqual([
      "WebcastAILiveSummaryMessage",
      "WebcastAiLiveSummaryMessage",
    ]);
  });

  it("lists fields with their types and TSDoc", () => {
    const chat = model.events.find((e) => e.name === "chat");
    expect(chat?.fields).toContainEqual({
      name: "comment",
      optional: false,
      type: "string",
      doc: "The comment text.",
    });
    expect(chat?.bases).toEqual(["EventBase"]);
    expect(page).toContain("| `msgId` | `string` |");
    // Types that fields use are documented too, e.g. the error codes of the `error` event.
    expect(page).toContain("### `ErrorCode`");
    expect(page).toContain("`ErrorCode.SignRateLimited`");
  });

  it("is deterministic", () => {
    expect(renderEventsDoc(collectEvents())).toBe(page);
  }, 60_000);
});

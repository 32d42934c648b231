// The dashboard in a real browser: Debian's Chromium, driven by playwright-core, at 1400x900.
// Two in-process demo servers on the simulator:
//
// - the start of a stream (a slow one: nothing but the history for the first seconds): the badge
//   says "connecting", not LIVE, until the page is connected; empty lists show one message each,
//   on one line; emoji render in colour (Noto Color Emoji), not as grey outlines of a text font.
//   Saved as artifacts/dashboard-start.png.
// - a busy stream (200 messages/s): chat lines, gift streaks growing in place, a viewer chart, a
//   battle, the pinned message in its own space above the chat (never over a chat line), every
//   finished streak counted once, and user text that cannot inject markup. Saved as
//   artifacts/dashboard-busy.png.
//
// Skipped, with a notice, where /usr/bin/chromium is missing (`npm test` installs it, and the
// emoji font, when it runs as root with apt-get: scripts/ensure-chromium.mjs), except under CI,
// where it must run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardStats } from "./dashboard-state.js";
import { type Demo, startDemo } from "./server.js";

const chromiumPath = "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const inCi = process.env["CI"] !== undefined && !["", "0", "false"].includes(process.env["CI"].toLowerCase());
const artifact = (name: string) => fileURLToPath(new URL(`../../../artifacts/${name}`, import.meta.url));
const startShot = artifact("dashboard-start.png");
const busyShot = artifact("dashboard-busy.png");
const viewport = { width: 1400, height: 900 };

if (!hasChromium) {
  console.warn(
    inCi
      ? `dashboard browser test: ${chromiumPath} is missing in CI; scripts/ensure-chromium.mjs should have installed it`
      : `notice: dashboard browser test skipped: ${chromiumPath} is missing (install it with: apt-get install chromium fonts-noto-color-emoji)`,
  );
}

// A 12-second stream (200 messages/s): the battle runs from about 5.5 s to 9 s, a chat message
// is pinned at about 8.5 s.
const rate = 200;
const length = 2400;

interface PageProbe {
  __pwned?: number;
  __giftCounts?: Record<string, string[]>;
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const overlaps = (a: Box, b: Box) =>
  a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;

// Two animation frames: what the last batch changed is painted.
const painted = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

describe.skipIf(!hasChromium && !inCi)("dashboard in headless Chromium", () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), "tiklive-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
      viewport,
    });
    mkdirSync(dirname(startShot), { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  }, 20_000);

  describe("the start of a stream", () => {
    let demo: Demo;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      // One message every 5 s: for its first seconds the stream has only its history.
      demo = await startDemo({
        port: 0,
        simulator: { rate: 0.2, length: 4500, seed: 3, restartDelayMs: 600_000 },
        log: () => {},
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on("pageerror", (error) => pageErrors.push(error.message));
    }, 30_000);

    afterAll(async () => {
      await demo?.close();
    }, 20_000);

    it("shows no LIVE badge while it connects: a neutral 'connecting' badge, LIVE once connected", async () => {
      // Hold the page's event stream: the page is up, but not connected to anything yet.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route("**/events", async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(demo.url);
      await painted(page);
      const pill = page.locator("#live-pill");
      const pink = "rgb(254, 44, 85)";
      expect(await page.locator("body").getAttribute("data-status")).toBe("starting");
      expect(await pill.textContent()).not.toMatch(/live/i);
      expect(await pill.textContent()).toMatch(/connecting/i);
      expect(await pill.getAttribute("data-live")).toBe("0");
      expect(await pill.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(pink);

      // The event stream goes through: connected, the badge turns into the red LIVE one.
      release();
      await page.waitForFunction(() => document.body.dataset["status"] === "connected", undefined, {
        timeout: 10_000,
      });
      await painted(page);
      expect(await pill.textContent()).toBe("LIVE");
      expect(await pill.getAttribute("data-live")).toBe("1");
      expect(await pill.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(pink);
      await page.unroute("**/events");
    }, 30_000);

    it("shows each empty list as one message on one line, and saves artifacts/dashboard-start.png", async () => {
      const top = page.locator("#top-gifters > li");
      expect(await top.count()).toBe(1);
      expect(await top.first().textContent()).toBe("Nobody has sent a gift yet.");
      expect(await page.locator("#gifts .empty-note").textContent()).toBe("No gifts yet.");
      // One line each: the text's line boxes share one top, and the box is about one line high.
      for (const selector of ["#top-gifters .top-empty", "#gifts .empty-note", "#activity .empty-note"]) {
        const shape = await page.locator(selector).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          const style = getComputedStyle(el);
          const inner =
            el.getBoundingClientRect().height -
            Number.parseFloat(style.paddingTop) -
            Number.parseFloat(style.paddingBottom);
          const lineHeight =
            style.lineHeight === "normal"
              ? Number.parseFloat(style.fontSize) * 1.2
              : Number.parseFloat(style.lineHeight);
          return { lines: lines.size, inner, lineHeight, width: el.getBoundingClientRect().width };
        });
        expect(shape.lines, selector).toBe(1);
        expect(shape.inner, selector).toBeLessThan(shape.lineHeight * 1.5);
        expect(shape.width, selector).toBeGreaterThan(150);
      }
      await painted(page);
      await page.screenshot({ path: startShot });
      expect(existsSync(startShot)).toBe(true);
    }, 20_000);

    it("renders emoji in colour, not as the grey outlines of a text font", async () => {
      // Emoji that DejaVu Sans also has (as monochrome outlines), and ones only the emoji font has.
      const emoji = ["😺", "❄️", "❤️", "☀️", "🌹", "🎉"];
      if (!page.url().startsWith(demo.url)) await page.goto(demo.url);
      // Each in the page's own font, grey text on black: a monochrome glyph shows only greys.
      await page.evaluate((list) => {
        const box = document.createElement("div");
        box.id = "emoji-probe";
        Object.assign(box.style, {
          position: "fixed",
          left: "0",
          top: "0",
          zIndex: "10",
          display: "flex",
          gap: "8px",
          fontSize: "40px",
          lineHeight: "1.2",
          background: "#000",
          color: "#808080",
        });
        for (const text of list) {
          const span = document.createElement("span");
          span.textContent = text;
          box.append(span);
        }
        document.body.append(box);
      }, emoji);
      await page.evaluate(() => document.fonts.ready);
      await painted(page);
      // How coloured a PNG is: the largest spread between a pixel's red, green and blue.
      const saturation = (png: string) =>
        page.evaluate(async (data) => {
          const img = new Image();
          img.src = `data:image/png;base64,${data}`;
          await img.decode();
          const canvas = document.createElement("canvas");
          canvas.width = img.width;
          canvas.height = img.height;
          const ctx = canvas.getContext("2d");
          if (ctx === null) throw new Error("no 2d canvas");
          ctx.drawImage(img, 0, 0);
          const pixels = ctx.getImageData(0, 0, img.width, img.height).data;
          let most = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            const r = pixels[i] ?? 0;
            const g = pixels[i + 1] ?? 0;
            const b = pixels[i + 2] ?? 0;
            most = Math.max(most, Math.max(r, g, b) - Math.min(r, g, b));
          }
          return most;
        }, png);
      const spans = page.locator("#emoji-probe > span");
      const inPage: number[] = [];
      for (let i = 0; i < emoji.length; i++)
        inPage.push(await saturation((await spans.nth(i).screenshot()).toString("base64")));
      // The same through canvas text, with the font the page uses for chat.
      const onCanvas = await page.evaluate(async (list) => {
        const font = `40px ${getComputedStyle(document.body).fontFamily}`;
        await document.fonts.load(font, list.join(""));
        return list.map((text) => {
          const canvas = document.createElement("canvas");
          canvas.width = 64;
          canvas.height = 64;
          const ctx = canvas.getContext("2d");
          if (ctx === null) throw new Error("no 2d canvas");
          ctx.font = font;
          ctx.textBaseline = "top";
          ctx.fillStyle = "#808080"; // a monochrome glyph comes out in exactly this grey
          ctx.fillText(text, 4, 4);
          const pixels = ctx.getImageData(0, 0, 64, 64).data;
          let most = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            if ((pixels[i + 3] ?? 0) < 128) continue;
            const r = pixels[i] ?? 0;
            const g = pixels[i + 1] ?? 0;
            const b = pixels[i + 2] ?? 0;
            most = Math.max(most, Math.max(r, g, b) - Math.min(r, g, b));
          }
          return most;
        });
      }, emoji);
      await page.locator("#emoji-probe").evaluate((el) => el.remove());
      for (const [i, text] of emoji.entries()) {
        expect(inPage[i], `${text} in the page`).toBeGreaterThan(60);
        expect(onCanvas[i], `${text} drawn on a canvas`).toBeGreaterThan(60);
      }
      expect(pageErrors).toEqual([]);
    }, 20_000);
  });

  describe("a busy stream", () => {
    let demo: Demo;
    let page: Page;
    const pageErrors: string[] = [];

    const stats = async (): Promise<DashboardStats> =>
      (await (await fetch(new URL("/api/stats", demo.url))).json()) as DashboardStats;

    beforeAll(async () => {
      demo = await startDemo({
        port: 0,
        simulator: { rate, length, seed: 3, restartDelayMs: 600_000 },
        viewerBucketMs: 250,
        log: () => {},
      });
      page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") pageErrors.push(message.text());
      });
      // Before app.js runs: remember every count each gift row showed, to see streaks grow in place.
      await page.addInitScript(() => {
        const seen: Record<string, string[]> = {};
        (window as unknown as PageProbe).__giftCounts = seen;
        new MutationObserver(() => {
          for (const row of document.querySelectorAll<HTMLElement>(".gift-row")) {
            const key = row.dataset["key"] ?? "";
            const count = row.querySelector(".gift-count")?.textContent ?? "";
            const list = (seen[key] ??= []);
            if (list.at(-1) !== count) list.push(count);
          }
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.goto(demo.url);
    }, 30_000);

    afterAll(async () => {
      await page?.close();
      await demo?.close();
    }, 20_000);

    it("shows user text as text: a comment with markup does not inject it", async () => {
      const sim = demo.simulator;
      if (sim === undefined) throw new Error("the demo has no simulator");
      const room = sim.room("sim_streamer");
      const attack = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> hi`;
      // The simulator's chat route adds a WebcastChatMessage from user "you" to the stream.
      const res = await fetch(`${sim.signUrl}/webcast/rooms/${room.roomId}/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cookie-header": "sessionid=browser-test" },
        body: JSON.stringify({ content: attack }),
      });
      expect(res.status).toBe(200);
      const line = page.locator(".chat-line", { hasText: "window.__pwned=1" });
      await line.first().waitFor({ timeout: 10_000 });
      expect(await line.first().locator(".chat-text").textContent()).toBe(attack);
      expect(await page.locator(".chat img, .chat script").count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as PageProbe).__pwned)).toBeUndefined();
    }, 20_000);

    it("shows a live stream: chat, gift streaks growing in place, a rising viewer chart, a battle", async () => {
      await page.waitForFunction(
        () => document.querySelectorAll("#chat .chat-line").length >= 30,
        undefined,
        {
          timeout: 15_000,
        },
      );
      await page.waitForFunction(
        () => Number(document.getElementById("viewer-chart")?.dataset["points"] ?? 0) >= 2,
        undefined,
        { timeout: 15_000 },
      );
      expect(await page.locator("#viewer-chart path.series").count()).toBe(1);

      // A streak row showed several counts (x1, x3, ...) while it stayed one row.
      await page.waitForFunction(
        () =>
          Object.values((window as unknown as PageProbe).__giftCounts ?? {}).some(
            (counts) => counts.length >= 2,
          ),
        undefined,
        { timeout: 15_000 },
      );
      const keys = await page
        .locator(".gift-row")
        .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset["key"]));
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys).size).toBe(keys.length);

      // The battle, once both sides have points.
      await page.waitForFunction(
        () => {
          const points = [...document.querySelectorAll<HTMLElement>("#battle .battle-points")].map((p) =>
            Number(p.dataset["value"]),
          );
          return points.length === 2 && points.every((p) => p > 0);
        },
        undefined,
        { timeout: 20_000 },
      );
      expect(await page.locator("#conn").getAttribute("data-status")).toBe("connected");
      expect(await page.locator("#live-pill").textContent()).toBe("LIVE");
      expect(await page.locator("#conn-transport").textContent()).toBe("websocket");
      expect(Number(await page.locator("#kpi-viewers").getAttribute("data-value"))).toBeGreaterThan(0);
      expect(Number(await page.locator("#kpi-likes").getAttribute("data-value"))).toBeGreaterThan(0);
      expect(await page.locator("#top-gifters li[data-diamonds]").count()).toBeGreaterThan(0);
      expect(await page.locator("#top-gifters .top-empty").count()).toBe(0);
    }, 30_000);

    it("gives the pinned message its own space: no chat line under it; saves artifacts/dashboard-busy.png", async () => {
      await page.waitForFunction(() => document.getElementById("pinned")?.hidden === false, undefined, {
        timeout: 15_000,
      });
      await painted(page);
      const layout = await page.evaluate(() => {
        const box = (el: Element) => {
          const r = el.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
        };
        const pinned = document.getElementById("pinned") as HTMLElement;
        const chat = document.getElementById("chat") as HTMLElement;
        const rows = [...chat.querySelectorAll(".chat-line")];
        const atBottom = chat.scrollTop;
        // The first chat line, with the list scrolled to its start (then back, in the same task).
        chat.scrollTop = 0;
        const first = rows[0] === undefined ? null : box(rows[0]);
        const firstHit =
          rows[0] === undefined
            ? false
            : rows[0].contains(
                document.elementFromPoint(
                  (box(rows[0]).left + box(rows[0]).right) / 2,
                  (box(rows[0]).top + box(rows[0]).bottom) / 2,
                ),
              );
        chat.scrollTop = atBottom;
        // Following the stream: the topmost line that shows, however little of it.
        const view = box(chat);
        const topmost = rows.find((row) => box(row).bottom > view.top + 1);
        const clipped =
          topmost === undefined ? null : { ...box(topmost), top: Math.max(box(topmost).top, view.top) };
        // What is painted just under the pinned bar: a chat line (or the list), never the bar.
        const below = document.elementFromPoint((view.left + view.right) / 2, view.top + 2);
        return {
          pinned: box(pinned),
          chat: view,
          first,
          firstHit,
          clipped,
          belowIsChat: below !== null && chat.contains(below),
          pinnedFlexShrink: getComputedStyle(pinned).flexShrink,
        };
      });
      const seen = JSON.stringify(layout);
      expect(layout.first, seen).not.toBeNull();
      // The bar sits above the list, in its own space.
      expect(layout.chat.top, seen).toBeGreaterThanOrEqual(layout.pinned.bottom);
      // The first chat line is below the bar, not under it, and nothing covers it.
      expect(overlaps(layout.first as Box, layout.pinned), seen).toBe(false);
      expect(layout.firstHit, seen).toBe(true);
      // Scrolled to the newest lines: what shows of the topmost one is below the bar too.
      expect(overlaps(layout.clipped as Box, layout.pinned), seen).toBe(false);
      expect(layout.belowIsChat, seen).toBe(true);
      expect(layout.pinnedFlexShrink, seen).toBe("0");

      // A reader who scrolled up, with a line half out of the list at its top: what is left of
      // that line must not show as a sliver right under the bar (as if it slipped under it).
      const band = await page.evaluate(() => {
        const chat = document.getElementById("chat") as HTMLElement;
        chat.dispatchEvent(new WheelEvent("wheel")); // the reader's own scroll: the list stops following
        const rows = [...chat.querySelectorAll<HTMLElement>(".chat-line")];
        const row = rows.slice(Math.floor(rows.length / 2)).find((r) => r.offsetHeight < 45);
        if (row === undefined) throw new Error("no one-line chat line");
        const top = row.getBoundingClientRect().top - chat.getBoundingClientRect().top + chat.scrollTop;
        chat.scrollTop = top + row.offsetHeight - 12; // its last 12 px show
        const view = chat.getBoundingClientRect();
        return { x: view.left + 6, y: view.top, width: view.width - 12, height: 5 };
      });
      const sliver = await page.screenshot({ clip: band });
      const inkPixels = await page.evaluate(async (png) => {
        const img = new Image();
        img.src = `data:image/png;base64,${png}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d");
        if (ctx === null) throw new Error("no 2d canvas");
        ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, img.width, img.height).data;
        // The panel's background is #14141c: count what differs from it.
        let ink = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const d = Math.max(
            Math.abs((pixels[i] ?? 0) - 0x14),
            Math.abs((pixels[i + 1] ?? 0) - 0x14),
            Math.abs((pixels[i + 2] ?? 0) - 0x1c),
          );
          if (d > 40) ink += 1;
        }
        return ink;
      }, sliver.toString("base64"));
      expect(inkPixels, "chat pixels right under the pinned bar").toBe(0);
      // Back to following the stream.
      const resume = page.locator("#chat-resume");
      if (await resume.isVisible()) await resume.click();
      else await page.evaluate(() => document.getElementById("chat")?.scrollTo({ top: 1e9 }));
      await page.mouse.move(0, 0); // no hover highlight in the picture

      // The stream in full swing: chat with the pinned bar, streaks, the chart, the battle.
      await painted(page);
      await page.screenshot({ path: busyShot });
      expect(existsSync(busyShot)).toBe(true);
    }, 20_000);

    it("counts each finished gift streak once: page total = giftCompleted sum = the stream's gifts", async () => {
      await page.waitForFunction(() => document.body.dataset["streamEnded"] === "1", undefined, {
        timeout: 25_000,
      });
      const sim = demo.simulator;
      if (sim === undefined) throw new Error("the demo has no simulator");
      // What the stream sent, from the simulator's script: finished streaks and single gifts.
      let expected = 0;
      for (const entry of sim.room("sim_streamer").scenario()) {
        const f = entry.fields;
        if (entry.method === "WebcastGiftMessage" && (f["repeatEnd"] === 1 || f["giftType"] === 2))
          expected += Number(f["repeatCount"]) * Number(f["diamondCount"]);
      }
      expect(expected).toBeGreaterThan(0);

      const server = await stats();
      expect(server.giftCompleted.diamonds).toBe(expected);
      expect(server.gifterDiamonds).toBe(expected);
      expect(server.counters.diamonds).toBe(expected);
      // The page caught up with the server's last batch.
      await expect
        .poll(async () => Number(await page.locator("#kpi-diamonds").getAttribute("data-value")), {
          timeout: 5000,
        })
        .toBe(expected);
      const pageTop = await page
        .locator("#top-gifters li[data-diamonds]")
        .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset["diamonds"])));
      expect(pageTop).toEqual((await stats()).topGifters.map((g) => g.diamonds));
      // Rows marked counted carry the final diamonds of their streak: never more than the total.
      const counted = await page
        .locator(".gift-row[data-done='1']")
        .evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset["diamonds"])));
      expect(counted.length).toBeGreaterThan(0);
      expect(counted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(expected);
      // Once the stream ended, the badge no longer says LIVE.
      expect(await page.locator("#live-pill").textContent()).not.toBe("LIVE");
      expect(pageErrors).toEqual([]);
    }, 35_000);
  });
});

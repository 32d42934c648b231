// Server-sent events for the dashboard pages. Events are coalesced: every `intervalMs` the
// state's changes go out as one `batch` event, however many client events arrived meanwhile.
// A page gets a `snapshot` when it connects, when a new stream starts, and when it fell so far
// behind that its socket buffer filled up (it then skips batches until the buffer drains).
import type { ServerResponse } from "node:http";
import type { DashboardState } from "./dashboard-state.js";

interface Page {
  res: ServerResponse;
  /** True while its socket buffer is over the limit: it skips batches. */
  lagging: boolean;
  /** Drained after lagging: it gets a snapshot at the next flush. */
  stale: boolean;
}

/** Options of {@link EventHub}. */
export interface EventHubOptions {
  /** How often changes go out, in ms. Default 100. */
  intervalMs?: number;
  /** A comment line keeps idle connections open through proxies, in ms. Default 15 000. */
  heartbeatMs?: number;
  /** Bytes buffered for one page before it is treated as lagging. Default 1 MiB. */
  maxBufferedBytes?: number;
}

/** Sends the dashboard state to every connected page. */
export class EventHub {
  readonly #state: DashboardState;
  readonly #pages = new Set<Page>();
  readonly #maxBuffered: number;
  readonly #flushTimer: ReturnType<typeof setInterval>;
  readonly #heartbeatTimer: ReturnType<typeof setInterval>;

  constructor(state: DashboardState, options: EventHubOptions = {}) {
    this.#state = state;
    this.#maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.#flushTimer = setInterval(() => this.flush(), options.intervalMs ?? 100);
    this.#heartbeatTimer = setInterval(() => {
      for (const page of this.#pages) if (!page.lagging) page.res.write(": ping\n\n");
    }, options.heartbeatMs ?? 15_000);
  }

  /** Pages connected now. */
  get size(): number {
    return this.#pages.size;
  }

  /** Takes over a response as an event stream. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n\n");
    // Others get what is pending first, so the new page's snapshot and the next batch never overlap.
    this.flush();
    const page: Page = { res, lagging: false, stale: false };
    this.#pages.add(page);
    res.on("close", () => this.#pages.delete(page));
    res.on("drain", () => {
      if (!page.lagging) return;
      page.lagging = false;
      page.stale = true;
    });
    this.#send(page, "snapshot", JSON.stringify(this.#state.snapshot()));
  }

  /** Sends the pending changes now (called every `intervalMs`). */
  flush(): void {
    const resync = this.#state.needsResync;
    // Taken first, so a snapshot made below holds nothing a later batch repeats.
    const delta = this.#state.takeDelta();
    let snapshot: string | undefined;
    const snapshotText = () => (snapshot ??= JSON.stringify(this.#state.snapshot()));
    if (resync) this.#state.resynced();
    const batch = delta === undefined ? undefined : JSON.stringify(delta);
    for (const page of this.#pages) {
      if (page.lagging) continue;
      if (resync || page.stale) {
        page.stale = false;
        this.#send(page, "snapshot", snapshotText());
      } else if (batch !== undefined) {
        this.#send(page, "batch", batch);
      }
    }
  }

  #send(page: Page, event: string, data: string): void {
    if (page.lagging) return;
    if (page.res.writableLength > this.#maxBuffered) {
      page.lagging = true;
      return;
    }
    page.res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    clearInterval(this.#flushTimer);
    clearInterval(this.#heartbeatTimer);
    for (const page of this.#pages) page.res.end();
    this.#pages.clear();
  }
}

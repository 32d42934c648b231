// Who hears what: listeners (through the emitter) and events() iterators, in one place. It
// answers "does anyone want events of this name" for decode-on-demand, and tells the client
// when that answer may have changed.
import { listenerNamesOf } from "@tiklive/core";
import { type AsyncQueue, createAsyncQueue } from "@tiklive/core/internal";
import { type Listener, TypedEmitter } from "./emitter.js";

interface Subscription {
  queue: AsyncQueue<unknown>;
  only: ReadonlySet<string> | undefined;
}

/** Listeners and iterators of one client. */
export class EventHub<M extends { [K in keyof M]: { type: string } }> {
  readonly #emitter: TypedEmitter<M>;
  readonly #subscriptions = new Set<Subscription>();
  readonly #onChange: () => void;

  constructor(onListenerError: (error: unknown, name: keyof M) => void, onChange: () => void) {
    this.#onChange = onChange;
    this.#emitter = new TypedEmitter<M>(onListenerError, onChange);
  }

  on<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    return this.#emitter.on(name, listener);
  }

  once<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    return this.#emitter.once(name, listener);
  }

  off<K extends keyof M>(name: K, listener: Listener<M[K]>): void {
    this.#emitter.off(name, listener);
  }

  removeAllListeners(name?: keyof M): void {
    this.#emitter.removeAllListeners(name);
  }

  listenerCount(name: keyof M): number {
    return this.#emitter.listenerCount(name);
  }

  /**
   * Whether a listener or an iterator takes events of this type, by its own name or by an
   * alias that hears it (`follow` is heard by `social` listeners too).
   */
  heard(type: keyof M): boolean {
    const names = listenerNamesOf(type as string);
    for (const name of names) if (this.#emitter.listenerCount(name as keyof M) > 0) return true;
    for (const { only } of this.#subscriptions) {
      if (only === undefined || names.some((n) => only.has(n))) return true;
    }
    return false;
  }

  /** An async iterator of the events (of the names in `only`, or all) until `endAll()` or the signal. */
  subscribe<E>(
    only: readonly string[] | undefined,
    signal: AbortSignal | undefined,
  ): AsyncIterableIterator<E> {
    const entry: Subscription = {
      queue: undefined as unknown as AsyncQueue<unknown>,
      only: only === undefined ? undefined : new Set(only),
    };
    const onAbort = () => {
      entry.queue.end();
      this.#drop(entry);
    };
    entry.queue = createAsyncQueue<unknown>({
      onReturn: () => {
        this.#drop(entry);
        signal?.removeEventListener("abort", onAbort);
      },
    });
    this.#subscriptions.add(entry);
    this.#onChange();
    if (signal?.aborted) entry.queue.end();
    else signal?.addEventListener("abort", onAbort, { once: true });
    return entry.queue as AsyncIterableIterator<E>;
  }

  /**
   * Delivers one event, once, to the listeners of its name and of every alias that hears it,
   * and to every iterator that takes any of those names (each iterator gets it once).
   */
  dispatch(event: M[keyof M]): void {
    const names = listenerNamesOf(event.type);
    for (const name of names) this.#emitter.emit(name as keyof M, event as M[keyof M]);
    for (const entry of this.#subscriptions) {
      const only = entry.only;
      if (only === undefined || names.some((n) => only.has(n))) entry.queue.push(event);
    }
  }

  /** Ends every iterator (after `disconnected`). */
  endAll(): void {
    for (const entry of this.#subscriptions) entry.queue.end();
    this.#subscriptions.clear();
    this.#onChange();
  }

  #drop(entry: Subscription): void {
    if (this.#subscriptions.delete(entry)) this.#onChange();
  }
}

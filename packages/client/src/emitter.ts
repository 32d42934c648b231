/** A listener of events of type `E`. */
export type Listener<E> = (event: E) => void;

/**
 * A small typed emitter. Unlike Node's EventEmitter, a throwing listener never breaks the
 * stream: the exception goes to `onListenerError`.
 */
export class TypedEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  // once() registers a wrapper; off(original) must find and remove it.
  readonly #onceWrappers = new WeakMap<Listener<never>, Listener<never>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof M) => void) {}

  on<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  once<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    const wrapper = (event: M[K]) => {
      this.off(name, listener);
      listener(event);
    };
    this.#onceWrappers.set(listener as Listener<never>, wrapper as Listener<never>);
    this.on(name, wrapper);
    return () => this.off(name, listener);
  }

  off<K extends keyof M>(name: K, listener: Listener<M[K]>): void {
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    set.delete(listener as Listener<never>);
    const wrapper = this.#onceWrappers.get(listener as Listener<never>);
    if (wrapper !== undefined) {
      set.delete(wrapper);
      this.#onceWrappers.delete(listener as Listener<never>);
    }
    if (set.size === 0) this.#listeners.delete(name);
  }

  listenerCount(name: keyof M): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  /** Total number of listeners of every event. */
  get totalListeners(): number {
    let total = 0;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  removeAllListeners(name?: keyof M): void {
    if (name === undefined) this.#listeners.clear();
    else this.#listeners.delete(name);
  }

  /** Calls every listener of `name`; returns how many there were. */
  emit<K extends keyof M>(name: K, event: M[K]): number {
    const set = this.#listeners.get(name);
    if (set === undefined) return 0;
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(event);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
    return set.size;
  }
}

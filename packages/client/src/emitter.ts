/** A listener of events of type `E`. */
export type Listener<E> = (event: E) => void;

/**
 * A small typed emitter. Unlike Node's EventEmitter, a throwing listener never breaks the
 * stream: the exception goes to `onListenerError`.
 */
export class TypedEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  // once() registers a wrapper; off(name, original) must find and remove it. Kept per event
  // name, so one function added with once() to two events is removable from each.
  readonly #onceWrappers = new Map<keyof M, WeakMap<Listener<never>, Listener<never>>>();
  readonly #onListenerError: (error: unknown, event: keyof M) => void;
  readonly #onChange: () => void;

  /**
   * @param onListenerError receives what a listener throws.
   * @param onChange called after any listener is added or removed (the client re-decides
   *   which messages it must decode).
   */
  constructor(onListenerError: (error: unknown, event: keyof M) => void, onChange: () => void = () => {}) {
    this.#onListenerError = onListenerError;
    this.#onChange = onChange;
  }

  on<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    this.#add(name, listener as Listener<never>);
    this.#onChange();
    return () => this.off(name, listener);
  }

  once<K extends keyof M>(name: K, listener: Listener<M[K]>): () => void {
    const wrapper = (event: M[K]) => {
      this.off(name, listener);
      listener(event);
    };
    let wrappers = this.#onceWrappers.get(name);
    if (wrappers === undefined) {
      wrappers = new WeakMap();
      this.#onceWrappers.set(name, wrappers);
    }
    wrappers.set(listener as Listener<never>, wrapper as Listener<never>);
    this.#add(name, wrapper as Listener<never>);
    this.#onChange();
    return () => this.off(name, listener);
  }

  off<K extends keyof M>(name: K, listener: Listener<M[K]>): void {
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    let removed = set.delete(listener as Listener<never>);
    const wrappers = this.#onceWrappers.get(name);
    const wrapper = wrappers?.get(listener as Listener<never>);
    if (wrapper !== undefined) {
      removed = set.delete(wrapper) || removed;
      wrappers?.delete(listener as Listener<never>);
    }
    if (set.size === 0) this.#listeners.delete(name);
    if (removed) this.#onChange();
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
    if (name === undefined) {
      this.#listeners.clear();
      this.#onceWrappers.clear();
    } else {
      this.#listeners.delete(name);
      this.#onceWrappers.delete(name);
    }
    this.#onChange();
  }

  /** Calls every listener of `name`; returns how many there were. */
  emit<K extends keyof M>(name: K, event: M[K]): number {
    const set = this.#listeners.get(name);
    if (set === undefined) return 0;
    const count = set.size;
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(event);
      } catch (error) {
        this.#onListenerError(error, name);
      }
    }
    return count;
  }

  #add(name: keyof M, listener: Listener<never>): void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
  }
}

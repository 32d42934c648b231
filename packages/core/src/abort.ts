/** A combined signal and the function that detaches it from its sources. */
export interface LinkedSignal {
  signal: AbortSignal;
  /** Removes the listeners on the sources. Call it when the operation is over. */
  dispose(): void;
}

/**
 * A signal that aborts when any of `signals` does (with that signal's reason), like
 * `AbortSignal.any`, but holding its sources with real `abort` listeners. Node 20's
 * `AbortSignal.any` keeps its sources only weakly, so a caller's `AbortSignal.timeout(ms)`
 * that nothing else references can be garbage-collected and never fire: the operation then
 * never ends. A listener keeps a timeout signal alive until it fires.
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => {
    controller.abort((event.target as AbortSignal).reason);
    dispose();
  };
  const dispose = () => {
    for (const source of sources) source.removeEventListener("abort", onAbort);
  };
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      dispose();
      break;
    }
    source.addEventListener("abort", onAbort, { once: true });
  }
  return { signal: controller.signal, dispose };
}

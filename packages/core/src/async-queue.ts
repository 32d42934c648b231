/** Options of {@link createAsyncQueue}. */
export interface AsyncQueueOptions {
  /** Called once when the consumer stops early (`break`, `return()`), so the producer can stop. */
  onReturn?: () => void;
  /** Above this many buffered items `onHigh` is called once (backpressure). Default 1 000. */
  highWaterMark?: number;
  /** Called when the buffer passes `highWaterMark`. */
  onHigh?: () => void;
  /** Called when a buffer that passed `highWaterMark` drains to empty. */
  onLow?: () => void;
}

/**
 * A single-consumer async queue: producers `push`, then `end()` or `fail(error)`; the
 * consumer iterates with `for await`. Items pushed before `end`/`fail` are always delivered
 * first, so nothing received before an error is lost.
 */
export interface AsyncQueue<T> extends AsyncIterableIterator<T> {
  push(item: T): void;
  /** Ends the iteration once the buffer is drained. */
  end(): void;
  /** Makes the iteration throw `error` once the buffer is drained. */
  fail(error: unknown): void;
  /** Stops the iteration from the consumer's side (what `break` in `for await` calls). */
  return(): Promise<IteratorResult<T>>;
  /** True once `end`, `fail` or the consumer's `return` happened. */
  readonly closed: boolean;
  readonly size: number;
}

/** Creates an {@link AsyncQueue}. */
export function createAsyncQueue<T>(options: AsyncQueueOptions = {}): AsyncQueue<T> {
  const highWaterMark = options.highWaterMark ?? 1000;
  let buffer: T[] = [];
  let head = 0;
  let closed = false;
  let failure: { error: unknown } | undefined;
  let waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  let high = false;
  let returned = false;

  const size = () => buffer.length - head;
  const take = (): T => {
    const item = buffer[head] as T;
    buffer[head] = undefined as T;
    head += 1;
    if (head > 1024 && head * 2 > buffer.length) {
      buffer = buffer.slice(head);
      head = 0;
    }
    if (high && size() === 0) {
      high = false;
      options.onLow?.();
    }
    return item;
  };
  const settle = () => {
    if (waiting === undefined) return;
    const w = waiting;
    if (size() > 0) {
      waiting = undefined;
      w.resolve({ value: take(), done: false });
    } else if (failure !== undefined) {
      waiting = undefined;
      const { error } = failure;
      failure = undefined;
      w.reject(error);
    } else if (closed) {
      waiting = undefined;
      w.resolve({ value: undefined, done: true });
    }
  };

  const queue: AsyncQueue<T> = {
    push(item) {
      if (closed) return;
      buffer.push(item);
      if (!high && size() > highWaterMark) {
        high = true;
        options.onHigh?.();
      }
      settle();
    },
    end() {
      if (closed) return;
      closed = true;
      settle();
    },
    fail(error) {
      if (closed) return;
      closed = true;
      failure = { error };
      settle();
    },
    get closed() {
      return closed;
    },
    get size() {
      return size();
    },
    next() {
      if (size() > 0) return Promise.resolve({ value: take(), done: false });
      if (failure !== undefined) {
        const { error } = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      const wasOpen = !closed;
      closed = true;
      failure = undefined;
      buffer = [];
      head = 0;
      settle();
      if (!returned) {
        returned = true;
        if (wasOpen) options.onReturn?.();
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}

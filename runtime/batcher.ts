/**
 * Coalesces calls into batches: each caller gets its own result, the work is one round trip. What the
 * consumer's per-message steps (one XACK, one idempotency script call for every message that finished or
 * arrived together) and the publish batcher's single publishes need at high throughput, without changing their
 * one-item interfaces.
 *
 * A batch is flushed once it holds `maxBatch` items, or after the first item waited `lingerMs` (by default on
 * `setImmediate`: after every caller of this turn of the event loop has queued its item), or on `flush()`.
 * When the flush fails, every caller of that batch gets the error.
 */
export type BatchFlush<I, O> = (items: readonly I[]) => Promise<readonly O[]>;

export interface BatchOptions {
  /** Flush at once when this many items wait (256). */
  readonly maxBatch?: number;
  /** Flush this long after the first waiting item; undefined: on the next `setImmediate`. */
  readonly lingerMs?: number;
}

export interface Batcher<I, O> {
  add(item: I): Promise<O>;
  /** Sends whatever waits now; resolves once that batch has settled. */
  flush(): Promise<void>;
}

export function createBatcher<I, O>(flush: BatchFlush<I, O>, options: BatchOptions = {}): Batcher<I, O> {
  const maxBatch = Math.max(1, options.maxBatch ?? 256);
  const { lingerMs } = options;
  let items: I[] = [];
  // Each caller's resolve and reject, side by side with its item: no object per waiting caller.
  let resolvers: ((value: O) => void)[] = [];
  let rejecters: ((error: unknown) => void)[] = [];
  let cancel: (() => void) | undefined;

  const schedule = (): (() => void) => {
    if (lingerMs === undefined) {
      const immediate = setImmediate(() => void run());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => void run(), lingerMs);
    return () => clearTimeout(timer);
  };

  const run = async (): Promise<void> => {
    const batch = items;
    const resolve = resolvers;
    const reject = rejecters;
    items = [];
    resolvers = [];
    rejecters = [];
    cancel?.();
    cancel = undefined;
    if (batch.length === 0) return;
    try {
      const results = await flush(batch);
      if (results.length !== batch.length)
        throw new Error(`batch of ${batch.length} answered with ${results.length} results`);
      for (let i = 0; i < resolve.length; i++) resolve[i]!(results[i] as O);
    } catch (error) {
      for (const rejectOne of reject) rejectOne(error);
    }
  };

  return {
    add: (item) =>
      new Promise<O>((resolve, reject) => {
        items.push(item);
        resolvers.push(resolve);
        rejecters.push(reject);
        if (items.length >= maxBatch) void run();
        else cancel ??= schedule();
      }),
    flush: run,
  };
}

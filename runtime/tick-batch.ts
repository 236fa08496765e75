/**
 * Coalesces calls made in the same tick into one batch: each caller gets its own result, the work is one round
 * trip. What the consumer's per-message steps need at high throughput (one XACK, one idempotency script call
 * for every message that finished or arrived together) without changing their one-message interfaces.
 *
 * A batch is flushed on `setImmediate`, after every caller of this turn of the event loop has queued its item,
 * or as soon as it holds `maxBatch` items. When the flush fails, every caller of that batch gets the error.
 */
export type BatchFlush<I, O> = (items: readonly I[]) => Promise<readonly O[]>;

export function tickBatcher<I, O>(flush: BatchFlush<I, O>, maxBatch = 256): (item: I) => Promise<O> {
  let items: I[] = [];
  let waiters: { resolve(value: O): void; reject(error: unknown): void }[] = [];
  let timer: NodeJS.Immediate | undefined;

  const run = async (): Promise<void> => {
    const batch = items;
    const waiting = waiters;
    items = [];
    waiters = [];
    if (timer) clearImmediate(timer);
    timer = undefined;
    try {
      const results = await flush(batch);
      if (results.length !== batch.length)
        throw new Error(`batch of ${batch.length} answered with ${results.length} results`);
      for (const [i, waiter] of waiting.entries()) waiter.resolve(results[i] as O);
    } catch (error) {
      for (const waiter of waiting) waiter.reject(error);
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      items.push(item);
      waiters.push({ resolve, reject });
      if (items.length >= maxBatch) void run();
      else timer ??= setImmediate(() => void run());
    });
}

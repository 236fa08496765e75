/**
 * Coalesces concurrent single publishes into broker batches (like a producer's linger): callers keep the
 * one-event API and await their own event, while the broker sees a few large writes instead of many small
 * ones. Each caller's promise settles with its batch: resolved once the batch is durable, rejected if it fails.
 */
import type { EventEnvelope, PublishOptions, Runtime } from './api.ts';
import { countPublished, prepareEvent, publicationMetrics } from './publish.ts';
import type { CompiledValidator, PublicationSpec } from './spec.ts';
import type { OutgoingMessage } from './transport.ts';

export interface PublishBatcherOptions {
  /** Flush when this many events are waiting (default 500). */
  readonly maxBatchSize?: number;
  /** Flush at the latest this long after the first waiting event (default 1 ms; 0 = next macrotask). */
  readonly lingerMs?: number;
}

export interface PublishBatcher {
  publish<T>(
    spec: PublicationSpec,
    validate: CompiledValidator<T>,
    data: T,
    options?: PublishOptions,
  ): Promise<EventEnvelope<T>>;
  /** Send whatever is waiting now. */
  flush(): Promise<void>;
}

interface Waiting {
  readonly spec: PublicationSpec;
  readonly messages: readonly OutgoingMessage[];
  readonly settle: (error?: unknown) => void;
}

export function createPublishBatcher(runtime: Runtime, settings: PublishBatcherOptions = {}): PublishBatcher {
  const maxBatchSize = Math.max(1, settings.maxBatchSize ?? 500);
  const lingerMs = settings.lingerMs ?? 1;
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    try {
      await runtime.transport.publish(batch.flatMap((item) => item.messages));
    } catch (error) {
      for (const item of batch) item.settle(error);
      return;
    }
    const perSpec = new Map<PublicationSpec, number>();
    for (const item of batch) perSpec.set(item.spec, (perSpec.get(item.spec) ?? 0) + 1);
    for (const [spec, count] of perSpec) {
      const metrics = publicationMetrics(runtime, spec);
      countPublished(runtime, spec, metrics, count);
      metrics.batchSize.observe(count);
    }
    for (const item of batch) item.settle();
  }

  return {
    flush,
    publish(spec, validate, data, options) {
      const metrics = publicationMetrics(runtime, spec);
      const started = performance.now();
      let prepared: ReturnType<typeof prepareEvent<typeof data>>;
      try {
        prepared = prepareEvent(runtime, spec, validate, data, options);
      } catch (error) {
        metrics.publishFailures.inc();
        return Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        waiting.push({
          spec,
          messages: prepared.messages,
          settle: (error) => {
            if (error !== undefined) {
              metrics.publishFailures.inc();
              reject(error);
            } else {
              metrics.publishDuration.observe((performance.now() - started) / 1000);
              resolve(prepared.envelope);
            }
          },
        });
        if (waiting.length >= maxBatchSize) void flush();
        else if (timer === undefined) timer = setTimeout(() => void flush(), lingerMs);
      });
    },
  };
}

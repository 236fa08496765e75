/**
 * Coalesces concurrent single publishes into broker batches (like a producer's linger): callers keep the
 * one-event API and await their own event, while the broker sees a few large writes instead of many small
 * ones. Each caller's promise settles with its batch: resolved once the batch is durable, rejected if it fails.
 */
import type { EventEnvelope, PublishOptions, Runtime } from './api.ts';
import { countPublished, prepareEvent, publicationMetrics } from './publish.ts';
import type { CompiledValidator, PublicationSpec } from './spec.ts';
import { createBatcher } from './batcher.ts';
import type { OutgoingMessage } from './transport.ts';

export interface PublishBatcherOptions {
  /** Flush when this many events are waiting (default 500). */
  readonly maxBatchSize?: number;
  /**
   * Flush at the latest this long after the first waiting event (default 1 ms). 0: no waiting, the batch holds
   * the publishes of the current turn of the event loop and leaves once they are all queued (on `setImmediate`,
   * before any timer: a `setTimeout` of 0 would be one of 1 ms), what a load generator sending the events due
   * together wants.
   */
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
}

export function createPublishBatcher(runtime: Runtime, settings: PublishBatcherOptions = {}): PublishBatcher {
  const batcher = createBatcher<Waiting, void>(
    async (batch) => {
      await runtime.transport.publish(batch.flatMap((item) => item.messages));
      const perSpec = new Map<PublicationSpec, number>();
      for (const item of batch) perSpec.set(item.spec, (perSpec.get(item.spec) ?? 0) + 1);
      for (const [spec, count] of perSpec) {
        const metrics = publicationMetrics(runtime, spec);
        countPublished(runtime, spec, metrics, count);
        metrics.batchSize.observe(count);
      }
      return batch.map(() => undefined);
    },
    {
      maxBatch: settings.maxBatchSize ?? 500,
      // The batcher's undefined linger is "on setImmediate".
      lingerMs: settings.lingerMs === 0 ? undefined : (settings.lingerMs ?? 1),
    },
  );

  return {
    flush: batcher.flush,
    async publish(spec, validate, data, options) {
      const metrics = publicationMetrics(runtime, spec);
      const started = performance.now();
      let prepared: ReturnType<typeof prepareEvent<typeof data>>;
      try {
        prepared = prepareEvent(runtime, spec, validate, data, options);
      } catch (error) {
        metrics.publishFailures.inc();
        throw error;
      }
      try {
        await batcher.add({ spec, messages: prepared.messages });
      } catch (error) {
        metrics.publishFailures.inc();
        throw error;
      }
      metrics.publishDuration.observe((performance.now() - started) / 1000);
      return prepared.envelope;
    },
  };
}

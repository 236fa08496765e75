/**
 * High-throughput publishing: validate and encode a whole batch first (an invalid item sends nothing), then
 * hand the broker large batches so network round trips and broker confirmations are amortised.
 */
import type { EventEnvelope, PublishOptions, Runtime } from './api.ts';
import { BatchPublishError, PayloadValidationError } from './errors.ts';
import { countPublished, prepareEvent, publicationMetrics } from './publish.ts';
import type { CompiledValidator, PublicationSpec, ValidationIssue } from './spec.ts';
import type { OutgoingMessage } from './transport.ts';

export interface PublishManyOptions {
  /** Options for every event, or per event. */
  readonly options?: PublishOptions | ((data: unknown, index: number) => PublishOptions);
  /** Events per broker call (default 1000). */
  readonly chunkSize?: number;
}

export async function publishMany<T>(
  runtime: Runtime,
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  batch: readonly T[],
  settings: PublishManyOptions = {},
): Promise<EventEnvelope<T>[]> {
  const metrics = publicationMetrics(runtime, spec);
  const started = performance.now();
  const envelopes: EventEnvelope<T>[] = new Array(batch.length);
  const messages: OutgoingMessage[][] = new Array(batch.length);
  try {
    for (let index = 0; index < batch.length; index++) {
      const data = batch[index] as T;
      const options =
        typeof settings.options === 'function' ? settings.options(data, index) : settings.options;
      const prepared = prepareIndexed(runtime, spec, validate, data, options, index);
      envelopes[index] = prepared.envelope;
      messages[index] = prepared.messages as OutgoingMessage[];
    }
  } catch (error) {
    metrics.publishFailures.inc(batch.length);
    throw error;
  }
  const chunkSize = Math.max(1, settings.chunkSize ?? 1000);
  let published = 0;
  for (let start = 0; start < batch.length; start += chunkSize) {
    const chunk = messages.slice(start, start + chunkSize).flat();
    try {
      await runtime.transport.publish(chunk);
    } catch (error) {
      metrics.publishFailures.inc(batch.length - published);
      countPublished(runtime, spec, metrics, published);
      if (published === 0) throw error;
      throw new BatchPublishError(published, batch.length, error);
    }
    const events = Math.min(chunkSize, batch.length - start);
    published += events;
    metrics.batchSize.observe(events);
  }
  countPublished(runtime, spec, metrics, published);
  metrics.publishDuration.observe((performance.now() - started) / 1000);
  return envelopes;
}

/** Validation errors name the item: `/3/customer/email` is field `/customer/email` of the fourth event. */
function prepareIndexed<T>(
  runtime: Runtime,
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  data: T,
  options: PublishOptions | undefined,
  index: number,
) {
  try {
    return prepareEvent(runtime, spec, validate, data, options);
  } catch (error) {
    if (!(error instanceof PayloadValidationError)) throw error;
    const issues: ValidationIssue[] = error.issues.map((issue) => ({
      ...issue,
      instancePath: `/${index}${issue.instancePath}`,
    }));
    throw new PayloadValidationError(spec.eventType, issues);
  }
}

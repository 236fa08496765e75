/**
 * How a generated publisher sends its events. By default each method call is one `publishEvent`: one broker call
 * per event, the lowest latency at low rates. With `batch`, concurrent calls are coalesced into broker batches
 * (`createPublishBatcher`, linger 1 ms by default), the way a Kafka producer's linger works: every caller still
 * awaits its own event, validation errors still reject that caller alone, and the broker sees one write per batch,
 * which is what carries a service past tens of thousands of events per second.
 *
 * The choice belongs to the service at start-up (`create<Service>Publisher(runtime, { batch: true })`), not to the
 * generator: the generated methods call the function this returns and never change.
 */
import type { EventEnvelope, PublishOptions, Runtime } from './api.ts';
import { createPublishBatcher, type PublishBatcherOptions } from './publish-batcher.ts';
import { publishEvent } from './publish.ts';
import type { CompiledValidator, PublicationSpec } from './spec.ts';

export interface PublisherSettings {
  /** Coalesce concurrent publishes into broker batches: `true` for the defaults, or the batcher's options. */
  readonly batch?: boolean | PublishBatcherOptions;
}

/** One event out, as a generated publisher method sends it. */
export type SendEvent = <T>(
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  data: T,
  options?: PublishOptions,
) => Promise<EventEnvelope<T>>;

export function publisherSend(runtime: Runtime, settings: PublisherSettings = {}): SendEvent {
  const { batch } = settings;
  if (!batch) {
    return (spec, validate, data, options) => publishEvent(runtime, spec, validate, data, options);
  }
  const batcher = createPublishBatcher(runtime, batch === true ? {} : batch);
  return (spec, validate, data, options) => batcher.publish(spec, validate, data, options);
}

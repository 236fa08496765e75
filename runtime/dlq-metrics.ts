/**
 * The platform's dead-letter metrics (seed 000 §1.5), read from the broker at every scrape, per dead letter:
 *
 *   dlq_events_total{service,topic}     events in the dead letter now (stream length, queue depth)
 *   dlq_size_bytes{service,topic}       its size in the broker's memory (Redis Streams)
 *   dlq_age_seconds{service,topic}      age of its oldest event (Redis Streams)
 *
 * `topic` is the dead-letter address (`dlq.<subscription>`, a RabbitMQ dead-letter queue's subscription address).
 * `dlq_processing_failed_total` (failed attempts of subscriptions that read a dead letter) is counted by the
 * pipeline with the other event metrics (metrics.ts).
 */
import { Gauge, type Registry } from 'prom-client';
import { errorMessage } from './errors.ts';
import type { EventLogger } from './logging.ts';
import type { SubscriptionSpec } from './spec.ts';

export interface DeadLetterDepth {
  readonly events: number;
  readonly bytes?: number;
  readonly oldestAgeSeconds?: number;
}

export interface DeadLetterReader {
  read(spec: SubscriptionSpec): Promise<DeadLetterDepth>;
  close(): Promise<void>;
}

export const DLQ_METRIC_NAMES = {
  events: 'dlq_events_total',
  bytes: 'dlq_size_bytes',
  age: 'dlq_age_seconds',
  processingFailed: 'dlq_processing_failed_total',
} as const;

export interface DeadLetterMetricsOptions {
  readonly registry: Registry;
  readonly service: string;
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly reader: DeadLetterReader;
  readonly logger?: EventLogger | undefined;
}

type Depths = ReadonlyMap<string, DeadLetterDepth>;

/** Registers the three gauges; one scrape reads each dead letter once, whichever gauge asks first. */
export function createDeadLetterMetrics(options: DeadLetterMetricsOptions): void {
  const { registry, service, reader, logger } = options;
  // One reading per dead letter, however many subscriptions share it.
  const byAddress = new Map(options.subscriptions.map((spec) => [spec.deadLetter.address, spec]));
  let reading: Promise<Depths> | undefined;
  const depths = (): Promise<Depths> => {
    reading ??= readAll().finally(() => {
      // Held for the rest of this scrape only: the three gauges collect one after another.
      setTimeout(() => {
        reading = undefined;
      }, 250).unref();
    });
    return reading;
  };
  const readAll = async (): Promise<Depths> => {
    const entries = await Promise.all(
      [...byAddress].map(async ([address, spec]) => {
        try {
          return [[address, await reader.read(spec)] as const];
        } catch (error) {
          logger?.warn(
            { topic: address, error: errorMessage(error) },
            'could not read the dead letter depth',
          );
          return [];
        }
      }),
    );
    return new Map(entries.flat());
  };
  const gauge = (name: string, help: string, value: (depth: DeadLetterDepth) => number | undefined) => {
    if (registry.getSingleMetric(name)) return;
    new Gauge({
      name,
      help,
      labelNames: ['service', 'topic'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [topic, depth] of await depths()) {
          const measured = value(depth);
          if (measured !== undefined) this.set({ service, topic }, measured);
        }
      },
    });
  };
  gauge(DLQ_METRIC_NAMES.events, 'Events in the dead letter now, read from the broker.', (d) => d.events);
  gauge(DLQ_METRIC_NAMES.bytes, 'Size of the dead letter in the broker (Redis Streams).', (d) => d.bytes);
  gauge(
    DLQ_METRIC_NAMES.age,
    'Age of the oldest event in the dead letter (Redis Streams).',
    (d) => d.oldestAgeSeconds,
  );
}

/**
 * Prometheus metrics for publishing and consuming, labelled `service` and `topic`. Metrics live in the
 * registry you pass (or a fresh one), never in prom-client's global default registry, so several runtimes or
 * test cases in one process cannot collide.
 *
 * Per-event cost matters at 50k events/s: `forTopic` caches the labelled children per (service, topic), and the
 * children update prom-client's series in place (metric-children.ts) instead of hashing their labels each time.
 */
import { Counter, Histogram, type Metric, Registry } from 'prom-client';
import { counterChild, histogramChild } from './metric-children.ts';

type Label = 'service' | 'topic';
const LABELS: readonly Label[] = ['service', 'topic'];

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export const METRIC_NAMES = {
  published: 'events_published_total',
  publishFailures: 'events_published_failed_total',
  publishDuration: 'event_publish_duration_seconds',
  consumed: 'events_consumed_total',
  processed: 'events_processed_total',
  failed: 'events_failed_total',
  deadLettered: 'events_dlq_total',
  processingDuration: 'event_processing_duration_seconds',
  batchSize: 'event_batch_size',
  dlqProcessingFailed: 'dlq_processing_failed_total',
} as const;

/**
 * A subscription reading a dead letter (the platform names them `dlq.<subscription>`): its failed attempts are
 * also dead-letter processing failures.
 */
export function isDeadLetterTopic(topic: string): boolean {
  return topic.startsWith('dlq.');
}

interface Inc {
  inc(value?: number): void;
}
interface Observe {
  observe(value: number): void;
}

/** The labelled children for one (service, topic). */
export interface TopicMetrics {
  readonly published: Inc;
  readonly publishFailures: Inc;
  readonly publishDuration: Observe;
  readonly consumed: Inc;
  readonly processed: Inc;
  readonly failed: Inc;
  readonly deadLettered: Inc;
  readonly processingDuration: Observe;
  readonly batchSize: Observe;
}

export interface EventMetrics {
  readonly registry: Registry;
  forTopic(service: string, topic: string): TopicMetrics;
}

export function createEventMetrics(options: { readonly registry?: Registry } = {}): EventMetrics {
  const registry = options.registry ?? new Registry();
  const counter = (name: string, help: string) =>
    reuse(registry, name) ?? new Counter({ name, help, labelNames: LABELS, registers: [registry] });
  const histogram = (name: string, help: string, buckets: number[]) =>
    reuse(registry, name) ??
    new Histogram({ name, help, labelNames: LABELS, buckets, registers: [registry] });

  const published = counter(METRIC_NAMES.published, 'Events accepted by the broker.') as Counter<Label>;
  const publishFailures = counter(
    METRIC_NAMES.publishFailures,
    'Publish calls that failed (validation, size, broker).',
  ) as Counter<Label>;
  const publishDuration = histogram(
    METRIC_NAMES.publishDuration,
    'Time from publish call to broker acknowledgement.',
    LATENCY_BUCKETS,
  ) as Histogram<Label>;
  const consumed = counter(METRIC_NAMES.consumed, 'Deliveries received by consumers.') as Counter<Label>;
  const processed = counter(METRIC_NAMES.processed, 'Events handled successfully.') as Counter<Label>;
  const failed = counter(METRIC_NAMES.failed, 'Handler attempts that failed.') as Counter<Label>;
  const deadLettered = counter(
    METRIC_NAMES.deadLettered,
    'Deliveries sent to a dead-letter address.',
  ) as Counter<Label>;
  const processingDuration = histogram(
    METRIC_NAMES.processingDuration,
    'Time from delivery to outcome.',
    LATENCY_BUCKETS,
  ) as Histogram<Label>;
  const batchSize = histogram(
    METRIC_NAMES.batchSize,
    'Events per broker batch.',
    BATCH_BUCKETS,
  ) as Histogram<Label>;

  const dlqProcessingFailed = counter(
    METRIC_NAMES.dlqProcessingFailed,
    'Failed handler attempts of subscriptions that read a dead letter (dlq.*).',
  ) as Counter<Label>;

  const cache = new Map<string, TopicMetrics>();
  return {
    registry,
    forTopic(service, topic) {
      const cacheKey = `${service}\u0000${topic}`;
      let children = cache.get(cacheKey);
      if (!children) {
        const labels = { service, topic };
        const count = (metric: Counter<Label>) => counterChild(metric, labels);
        const observe = (metric: Histogram<Label>) => histogramChild(metric, labels);
        children = {
          published: count(published),
          publishFailures: count(publishFailures),
          publishDuration: observe(publishDuration),
          consumed: count(consumed),
          processed: count(processed),
          failed: isDeadLetterTopic(topic) ? both(count(failed), count(dlqProcessingFailed)) : count(failed),
          deadLettered: count(deadLettered),
          processingDuration: observe(processingDuration),
          batchSize: observe(batchSize),
        };
        cache.set(cacheKey, children);
      }
      return children;
    },
  };
}

function both(first: Inc, second: Inc): Inc {
  return {
    inc(value?: number) {
      first.inc(value);
      second.inc(value);
    },
  };
}

/** Two runtimes sharing one registry share the metric objects instead of failing on re-registration. */
function reuse(registry: Registry, name: string): Metric | undefined {
  return registry.getSingleMetric(name);
}

const NOOP = { inc() {}, observe() {} };
export const noopTopicMetrics: TopicMetrics = {
  published: NOOP,
  publishFailures: NOOP,
  publishDuration: NOOP,
  consumed: NOOP,
  processed: NOOP,
  failed: NOOP,
  deadLettered: NOOP,
  processingDuration: NOOP,
  batchSize: NOOP,
};

const childrenBySpec = new WeakMap<EventMetrics, WeakMap<object, TopicMetrics>>();

/**
 * `metrics.forTopic(spec.service, topicOf(spec))` kept per (metrics, spec) pair: a publication or subscription spec lives as
 * long as its service, so its children are looked up once instead of building the topic label and the key of
 * `forTopic`'s own cache for every event.
 */
export function metricsForSpec<Spec extends { readonly service: string }>(
  metrics: EventMetrics,
  spec: Spec,
  topicOf: (spec: Spec) => string,
): TopicMetrics {
  let bySpec = childrenBySpec.get(metrics);
  if (!bySpec) {
    bySpec = new WeakMap();
    childrenBySpec.set(metrics, bySpec);
  }
  let children = bySpec.get(spec);
  if (!children) {
    children = metrics.forTopic(spec.service, topicOf(spec));
    bySpec.set(spec, children);
  }
  return children;
}

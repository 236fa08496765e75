import { Counter, type Histogram, Registry, register } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createEventMetrics, METRIC_NAMES, type TopicMetrics } from './metrics.ts';

describe('event metrics', () => {
  it('registers exactly the platform names, labelled service and topic, in its own registry', async () => {
    const metrics = createEventMetrics();
    const topic = metrics.forTopic('catalog', 'catalog.product.created');
    topic.published.inc();
    topic.publishDuration.observe(0.002);
    topic.batchSize.observe(100);
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name).sort();
    expect(names).toEqual([
      'dlq_processing_failed_total',
      'event_batch_size',
      'event_processing_duration_seconds',
      'event_publish_duration_seconds',
      'events_consumed_total',
      'events_dlq_total',
      'events_failed_total',
      'events_processed_total',
      'events_published_failed_total',
      'events_published_total',
    ]);
    expect(Object.values(METRIC_NAMES).sort()).toEqual(names);
    const text = await metrics.registry.metrics();
    expect(text).toContain('events_published_total{service="catalog",topic="catalog.product.created"} 1');
    expect(text).toContain(
      'event_publish_duration_seconds_bucket{le="0.0025",service="catalog",topic="catalog.product.created"} 1',
    );
    expect(register.getSingleMetric('events_published_total')).toBeUndefined();
  });

  it('counts failed attempts on a dead letter (dlq.*) as dead-letter processing failures too', async () => {
    const metrics = createEventMetrics();
    metrics.forTopic('ops', 'dlq.order-created').failed.inc();
    metrics.forTopic('ops', 'orders.order.created').failed.inc(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('dlq_processing_failed_total{service="ops",topic="dlq.order-created"} 1');
    expect(text).not.toContain('dlq_processing_failed_total{service="ops",topic="orders.order.created"}');
    expect(text).toContain('events_failed_total{service="ops",topic="dlq.order-created"} 1');
    expect(text).toContain('events_failed_total{service="ops",topic="orders.order.created"} 2');
  });

  it('shares metrics when two runtimes use one registry, and caches labelled children', () => {
    const registry = new Registry();
    const a = createEventMetrics({ registry });
    const b = createEventMetrics({ registry });
    a.forTopic('s', 't').consumed.inc();
    b.forTopic('s', 't').consumed.inc(2);
    expect(a.forTopic('s', 't')).toBe(a.forTopic('s', 't'));
    return registry.getSingleMetricAsString('events_consumed_total').then((text) => {
      expect(text).toContain('events_consumed_total{service="s",topic="t"} 3');
    });
  });
});

describe('labelled children on the per-event path', () => {
  /** The same updates through forTopic's children and through plain prom-client children. */
  async function bothWays(updates: (topic: TopicMetrics) => void, between?: (registry: Registry) => void) {
    const fast = createEventMetrics();
    const plainRegistry = new Registry();
    // The same metrics, registered by createEventMetrics, updated through prom-client's own children.
    createEventMetrics({ registry: plainRegistry });
    const labels = { service: 'order', topic: 'orders.order.created' };
    const metric = (name: string) => plainRegistry.getSingleMetric(name) as Counter | Histogram;
    const plainTopic = {
      consumed: (metric(METRIC_NAMES.consumed) as Counter).labels(labels),
      processed: (metric(METRIC_NAMES.processed) as Counter).labels(labels),
      processingDuration: (metric(METRIC_NAMES.processingDuration) as Histogram).labels(labels),
      batchSize: (metric(METRIC_NAMES.batchSize) as Histogram).labels(labels),
    } as unknown as TopicMetrics;
    const fastTopic = fast.forTopic(labels.service, labels.topic);
    updates(fastTopic);
    updates(plainTopic);
    if (between) {
      between(fast.registry);
      between(plainRegistry);
      updates(fastTopic);
      updates(plainTopic);
    }
    return [await fast.registry.metrics(), await plainRegistry.metrics()];
  }

  const updates = (topic: TopicMetrics) => {
    for (let i = 0; i < 300; i++) {
      topic.consumed.inc();
      if (i % 3 === 0) topic.processed.inc(2);
      // Bounds themselves, values between and beyond the last bound (counted, in no finite bucket).
      topic.processingDuration.observe([0.0005, 0.0007, 0.01, 0.3, 10, 12.5][i % 6]! + (i % 7) * 1e-9);
      topic.batchSize.observe(i * 13);
    }
    topic.processed.inc(0);
  };

  it('report what plain prom-client children report after the same updates', async () => {
    const [fast, plain] = await bothWays(updates);
    expect(fast).toContain('events_consumed_total{service="order",topic="orders.order.created"} 300');
    expect(fast).toBe(plain);
  });

  it('keep reporting the same after the registry is reset and after a series is removed', async () => {
    const [afterReset, plainAfterReset] = await bothWays(updates, (registry) => registry.resetMetrics());
    expect(afterReset).toBe(plainAfterReset);
    const [afterRemove, plainAfterRemove] = await bothWays(updates, (registry) =>
      (registry.getSingleMetric(METRIC_NAMES.consumed) as Counter).remove({
        service: 'order',
        topic: 'orders.order.created',
      }),
    );
    expect(afterRemove).toBe(plainAfterRemove);
  });

  it('refuse what prom-client refuses (a negative or infinite increment, a non-finite observation)', () => {
    const topic = createEventMetrics().forTopic('s', 't');
    topic.consumed.inc();
    topic.processingDuration.observe(0.1);
    expect(() => topic.consumed.inc(-1)).toThrow();
    expect(() => topic.consumed.inc(Number.POSITIVE_INFINITY)).toThrow();
    expect(() => topic.processingDuration.observe(Number.NaN)).toThrow();
  });

  it('do not go through prom-client label hashing for every update (only to find the series)', () => {
    const hashing = vi.spyOn(
      Counter.prototype as unknown as { incWithoutExemplar(...args: unknown[]): unknown },
      'incWithoutExemplar',
    );
    try {
      const topic = createEventMetrics().forTopic('s', 't');
      for (let i = 0; i < 100; i++) topic.consumed.inc();
      expect(hashing.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      hashing.mockRestore();
    }
  });
});

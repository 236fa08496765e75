import { Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createEventMetrics, METRIC_NAMES } from './metrics.ts';

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

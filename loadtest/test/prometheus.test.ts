import { describe, expect, it } from 'vitest';
import { createEventMetrics } from '../../runtime/metrics.ts';
import { consumerCounts, difference, withinTarget } from '../lib/prometheus.ts';

describe('reading the consumers’ Prometheus endpoint', () => {
  it('sums processed events and processing buckets per service and topic from the runtime’s own metrics', async () => {
    const metrics = createEventMetrics();
    const topic = metrics.forTopic('payment', 'orders.payment.capture_requested');
    for (const seconds of [0.004, 0.02, 0.04, 0.09, 0.3]) {
      topic.processingDuration.observe(seconds);
      topic.processed.inc();
    }
    metrics.forTopic('other', 'x').processed.inc();
    const before = consumerCounts([]);
    const after = consumerCounts([await metrics.registry.metrics()]);
    const counts = difference(
      after['payment/orders.payment.capture_requested'],
      before['payment/orders.payment.capture_requested'],
    );
    expect([counts.processed, counts.outcomes]).toEqual([5, 5]);
    expect(withinTarget(counts, 100)).toBe(4);
    // No bucket at 30 ms: the 25 ms bucket is taken, never a larger one.
    expect(withinTarget(counts, 30)).toBe(2);
  });
});

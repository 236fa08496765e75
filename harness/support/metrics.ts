/**
 * Reads the runtime's own Prometheus metrics, for tests that must know a delivery was settled even when the
 * handler was (rightly) not called, such as a duplicate: every delivery that reaches an outcome is observed in
 * `event_processing_duration_seconds`, whatever the outcome.
 */
import { type EventMetrics, METRIC_NAMES } from 'eventwire/runtime';

/** Sum of the series `series` of metric `name` (a histogram's `<name>_count`, or a counter) with `labels`. */
async function sample(
  metrics: EventMetrics,
  name: string,
  series: string,
  labels: Readonly<Record<string, string>>,
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((value) => ((value as { metricName?: string }).metricName ?? name) === series)
    .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}

/** Deliveries `service` received on `topic` (the metric label; AMQP: `exchange/pattern`) that reached an outcome. */
export function settledDeliveries(metrics: EventMetrics, service: string, topic: string): Promise<number> {
  const name = METRIC_NAMES.processingDuration;
  return sample(metrics, name, `${name}_count`, { service, topic });
}

/** Handler successes of `service` on `topic`. */
export function handlerSuccesses(metrics: EventMetrics, service: string, topic: string): Promise<number> {
  return sample(metrics, METRIC_NAMES.processed, METRIC_NAMES.processed, { service, topic });
}

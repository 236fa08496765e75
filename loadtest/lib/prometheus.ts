/**
 * Reads what the load test needs from a consumer's Prometheus endpoint (the runtime's metrics, runtime/metrics.ts):
 * per subscribing service and topic, events processed and the processing-time histogram's buckets. Pure text
 * parsing of the exposition format, so k6 runs it and Node tests it.
 */

export const PROCESSED_METRIC = 'events_processed_total';
export const PROCESSING_METRIC = 'event_processing_duration_seconds';

export interface ConsumerCounts {
  /** Handler successes. */
  readonly processed: number;
  /** Deliveries that reached an outcome (the histogram's count). */
  readonly outcomes: number;
  /** Cumulative histogram buckets: upper bound in seconds -> deliveries at or under it. */
  readonly buckets: Readonly<Record<string, number>>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  for (const match of text.matchAll(LABEL)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return labels;
}

/** A label by name (the labels are an index signature: read through a name whatever the compiler flags). */
const label = (labels: Record<string, string>, name: string): string | undefined => labels[name];

/** `service/topic` -> counts, summed over every endpoint's text. */
export function consumerCounts(texts: readonly string[]): Record<string, ConsumerCounts> {
  const out: Record<string, { processed: number; outcomes: number; buckets: Record<string, number> }> = {};
  const entry = (labels: Record<string, string>) =>
    (out[`${label(labels, 'service')}/${label(labels, 'topic')}`] ??= {
      processed: 0,
      outcomes: 0,
      buckets: {},
    });
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const match = LINE.exec(line);
      if (!match) continue;
      const [, name, rawLabels, rawValue] = match;
      const value = Number(rawValue);
      if (!Number.isFinite(value)) continue;
      const labels = labelsOf(rawLabels);
      if (name === PROCESSED_METRIC) entry(labels).processed += value;
      else if (name === `${PROCESSING_METRIC}_count`) entry(labels).outcomes += value;
      else if (name === `${PROCESSING_METRIC}_bucket` && label(labels, 'le') !== undefined) {
        const le = label(labels, 'le') as string;
        const buckets = entry(labels).buckets;
        buckets[le] = (buckets[le] ?? 0) + value;
      }
    }
  }
  return out;
}

/** Deliveries processed within `targetMs`: the largest bucket bound at or under the target (never generous). */
export function withinTarget(counts: ConsumerCounts, targetMs: number): number {
  let best = 0;
  let bound = -1;
  for (const [le, count] of Object.entries(counts.buckets)) {
    const seconds = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    if (seconds * 1000 <= targetMs && seconds > bound) {
      bound = seconds;
      best = count;
    }
  }
  return best;
}

export function difference(
  after: ConsumerCounts | undefined,
  before: ConsumerCounts | undefined,
): ConsumerCounts {
  const a = after ?? { processed: 0, outcomes: 0, buckets: {} };
  const b = before ?? { processed: 0, outcomes: 0, buckets: {} };
  const buckets: Record<string, number> = {};
  for (const [le, count] of Object.entries(a.buckets)) buckets[le] = count - (b.buckets[le] ?? 0);
  return { processed: a.processed - b.processed, outcomes: a.outcomes - b.outcomes, buckets };
}

/**
 * Latency histograms: HdrHistogram (hdr-histogram-js) in microseconds, 3 significant digits, so a percentile is
 * exact to 0.1 % whatever the range; histograms travel between threads in HdrHistogram's compressed encoding and
 * merge by addition, never by averaging percentiles.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** One hour in microseconds: the histogram resizes itself beyond it. */
const HIGHEST_US = 3_600_000_000;

/** `packed`: memory in proportion to the values recorded, for the many small per-interval histograms. */
export function newHistogram(options: { readonly packed?: boolean } = {}): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    ...(options.packed ? { bitBucketSize: 'packed' as const } : {}),
  });
}

export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

/** The value at a percentile in milliseconds, or undefined for an empty histogram. */
export function percentileMs(histogram: Histogram, percentile: number): number | undefined {
  if (histogram.totalCount === 0) return undefined;
  return histogram.getValueAtPercentile(percentile) / 1000;
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

/** Adds an encoded histogram into `into` (creating it when absent) and returns it. */
export function mergeEncoded(into: Histogram | undefined, encoded: string, packed = false): Histogram {
  const target = into ?? newHistogram({ packed });
  const other = decodeHistogram(encoded);
  target.add(other);
  other.destroy();
  return target;
}

/** Percentiles a latency-by-percentile curve shows: dense in the tail, where the SLAs are. */
export const CURVE_PERCENTILES = [
  0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.999, 100,
] as const;

export function percentileCurve(histogram: Histogram): { percentile: number; ms: number }[] {
  if (histogram.totalCount === 0) return [];
  return CURVE_PERCENTILES.map((percentile) => ({
    percentile,
    ms: histogram.getValueAtPercentile(percentile) / 1000,
  }));
}

/**
 * Latency samples (milliseconds) in a preallocated buffer, so recording at 100k events/s allocates nothing and
 * the benchmark does not measure its own garbage collection.
 */
import { round } from './stats.ts';

export interface Percentiles {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LatencyRecorder {
  #values: Float64Array;
  #count = 0;

  constructor(expected = 1 << 16) {
    this.#values = new Float64Array(Math.max(16, expected));
  }

  get count(): number {
    return this.#count;
  }

  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  percentiles(): Percentiles {
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    return {
      samples: this.#count,
      p50Ms: round(at(0.5) ?? Number.NaN, 2),
      p95Ms: round(at(0.95) ?? Number.NaN, 2),
      p99Ms: round(at(0.99) ?? Number.NaN, 2),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 2),
    };
  }
}

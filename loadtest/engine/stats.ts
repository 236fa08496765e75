/**
 * Everything a load run measures, merged in the main thread: the workers' publish figures (totals and per-second
 * intervals, as encoded histograms) and the consumers' figures per subscription and scenario.
 */
import type { Outcome } from '../../runtime/index.ts';
import { epochNow, type ScenarioTick, type ScenarioTotals } from './protocol.ts';
import { type Histogram, mergeEncoded, newHistogram, recordMs } from './histogram.ts';

export interface PublishFigures {
  latency: Histogram;
  startLag: Histogram;
  scheduled: number;
  ok: number;
  failed: number;
  dropped: number;
  interrupted: number;
  errors: string[];
}

export interface ConsumeFigures {
  /** Delivery -> outcome, for deliveries acknowledged. */
  readonly processing: Histogram;
  /** Intended send time -> the handler finished. */
  readonly endToEnd: Histogram;
  handled: number;
  deadLettered: number;
  retried: number;
}

export interface SecondFigures {
  publish?: Histogram;
  endToEnd?: Histogram;
  ok: number;
  failed: number;
  dropped: number;
  handled: number;
}

const emptyPublish = (): PublishFigures => ({
  latency: newHistogram(),
  startLag: newHistogram(),
  scheduled: 0,
  ok: 0,
  failed: 0,
  dropped: 0,
  interrupted: 0,
  errors: [],
});

export class RunStats {
  readonly publish: PublishFigures[];
  readonly #consume = new Map<string, ConsumeFigures>();
  /** Per scenario, per second since the start. */
  readonly series: Map<number, SecondFigures>[];

  /** Epoch ms the schedule started at (set when the workers are told to go). */
  startAt: number;
  /** Seconds per point of the series: 1, or more for long runs so a series keeps at most ~600 points. */
  readonly step: number;

  constructor(scenarioCount: number, startAt: number, runMs = 0) {
    this.startAt = startAt;
    this.step = Math.max(1, Math.ceil(runMs / 1000 / 600));
    this.publish = Array.from({ length: scenarioCount }, emptyPublish);
    this.series = Array.from({ length: scenarioCount }, () => new Map());
  }

  #second(scenario: number, at: number): SecondFigures | undefined {
    const series = this.series[scenario];
    if (!series) return undefined;
    const second = Math.floor(at / this.step) * this.step;
    let figures = series.get(second);
    if (!figures) {
      figures = { ok: 0, failed: 0, dropped: 0, handled: 0 };
      series.set(second, figures);
    }
    return figures;
  }

  consume(subscriber: string, scenario: number): ConsumeFigures {
    const key = `${subscriber}\u0000${scenario}`;
    let figures = this.#consume.get(key);
    if (!figures) {
      figures = {
        processing: newHistogram(),
        endToEnd: newHistogram(),
        handled: 0,
        deadLettered: 0,
        retried: 0,
      };
      this.#consume.set(key, figures);
    }
    return figures;
  }

  tick(tick: ScenarioTick): void {
    const second = this.#second(tick.index, tick.second);
    if (!second) return;
    second.ok += tick.ok;
    second.failed += tick.failed;
    second.dropped += tick.dropped;
    if (tick.latency) second.publish = mergeEncoded(second.publish, tick.latency, true);
  }

  totals(totals: ScenarioTotals): void {
    const figures = this.publish[totals.index];
    if (!figures) return;
    mergeEncoded(figures.latency, totals.latency);
    mergeEncoded(figures.startLag, totals.startLag);
    figures.scheduled += totals.scheduled;
    figures.ok += totals.ok;
    figures.failed += totals.failed;
    figures.dropped += totals.dropped;
    figures.interrupted += totals.interrupted;
    for (const error of totals.errors) if (!figures.errors.includes(error)) figures.errors.push(error);
  }

  handled(subscriber: string, scenario: number, endToEndMs: number): void {
    if (!this.publish[scenario]) return;
    const figures = this.consume(subscriber, scenario);
    figures.handled++;
    recordMs(figures.endToEnd, endToEndMs);
    const second = this.#second(scenario, Math.round((epochNow() - this.startAt) / 1000));
    if (!second) return;
    second.handled++;
    second.endToEnd ??= newHistogram({ packed: true });
    recordMs(second.endToEnd, endToEndMs);
  }

  outcome(subscriber: string, scenario: number, kind: Outcome['kind'], ms: number): void {
    if (!this.publish[scenario]) return;
    const figures = this.consume(subscriber, scenario);
    if (kind === 'ack') recordMs(figures.processing, ms);
    else if (kind === 'retry') figures.retried++;
    else figures.deadLettered++;
  }

  /** Events the broker accepted for a scenario that a subscriber has neither handled nor dead-lettered. */
  lag(subscriber: string, scenario: number): number {
    const accepted = this.publish[scenario]?.ok ?? 0;
    const figures = this.consume(subscriber, scenario);
    return Math.max(0, accepted - figures.handled - figures.deadLettered);
  }
}

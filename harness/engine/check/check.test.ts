/**
 * The checker on hand-written histories: each invariant breaks on the history that should break it and holds
 * on the clean one, independently of any broker mode.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionSpec } from '../../../runtime/test/support.ts';
import { planOf } from '../plan.ts';
import type { HistoryEvent, InvariantName, Quiescence, Step, SuiteTarget } from '../types.ts';
import { checkRun } from './index.ts';

const quiet: Quiescence = { quiet: true, pending: [], at: 0 };

function target(overrides: Parameters<typeof subscriptionSpec>[0] = {}): SuiteTarget {
  const spec = subscriptionSpec(overrides);
  return {
    service: 'search',
    operation: spec.operation,
    spec,
    consumerModule: '',
    startExport: '',
    handlersModule: '',
    transport: 'redis-streams',
    publication: {
      operation: 'p',
      service: 's',
      eventType: 'catalog.product.created',
      version: '1.0',
      destination: spec.source,
      parameters: [],
    },
    payloads: [
      { product_id: 'p1', version: 1 },
      { product_id: 'p2', version: 1 },
    ],
    invalidPayloads: [{ payload: {}, violation: 'missing product_id' }],
  };
}

/** A tiny history builder: `d(1, 'e1')` is delivery d1 of e1, and so on. */
class History {
  readonly events: HistoryEvent[] = [];
  #at = 0;
  at(ms: number): this {
    this.#at = ms;
    return this;
  }
  published(event: 'e1' | 'e2' | 'e3', outcome: 'confirmed' | 'unknown' = 'confirmed', copy = 0): this {
    this.events.push({ type: 'published', at: this.#at, event, eventId: `id-${event}`, outcome, copy });
    return this;
  }
  delivery(
    id: string,
    event: 'e1' | 'e2' | 'e3',
    attempt: number,
    ...stages: ('start' | 'ok' | 'threw' | 'commit' | 'ack')[]
  ): this {
    const base = { at: this.#at, event, eventId: `id-${event}`, consumer: 1, attempt, delivery: id };
    this.events.push({ ...base, type: 'delivered' });
    for (const stage of stages) {
      if (stage === 'start') this.events.push({ ...base, type: 'handler-started' });
      if (stage === 'ok') this.events.push({ ...base, type: 'handler-finished', ok: true });
      if (stage === 'threw')
        this.events.push({ ...base, type: 'handler-finished', ok: false, error: 'boom' });
      if (stage === 'commit') this.events.push({ ...base, type: 'committed' });
      if (stage === 'ack') this.events.push({ ...base, type: 'acked' });
    }
    return this;
  }
  retried(id: string, event: 'e1' | 'e2' | 'e3', attempt: number, delayMs: number): this {
    this.events.push({
      type: 'retried',
      at: this.#at,
      event,
      eventId: `id-${event}`,
      consumer: 1,
      attempt,
      delivery: id,
      delayMs,
      error: 'boom',
    });
    return this;
  }
  dead(event: 'e1' | 'e2' | 'e3', attempt: number, reason = 'retries-exhausted', error = 'boom'): this {
    this.events.push({
      type: 'dead-lettered',
      at: this.#at,
      event,
      eventId: `id-${event}`,
      attempt,
      reason,
      error,
      address: 'dlq',
    });
    return this;
  }
}

const publish = (event: 'e1' | 'e2' | 'e3', extra: Partial<Step> = {}): Step =>
  ({ kind: 'publish', event, payload: 0, ...extra }) as Step;

function broken(history: History, steps: Step[], spec = target(), pending = quiet): InvariantName[] {
  const result = checkRun(spec, planOf(spec, steps, 'run'), history.events, pending);
  return [...new Set(result.violations.map((violation) => violation.invariant))];
}

describe('checkRun', () => {
  it('holds on a clean run: published, handled once, committed, acked', () => {
    const history = new History().published('e1').delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    const spec = target();
    const result = checkRun(spec, planOf(spec, [publish('e1')], 'run'), history.events, quiet);
    expect(result.violations).toEqual([]);
    expect(result.counts).toMatchObject({
      attempted: 1,
      confirmed: 1,
      delivered: 1,
      handled: 1,
      lost: 0,
      duplicated: 0,
    });
  });

  it('lost: a confirmed publish acked without its handler ever finishing', () => {
    const history = new History().published('e1').delivery('d1', 'e1', 1, 'ack');
    expect(broken(history, [publish('e1')])).toEqual(['lost']);
  });

  it('an unknown-outcome publish never delivered is not lost; handled, it counts as recovered', () => {
    const never = new History().published('e1', 'unknown');
    const steps: Step[] = [{ kind: 'lose-confirm', event: 'e1', payload: 0, stored: false }];
    expect(broken(never, steps)).toEqual([]);
    const handled = new History()
      .published('e1', 'unknown')
      .delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    const spec = target();
    expect(checkRun(spec, planOf(spec, steps, 'r'), handled.events, quiet).counts.recovered).toBe(1);
  });

  it('duplicated effect: two committed effects of one key are a failure; an uncommitted first one explains the second', () => {
    const twice = new History()
      .published('e1')
      .published('e1', 'confirmed', 1)
      .delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack')
      .delivery('d2', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    expect(broken(twice, [publish('e1')])).toEqual(['duplicated-effect']);
    const explained = new History()
      .published('e1')
      .delivery('d1', 'e1', 1, 'start', 'ok')
      .at(70_000)
      .delivery('d2', 'e1', 2, 'start', 'ok', 'commit', 'ack');
    const spec = target();
    const result = checkRun(spec, planOf(spec, [publish('e1')], 'r'), explained.events, quiet);
    expect(result.violations).toEqual([]);
    expect(result.counts).toMatchObject({ duplicated: 1, unexplainedDuplicates: 0 });
  });

  it('duplicated effect, PostgreSQL store: the effect is the commit, so an uncommitted run made none', () => {
    const spec = target({
      idempotency: { key: '$message.header#/event_id', ttlMs: 1000, store: 'postgres' },
    });
    const history = new History()
      .published('e1')
      .delivery('d1', 'e1', 1, 'start', 'ok')
      .delivery('d2', 'e1', 2, 'start', 'ok', 'commit', 'ack');
    const result = checkRun(spec, planOf(spec, [publish('e1')], 'r'), history.events, quiet);
    expect(result.counts).toMatchObject({ handled: 1, duplicated: 0 });
  });

  it('order: a higher sequence handled before a lower one of the same key', () => {
    const spec = target({
      ordering: { keyPointer: '/product_id', sequencePointer: '/version', bufferTimeoutMs: 1000 },
    });
    const steps = [publish('e1', { key: 'k1', seq: 1 }), publish('e2', { key: 'k1', seq: 2 })];
    const history = new History()
      .published('e1')
      .published('e2')
      .delivery('d2', 'e2', 1, 'start', 'ok', 'commit', 'ack')
      .at(5)
      .delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    expect(broken(history, steps, spec)).toEqual(['order']);
  });

  it('poison: dead-lettered after exactly maxRetries + 1 attempts, backoff no shorter than the contract, with a reason', () => {
    const steps: Step[] = [{ kind: 'poison', event: 'e1' }, publish('e1')];
    const good = new History().published('e1');
    const delays = [1000, 2000, 4000];
    let at = 0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      good.at(at).delivery(`d${attempt}`, 'e1', attempt, 'start', 'threw');
      if (attempt < 4) {
        good.retried(`d${attempt}`, 'e1', attempt, delays[attempt - 1]!);
        at += delays[attempt - 1]!;
      }
    }
    good.dead('e1', 4);
    expect(broken(good, steps)).toEqual([]);

    const early = new History()
      .published('e1')
      .delivery('d1', 'e1', 1, 'start', 'threw')
      .retried('d1', 'e1', 1, 10);
    early.at(10).delivery('d2', 'e1', 2, 'start', 'threw').dead('e1', 2);
    expect(broken(early, steps)).toEqual(['poison']);

    // A timer on Node's 1 ms grid may fire microseconds short of the delay asked (39.998 ms for 40 ms on real
    // brokers): the clock, not a short backoff. A millisecond or more short still breaks the invariant.
    const shortBy = (ms: number) => {
      const history = new History().published('e1');
      let when = 0;
      for (let attempt = 1; attempt <= 4; attempt++) {
        history.at(when).delivery(`d${attempt}`, 'e1', attempt, 'start', 'threw');
        if (attempt < 4) {
          history.retried(`d${attempt}`, 'e1', attempt, delays[attempt - 1]!);
          when += delays[attempt - 1]! - (attempt === 2 ? ms : 0);
        }
      }
      history.dead('e1', 4);
      return broken(history, steps);
    };
    expect(shortBy(0.002)).toEqual([]);
    expect(shortBy(2)).toEqual(['poison']);

    const noReason = new History()
      .published('e1')
      .delivery('d1', 'e1', 1, 'start', 'threw')
      .dead('e1', 1, '', '');
    expect(broken(noReason, steps)).toContain('poison');
  });

  it('invalid: never reaches the handler, dead-lettered invalid-payload', () => {
    const steps: Step[] = [{ kind: 'invalid', event: 'e1', payload: 0 }];
    const good = new History()
      .published('e1')
      .delivery('d1', 'e1', 1)
      .dead('e1', 1, 'invalid-payload', 'missing');
    expect(broken(good, steps)).toEqual([]);
    const handled = new History().published('e1').delivery('d1', 'e1', 1, 'start', 'ok', 'ack');
    expect(broken(handled, steps)).toEqual(['invalid']);
  });

  it('healthy: a healthy event dead-lettered, or work left at quiescence', () => {
    const dead = new History().published('e1').delivery('d1', 'e1', 1).dead('e1', 1, 'retries-exhausted');
    expect(broken(dead, [publish('e1')])).toContain('healthy');
    const pending: Quiescence = {
      quiet: false,
      pending: [{ eventId: 'id-e1', event: 'e1', state: 'waiting' }],
      at: 5,
    };
    const stuck = new History().published('e1').delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    expect(broken(stuck, [publish('e1')], target(), pending)).toEqual(['healthy']);
  });

  it("healthy, excused: a handled event whose budget crashes spent, and its successor stuck behind it, are the faults' doing", () => {
    const spec = target({
      ordering: { keyPointer: '/product_id', sequencePointer: '/version', bufferTimeoutMs: 300_000 },
    });
    const steps = [publish('e1', { key: 'k1', seq: 1 }), publish('e2', { key: 'k1', seq: 2 })];
    // e1: two failures, then a run whose handler finished but whose consumer died before the ordering position
    // advanced (no commit), then two deliveries cut off by crashes: 2 + 3 > maxRetries 3. e2 waits for seq 1.
    const history = new History()
      .published('e1')
      .published('e2')
      .delivery('d1', 'e1', 1, 'start', 'threw')
      .retried('d1', 'e1', 1, 1000)
      .at(1000)
      .delivery('d2', 'e1', 2, 'start', 'threw')
      .retried('d2', 'e1', 2, 2000)
      .at(3000)
      .delivery('d3', 'e1', 3, 'start', 'ok')
      .delivery('d4', 'e2', 1)
      .at(80_000)
      .delivery('d5', 'e1', 4)
      .delivery('d6', 'e1', 5)
      .dead('e1', 5, 'retries-exhausted', 'budget spent by crashes')
      .at(300_000)
      .dead('e2', 1, 'ordering-timeout', 'sequence 2 waited for sequence 1');
    const result = checkRun(spec, planOf(spec, steps, 'r'), history.events, quiet);
    expect(result.violations).toEqual([]);
    expect(result.counts).toMatchObject({ deadLettered: 2, excused: 2, outOfOrder: 0 });
    expect(result.excused.map((excuse) => [excuse.event, excuse.kind])).toEqual([
      ['e1', 'retry-budget'],
      ['e2', 'ordering-predecessor'],
    ]);
    expect(result.excused[1]!.explanation).toMatch(/e1 \(seq 1\) was never processed: its handler ran/);
  });

  it('healthy, not excused: an ordering-timeout although the predecessor was processed, or a budget not spent', () => {
    const spec = target({
      ordering: { keyPointer: '/product_id', sequencePointer: '/version', bufferTimeoutMs: 300_000 },
    });
    const steps = [publish('e1', { key: 'k1', seq: 1 }), publish('e2', { key: 'k1', seq: 2 })];
    const processed = new History()
      .published('e1')
      .published('e2')
      .delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack')
      .delivery('d2', 'e2', 1)
      .at(300_000)
      .dead('e2', 1, 'ordering-timeout', 'sequence 2 waited for sequence 1');
    expect(broken(processed, steps, spec)).toEqual(['healthy']);
    // One failure and one crashed delivery (2 <= maxRetries 3): the budget was not spent.
    const early = new History()
      .published('e1')
      .delivery('d1', 'e1', 1, 'start', 'threw')
      .retried('d1', 'e1', 1, 1000)
      .at(1000)
      .delivery('d2', 'e1', 2, 'start')
      .dead('e1', 3, 'retries-exhausted');
    expect(broken(early, [publish('e1')])).toEqual(['healthy']);
  });

  it('finish line: a job that finishes twice, or counts past its total', () => {
    const mark = (item: string, outcome: 'running' | 'finished' | 'already-finished', completed: number) =>
      ({ type: 'progress-marked', at: 0, job: 'j1', item, outcome, completed, failed: 0, total: 2 }) as const;
    const history = new History().published('e1').delivery('d1', 'e1', 1, 'start', 'ok', 'commit', 'ack');
    history.events.push(mark('a', 'running', 1), mark('b', 'finished', 2), mark('a', 'finished', 3));
    expect(broken(history, [publish('e1')])).toEqual(['finish-line']);
  });
});

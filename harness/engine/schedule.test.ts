import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subscriptionSpec } from '../../runtime/test/support.ts';
import { type Intent, intentsArbitrary, normalize, type ScheduleShape } from './schedule.ts';
import { ALL_FAULTS } from './suite.ts';
import type { EventRef, Step } from './types.ts';

const ordered = subscriptionSpec({
  ordering: { keyPointer: '/product_id', sequencePointer: '/version', bufferTimeoutMs: 300_000 },
});
const shape = (spec = ordered, faults = ALL_FAULTS): ScheduleShape => ({
  spec,
  faults: new Set(faults),
  payloads: 4,
  invalidPayloads: 2,
});

describe('normalize: any list of intents becomes a consistent schedule', () => {
  it('names events in publish order and numbers sequences per ordering key', () => {
    const steps = normalize(
      [
        { k: 'publish', key: 0, payload: 1 },
        { k: 'publish', key: 1, payload: 0 },
        { k: 'lose-confirm', key: 0, payload: 2, stored: true },
        { k: 'invalid', payload: 1 },
      ],
      shape(),
    );
    expect(steps).toEqual([
      { kind: 'publish', event: 'e1', key: 'k1', seq: 1, payload: 1 },
      { kind: 'publish', event: 'e2', key: 'k2', seq: 1, payload: 0 },
      { kind: 'lose-confirm', event: 'e3', key: 'k1', seq: 2, payload: 2, stored: true },
      { kind: 'invalid', event: 'e4', payload: 1 },
    ]);
  });

  it('drops what refers to nothing: a duplicate before any publish, a restart without a crash, a reorder across bursts', () => {
    const steps = normalize(
      [
        { k: 'duplicate', target: 3, via: 'publisher-retry' },
        { k: 'restart' },
        { k: 'publish', key: 0, payload: 0 },
        { k: 'crash', point: 'after-handler' },
        { k: 'publish', key: 0, payload: 0 },
        { k: 'reorder', back: 0 },
      ],
      shape(),
    );
    expect(steps.map((step) => step.kind)).toEqual(['publish', 'crash', 'publish']);
  });

  it('puts handler behaviours first, one per event, never on an invalid event', () => {
    const steps = normalize(
      [
        { k: 'invalid', payload: 0 },
        { k: 'publish', key: 0, payload: 0 },
        { k: 'poison', target: 0 },
        { k: 'fail', target: 0, times: 2 },
      ],
      shape(),
    );
    expect(steps).toEqual([
      { kind: 'poison', event: 'e2' },
      { kind: 'invalid', event: 'e1', payload: 0 },
      { kind: 'publish', event: 'e2', key: 'k1', seq: 1, payload: 0 },
    ]);
  });

  it('property: every generated schedule is consistent (events exist before they are duplicated, sequences count up)', () => {
    fc.assert(
      fc.property(intentsArbitrary(shape()), (intents: Intent[]) => {
        const steps: Step[] = normalize(intents, shape());
        const published = new Set<EventRef>();
        const seqs = new Map<string, number>();
        for (const step of steps) {
          if (step.kind === 'publish' || step.kind === 'lose-confirm') {
            expect(step.event).toBe(`e${published.size + 1}`);
            published.add(step.event);
            expect(step.seq).toBe((seqs.get(step.key!) ?? 0) + 1);
            seqs.set(step.key!, step.seq!);
          } else if (step.kind === 'invalid') {
            published.add(step.event);
          } else if (step.kind === 'duplicate' || step.kind === 'reorder') {
            expect(published.has(step.event)).toBe(true);
          }
        }
        expect(published.size).toBeLessThanOrEqual(5);
      }),
      { numRuns: 300 },
    );
  });

  it('only generates the fault kinds asked for', () => {
    const onlyDuplicates = shape(ordered, ['duplicate']);
    fc.assert(
      fc.property(intentsArbitrary(onlyDuplicates), (intents) => {
        const kinds = new Set(normalize(intents, onlyDuplicates).map((step) => step.kind));
        for (const kind of kinds) expect(['publish', 'duplicate']).toContain(kind);
      }),
      { numRuns: 200 },
    );
  });
});

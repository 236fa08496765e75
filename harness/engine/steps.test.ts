import { describe, expect, it } from 'vitest';
import { phasesOf, scheduleText, stepText } from './steps.ts';
import type { Step } from './types.ts';

describe('step texts', () => {
  it.each<[Step, string]>([
    [{ kind: 'publish', event: 'e1', key: 'k1', seq: 1, payload: 0 }, 'publish e1 key=k1 seq=1'],
    [{ kind: 'publish', event: 'e2', payload: 3 }, 'publish e2'],
    [{ kind: 'duplicate', event: 'e1', via: 'publisher-retry' }, 'duplicate e1'],
    [{ kind: 'duplicate', event: 'e1', via: 'redelivery' }, 'duplicate e1 (broker redelivery)'],
    [{ kind: 'crash', point: 'after-handler' }, 'crash consumer after handler, before commit'],
    [{ kind: 'crash', point: 'after-commit' }, 'crash consumer after commit, before ack'],
    [{ kind: 'crash', point: 'before-handler' }, 'crash consumer before handler'],
    [{ kind: 'restart' }, 'restart consumer'],
    [{ kind: 'reorder', event: 'e2', before: 'e1' }, 'reorder e2 before e1'],
    [
      { kind: 'lose-confirm', event: 'e3', key: 'k2', seq: 1, payload: 0, stored: true },
      'publish e3 key=k2 seq=1, confirm lost (broker kept it)',
    ],
    [{ kind: 'invalid', event: 'e4', payload: 0 }, 'publish e4 with an invalid payload'],
    [{ kind: 'fail', event: 'e1', times: 2 }, 'fail e1 2 times'],
    [{ kind: 'fail', event: 'e1', times: 1 }, 'fail e1 once'],
    [{ kind: 'poison', event: 'e1' }, 'poison e1 (handler always throws)'],
    [{ kind: 'slow', event: 'e1' }, 'slow e1 (handler outlasts the processing timeout)'],
    [{ kind: 'drop-connection' }, 'drop consumer connection'],
  ])('%j reads "%s"', (step, text) => {
    expect(stepText(step)).toBe(text);
  });

  it('joins a schedule with middle dots, as a counterexample prints it', () => {
    expect(
      scheduleText([
        { kind: 'publish', event: 'e1', key: 'k1', seq: 1, payload: 0 },
        { kind: 'duplicate', event: 'e1', via: 'publisher-retry' },
        { kind: 'crash', point: 'after-handler' },
        { kind: 'restart' },
      ]),
    ).toBe(
      'publish e1 key=k1 seq=1 · duplicate e1 · crash consumer after handler, before commit · restart consumer',
    );
  });

  it('groups broker steps into bursts that consumer steps end; behaviours are no phase', () => {
    const phases = phasesOf([
      { kind: 'poison', event: 'e2' },
      { kind: 'publish', event: 'e1', payload: 0 },
      { kind: 'duplicate', event: 'e1', via: 'publisher-retry' },
      { kind: 'crash', point: 'before-handler' },
      { kind: 'publish', event: 'e2', payload: 0 },
      { kind: 'restart' },
    ]);
    expect(
      phases.map((phase) => (phase.kind === 'burst' ? phase.steps.map((s) => s.kind) : phase.step.kind)),
    ).toEqual([['publish', 'duplicate'], 'crash', ['publish'], 'restart']);
  });
});

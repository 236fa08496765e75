/**
 * The checker: after quiescence, index the history, decide each event's expected fate from the contract and
 * the schedule, run every invariant, and count (Jepsen's attempted / confirmed / lost / duplicated /
 * unexpected / recovered, plus delivered, handled, dead-lettered, out-of-order, and the dead letters the faults
 * excuse, each with its explanation).
 */
import type {
  CheckResult,
  Counts,
  FaultKind,
  HistoryEvent,
  Quiescence,
  RunPlan,
  SuiteTarget,
} from '../types.ts';
import { expectedFates } from './expect.ts';
import { gatherFacts } from './facts.ts';
import { INVARIANTS } from './invariants.ts';

export interface CheckOptions {
  /** Idempotency on (the contract's default): a repeated effect must be explained. */
  readonly idempotency?: boolean;
}

export function checkRun(
  target: SuiteTarget,
  plan: RunPlan,
  history: readonly HistoryEvent[],
  quiescence: Quiescence,
  options: CheckOptions = {},
): CheckResult {
  const facts = gatherFacts(target, plan, history);
  const fates = expectedFates(facts.events);
  const input = {
    target,
    facts,
    fates,
    history,
    quiescence,
    timeScale: plan.timeScale,
    idempotency: options.idempotency ?? true,
  };
  const results = Object.values(INVARIANTS).map((invariant) => invariant(input));
  const sum = (name: 'lost' | 'duplicated' | 'unexplainedDuplicates' | 'outOfOrder' | 'recovered') =>
    results.reduce((total, result) => total + (result.counts?.[name] ?? 0), 0);
  const events = [...facts.events.values()];
  const excused = results.flatMap((result) => result.excused ?? []);
  const counts: Counts = {
    attempted: events.filter((event) => event.firstPublish !== undefined).length,
    confirmed: events.filter((event) => event.firstPublish === 'confirmed').length,
    delivered: facts.delivered,
    handled: events.filter((event) => event.effects.length > 0).length,
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    unexplainedDuplicates: sum('unexplainedDuplicates'),
    unexpected: facts.unexpected.size,
    recovered: sum('recovered'),
    deadLettered: events.filter((event) => event.deadLetters.length > 0).length,
    outOfOrder: sum('outOfOrder'),
    excused: new Set(excused.map((excuse) => excuse.event)).size,
  };
  const faults: Partial<Record<FaultKind, number>> = {};
  for (const entry of history)
    if (entry.type === 'fault') faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
  const violations = results.flatMap((result) => result.violations);
  return { ok: violations.length === 0, violations, counts, excused, faults };
}

/**
 * The invariants, Jepsen-style: each reads the indexed history after quiescence and reports what broke, with
 * what the contract expected and what was observed. Which ones apply comes from the contract (ordering only on
 * ordered subscriptions, effects once with idempotency on, backoff from the retry policy).
 */
import type { RetrySpec } from 'eventwire/runtime';
import {
  BROKER_FAULTS,
  type Excuse,
  type HistoryEvent,
  type InvariantName,
  type Quiescence,
  type SuiteTarget,
  type Violation,
} from '../types.ts';
import { excuseFor } from './excuse.ts';
import type { Fate } from './expect.ts';
import type { EventFacts, RunFacts } from './facts.ts';
import { story } from './story.ts';

export interface CheckInput {
  readonly target: SuiteTarget;
  readonly facts: RunFacts;
  readonly fates: ReadonlyMap<string, Fate>;
  readonly history: readonly HistoryEvent[];
  readonly quiescence: Quiescence;
  readonly timeScale: number;
  /** With idempotency off, duplicates are counted and allowed. */
  readonly idempotency: boolean;
}

export interface InvariantResult {
  readonly violations: Violation[];
  /** Counters this invariant contributes to the report. */
  readonly counts?: Partial<
    Record<'lost' | 'duplicated' | 'unexplainedDuplicates' | 'outOfOrder' | 'recovered', number>
  >;
  /** Dead letters the faults explain (the healthy invariant's). */
  readonly excused?: readonly Excuse[];
}

type Invariant = (input: CheckInput) => InvariantResult;

const violation = (
  invariant: InvariantName,
  facts: EventFacts | undefined,
  expected: string,
  observed: string,
): Violation => ({
  invariant,
  ...(facts ? { event: facts.ref } : {}),
  expected,
  observed,
});

const handledOrDead = (facts: EventFacts, group: readonly EventFacts[]) =>
  group.some((member) => member.effects.length > 0) || facts.deadLetters.length > 0;

function identityGroups(facts: RunFacts): Map<string, EventFacts[]> {
  const groups = new Map<string, EventFacts[]>();
  for (const event of facts.events.values())
    groups.set(event.identity, [...(groups.get(event.identity) ?? []), event]);
  return groups;
}

/** Every confirmed publish is handled or dead-lettered; unknown outcomes may go either way (recovered if handled). */
const lost: Invariant = ({ facts, fates }) => {
  const violations: Violation[] = [];
  const groups = identityGroups(facts);
  let lostCount = 0;
  let recovered = 0;
  for (const event of facts.events.values()) {
    const fate = fates.get(event.ref)!;
    const group = groups.get(event.identity)!;
    if (fate.kind === 'either') {
      if (event.effects.length > 0) recovered++;
      continue;
    }
    if (event.firstPublish !== 'confirmed' || handledOrDead(event, group)) continue;
    lostCount++;
    violations.push(
      violation(
        'lost',
        event,
        `${event.ref} handled or dead-lettered (its publish was confirmed)`,
        `${event.ref}: ${story(event)}`,
      ),
    );
  }
  return { violations, counts: { lost: lostCount, recovered } };
};

/**
 * Each idempotency key's effect happens once. A repeat is explained when an earlier run of the same key made
 * its effect and never committed (a crash between the effect and the commit, a handler that failed after a
 * follow-up): at-least-once effects, which the report counts. Anything else is a failure. The same rule holds
 * for the follow-ups a handler publishes.
 */
const duplicatedEffect: Invariant = ({ facts, idempotency }) => {
  const violations: Violation[] = [];
  let duplicated = 0;
  let unexplained = 0;
  const judge = (
    subject: string,
    first: EventFacts,
    episodes: readonly { at: number; delivery?: string }[],
  ) => {
    if (episodes.length < 2) return;
    const sorted = [...episodes].sort((a, b) => a.at - b.at);
    const explainers = sorted.slice(0, -1).filter((episode) => {
      const delivery = episode.delivery ? facts.deliveries.get(episode.delivery) : undefined;
      return delivery !== undefined && !delivery.committed;
    }).length;
    const extra = sorted.length - 1;
    duplicated += extra;
    const bad = Math.max(0, extra - explainers);
    if (bad === 0 || !idempotency) return;
    unexplained += bad;
    violations.push(
      violation(
        'duplicated-effect',
        first,
        `${subject} once (idempotency key ${first.identity === first.ref ? 'event_id' : first.identity})`,
        `${sorted.length} times, ${explainers} explained by a crash or failure between the effect and the commit: ${story(first)}`,
      ),
    );
  };
  for (const group of identityGroups(facts).values()) {
    const effects = group.flatMap((event) => event.effects);
    judge(`the effect of ${group.map((event) => event.ref).join('/')}`, group[0]!, effects);
    for (const event of group) {
      const byType = new Map<string, { at: number; delivery?: string }[]>();
      for (const followUp of event.followUps)
        byType.set(followUp.eventType, [...(byType.get(followUp.eventType) ?? []), followUp]);
      for (const [type, publications] of byType) {
        // One episode per delivery that published; publications outside any handler run are episodes each.
        const episodes = new Map<string, { at: number; delivery?: string }>();
        publications.forEach((publication, index) => {
          const key = publication.delivery ?? `outside-${index}`;
          if (!episodes.has(key)) episodes.set(key, publication);
        });
        judge(`follow-up ${type} of ${event.ref}`, event, [...episodes.values()]);
      }
    }
  }
  return { violations, counts: { duplicated, unexplainedDuplicates: unexplained } };
};

/** On an ordered subscription, no event is handled before every lower sequence of its key was. */
const order: Invariant = ({ target, facts, fates }) => {
  const violations: Violation[] = [];
  if (!target.spec.ordering) return { violations, counts: { outOfOrder: 0 } };
  let outOfOrder = 0;
  const events = [...facts.events.values()].filter((event) => event.planned.key !== undefined);
  for (const event of events) {
    const first = Math.min(...event.effects.map((effect) => effect.at));
    if (!Number.isFinite(first)) continue;
    const fate = fates.get(event.ref)!;
    const early = events.filter(
      (other) =>
        other.planned.key === event.planned.key &&
        other.planned.seq! < event.planned.seq! &&
        !other.effects.some((effect) => effect.at <= first),
    );
    if (early.length === 0 && fate.kind !== 'blocked') continue;
    outOfOrder++;
    const missing =
      early.map((other) => `${other.ref} (seq ${other.planned.seq})`).join(', ') ||
      (fate.kind === 'blocked' ? fate.by : '');
    violations.push(
      violation(
        'order',
        event,
        `${event.ref} (key ${event.planned.key}, seq ${event.planned.seq}) handled only after ${missing}`,
        `handled at ${first} ms while ${missing} ${early.length > 1 ? 'were' : 'was'} not: ${story(event)}`,
      ),
    );
  }
  return { violations, counts: { outOfOrder } };
};

/** A poison event is dead-lettered after exactly maxRetries + 1 attempts, backoff gaps per the contract, with a reason. */
const poison: Invariant = ({ target, facts, fates, timeScale }) => {
  const violations: Violation[] = [];
  const retry = target.spec.retry;
  const limit = retry.maxRetries + 1;
  for (const event of facts.events.values()) {
    const fate = fates.get(event.ref)!;
    const failing = event.planned.valid && event.planned.failures > 0;
    if (failing) violations.push(...backoffGaps(event, retry, timeScale));
    if (fate.kind !== 'dead-letter' || fate.reason !== 'retries-exhausted') continue;
    // A publish whose outcome is unknown may never have reached the broker: nothing to expect then.
    if (event.firstPublish !== 'confirmed' && event.deliveries.length === 0) continue;
    const runs = event.deliveries.filter((delivery) => delivery.handlerStarted).length;
    const acked = event.deliveries.filter((delivery) => delivery.settled === 'acked');
    if (event.deadLetters.length === 0) {
      violations.push(
        violation(
          'poison',
          event,
          `${event.ref} dead-lettered after ${limit} attempts`,
          `never dead-lettered: ${story(event)}`,
        ),
      );
    }
    if (acked.length > 0) {
      violations.push(
        violation(
          'poison',
          event,
          `${event.ref} never acknowledged (its handler always throws)`,
          `acknowledged at attempt ${acked[0]!.attempt}: ${story(event)}`,
        ),
      );
    }
    for (const dead of event.deadLetters) {
      if (dead.reason === '' || dead.error === '') {
        violations.push(
          violation(
            'poison',
            event,
            `${event.ref} dead-lettered with a reason and the last error`,
            `reason '${dead.reason}', error '${dead.error}'`,
          ),
        );
      }
    }
    // Exactly maxRetries + 1 attempts when nothing else happened to it (crashes and copies add deliveries).
    if (
      undisturbed(event, facts) &&
      event.deadLetters.length > 0 &&
      (runs !== limit || event.deadLetters[0]!.attempt !== limit)
    ) {
      violations.push(
        violation(
          'poison',
          event,
          `${event.ref} dead-lettered after exactly ${limit} attempts (maxRetries ${retry.maxRetries} + 1)`,
          `${runs} handler runs, dead-lettered at attempt ${event.deadLetters[0]!.attempt}: ${story(event)}`,
        ),
      );
    }
  }
  return { violations };
};

/** Nothing but the schedule's own fault touched the event: its attempts can be counted exactly. */
function undisturbed(event: EventFacts, facts: RunFacts): boolean {
  const own = ['poison', 'transient-failure'];
  const runLevel = [
    'crash-before-handler',
    'crash-after-handler',
    'crash-after-commit',
    'connection-drop',
    ...BROKER_FAULTS,
  ];
  return (
    event.copies === 0 &&
    [...event.faults].every((fault) => own.includes(fault)) &&
    runLevel.every((fault) => !facts.runFaults.has(fault as never))
  );
}

/** How far short of the asked delay a timer may fire and still have honoured it. */
const TIMER_GRANULARITY_MS = 1;

function backoffGaps(event: EventFacts, retry: RetrySpec, timeScale: number): Violation[] {
  if (event.copies > 0 || event.faults.has('redelivery') || event.faults.has('slow-handler')) return [];
  const violations: Violation[] = [];
  for (const delivery of event.deliveries) {
    if (delivery.retriedAt === undefined) continue;
    const next = event.deliveries.find(
      (other) => other.attempt === delivery.attempt + 1 && other.at >= delivery.retriedAt!,
    );
    if (!next) continue;
    const minimum = contractDelayMs(retry, delivery.attempt) * timeScale;
    const gap = next.at - delivery.retriedAt;
    // Node's timers fire on a 1 ms grid: a delay measured with performance.now may come out a few microseconds
    // short of what was asked (39.998 ms for 40 ms seen on real brokers), which is the clock, not the runtime.
    if (gap + TIMER_GRANULARITY_MS < minimum) {
      violations.push(
        violation(
          'poison',
          event,
          `attempt ${delivery.attempt + 1} of ${event.ref} at least ${minimum} ms after attempt ${delivery.attempt} failed (contract backoff)`,
          `${gap} ms`,
        ),
      );
    }
  }
  return violations;
}

/** The contract's delay before delivery `attempt + 1`, computed from the policy, independently of the runtime. */
export function contractDelayMs(retry: RetrySpec, attempt: number): number {
  if (retry.backoff === 'constant') return retry.initialIntervalMs;
  if (retry.backoff === 'fixed-delays') {
    const delays = retry.delaysMs;
    return delays.length === 0 ? retry.initialIntervalMs : delays[Math.min(attempt, delays.length) - 1]!;
  }
  const raw = retry.initialIntervalMs * retry.multiplier ** (attempt - 1);
  return retry.maxIntervalMs > 0 ? Math.min(raw, retry.maxIntervalMs) : raw;
}

/** An invalid payload never reaches a handler and is dead-lettered with its reason. */
const invalid: Invariant = ({ facts, fates }) => {
  const violations: Violation[] = [];
  for (const event of facts.events.values()) {
    const fate = fates.get(event.ref)!;
    if (fate.kind !== 'dead-letter' || fate.reason !== 'invalid-payload') continue;
    if (event.deliveries.some((delivery) => delivery.handlerStarted)) {
      violations.push(
        violation('invalid', event, `${event.ref}'s invalid payload never reaches the handler`, story(event)),
      );
    }
    const reasons = event.deadLetters.map((dead) => dead.reason);
    if (
      event.deliveries.length > 0 &&
      (reasons.length === 0 || reasons.some((reason) => reason !== 'invalid-payload'))
    ) {
      violations.push(
        violation(
          'invalid',
          event,
          `${event.ref} dead-lettered with reason invalid-payload`,
          reasons.length === 0
            ? `not dead-lettered: ${story(event)}`
            : `dead-lettered with reason '${reasons.join("', '")}'`,
        ),
      );
    }
  }
  return { violations };
};

/**
 * No healthy event dead-lettered, unless the faults explain it (excuse.ts: its retry budget spent by crashes,
 * or stuck behind a predecessor that was never processed); blocked ones dead-lettered for ordering; nothing
 * pending at quiescence. Excused dead letters are returned, so reports count and explain them.
 */
const healthy: Invariant = ({ target, facts, fates, quiescence }) => {
  const violations: Violation[] = [];
  const excused: Excuse[] = [];
  for (const event of facts.events.values()) {
    const fate = fates.get(event.ref)!;
    if (fate.kind !== 'handled' && fate.kind !== 'either' && fate.kind !== 'blocked') continue;
    // A blocked event's ordering-timeout is its expected fate, not something to excuse.
    const unexpected = event.deadLetters.filter(
      (dead) => !(fate.kind === 'blocked' && dead.reason === 'ordering-timeout'),
    );
    const unexcused = [];
    for (const dead of unexpected) {
      const excuse = excuseFor(event, dead, facts, target.spec.retry);
      if (excuse) excused.push(excuse);
      else unexcused.push(dead);
    }
    if (unexcused.length === 0) continue;
    const dead = unexcused[0]!;
    violations.push(
      fate.kind === 'blocked'
        ? violation(
            'healthy',
            event,
            `${event.ref} dead-lettered for ordering-timeout (its predecessor ${fate.by} was never handled)`,
            `dead-lettered: ${unexcused.map((other) => other.reason).join(', ')}; ${story(event)}`,
          )
        : violation(
            'healthy',
            event,
            `${event.ref} never dead-lettered (it is healthy)`,
            `dead-lettered: ${dead.reason} (${dead.error}), which no fault explains; ${story(event)}`,
          ),
    );
  }
  if (quiescence.pending.length > 0 || !quiescence.quiet) {
    const left = quiescence.pending.map((item) => `${item.event ?? item.eventId} ${item.state}`).join('; ');
    violations.push(
      violation(
        'healthy',
        undefined,
        'nothing pending or unacknowledged at quiescence',
        quiescence.quiet
          ? `still pending: ${left}`
          : `still busy after ${quiescence.at} ms${left ? `: ${left}` : ''}`,
      ),
    );
  }
  return { violations, excused };
};

/** The progress tracker fires each job's completion exactly once, never early, never counting past its total. */
const finishLine: Invariant = ({ history }) => {
  const violations: Violation[] = [];
  const jobs = new Map<string, Extract<HistoryEvent, { type: 'progress-marked' }>[]>();
  for (const entry of history)
    if (entry.type === 'progress-marked') jobs.set(entry.job, [...(jobs.get(entry.job) ?? []), entry]);
  for (const [job, marks] of jobs) {
    const finished = marks.filter((mark) => mark.outcome === 'finished');
    const last = marks.at(-1)!;
    const subject = `job ${job}`;
    const done = last.total !== null && last.completed + last.failed >= last.total;
    if (finished.length > 1 || (done && finished.length === 0)) {
      violations.push({
        invariant: 'finish-line',
        subject,
        expected: `${subject} finishes exactly once`,
        observed: `finished ${finished.length} times (${last.completed + last.failed}/${last.total ?? '?'} items)`,
      });
    }
    for (const mark of marks) {
      const processed = mark.completed + mark.failed;
      if (mark.total !== null && processed > mark.total) {
        violations.push({
          invariant: 'finish-line',
          subject,
          expected: `${subject} never counts past its total`,
          observed: `${processed}/${mark.total} after item ${mark.item}`,
        });
        break;
      }
      if (mark.outcome === 'finished' && (mark.total === null || processed < mark.total)) {
        violations.push({
          invariant: 'finish-line',
          subject,
          expected: `${subject} finishes when every item is done`,
          observed: `finished at ${processed}/${mark.total ?? '?'} (item ${mark.item})`,
        });
      }
    }
  }
  return { violations };
};

export const INVARIANTS: Readonly<Record<InvariantName, Invariant>> = {
  lost,
  'duplicated-effect': duplicatedEffect,
  order,
  poison,
  invalid,
  healthy,
  'finish-line': finishLine,
};

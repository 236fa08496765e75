/**
 * Schedules as fast-check values. fast-check generates a flat list of *intents* (publish with key 0, duplicate
 * the 2nd event, crash after the handler, ...); `normalize` turns any such list into a consistent schedule:
 * events named e1, e2, ... in publish order, sequences numbered per ordering key, references to events that do
 * not exist (yet) dropped. Shrinking removes or simplifies intents and the schedule is derived again, so a
 * failing schedule shrinks step by step to a minimal one, and `--seed/--path` replays it exactly.
 */
import fc from 'fast-check';
import type { SubscriptionSpec } from 'eventwire/runtime';
import {
  ALL_FAULTS,
  BROKER_FAULTS,
  type BrokerFault,
  type CrashPoint,
  type EventRef,
  type FaultKind,
  type Step,
} from './types.ts';

export type Intent =
  | { readonly k: 'publish'; readonly key: number; readonly payload: number }
  | { readonly k: 'lose-confirm'; readonly key: number; readonly payload: number; readonly stored: boolean }
  | { readonly k: 'invalid'; readonly payload: number }
  | { readonly k: 'duplicate'; readonly target: number; readonly via: 'publisher-retry' | 'redelivery' }
  | { readonly k: 'reorder'; readonly back: number }
  | { readonly k: 'crash'; readonly point: CrashPoint }
  | { readonly k: 'restart' }
  | { readonly k: 'drop-connection' }
  | { readonly k: 'broker-fault'; readonly fault: BrokerFault }
  | { readonly k: 'slow'; readonly target: number }
  | { readonly k: 'fail'; readonly target: number; readonly times: number }
  | { readonly k: 'poison'; readonly target: number };

export interface ScheduleShape {
  readonly spec: SubscriptionSpec;
  /** The fault kinds the schedules may contain. */
  readonly faults: ReadonlySet<FaultKind>;
  readonly payloads: number;
  readonly invalidPayloads: number;
  /** Most events in one schedule (default 5). */
  readonly maxEvents?: number;
  /** Most intents in one schedule (default 10). */
  readonly maxIntents?: number;
}

/** The ordering keys a schedule uses on an ordered subscription: two keys interleave, which is what matters. */
export const KEYS = 2;

/**
 * Why a fault kind can never happen on this operation, whatever the schedule (then it is not requested of it:
 * the coverage gate does not wait for it); undefined when it can.
 */
export function inapplicableReason(kind: FaultKind, shape: ScheduleShape): string | undefined {
  if (kind === 'transient-failure' && shape.spec.retry.maxRetries === 0)
    return 'maxRetries is 0: a failure is dead-lettered at once, never retried';
  if (kind === 'invalid-payload' && shape.invalidPayloads === 0)
    return 'the harness found no way to break the payload schema (no required or typed field)';
  if (kind === 'reorder' && (shape.maxEvents ?? 5) < 2) return 'a schedule holds one event at most';
  return undefined;
}

/** The requested kinds that can happen on this operation, in ALL_FAULTS order. */
export function applicableFaults(shape: ScheduleShape): FaultKind[] {
  return ALL_FAULTS.filter((kind) => shape.faults.has(kind) && !inapplicableReason(kind, shape));
}

export function intentsArbitrary(
  shape: ScheduleShape,
  length: { readonly minLength?: number; readonly maxLength?: number } = {},
): fc.Arbitrary<Intent[]> {
  const { spec } = shape;
  const faults = new Set(applicableFaults(shape));
  const has = (kind: FaultKind) => faults.has(kind);
  const payload = fc.nat({ max: Math.max(0, shape.payloads - 1) });
  const key = spec.ordering ? fc.nat({ max: KEYS - 1 }) : fc.constant(0);
  const target = fc.nat({ max: 7 });
  const weighted: fc.WeightedArbitrary<Intent>[] = [
    { weight: 6, arbitrary: fc.record({ k: fc.constant('publish' as const), key, payload }) },
  ];
  // Built only when asked for: fc.constantFrom of an empty list throws.
  const add = (when: boolean, weight: number, arbitrary: () => fc.Arbitrary<Intent>) => {
    if (when) weighted.push({ weight, arbitrary: arbitrary() });
  };
  add(has('lost-confirm'), 1, () =>
    fc.record({ k: fc.constant('lose-confirm' as const), key, payload, stored: fc.boolean() }),
  );
  add(has('invalid-payload'), 1, () =>
    fc.record({
      k: fc.constant('invalid' as const),
      payload: fc.nat({ max: Math.max(0, shape.invalidPayloads - 1) }),
    }),
  );
  const via: ('publisher-retry' | 'redelivery')[] = [];
  if (has('duplicate')) via.push('publisher-retry');
  if (has('redelivery')) via.push('redelivery');
  add(via.length > 0, 3, () =>
    fc.record({ k: fc.constant('duplicate' as const), target, via: fc.constantFrom(...via) }),
  );
  add(has('reorder'), 2, () => fc.record({ k: fc.constant('reorder' as const), back: fc.nat({ max: 3 }) }));
  const points: CrashPoint[] = (['before-handler', 'after-handler', 'after-commit'] as const).filter(
    (point) => has(`crash-${point}`),
  );
  add(points.length > 0, 3, () =>
    fc.record({ k: fc.constant('crash' as const), point: fc.constantFrom(...points) }),
  );
  add(points.length > 0, 1, () => fc.constant({ k: 'restart' as const }));
  add(has('connection-drop'), 1, () => fc.constant({ k: 'drop-connection' as const }));
  const brokerFaults = BROKER_FAULTS.filter((fault) => has(fault));
  add(brokerFaults.length > 0, 2, () =>
    fc.record({ k: fc.constant('broker-fault' as const), fault: fc.constantFrom(...brokerFaults) }),
  );
  add(has('slow-handler'), 1, () => fc.record({ k: fc.constant('slow' as const), target }));
  add(has('transient-failure'), 1, () =>
    fc.record({
      k: fc.constant('fail' as const),
      target,
      times: fc.integer({ min: 1, max: Math.max(1, spec.retry.maxRetries) }),
    }),
  );
  add(has('poison'), 1, () => fc.record({ k: fc.constant('poison' as const), target }));
  return fc.array(fc.oneof(...weighted), {
    minLength: length.minLength ?? 1,
    maxLength: length.maxLength ?? shape.maxIntents ?? 10,
  });
}

interface Created {
  readonly ref: EventRef;
  /** Has an ordering position (publish, lose-confirm); invalid events have none. */
  readonly positioned: boolean;
  burst: number;
}

/** A consistent schedule from any list of intents (see the file comment). */
export function normalize(intents: readonly Intent[], shape: ScheduleShape): Step[] {
  const maxEvents = shape.maxEvents ?? 5;
  const ordered = shape.spec.ordering !== undefined;
  const created: Created[] = [];
  const seqs = new Map<number, number>();
  const steps: Step[] = [];
  const behaviours: Intent[] = [];
  let burst = 0;
  let crashed = false;
  const position = (key: number) => {
    if (!ordered) return {};
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    return { key: `k${key + 1}`, seq };
  };
  const create = (positioned: boolean): EventRef | undefined => {
    if (created.length >= maxEvents) return undefined;
    const ref: EventRef = `e${created.length + 1}`;
    created.push({ ref, positioned, burst });
    return ref;
  };
  for (const intent of intents) {
    switch (intent.k) {
      case 'publish': {
        const ref = create(true);
        if (ref)
          steps.push({ kind: 'publish', event: ref, ...position(intent.key), payload: intent.payload });
        break;
      }
      case 'lose-confirm': {
        const ref = create(true);
        if (ref) {
          steps.push({
            kind: 'lose-confirm',
            event: ref,
            ...position(intent.key),
            payload: intent.payload,
            stored: intent.stored,
          });
        }
        break;
      }
      case 'invalid': {
        const ref = create(false);
        if (ref) steps.push({ kind: 'invalid', event: ref, payload: intent.payload });
        break;
      }
      case 'duplicate': {
        const event = created[intent.target % Math.max(1, created.length)];
        if (event) steps.push({ kind: 'duplicate', event: event.ref, via: intent.via });
        break;
      }
      case 'reorder': {
        // The newest event of this burst jumps ahead of one published before it in the same burst.
        const inBurst = created.filter((event) => event.burst === burst);
        const last = inBurst.at(-1);
        const ahead = inBurst.slice(0, -1);
        const before = ahead[ahead.length - 1 - (intent.back % Math.max(1, ahead.length))];
        if (last && before) steps.push({ kind: 'reorder', event: last.ref, before: before.ref });
        break;
      }
      case 'crash':
        steps.push({ kind: 'crash', point: intent.point });
        crashed = true;
        burst++;
        break;
      case 'restart':
        // Only after a crash: a restart of a running consumer does nothing and would only lengthen the schedule.
        if (crashed) {
          steps.push({ kind: 'restart' });
          burst++;
        }
        break;
      case 'drop-connection':
        steps.push({ kind: 'drop-connection' });
        burst++;
        break;
      case 'broker-fault':
        steps.push({ kind: 'broker-fault', fault: intent.fault });
        burst++;
        break;
      default:
        behaviours.push(intent);
    }
  }
  // Handler behaviours hold for the whole run; one per event, never on an invalid one.
  const valid = created.filter((event) => event.positioned);
  const taken = new Set<EventRef>();
  const attributes: Step[] = [];
  for (const intent of behaviours) {
    if (intent.k !== 'slow' && intent.k !== 'fail' && intent.k !== 'poison') continue;
    const event = valid[intent.target % Math.max(1, valid.length)];
    if (!event || taken.has(event.ref)) continue;
    taken.add(event.ref);
    if (intent.k === 'fail') attributes.push({ kind: 'fail', event: event.ref, times: intent.times });
    else attributes.push({ kind: intent.k, event: event.ref });
  }
  // Listed first: "poison e1 · publish e1" reads as what it is.
  return [...attributes, ...steps];
}

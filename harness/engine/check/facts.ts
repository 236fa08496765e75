/**
 * The history, indexed per event and per delivery: what the invariants read. Nothing here judges; it only
 * gathers what happened to each event (publishes, deliveries, handler runs, effects, dead letters, faults).
 */
import { resolvePointer } from 'eventwire/runtime/json-pointer';
import type { EventRef, FaultKind, HistoryEvent, PlannedEvent, RunPlan, SuiteTarget } from '../types.ts';

export interface DeliveryFacts {
  readonly id: string;
  readonly event?: EventRef;
  readonly eventId: string;
  readonly attempt: number;
  readonly consumer: number;
  readonly at: number;
  handlerStarted: boolean;
  handlerOk?: number;
  handlerError?: string;
  committed: boolean;
  /** When the idempotency commit was recorded: the pipeline advances the ordering position just before it. */
  committedAt?: number;
  settled?: 'acked' | 'retried' | 'dead-lettered';
  retriedAt?: number;
  retryDelayMs?: number;
}

export interface Effect {
  readonly at: number;
  /** The delivery that made it (absent for a probe's effect record made outside a handler). */
  readonly delivery?: string;
}

export interface EventFacts {
  readonly ref: EventRef;
  readonly planned: PlannedEvent;
  /** What makes two events "the same" for idempotency: the contract key's value. */
  readonly identity: string;
  eventId?: string;
  firstPublish?: 'confirmed' | 'failed' | 'unknown';
  copies: number;
  readonly deliveries: DeliveryFacts[];
  readonly effects: Effect[];
  readonly deadLetters: {
    readonly at: number;
    readonly reason: string;
    readonly error: string;
    readonly attempt: number;
  }[];
  readonly faults: Set<FaultKind>;
  readonly followUps: { readonly at: number; readonly eventType: string; readonly delivery?: string }[];
}

export interface RunFacts {
  readonly events: Map<EventRef, EventFacts>;
  readonly deliveries: Map<string, DeliveryFacts>;
  /** Kinds of faults that happened anywhere in the run. */
  readonly runFaults: Set<FaultKind>;
  /** Deliveries, handler runs or dead letters of event ids the harness never published. */
  readonly unexpected: Set<string>;
  readonly delivered: number;
}

/** Which record counts as an event's effect. */
export type EffectSource = 'handler' | 'commit' | 'probe';

/**
 * The default effect is the handler finishing. With the PostgreSQL store the effect commits in the handler's
 * transaction, together with the idempotency mark: the commit is the effect. A probe's `effect` records
 * (library users reading back their own database) replace both.
 */
export function effectSource(target: SuiteTarget, history: readonly HistoryEvent[]): EffectSource {
  if (history.some((entry) => entry.type === 'effect')) return 'probe';
  return target.spec.idempotency.store === 'postgres' ? 'commit' : 'handler';
}

export function gatherFacts(target: SuiteTarget, plan: RunPlan, history: readonly HistoryEvent[]): RunFacts {
  const events = new Map<EventRef, EventFacts>();
  for (const planned of plan.events.values()) {
    events.set(planned.ref, {
      ref: planned.ref,
      planned,
      identity: identityOf(target, planned),
      copies: 0,
      deliveries: [],
      effects: [],
      deadLetters: [],
      faults: new Set(),
      followUps: [],
    });
  }
  const byEventId = new Map<string, EventFacts>();
  const deliveries = new Map<string, DeliveryFacts>();
  const runFaults = new Set<FaultKind>();
  const unexpected = new Set<string>();
  const source = effectSource(target, history);
  let delivered = 0;
  const factsOf = (ref: EventRef | undefined, eventId: string) => {
    const facts = (ref ? events.get(ref) : undefined) ?? byEventId.get(eventId);
    if (!facts) unexpected.add(eventId);
    return facts;
  };
  for (const entry of history) {
    switch (entry.type) {
      case 'published': {
        const facts = events.get(entry.event!);
        if (!facts) break;
        facts.eventId = entry.eventId;
        byEventId.set(entry.eventId, facts);
        if (entry.copy === 0) facts.firstPublish = entry.outcome;
        else facts.copies++;
        break;
      }
      case 'delivered': {
        delivered++;
        const delivery: DeliveryFacts = {
          id: entry.delivery,
          ...(entry.event ? { event: entry.event } : {}),
          eventId: entry.eventId,
          attempt: entry.attempt,
          consumer: entry.consumer,
          at: entry.at,
          handlerStarted: false,
          committed: false,
        };
        deliveries.set(entry.delivery, delivery);
        factsOf(entry.event, entry.eventId)?.deliveries.push(delivery);
        break;
      }
      case 'handler-started': {
        const delivery = deliveries.get(entry.delivery);
        if (delivery) delivery.handlerStarted = true;
        break;
      }
      case 'handler-finished': {
        const delivery = deliveries.get(entry.delivery);
        if (!delivery) break;
        if (entry.ok) {
          delivery.handlerOk = entry.at;
          if (source === 'handler')
            factsOf(entry.event, entry.eventId)?.effects.push({ at: entry.at, delivery: entry.delivery });
        } else {
          delivery.handlerError = entry.error ?? 'failed';
        }
        break;
      }
      case 'committed': {
        const delivery = deliveries.get(entry.delivery);
        if (delivery) {
          delivery.committed = true;
          delivery.committedAt = entry.at;
        }
        if (source === 'commit')
          factsOf(entry.event, entry.eventId)?.effects.push({ at: entry.at, delivery: entry.delivery });
        break;
      }
      case 'effect':
        factsOf(entry.event, entry.eventId)?.effects.push({ at: entry.at });
        break;
      case 'acked':
      case 'retried': {
        const delivery = deliveries.get(entry.delivery);
        if (!delivery) break;
        delivery.settled = entry.type;
        if (entry.type === 'retried') {
          delivery.retriedAt = entry.at;
          delivery.retryDelayMs = entry.delayMs;
        }
        break;
      }
      case 'dead-lettered':
        if (entry.delivery) {
          const delivery = deliveries.get(entry.delivery);
          if (delivery) delivery.settled = 'dead-lettered';
        }
        factsOf(entry.event, entry.eventId)?.deadLetters.push({
          at: entry.at,
          reason: entry.reason,
          error: entry.error,
          attempt: entry.attempt,
        });
        break;
      case 'fault':
        runFaults.add(entry.fault);
        if (entry.event) events.get(entry.event)?.faults.add(entry.fault);
        break;
      case 'follow-up-published': {
        const cause = entry.causationId ? byEventId.get(entry.causationId) : undefined;
        cause?.followUps.push({
          at: entry.at,
          eventType: entry.eventType,
          ...(entry.delivery ? { delivery: entry.delivery } : {}),
        });
        break;
      }
      default:
        break;
    }
  }
  return { events, deliveries, runFaults, unexpected, delivered };
}

/** The contract's idempotency key value for a planned event: its own name for `event_id` keys. */
function identityOf(target: SuiteTarget, planned: PlannedEvent): string {
  const key = target.spec.idempotency.key;
  const payloadKey = '$message.payload#';
  if (!key.startsWith(payloadKey) || !planned.valid) return planned.ref;
  const value = resolvePointer(planned.payload, key.slice(payloadKey.length));
  return value === undefined ? planned.ref : `payload:${String(value)}`;
}

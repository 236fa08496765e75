/**
 * The catalogue of broken consumers: the mistakes teams make with at-least-once delivery, each a small wrapper
 * around a correct piece (idempotency store, ordering store, transport, handler). The harness must catch every
 * one; its own tests prove it does (catalogue.test.ts), and `eventwire test --variant NAME` shows a user what
 * a failure looks like. Every wrapper is built from the wrapped piece's own interface, so it runs the same in
 * memory and in a consumer process on real brokers.
 */
import type {
  DeliveryHandler,
  EventHandler,
  IdempotencyStore,
  OutgoingMessage,
  Outcome,
  Transport,
} from 'eventwire/runtime';
import type { InvariantName, RuntimeVariant, VariantContext } from '../engine/types.ts';

/** A catalogue entry: the variant, and the invariant that must catch it. */
export interface CatalogueEntry extends RuntimeVariant {
  readonly caughtBy: readonly InvariantName[];
  /** `service/operation` it is tested against: one whose contract and handler expose the mistake. */
  readonly target: string;
}

const ACK: Outcome = { kind: 'ack' };

/** Wrap every subscription's delivery handler (delivery middleware). */
function middleware(
  transport: Transport,
  wrap: (handler: DeliveryHandler) => DeliveryHandler,
  publish?: Transport['publish'],
): Transport {
  return {
    kind: transport.kind,
    publish: publish ?? ((messages) => transport.publish(messages)),
    subscribe: (spec, handler) => transport.subscribe(spec, wrap(handler)),
    close: () => transport.close(),
  };
}

function store(
  inner: IdempotencyStore,
  overrides: Partial<Pick<IdempotencyStore, 'claim' | 'commit'>>,
): IdempotencyStore {
  return {
    kind: inner.kind,
    claim: overrides.claim ?? ((key, leaseMs) => inner.claim(key, leaseMs)),
    commit: overrides.commit ?? ((key, ttlMs) => inner.commit(key, ttlMs)),
    release: (key) => inner.release(key),
  };
}

const ORDER = 'order/onCartCheckedOut';
const ORDERED = 'shipping/onFulfillmentStatusChanged';
const DAY = 24 * 3600_000;

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'check-then-act',
    description:
      "checks whether the event was processed, then processes it: another consumer's claim is not respected",
    caughtBy: ['duplicated-effect'],
    target: ORDER,
    idempotency: (inner) =>
      store(inner, {
        claim: async (key, leaseMs) => {
          const answer = await inner.claim(key, leaseMs);
          return answer === 'in-progress' ? 'claimed' : answer;
        },
      }),
  },
  {
    name: 'mark-before-processing',
    description: 'marks the event done when it arrives, before the handler ran',
    caughtBy: ['lost'],
    target: ORDER,
    idempotency: (inner, context) =>
      store(inner, {
        claim: async (key, leaseMs) => {
          const answer = await inner.claim(key, leaseMs);
          if (answer === 'claimed') await inner.commit(key, context.spec.idempotency.ttlMs || DAY);
          return answer;
        },
        commit: async () => 'committed',
      }),
  },
  {
    name: 'process-then-mark',
    description: 'no claim: processes, then marks done in a second step',
    caughtBy: ['duplicated-effect'],
    target: ORDER,
    idempotency: (inner) =>
      store(inner, {
        claim: async (key, leaseMs) => {
          const answer = await inner.claim(key, leaseMs);
          if (answer === 'claimed') await inner.release(key);
          return answer === 'duplicate' ? 'duplicate' : 'claimed';
        },
        commit: async (key, ttlMs) => {
          await inner.claim(key, 60_000);
          return inner.commit(key, ttlMs);
        },
      }),
  },
  {
    name: 'ack-before-processing',
    description: 'acknowledges a message as soon as it arrives and processes it afterwards',
    caughtBy: ['lost', 'poison'],
    target: ORDER,
    transport: (transport) =>
      middleware(transport, (handler) => async (delivery) => {
        void handler(delivery).catch(() => undefined);
        return ACK;
      }),
  },
  {
    name: 'no-ordering-guard',
    description: "handles an ordered channel's events in arrival order (every event looks like the next one)",
    caughtBy: ['order'],
    target: ORDERED,
    ordering: (inner, context) => ({
      last: async (key) => {
        const event = context.currentEvent();
        const pointer = context.spec.ordering?.sequencePointer.slice(1);
        const sequence = event && pointer ? (event.data as Record<string, unknown>)[pointer] : undefined;
        return typeof sequence === 'number' ? sequence - 1 : inner.last(key);
      },
      advance: (key, sequence) => inner.advance(key, sequence),
    }),
  },
  {
    name: 'unbounded-retries',
    description: 'retries a failing event forever instead of dead-lettering it after maxRetries',
    caughtBy: ['poison', 'healthy'],
    target: ORDER,
    transport: (transport, context) =>
      middleware(transport, (handler) => async (delivery) => {
        const outcome = await handler(delivery);
        if (outcome.kind !== 'dead-letter' || outcome.reason !== 'retries-exhausted') return outcome;
        return { kind: 'retry', delayMs: context.spec.retry.maxIntervalMs || 30_000, error: outcome.error };
      }),
  },
  {
    name: 'swallowed-error',
    description: "catches the handler's error and acknowledges the event as if it succeeded",
    caughtBy: ['poison', 'lost'],
    target: ORDER,
    handler:
      (handler): EventHandler<unknown> =>
      async (event, context) => {
        try {
          await handler(event, context);
        } catch {
          // "logged and moved on"
        }
      },
  },
  {
    name: 'eternal-claim',
    description: "claims never expire: after a crash the event is stuck behind its dead owner's claim",
    caughtBy: ['healthy', 'lost'],
    target: ORDER,
    idempotency: (inner) => store(inner, { claim: (key) => inner.claim(key, 100 * 365 * DAY) }),
  },
  {
    name: 'dead-letter-without-reason',
    description: 'dead-letters without saying why (no reason, no error)',
    caughtBy: ['poison', 'invalid'],
    target: ORDER,
    transport: (transport) =>
      middleware(transport, (handler) => async (delivery) => {
        const outcome = await handler(delivery);
        return outcome.kind === 'dead-letter'
          ? { kind: 'dead-letter', reason: '' as never, error: '' }
          : outcome;
      }),
  },
  {
    name: 'follow-up-on-every-ack',
    description:
      "sends the handler's follow-ups when the event is acknowledged, again for a redelivered duplicate",
    caughtBy: ['duplicated-effect'],
    target: ORDER,
    transport: (transport, context) => followUpsOnAck(transport, context),
  },
];

/**
 * Follow-ups are held until the cause is acknowledged and remembered per cause: a redelivered duplicate is
 * acknowledged without running the handler, and its acknowledgement sends the remembered follow-ups again.
 */
function followUpsOnAck(transport: Transport, context: VariantContext): Transport {
  const held = new Map<string, OutgoingMessage[]>();
  const publish: Transport['publish'] = async (messages) => {
    const cause = context.currentEvent()?.event_id;
    if (cause === undefined) return transport.publish(messages);
    held.set(cause, [...(held.get(cause) ?? []), ...messages]);
  };
  return middleware(
    transport,
    (handler) => async (delivery) => {
      const outcome = await handler(delivery);
      const cause = context.currentEvent()?.event_id;
      const followUps = cause === undefined ? undefined : held.get(cause);
      if (outcome.kind === 'ack' && followUps) await transport.publish(followUps);
      return outcome;
    },
    publish,
  );
}

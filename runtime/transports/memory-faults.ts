/**
 * Fault injection for the in-memory transport. A `FaultInjector` is consulted at three points:
 *   publish  (per message)                 fail the publish call;
 *   route    (per message x subscription)  drop it, duplicate it, or delay it (which reorders it);
 *   ack      (per completed delivery)      crash before the outcome is carried out: redelivered, attempt + 1.
 * Injectors get a seeded random source, so a failing property-based run replays exactly from its seed.
 */
import type { Random } from '../random.ts';
import type { Delivery, OutgoingMessage, Outcome } from '../transport.ts';

export type PublishFault = { readonly kind: 'pass' } | { readonly kind: 'fail-publish' };
export type RouteFault =
  | { readonly kind: 'pass' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'duplicate'; readonly copies: number }
  | { readonly kind: 'delay'; readonly ms: number };
export type AckFault = { readonly kind: 'pass' } | { readonly kind: 'crash-before-ack' };

export interface FaultContext {
  readonly random: Random;
  readonly now: number;
}

export interface FaultInjector {
  publish?(message: OutgoingMessage, context: FaultContext): PublishFault;
  route?(message: OutgoingMessage, subscription: string, context: FaultContext): RouteFault;
  ack?(delivery: Delivery, subscription: string, outcome: Outcome, context: FaultContext): AckFault;
}

export interface FaultRecord {
  readonly fault: 'fail-publish' | 'drop' | 'duplicate' | 'delay' | 'crash-before-ack';
  readonly eventId: string;
  readonly subscription?: string;
  readonly at: number;
}

export interface FaultRates {
  readonly failPublish?: number;
  readonly drop?: number;
  readonly duplicate?: number;
  /** Probability of delaying a delivery by up to `maxDelayMs` (reordering it behind later ones). */
  readonly delay?: number;
  readonly maxDelayMs?: number;
  readonly crashBeforeAck?: number;
}

/** Independent random faults at the given rates (0..1), drawn from the transport's seeded random source. */
export function randomFaults(rates: FaultRates): FaultInjector {
  const maxDelayMs = rates.maxDelayMs ?? 1000;
  return {
    publish: (_, { random }) =>
      random() < (rates.failPublish ?? 0) ? { kind: 'fail-publish' } : { kind: 'pass' },
    route: (_, __, { random }) => {
      const roll = random();
      const drop = rates.drop ?? 0;
      const duplicate = drop + (rates.duplicate ?? 0);
      const delay = duplicate + (rates.delay ?? 0);
      if (roll < drop) return { kind: 'drop' };
      if (roll < duplicate) return { kind: 'duplicate', copies: 1 };
      if (roll < delay) return { kind: 'delay', ms: 1 + Math.floor(random() * maxDelayMs) };
      return { kind: 'pass' };
    },
    ack: (_, __, ___, { random }) =>
      random() < (rates.crashBeforeAck ?? 0) ? { kind: 'crash-before-ack' } : { kind: 'pass' },
  };
}

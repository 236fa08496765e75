/**
 * What the contract says must become of each event, given the schedule: handled, dead-lettered (and why), or
 * either (a publish whose outcome the publisher never learned). On an ordered subscription an event whose
 * predecessor is never handled can never be handled in order: the guard must dead-letter it (ordering-timeout).
 */
import type { EventRef } from '../types.ts';
import type { EventFacts } from './facts.ts';

export type Fate =
  | { readonly kind: 'handled' }
  | { readonly kind: 'either' }
  | { readonly kind: 'dead-letter'; readonly reason: 'invalid-payload' | 'retries-exhausted' }
  /** A predecessor was never handled: dead-lettered `ordering-timeout`, never handled. */
  | { readonly kind: 'blocked'; readonly by: EventRef };

export function expectedFates(events: ReadonlyMap<EventRef, EventFacts>): Map<EventRef, Fate> {
  const fates = new Map<EventRef, Fate>();
  for (const facts of events.values()) fates.set(facts.ref, ownFate(facts));
  // In sequence order per key: blocked when any earlier sequence of the key ends up without an effect.
  const byKey = new Map<string, EventFacts[]>();
  for (const facts of events.values()) {
    const { key, seq } = facts.planned;
    if (key === undefined || seq === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), facts]);
  }
  for (const members of byKey.values()) {
    members.sort((a, b) => a.planned.seq! - b.planned.seq!);
    let blocker: EventRef | undefined;
    for (const facts of members) {
      if (blocker !== undefined) {
        fates.set(facts.ref, { kind: 'blocked', by: blocker });
        continue;
      }
      // A predecessor that should have been handled but was not is reported lost; its successors are blocked.
      if (facts.effects.length === 0) blocker = facts.ref;
    }
  }
  return fates;
}

function ownFate(facts: EventFacts): Fate {
  const { planned } = facts;
  if (!planned.valid) return { kind: 'dead-letter', reason: 'invalid-payload' };
  if (planned.failures === Number.POSITIVE_INFINITY)
    return { kind: 'dead-letter', reason: 'retries-exhausted' };
  if (facts.firstPublish !== 'confirmed') return { kind: 'either' };
  return { kind: 'handled' };
}

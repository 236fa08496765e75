/**
 * One line per event telling what happened to it, delivery by delivery:
 *   delivery 1: handler ran, not committed, crashed · delivery 2 (attempt 2): handler not run, acked
 * which is what a user reads next to "expected ... observed ..." to see why an invariant broke.
 */
import type { DeliveryFacts, EventFacts } from './facts.ts';

function deliveryText(delivery: DeliveryFacts, index: number): string {
  const parts = [`delivery ${index + 1} (attempt ${delivery.attempt}, consumer ${delivery.consumer})`];
  if (!delivery.handlerStarted) parts.push('handler not run');
  else if (delivery.handlerOk !== undefined) parts.push('handler ok');
  else if (delivery.handlerError !== undefined) parts.push(`handler threw: ${delivery.handlerError}`);
  else parts.push('handler never finished');
  if (delivery.committed) parts.push('committed');
  const settled: Record<NonNullable<DeliveryFacts['settled']>, string> = {
    acked: 'acked',
    retried: `retried in ${delivery.retryDelayMs} ms`,
    'dead-lettered': 'dead-lettered',
  };
  parts.push(delivery.settled ? settled[delivery.settled] : 'no outcome (consumer gone)');
  return parts.join(', ');
}

export function story(event: EventFacts): string {
  const publish =
    event.firstPublish === undefined
      ? 'never published'
      : `published (${event.firstPublish})${event.copies > 0 ? ` + ${event.copies} publisher retr${event.copies > 1 ? 'ies' : 'y'}` : ''}`;
  const parts = [publish, ...event.deliveries.map(deliveryText)];
  for (const dead of event.deadLetters)
    parts.push(`dead-lettered: ${dead.reason || '(no reason)'} at attempt ${dead.attempt}`);
  if (event.deliveries.length === 0 && event.firstPublish !== undefined) parts.push('never delivered');
  return parts.join(' · ');
}

/**
 * SubscriptionSpec values for a service's Dapr receive operations, as generated contract.ts hands them to the
 * runtime. Only for tests that compare the runtime's programmatic subscriptions with the declarative ones.
 */
import type { Service } from '../../../model/types.ts';
import type { SubscriptionSpec } from '../../../../runtime/spec.ts';

export function subscriptionSpecs(service: Service): SubscriptionSpec[] {
  return service.operations.flatMap((operation): SubscriptionSpec[] => {
    const { delivery, channel } = operation;
    if (operation.action !== 'receive' || !delivery || channel.binding.kind !== 'topic') return [];
    const messages = operation.messages.length > 0 ? operation.messages : channel.messages;
    const { retry, idempotency, bulk, queue } = delivery;
    return [
      {
        operation: operation.id,
        service: service.name,
        name: delivery.subscription,
        route: delivery.route,
        source: { kind: 'topic', pubsub: channel.binding.pubsub, topic: channel.address },
        eventTypes: messages.map((m) => m.name),
        retry: {
          maxRetries: retry.maxRetries,
          backoff: retry.backoff,
          initialIntervalMs: retry.initialInterval,
          maxIntervalMs: retry.maxInterval,
          multiplier: retry.multiplier,
          delaysMs: retry.delays,
        },
        deadLetter: { address: delivery.deadLetter.address },
        idempotency: { key: idempotency.key, ttlMs: idempotency.ttl, store: idempotency.store },
        handlerTimeoutMs: delivery.handlerTimeout,
        concurrency: delivery.concurrency,
        ...(queue ? { queue } : {}),
        ...(bulk
          ? { bulk: { maxMessagesCount: bulk.maxMessagesCount, maxAwaitDurationMs: bulk.maxAwaitDuration } }
          : {}),
      },
    ];
  });
}

/**
 * Model -> runtime spec values (runtime/spec.ts). Built as typed values first, so a change to the runtime's spec
 * shape breaks this file at compile time, then printed as literals by contract-plugin.ts.
 */
import type { Channel, Service } from '../../model/types.ts';
import type { Destination, PublicationSpec, SubscriptionSpec } from '../../../runtime/spec.ts';
import { at, CodeEmitError } from './errors.ts';
import type { PublicationView, SubscriptionView } from './service-view.ts';

export function destinationOf(channel: Channel): Destination {
  const binding = channel.binding;
  if (binding.kind === 'topic') return { kind: 'topic', pubsub: binding.pubsub, topic: channel.address };
  return {
    kind: 'amqp',
    exchange: binding.exchange.name,
    exchangeType: binding.exchange.type,
    routingKey: binding.routingKey,
    vhost: binding.exchange.vhost,
  };
}

export function publicationSpec(service: Service, view: PublicationView): PublicationSpec {
  const { operation, message } = view;
  const dual = operation.dualPublish;
  const ordering = operation.channel.ordering;
  return {
    operation: operation.id,
    service: service.name,
    eventType: message.name,
    version: message.version,
    destination: destinationOf(operation.channel),
    parameters: operation.channel.parameters.map((p) => p.name),
    ...(dual
      ? {
          dualPublish: {
            exchange: dual.exchange,
            exchangeType: dual.type,
            envSwitch: dual.envSwitch,
            defaultOn: dual.defaultOn,
          },
        }
      : {}),
    ...(ordering ? { orderingKeyPointer: ordering.key } : {}),
  };
}

export function subscriptionSpec(service: Service, view: SubscriptionView): SubscriptionSpec {
  const { operation } = view;
  const delivery = operation.delivery;
  if (!delivery) {
    throw new CodeEmitError(
      `${at(operation.source)}: receive operation "${operation.id}" has no delivery policy; add ` +
        '"x-eventwire-subscription: {name: ...}" to the operation',
    );
  }
  const { retry, deadLetter, idempotency, queue, bulk } = delivery;
  const ordering = operation.channel.ordering;
  return {
    operation: operation.id,
    service: service.name,
    name: delivery.subscription,
    route: delivery.route,
    source: destinationOf(operation.channel),
    eventTypes: view.messages.map((m) => m.name),
    retry: {
      maxRetries: retry.maxRetries,
      backoff: retry.backoff,
      initialIntervalMs: retry.initialInterval,
      maxIntervalMs: retry.maxInterval,
      multiplier: retry.multiplier,
      delaysMs: retry.delays,
    },
    deadLetter: {
      address: deadLetter.address,
      ...(deadLetter.exchange !== undefined ? { exchange: deadLetter.exchange } : {}),
    },
    idempotency: { key: idempotency.key, ttlMs: idempotency.ttl, store: idempotency.store },
    ...(ordering
      ? {
          ordering: {
            keyPointer: ordering.key,
            sequencePointer: ordering.sequence,
            bufferTimeoutMs: ordering.bufferTimeout,
          },
        }
      : {}),
    handlerTimeoutMs: delivery.handlerTimeout,
    concurrency: delivery.concurrency,
    ...(queue
      ? {
          queue: {
            name: queue.name,
            type: queue.type,
            durable: queue.durable,
            ...(queue.deliveryLimit !== undefined ? { deliveryLimit: queue.deliveryLimit } : {}),
            prefetch: queue.prefetch,
          },
        }
      : {}),
    ...(bulk
      ? { bulk: { maxMessagesCount: bulk.maxMessagesCount, maxAwaitDurationMs: bulk.maxAwaitDuration } }
      : {}),
  };
}

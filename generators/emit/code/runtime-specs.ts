/**
 * Model -> runtime spec values (runtime/spec.ts). Built as typed values first, so a change to the runtime's spec
 * shape breaks this file at compile time, then printed as literals by contract-plugin.ts.
 */
import type { AmqpQueue, Channel, DeadLetter, Operation, RetryPolicy, Service } from '../../model/types.ts';
import type {
  DeadLetterSpec,
  Destination,
  PublicationSpec,
  QueueSpec,
  RetrySpec,
  SubscriptionSpec,
} from '../../../runtime/spec.ts';
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
    // Only what differs from RabbitMQ's usual exchange: most contracts' specs stay as short as before.
    ...(binding.exchange.durable ? {} : { durable: false }),
    ...(binding.exchange.autoDelete ? { autoDelete: true } : {}),
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
    ...(dual ? { dualPublish: dualPublishSpecOf(dual) } : {}),
    ...(ordering ? { orderingKeyPointer: ordering.key } : {}),
    ...(message.piiFields.length > 0 ? { pii: [...message.piiFields] } : {}),
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
    retry: retrySpecOf(retry),
    deadLetter: deadLetterSpecOf(deadLetter),
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
    ...(queue ? { queue: queueSpecOf(queue) } : {}),
    ...(bulk
      ? { bulk: { maxMessagesCount: bulk.maxMessagesCount, maxAwaitDurationMs: bulk.maxAwaitDuration } }
      : {}),
    ...piiOf(view),
  };
}

/**
 * The personal-data pointers (`x-eventwire-pii`) of each accepted message that has any, so the runtime masks
 * them in what it writes and hashes them where they make a key (runtime/pii.ts). Absent when there are none.
 */
function piiOf(view: SubscriptionView): Pick<SubscriptionSpec, 'pii'> {
  const entries = view.messages.filter((m) => m.piiFields.length > 0).map((m) => [m.name, [...m.piiFields]]);
  return entries.length > 0 ? { pii: Object.fromEntries(entries) } : {};
}

/* The parts below are shared with the RabbitMQ definitions emitter, so both read a policy the same way. */

export function retrySpecOf(retry: RetryPolicy): RetrySpec {
  return {
    maxRetries: retry.maxRetries,
    backoff: retry.backoff,
    initialIntervalMs: retry.initialInterval,
    maxIntervalMs: retry.maxInterval,
    multiplier: retry.multiplier,
    delaysMs: retry.delays,
  };
}

export function deadLetterSpecOf(deadLetter: DeadLetter): DeadLetterSpec {
  return {
    address: deadLetter.address,
    ...(deadLetter.exchange !== undefined ? { exchange: deadLetter.exchange } : {}),
  };
}

export function queueSpecOf(queue: AmqpQueue): QueueSpec {
  return {
    name: queue.name,
    type: queue.type,
    durable: queue.durable,
    ...(queue.deliveryLimit !== undefined ? { deliveryLimit: queue.deliveryLimit } : {}),
    prefetch: queue.prefetch,
  };
}

export function dualPublishSpecOf(
  dual: NonNullable<Operation['dualPublish']>,
): NonNullable<PublicationSpec['dualPublish']> {
  return {
    exchange: dual.exchange,
    exchangeType: dual.type,
    envSwitch: dual.envSwitch,
    defaultOn: dual.defaultOn,
  };
}

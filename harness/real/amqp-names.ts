/**
 * Per-run isolation on a shared RabbitMQ without a vhost per run: every exchange and queue a run declares gets
 * the run's tag as a suffix (`smap.events~r12ab`, `smtp_send_email_v2~r12ab`, its retry and dead-letter objects
 * follow from the queue's name), routing keys stay as the contract has them. Publisher, consumer and cleanup
 * rename with the same functions, so they meet on the same objects and the cleanup finds all of them.
 */
import type { Destination, PublicationSpec, SubscriptionSpec } from 'eventwire/runtime';
import { topologyFromSpecs } from 'eventwire/runtime/transports/rabbitmq/index';

const tagged = (name: string, tag: string) => `${name}~${tag}`;

/**
 * A topic-based service run on RabbitMQ (the catalogue's RabbitMQ column, a service being moved): a topic is a
 * fanout exchange of that name, as Dapr's pubsub.rabbitmq maps topics; AMQP destinations stay as they are.
 */
export function onAmqp(destination: Destination): Destination {
  if (destination.kind !== 'topic') return destination;
  return { kind: 'amqp', exchange: destination.topic, exchangeType: 'fanout', routingKey: destination.topic };
}

export function subscriptionOnAmqp(spec: SubscriptionSpec): SubscriptionSpec {
  return spec.source.kind === 'topic' ? { ...spec, source: onAmqp(spec.source) } : spec;
}

export function publicationOnAmqp(spec: PublicationSpec): PublicationSpec {
  return spec.destination.kind === 'topic' ? { ...spec, destination: onAmqp(spec.destination) } : spec;
}

export function taggedDestination(destination: Destination, tag: string): Destination {
  if (destination.kind !== 'amqp') return destination;
  // The default exchange routes by queue name: the queue is what gets the tag.
  if (destination.exchange === '') return { ...destination, routingKey: tagged(destination.routingKey, tag) };
  return { ...destination, exchange: tagged(destination.exchange, tag) };
}

export function taggedSubscription(spec: SubscriptionSpec, tag: string): SubscriptionSpec {
  if (spec.source.kind !== 'amqp') return spec;
  const queueName = spec.queue?.name ?? `${spec.service}.${spec.name}`;
  return {
    ...spec,
    source: taggedDestination(spec.source, tag),
    queue: {
      ...(spec.queue ?? { type: 'quorum', durable: true, prefetch: Math.max(1, spec.concurrency) }),
      name: tagged(queueName, tag),
    },
    deadLetter: {
      ...spec.deadLetter,
      address: tagged(spec.deadLetter.address, tag),
      ...(spec.deadLetter.exchange ? { exchange: tagged(spec.deadLetter.exchange, tag) } : {}),
    },
  };
}

export function taggedPublication(spec: PublicationSpec, tag: string): PublicationSpec {
  return {
    ...spec,
    destination: taggedDestination(spec.destination, tag),
    ...(spec.dualPublish
      ? { dualPublish: { ...spec.dualPublish, exchange: tagged(spec.dualPublish.exchange, tag) } }
      : {}),
  };
}

/** Every queue and exchange a run with this tag can have declared: the service's own and the harness's publication. */
export function taggedObjects(
  subscriptions: readonly SubscriptionSpec[],
  publications: readonly PublicationSpec[],
  tag: string,
): { queues: string[]; exchanges: string[] } {
  const topology = topologyFromSpecs({
    subscriptions: subscriptions
      .map(subscriptionOnAmqp)
      .filter((spec) => spec.source.kind === 'amqp')
      .map((spec) => taggedSubscription(spec, tag)),
    publications: publications
      .map(publicationOnAmqp)
      .filter((spec) => spec.destination.kind === 'amqp')
      .map((spec) => taggedPublication(spec, tag)),
  });
  return {
    queues: topology.queues.map((queue) => queue.name),
    exchanges: topology.exchanges.map((exchange) => exchange.name),
  };
}

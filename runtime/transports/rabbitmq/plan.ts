/**
 * The AMQP objects one subscription needs, resolved from its spec: work queue, source binding, retry exchange and
 * delay queues, dead-letter exchange and queue. The consumer routes outcomes with it; topology.ts declares it.
 */
import type { Destination, PublicationSpec, QueueSpec, SubscriptionSpec } from '../../spec.ts';
import { defaultDeadLetterExchangeName, defaultQueueName, retryExchangeName } from './names.ts';
import { type RetryLevel, retryLevels } from './retry-plan.ts';

export type AmqpDestination = Extract<Destination, { kind: 'amqp' }>;

/** The fields of a SubscriptionSpec that shape the broker topology. */
export type SubscriptionTopologySpec = Pick<
  SubscriptionSpec,
  'operation' | 'service' | 'name' | 'source' | 'retry' | 'deadLetter' | 'queue'
>;

/** The fields of a PublicationSpec that shape the broker topology. */
export type PublicationTopologySpec = Pick<
  PublicationSpec,
  'operation' | 'service' | 'destination' | 'dualPublish'
>;

export interface SubscriptionPlan {
  readonly vhost: string;
  readonly source: AmqpDestination;
  readonly queue: QueueSpec;
  readonly retryExchange: string;
  readonly retryLevels: readonly RetryLevel[];
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
  /** Routing key from the dead-letter exchange to the dead-letter queue (its name: the exchange may be shared). */
  readonly deadLetterRoutingKey: string;
}

export const DEFAULT_VHOST = '/';
export const DEFAULT_PREFETCH = 50;

export function isAmqp(destination: Destination): destination is AmqpDestination {
  return destination.kind === 'amqp';
}

export function subscriptionPlan(spec: SubscriptionTopologySpec): SubscriptionPlan {
  if (!isAmqp(spec.source)) {
    throw new Error(
      `subscription '${spec.name}' of service '${spec.service}' does not read from an AMQP exchange`,
    );
  }
  const queue: QueueSpec = spec.queue ?? {
    name: defaultQueueName(spec.service, spec.name),
    type: 'quorum',
    durable: true,
    prefetch: DEFAULT_PREFETCH,
  };
  return {
    vhost: spec.source.vhost ?? DEFAULT_VHOST,
    source: spec.source,
    queue,
    retryExchange: retryExchangeName(queue.name),
    retryLevels: retryLevels(queue.name, spec.retry),
    deadLetterExchange: spec.deadLetter.exchange ?? defaultDeadLetterExchangeName(queue.name),
    deadLetterQueue: spec.deadLetter.address,
    deadLetterRoutingKey: spec.deadLetter.address,
  };
}

/** The legacy destination a dual-publishing publication also sends to, with the same routing key. */
export function dualPublishDestination(spec: PublicationTopologySpec): AmqpDestination | undefined {
  if (!spec.dualPublish || !isAmqp(spec.destination)) return undefined;
  return {
    kind: 'amqp',
    exchange: spec.dualPublish.exchange,
    exchangeType: spec.dualPublish.exchangeType,
    routingKey: spec.destination.routingKey,
    ...(spec.destination.vhost === undefined ? {} : { vhost: spec.destination.vhost }),
  };
}

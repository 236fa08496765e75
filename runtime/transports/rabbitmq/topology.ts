/**
 * One pure description of the RabbitMQ objects a set of publications and subscriptions needs. The runtime
 * declares it over AMQP (declare.ts) and the generator serialises it to definitions.json, so the two cannot
 * drift: both come from `topologyFromSpecs`.
 *
 * Everything that changes behaviour (queue type, TTLs, dead-letter routing, delivery limit) is a queue argument
 * rather than a policy, because AMQP clients cannot declare policies and the runtime must produce exactly what
 * an import produces.
 */
import type { QueueSpec } from '../../spec.ts';
import {
  type AmqpDestination,
  DEFAULT_VHOST,
  dualPublishDestination,
  isAmqp,
  type PublicationTopologySpec,
  type SubscriptionPlan,
  type SubscriptionTopologySpec,
  subscriptionPlan,
} from './plan.ts';
import { TopologyBuilder } from './topology-builder.ts';
import { TopologyError } from './topology-error.ts';

export { TopologyError };
export type { PublicationTopologySpec, SubscriptionTopologySpec };

export type AmqpArgumentValue = string | number | boolean;
export type AmqpArguments = Readonly<Record<string, AmqpArgumentValue>>;
export type ExchangeType = 'topic' | 'direct' | 'fanout' | 'headers';

export interface RabbitExchange {
  readonly vhost: string;
  readonly name: string;
  readonly type: ExchangeType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: AmqpArguments;
}

export interface RabbitQueue {
  readonly vhost: string;
  readonly name: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly arguments: AmqpArguments;
}

export interface RabbitBinding {
  readonly vhost: string;
  readonly source: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  readonly arguments: AmqpArguments;
}

/** Sorted by vhost then name (bindings by source, destination, key): the same specs give the same bytes. */
export interface RabbitTopology {
  readonly exchanges: readonly RabbitExchange[];
  readonly queues: readonly RabbitQueue[];
  readonly bindings: readonly RabbitBinding[];
}

export interface TopologyInput {
  readonly publications?: readonly PublicationTopologySpec[];
  readonly subscriptions?: readonly SubscriptionTopologySpec[];
}

export interface TopologyOptions {
  /** Names where a spec came from in conflict messages (`identity.yaml#/operations/x`); `service.operation` by default. */
  readonly describe?: (spec: { readonly service: string; readonly operation: string }) => string;
}

/** Every exchange is durable: events outlive broker restarts, and one rule keeps declare and import equal. */
/** The AMQP default exchange: routes a message to the queue named by its routing key. */
export function isDefaultExchange(destination: AmqpDestination): boolean {
  return destination.exchange === '';
}

export function exchangeForDestination(destination: AmqpDestination): RabbitExchange {
  return {
    vhost: destination.vhost ?? DEFAULT_VHOST,
    name: destination.exchange,
    type: destination.exchangeType,
    durable: destination.durable ?? true,
    autoDelete: destination.autoDelete ?? false,
    internal: false,
    arguments: {},
  };
}

export function topologyFromSpecs(input: TopologyInput, options: TopologyOptions = {}): RabbitTopology {
  const describe =
    options.describe ?? ((spec) => `operation '${spec.operation}' of service '${spec.service}'`);
  const builder = new TopologyBuilder();
  for (const spec of input.publications ?? []) {
    if (!isAmqp(spec.destination)) continue;
    const origin = describe(spec);
    // The default exchange ('') exists on every vhost and cannot be declared.
    if (!isDefaultExchange(spec.destination))
      builder.exchange(exchangeForDestination(spec.destination), origin);
    const legacy = dualPublishDestination(spec);
    if (legacy) builder.exchange(exchangeForDestination(legacy), origin);
  }
  for (const spec of input.subscriptions ?? []) {
    if (!isAmqp(spec.source)) continue;
    addSubscription(builder, subscriptionPlan(spec), describe(spec));
  }
  return builder.build();
}

function addSubscription(builder: TopologyBuilder, plan: SubscriptionPlan, origin: string): void {
  const { vhost, queue } = plan;
  builder.queue(
    { vhost, name: queue.name, ...queueShape(queue, origin), arguments: workQueueArguments(plan) },
    origin,
  );
  if (isDefaultExchange(plan.source)) {
    // Every queue is bound to the default exchange by its own name, and nothing else can be bound to it.
    if (plan.source.routingKey !== queue.name) {
      throw new TopologyError(
        `${origin} consumes queue '${queue.name}' from the default exchange, which delivers routing key '${plan.source.routingKey}' only to the queue of that name`,
        [`name the queue '${plan.source.routingKey}'`, 'or bind the subscription to a named exchange'],
      );
    }
  } else {
    builder.exchange(exchangeForDestination(plan.source), origin);
    builder.binding(queueBinding(vhost, plan.source.exchange, queue.name, plan.source.routingKey), origin);
  }

  if (plan.retryLevels.length > 0) {
    builder.exchange(directExchange(vhost, plan.retryExchange), origin);
    // Expired delay-queue messages come back through the retry exchange with the work queue's name as key.
    builder.binding(queueBinding(vhost, plan.retryExchange, queue.name, queue.name), origin);
    for (const level of plan.retryLevels) {
      const args = {
        ...typeArguments(queue.type),
        'x-message-ttl': level.delayMs,
        'x-dead-letter-exchange': plan.retryExchange,
        'x-dead-letter-routing-key': queue.name,
        ...atLeastOnceDeadLettering(queue.type),
      };
      builder.queue({ vhost, name: level.queue, ...queueShape(queue, origin), arguments: args }, origin);
      builder.binding(queueBinding(vhost, plan.retryExchange, level.queue, level.queue), origin);
    }
  }

  builder.exchange(directExchange(vhost, plan.deadLetterExchange), origin);
  // Dead-letter queues are always quorum queues: they hold what failed, and several subscriptions may share one.
  const dlq = {
    vhost,
    name: plan.deadLetterQueue,
    durable: true,
    autoDelete: false,
    arguments: typeArguments('quorum'),
  };
  builder.queue(dlq, origin);
  builder.binding(
    queueBinding(vhost, plan.deadLetterExchange, plan.deadLetterQueue, plan.deadLetterRoutingKey),
    origin,
  );
}

/**
 * Broker redeliveries of one message (crashes, lost connections, requeues) after which a quorum queue
 * dead-letters it itself, when the contract sets no `deliveryLimit`: RabbitMQ 4's own default. The transport
 * bounds attempts and redeliveries before that (runtime/README.md, "Attempts"); this is the broker's backstop for
 * a message no consumer can even take (one that crashes every consumer process).
 */
export const DEFAULT_DELIVERY_LIMIT = 20;

/** Broker-side dead letters (delivery limit exceeded, a reject) reach the same dead-letter queue. */
function workQueueArguments(plan: SubscriptionPlan): AmqpArguments {
  const { queue } = plan;
  return {
    ...typeArguments(queue.type),
    'x-dead-letter-exchange': plan.deadLetterExchange,
    'x-dead-letter-routing-key': plan.deadLetterRoutingKey,
    ...(queue.type === 'quorum' ? { 'x-delivery-limit': queue.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT } : {}),
    ...atLeastOnceDeadLettering(queue.type),
  };
}

function typeArguments(type: QueueSpec['type']): AmqpArguments {
  return { 'x-queue-type': type };
}

/**
 * Quorum queues (3.10+) can dead-letter at-least-once: the message stays in the source queue until the target
 * confirms it. That strategy requires `reject-publish` overflow, which only matters if a length limit is set.
 */
function atLeastOnceDeadLettering(type: QueueSpec['type']): AmqpArguments {
  return type === 'quorum'
    ? { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' }
    : {};
}

function queueShape(queue: QueueSpec, origin: string): { durable: boolean; autoDelete: boolean } {
  if (queue.type === 'quorum' && !queue.durable) {
    throw new TopologyError(`queue '${queue.name}' (${origin}) is a quorum queue, which is always durable`, [
      'remove `durable: false` from x-eventwire-queue, or use `type: classic`',
    ]);
  }
  return { durable: queue.durable, autoDelete: false };
}

function directExchange(vhost: string, name: string): RabbitExchange {
  return { vhost, name, type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {} };
}

function queueBinding(vhost: string, source: string, destination: string, routingKey: string): RabbitBinding {
  return { vhost, source, destination, destinationType: 'queue', routingKey, arguments: {} };
}

/** The objects of one virtual host. */
export function topologyForVhost(topology: RabbitTopology, vhost: string): RabbitTopology {
  return {
    exchanges: topology.exchanges.filter((e) => e.vhost === vhost),
    queues: topology.queues.filter((q) => q.vhost === vhost),
    bindings: topology.bindings.filter((b) => b.vhost === vhost),
  };
}

export function topologyVhosts(topology: RabbitTopology): string[] {
  const all = [...topology.exchanges, ...topology.queues, ...topology.bindings].map((item) => item.vhost);
  return [...new Set(all)].sort();
}

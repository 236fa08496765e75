/**
 * The RabbitMQ implementation of Transport: one recovering connection, one confirm channel for publishing and
 * one confirm channel per subscription. See README.md for the guarantees.
 */
import type { RecoveringChannelModel } from 'amqplib';
import type { Destination, SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler, OutgoingMessage, SubscriptionHandle, Transport } from '../../transport.ts';
import {
  type ConnectionOptions,
  openPlainConnection,
  openRecoveringConnection,
  resolveUrl,
  vhostOfUrl,
} from './connection.ts';
import { declareTopology } from './declare.ts';
import { isAmqp } from './plan.ts';
import { ConfirmPublisher } from './publisher.ts';
import { RabbitSubscription } from './subscription.ts';
import type { RabbitTopology } from './topology.ts';

export interface RabbitMqTransportOptions extends ConnectionOptions {
  /** Declared once the connection is up, before `createRabbitMqTransport` resolves (e.g. `topologyFromSpecs`). */
  readonly topology?: RabbitTopology;
  /**
   * Each subscription asserts its own queues, retry and dead-letter objects, and the publisher each destination
   * exchange, whenever they open a channel (true). Turn off when the broker is provisioned from definitions.json
   * and the application user has no configure permission.
   */
  readonly declare?: boolean;
  /** How long `publish` keeps resending unconfirmed messages across reconnects (30 s). */
  readonly publishTimeoutMs?: number;
  /** How long a graceful stop waits for in-flight handlers (30 s); their messages are requeued after that. */
  readonly stopTimeoutMs?: number;
}

export interface RabbitMqTransport extends Transport {
  readonly kind: 'rabbitmq';
  /** The virtual host this transport is connected to. */
  readonly vhost: string;
  /** Asserts (idempotently) more topology on this transport's vhost. */
  declare(topology: RabbitTopology): Promise<void>;
  /**
   * Opens the publishing channel and asserts the exchanges of these destinations before the first publish,
   * which otherwise waits for both (a few round trips). Destinations that are not AMQP are refused.
   */
  preparePublishing(destinations: readonly Destination[]): Promise<void>;
}

export async function createRabbitMqTransport(
  options: RabbitMqTransportOptions = {},
): Promise<RabbitMqTransport> {
  const onEvent = options.onEvent ?? (() => {});
  const connection: RecoveringChannelModel = await openRecoveringConnection(options);
  const declare = options.declare ?? true;
  try {
    if (options.topology) await declareTopology(connection, options.topology, { onEvent });
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
  const publisher = new ConfirmPublisher(connection, {
    assertExchanges: declare,
    ...(options.publishTimeoutMs === undefined ? {} : { timeoutMs: options.publishTimeoutMs }),
  });
  const subscriptions = new Set<RabbitSubscription>();
  let closed = false;

  return {
    kind: 'rabbitmq',
    vhost: vhostOfUrl(resolveUrl(options)),
    async publish(messages: readonly OutgoingMessage[]): Promise<void> {
      if (closed) throw new Error('the RabbitMQ transport is closed');
      if (messages.length > 0) await publisher.publish(messages);
    },
    async subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<SubscriptionHandle> {
      if (closed) throw new Error('the RabbitMQ transport is closed');
      const subscription = new RabbitSubscription(connection, spec, handler, {
        declare,
        stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
        onEvent,
        connect: () => openPlainConnection(options),
      });
      await subscription.start();
      subscriptions.add(subscription);
      return {
        stop: async () => {
          subscriptions.delete(subscription);
          await subscription.stop();
        },
      };
    },
    declare: (topology) => declareTopology(connection, topology, { onEvent }),
    async preparePublishing(destinations: readonly Destination[]): Promise<void> {
      if (closed) throw new Error('the RabbitMQ transport is closed');
      const amqp = destinations.map((destination) => {
        if (!isAmqp(destination)) {
          throw new Error(
            `the RabbitMQ transport publishes only to AMQP exchanges, got a '${destination.kind}' destination`,
          );
        }
        return destination;
      });
      await publisher.prepare(amqp);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      subscriptions.clear();
      await publisher.close();
      await connection.close().catch(() => {});
    },
  };
}

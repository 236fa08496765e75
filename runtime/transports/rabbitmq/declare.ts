/**
 * Declares a RabbitTopology over AMQP. Every declaration is an assert: creating what is missing, accepting what
 * already exists with the same properties, so start-up can run it every time (and after every reconnect).
 * A mismatch (an existing classic queue where the contract wants quorum) fails with the broker's reason and a
 * way out, rather than a bare PRECONDITION_FAILED.
 */
import type { Channel } from 'amqplib';
import type { RabbitTopology } from './topology.ts';

/** A connection (plain or recovering) that can open a channel. */
export interface ChannelSource {
  createChannel(): Promise<Channel>;
}

export class TopologyDeclarationError extends Error {
  readonly code: number | undefined;
  constructor(what: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown } | null)?.code;
    const hint =
      code === 406
        ? 'it already exists with other properties: delete it (after draining) or migrate it, then restart'
        : code === 403
          ? 'the user lacks configure permission on this vhost'
          : 'check that the broker is reachable and the vhost exists';
    super(`cannot declare ${what}: ${reason}\n  fix: ${hint}`, { cause });
    this.name = 'TopologyDeclarationError';
    this.code = typeof code === 'number' ? code : undefined;
  }
}

/** Declares exchanges, then queues, then bindings, on one short-lived channel of `connection`'s vhost. */
export async function declareTopology(connection: ChannelSource, topology: RabbitTopology): Promise<void> {
  const channel = await connection.createChannel();
  // A failed declaration closes the channel with an error event; the rejected promise carries the reason.
  channel.on('error', () => {});
  let current = '';
  try {
    for (const exchange of topology.exchanges) {
      current = `exchange '${exchange.name}'`;
      await channel.assertExchange(exchange.name, exchange.type, {
        durable: exchange.durable,
        autoDelete: exchange.autoDelete,
        internal: exchange.internal,
        arguments: { ...exchange.arguments },
      });
    }
    for (const queue of topology.queues) {
      current = `queue '${queue.name}'`;
      await channel.assertQueue(queue.name, {
        durable: queue.durable,
        autoDelete: queue.autoDelete,
        exclusive: false,
        arguments: { ...queue.arguments },
      });
    }
    for (const binding of topology.bindings) {
      current = `binding '${binding.source}' -> '${binding.destination}' (${binding.routingKey})`;
      if (binding.destinationType === 'queue') {
        await channel.bindQueue(binding.destination, binding.source, binding.routingKey, {
          ...binding.arguments,
        });
      } else {
        await channel.bindExchange(binding.destination, binding.source, binding.routingKey, {
          ...binding.arguments,
        });
      }
    }
  } catch (error) {
    throw new TopologyDeclarationError(current, error);
  } finally {
    await channel.close().catch(() => {});
  }
}

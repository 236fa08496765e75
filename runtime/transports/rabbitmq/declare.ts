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

export interface DeclareOptions {
  /** Told when a queue is kept without the `x-delivery-limit` it should have (declared by an earlier version). */
  readonly onEvent?: (event: {
    readonly type: 'queue-without-delivery-limit';
    readonly queue: string;
  }) => void;
}

/** Declares exchanges, then queues, then bindings, on one short-lived channel of `connection`'s vhost. */
export async function declareTopology(
  connection: ChannelSource,
  topology: RabbitTopology,
  options: DeclareOptions = {},
): Promise<void> {
  const open = async () => {
    const opened = await connection.createChannel();
    // A failed declaration closes the channel with an error event; the rejected promise carries the reason.
    opened.on('error', () => {});
    return opened;
  };
  let channel = await open();
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
      const assert = (args: Record<string, unknown>) =>
        channel.assertQueue(queue.name, {
          durable: queue.durable,
          autoDelete: queue.autoDelete,
          exclusive: false,
          arguments: args,
        });
      try {
        await assert({ ...queue.arguments });
      } catch (error) {
        if (!lacksDeliveryLimit(error)) throw error;
        // Declared by an earlier version, without the limit: RabbitMQ cannot add an argument to a queue. Keep it
        // (the transport bounds redeliveries itself) rather than refuse to start; the event says how to fix it.
        channel = await open();
        const { 'x-delivery-limit': _limit, ...rest } = queue.arguments;
        await assert(rest);
        options.onEvent?.({ type: 'queue-without-delivery-limit', queue: queue.name });
      }
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

/** The broker's refusal of a queue whose existing declaration has no x-delivery-limit. */
function lacksDeliveryLimit(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 406 &&
    /inequivalent arg 'x-delivery-limit'.*current is none/.test(String((error as Error).message))
  );
}

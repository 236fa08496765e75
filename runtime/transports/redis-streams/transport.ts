/**
 * The Redis Streams transport: topic = stream, subscription = consumer group, entries laid out as Dapr's
 * `pubsub.redis` component writes them (see layout.ts), so generated services and Dapr apps share streams.
 */
import { Redis } from 'ioredis';
import type { Destination, SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler, OutgoingMessage, SubscriptionHandle, Transport } from '../../transport.ts';
import { asCloudEventMessage, cloudEventText } from '../dapr/cloudevent-body.ts';
import { reportConnectionErrors } from './connection-errors.ts';
import { StreamConsumer } from './consumer.ts';
import { type RedisStreamsTransportOptions, resolveOptions } from './options.ts';
import { publishBatch, publishOne, type StreamEntry, streamKey } from './publisher.ts';

export interface RedisStreamsTransport extends Transport {
  readonly kind: 'redis-streams';
  /** The stream key a topic maps to (prefix + topic). */
  streamFor(topic: string): string;
  /**
   * Resolves once the connection publishing uses is up, having checked that every destination maps to a stream,
   * so the first publish does not wait for the connection (a load run's clock starts after this).
   */
  preparePublishing(destinations: readonly Destination[]): Promise<void>;
}

export function createRedisStreamsTransport(
  options: RedisStreamsTransportOptions = {},
): RedisStreamsTransport {
  const resolved = resolveOptions(options);
  const ownsClient = options.client === undefined;
  const commands =
    options.client ??
    new Redis(options.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: null,
      ...options.redisOptions,
    });
  // A client the caller brought is the caller's to watch; every connection opened here reports to the logger.
  if (ownsClient) reportConnectionErrors(commands, resolved.logger, 'command');
  const consumers = new Set<StreamConsumer>();
  const groupsInUse = new Map<string, string>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('The Redis Streams transport is closed.');
  }

  return {
    kind: 'redis-streams',

    streamFor: (topic) => resolved.streamPrefix + topic,

    async preparePublishing(destinations: readonly Destination[]): Promise<void> {
      assertOpen();
      for (const destination of destinations) streamKey(resolved.streamPrefix, destination);
      await commands.ping();
    },

    publish(messages: readonly OutgoingMessage[]): Promise<void> {
      // Not an async function: a single message (every publishEvent) goes straight to its XADD, without the
      // promise of an async frame here and in the batch path on every event. Failures still reject.
      try {
        assertOpen();
        const entryFor = resolved.payloadFormat === 'cloudevents' ? cloudEventEntry : entryOf;
        const { streamPrefix, maxLenApprox } = resolved;
        if (messages.length === 1)
          return publishOne(commands, entryFor(messages[0]!), streamPrefix, maxLenApprox);
        return publishBatch(commands, messages.map(entryFor), streamPrefix, maxLenApprox);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async subscribe(spec: SubscriptionSpec, handler: DeliveryHandler): Promise<SubscriptionHandle> {
      assertOpen();
      const stream = streamKey(resolved.streamPrefix, spec.source);
      const group = resolved.groupFor(spec);
      const slot = `${stream}\u0000${group}`;
      const taken = groupsInUse.get(slot);
      if (taken !== undefined) {
        throw new Error(
          `Subscriptions '${taken}' and '${spec.name}' would share consumer group '${group}' on stream ` +
            `'${stream}' and split its messages between them. Give each subscription its own group ` +
            `(option \`group\`; the default is the service's name, one group per service and stream).`,
        );
      }
      const blocking = commands.duplicate();
      reportConnectionErrors(blocking, resolved.logger, `blocking read (${spec.name})`);
      const consumer = new StreamConsumer({
        spec,
        handler,
        topic: spec.source.kind === 'topic' ? spec.source.topic : stream,
        ref: { commands, stream, group, consumer: resolved.consumerName },
        deadLetter: {
          stream: resolved.streamPrefix + spec.deadLetter.address,
          maxLenApprox: resolved.deadLetterMaxLenApprox,
          isCluster: commands.isCluster,
        },
        blocking,
        options: resolved,
      });
      try {
        await consumer.start();
      } catch (error) {
        blocking.disconnect();
        throw error;
      }
      consumers.add(consumer);
      groupsInUse.set(slot, spec.name);
      return {
        stop: async () => {
          await consumer.stop();
          consumers.delete(consumer);
          groupsInUse.delete(slot);
        },
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      if (ownsClient) await commands.quit().catch(() => commands.disconnect());
    },
  };
}

function entryOf(message: OutgoingMessage): StreamEntry {
  return {
    destination: message.destination,
    eventId: message.eventId,
    data: message.body,
    headers: message.headers,
  };
}

/** The CloudEvent of an event the runtime encoded goes as text (ioredis writes it without a Buffer of its own). */
function cloudEventEntry(message: OutgoingMessage): StreamEntry {
  const text = cloudEventText(message);
  if (text === undefined) return entryOf(asCloudEventMessage(message));
  return { destination: message.destination, eventId: message.eventId, data: text, headers: message.headers };
}

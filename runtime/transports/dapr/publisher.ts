/**
 * Publishing through the sidecar. Messages are grouped per (pubsub, topic); a group of one is a plain publish,
 * larger groups use the bulk publish API, one request per group. Bulk publish does not keep order, so a group
 * whose messages carry an ordering key is published one by one, in order. Bodies are sent as they are (the
 * runtime encodes CloudEvents with content type application/cloudevents+json, which daprd does not re-wrap); the
 * ordering key travels as `partitionKey` metadata, which partitioned brokers (Kafka, Event Hubs) honour.
 */
import type { OutgoingMessage } from '../../transport.ts';
import { asCloudEventMessage } from './cloudevent-body.ts';
import { type BulkPublishEntry, isJsonContentType } from './protocol.ts';
import type { DaprSidecarClient } from './sidecar-client.ts';

/** Trace context rides on HTTP headers too, so daprd's own spans join the trace. */
const FORWARDED_HEADERS = ['traceparent', 'tracestate'];

export async function publishViaSidecar(
  client: DaprSidecarClient,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  const groups = new Map<string, { pubsub: string; topic: string; messages: OutgoingMessage[] }>();
  for (const original of messages) {
    const message = asCloudEventMessage(original);
    const { destination } = message;
    if (destination.kind !== 'topic') {
      throw new Error(
        `The Dapr transport publishes to pub/sub topics only; event ${message.eventId} targets AMQP exchange ` +
          `'${destination.exchange}'. Bind the channel to a server with x-eventwire-pubsub, or use the RabbitMQ ` +
          `transport for it.`,
      );
    }
    const key = `${destination.pubsub}\u0000${destination.topic}`;
    const group = groups.get(key) ?? { pubsub: destination.pubsub, topic: destination.topic, messages: [] };
    group.messages.push(message);
    groups.set(key, group);
  }
  const results = await Promise.allSettled(
    [...groups.values()].map((group) => publishGroup(client, group.pubsub, group.topic, group.messages)),
  );
  const errors = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `Dapr publish failed for ${errors.length} topics`);
}

async function publishGroup(
  client: DaprSidecarClient,
  pubsub: string,
  topic: string,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  const ordered = messages.some((message) => message.orderingKey !== undefined);
  if (messages.length === 1 || ordered) {
    for (const message of messages) {
      await client.publish(pubsub, topic, message.body, message.contentType, {
        headers: forwardedHeaders(message),
        metadata: partitionMetadata(message),
      });
    }
    return;
  }
  await client.bulkPublish(pubsub, topic, messages.map(bulkEntry));
}

function bulkEntry(message: OutgoingMessage): BulkPublishEntry {
  const metadata = partitionMetadata(message);
  return {
    entryId: message.eventId,
    event: isJsonContentType(message.contentType)
      ? JSON.parse(message.body.toString())
      : message.body.toString(),
    contentType: message.contentType,
    ...(metadata ? { metadata } : {}),
  };
}

function partitionMetadata(message: OutgoingMessage): Record<string, string> | undefined {
  return message.orderingKey === undefined ? undefined : { partitionKey: message.orderingKey };
}

function forwardedHeaders(message: OutgoingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = message.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

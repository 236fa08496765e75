/**
 * Publish throughput of the Redis Streams transport against a real Redis.
 *   node bench/transports/redis-streams-publish-throughput.ts [events=200000] [batch=1000] [format]
 * format 'as-published' (default): ~450-byte envelope bodies stored as they are; 'cloudevents': the same envelopes
 * converted to CloudEvents on publish (payloadFormat 'cloudevents'). The stream is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { OutgoingMessage } from '../../runtime/transport.ts';
import { createRedisStreamsTransport } from '../../runtime/transports/redis-streams/transport.ts';

const total = Number(process.argv[2] ?? 200_000);
const batchSize = Number(process.argv[3] ?? 1_000);
const payloadFormat = process.argv[4] === 'cloudevents' ? 'cloudevents' : 'as-published';
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const topic = `ew-measure:${randomUUID().slice(0, 8)}`;

function batch(start: number): OutgoingMessage[] {
  return Array.from({ length: batchSize }, (_, index) => {
    const eventId = randomUUID();
    const body = JSON.stringify({
      event_id: eventId,
      event_type: 'catalog.product.created',
      timestamp: new Date().toISOString(),
      version: '1.0',
      data: { product_id: `p-${start + index}`, name: 'A product with a reasonably long name', price: 1999 },
      metadata: {
        correlation_id: eventId,
        service: 'catalog',
        version: '1.2.0',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    return {
      destination: { kind: 'topic', pubsub: 'pubsub', topic },
      eventId,
      eventType: 'catalog.product.created',
      body: Buffer.from(body),
      contentType: 'application/json',
      headers: { event_id: eventId, event_type: 'catalog.product.created', correlation_id: eventId },
    };
  });
}

const transport = createRedisStreamsTransport({ url, maxLenApprox: total, payloadFormat });
const batches = Array.from({ length: Math.ceil(total / batchSize) }, (_, index) => batch(index * batchSize));
await transport.publish(batch(0)); // connect and warm up
const started = performance.now();
for (const messages of batches) await transport.publish(messages);
const seconds = (performance.now() - started) / 1000;
const published = batches.length * batchSize;
console.log(
  `${published} events in ${seconds.toFixed(2)}s = ${Math.round(published / seconds)} events/s ` +
    `(batch ${batchSize}, ${payloadFormat}, sequential batches, one round trip each)`,
);
await transport.close();
const raw = new Redis(url);
await raw.del(topic);
raw.disconnect();

/**
 * Publish throughput with publisher confirms, through the transport (not a test):
 *
 *   node bench/transports/rabbitmq-publish-throughput.ts [--messages 100000] [--batch 1000] [--concurrency 4] [--queue quorum|classic] [--size 512]
 *
 * Creates a throw-away vhost with rabbitmqctl, binds one queue of the chosen type to a topic exchange, publishes
 * `messages` envelopes of `size` bytes in `batch`-sized `publish` calls (`concurrency` calls in flight), and prints
 * confirmed messages per second. Every call resolves only when the broker has confirmed all of its messages.
 */
import { parseArgs } from 'node:util';
import type { OutgoingMessage } from '../../runtime/transport.ts';
import { createRabbitMqTransport } from '../../runtime/transports/rabbitmq/index.ts';
import { createTestVhost } from '../../runtime/transports/rabbitmq/test/broker.ts';
import { topologyFromSpecs } from '../../runtime/transports/rabbitmq/topology.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    queue: { type: 'string', default: 'quorum' },
    size: { type: 'string', default: '512' },
  },
});
const total = Number(values.messages);
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
const queueType = values.queue === 'classic' ? 'classic' : 'quorum';
const body = Buffer.alloc(Number(values.size), 'x');

const vhost = await createTestVhost('bench');
try {
  const source = {
    kind: 'amqp',
    exchange: 'bench.events',
    exchangeType: 'topic',
    routingKey: 'bench.#',
  } as const;
  const topology = topologyFromSpecs({
    subscriptions: [
      {
        operation: 'bench',
        service: 'bench',
        name: 'bench',
        source,
        retry: {
          maxRetries: 0,
          backoff: 'constant',
          initialIntervalMs: 0,
          maxIntervalMs: 0,
          multiplier: 1,
          delaysMs: [],
        },
        deadLetter: { address: 'bench.errors' },
        queue: { name: 'bench.work', type: queueType, durable: true, prefetch: 100 },
      },
    ],
  });
  const transport = await createRabbitMqTransport({ url: vhost.url, topology });
  const message = (i: number): OutgoingMessage => ({
    destination: { ...source, routingKey: 'bench.happened' },
    eventId: `bench-${i}`,
    eventType: 'bench.happened',
    body,
    contentType: 'application/json',
    headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  });
  await transport.publish([message(-1)]); // warm-up: exchange assertion, channel opening
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const from = next;
        next = Math.min(total, next + batchSize);
        await transport.publish(Array.from({ length: next - from }, (_, i) => message(from + i)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `${total} confirmed messages (${body.length} B, ${queueType} queue, batch ${batchSize}, ${concurrency} in flight) ` +
      `in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} msg/s; ` +
      `client CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs/msg`,
  );
  await transport.close();
} finally {
  await vhost.dispose();
}

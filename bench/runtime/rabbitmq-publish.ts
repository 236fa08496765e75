/**
 * RabbitMQ publishing with publisher confirms: the runtime (publishMany over the RabbitMQ transport) against raw
 * amqplib on a ConfirmChannel with asynchronous confirms, the same window for both: `inflight` publish calls of
 * `batch` messages each, every call resolving once the broker confirmed all of its messages. Messages are the
 * same ~770-byte order payloads in an envelope, persistent, routed by a durable topic exchange to one durable
 * queue (quorum by default, as the contracts declare) in a throw-away virtual host.
 *
 *   node bench/runtime/rabbitmq-publish.ts [--rounds 3] [--seconds 2] [--batch 500] [--inflight 4] [--queue quorum|classic] [--json]
 *
 * After each round the queue is purged; the purge count must equal the messages the round counted.
 */
import { cpus } from 'node:os';
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import type { Runtime } from '../../runtime/api.ts';
import { MemoryIdempotencyStore } from '../../runtime/idempotency/memory.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import { publishMany } from '../../runtime/publish-many.ts';
import type { PublicationSpec } from '../../runtime/spec.ts';
import { createRabbitMqTransport } from '../../runtime/transports/rabbitmq/index.ts';
import { concurrentLoop } from '../lib/drive.ts';
import {
  interleave,
  medianPerEvent,
  type RoundResult,
  roundSeconds,
  type Variant,
  type VariantSummary,
} from '../lib/rounds.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreatedPublication,
  orders,
  validateOrderCreated,
} from './order-created.ts';
import { rawMessage } from './raw-envelope.ts';
import {
  type BenchmarkReport,
  type CommonArgs,
  numberOption,
  parseCommon,
  row,
  runBenchmark,
  target,
} from './report.ts';
import { benchPrefix, createVhost, localBrokerCpuMicros } from './services.ts';

export const TARGET_MESSAGES_PER_SECOND = 20_000;
const EXCHANGE = 'orders';
const QUEUE = 'bench.orders-created';
const ROUTING_KEY = ORDER_CREATED;

interface Context {
  readonly url: string;
  readonly admin: Channel;
  readonly seconds: number;
  readonly batch: number;
  readonly inflight: number;
  readonly payloads: readonly OrderCreated[];
}

/** `inflight` publish calls of `batch` messages outstanding until the time is up; latency per publish call. */
function windowed(
  ctx: Context,
  seconds: number,
  call: (from: number) => Promise<void>,
): Promise<RoundResult> {
  return concurrentLoop(seconds, ctx.inflight, (i) => call(i * ctx.batch), ctx.batch);
}

/** Adds the local broker's CPU time during the round (`extra.brokerCpuMicros`), when it runs on this machine. */
function withBrokerCpu(variant: Variant): Variant {
  return {
    name: variant.name,
    round: async (r) => {
      const before = await localBrokerCpuMicros();
      const result = await variant.round(r);
      const after = await localBrokerCpuMicros();
      if (before === undefined || after === undefined) return result;
      return { ...result, extra: { ...result.extra, brokerCpuMicros: after - before } };
    },
  };
}

function brokerExtra(summary: VariantSummary): Record<string, number> | undefined {
  const micros = medianPerEvent(summary, 'brokerCpuMicros');
  return micros === undefined ? undefined : { brokerCpuMicrosPerMessage: micros };
}

/**
 * The most messages per second this machine's CPUs could carry at the CPU cost per message measured for a
 * variant: broker + client µs per message against every core fully busy. A broker on the same cores as the
 * client cannot go faster with any client; when this ceiling is under the target, the target is out of reach
 * here whatever the publisher does. Undefined without the local broker's CPU time.
 */
export function cpuCeiling(summary: VariantSummary, cores: number): number | undefined {
  const broker = medianPerEvent(summary, 'brokerCpuMicros');
  const client = summary.cpuMicrosPerEvent;
  if (broker === undefined || client === undefined || broker + client <= 0) return undefined;
  return Math.round((cores * 1_000_000) / (broker + client));
}

/** The queue got every message the round counted (and nothing else): purge and compare. */
async function verified(ctx: Context, result: RoundResult, warmUp: number): Promise<RoundResult> {
  // Confirmed means enqueued: the count is exact once every publish call has resolved.
  const { messageCount } = await ctx.admin.purgeQueue(QUEUE);
  if (messageCount !== result.events + warmUp) {
    throw new Error(
      `the queue received ${messageCount} messages but the round counted ${result.events} + ${warmUp}`,
    );
  }
  return result;
}

function slice(ctx: Context, from: number): OrderCreated[] {
  return Array.from({ length: ctx.batch }, (_, i) => ctx.payloads[(from + i) % ctx.payloads.length]!);
}

/** Publishes one batch and resolves when the broker confirmed every message of it. */
function publishConfirmed(channel: ConfirmChannel, payloads: readonly OrderCreated[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let remaining = payloads.length;
    let failed = false;
    const confirmed = (error: unknown) => {
      if (error && !failed) {
        failed = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (--remaining === 0 && !failed) resolve();
    };
    for (const data of payloads) {
      const message = rawMessage(ORDER_CREATED, data);
      channel.publish(
        EXCHANGE,
        ROUTING_KEY,
        message.body,
        {
          persistent: true,
          messageId: message.eventId,
          type: ORDER_CREATED,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000),
          // As the transport does: ids in AMQP's own properties, trace context (no property for it) as a header.
          correlationId: message.headers.correlation_id,
          headers: { traceparent: message.headers.traceparent },
        },
        confirmed,
      );
      // The socket buffer is full: amqplib queues the rest in memory, as the transport's writes do too.
    }
  });
}

function rawVariant(ctx: Context): Variant {
  return {
    name: `raw amqplib ConfirmChannel (batch ${ctx.batch}, ${ctx.inflight} in flight)`,
    round: async (r) => {
      const connection: ChannelModel = await connect(ctx.url);
      const channel = await connection.createConfirmChannel();
      await publishConfirmed(channel, slice(ctx, 0).slice(0, 10)); // warm-up: first frames, confirm mode
      const result = await windowed(ctx, roundSeconds(ctx.seconds, r), (from) =>
        publishConfirmed(channel, slice(ctx, from)),
      );
      await connection.close();
      return verified(ctx, result, 10);
    },
  };
}

function runtimeVariant(ctx: Context, spec: PublicationSpec): Variant {
  return {
    name: `runtime publishMany, RabbitMQ transport (batch ${ctx.batch}, ${ctx.inflight} in flight)`,
    round: async (r) => {
      const runtime: Runtime = {
        service: { name: 'order', version: '1.0.0' },
        transport: await createRabbitMqTransport({ url: ctx.url }),
        idempotency: new MemoryIdempotencyStore(),
        metrics: createEventMetrics(),
        env: {},
      };
      await publishMany(runtime, spec, validateOrderCreated, slice(ctx, 0).slice(0, 10)); // channel, exchange check
      const result = await windowed(ctx, roundSeconds(ctx.seconds, r), async (from) => {
        await publishMany(runtime, spec, validateOrderCreated, slice(ctx, from), { chunkSize: ctx.batch });
      });
      await runtime.transport.close();
      return verified(ctx, result, 10);
    },
  };
}

export async function rabbitMqPublishBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const batch = numberOption(args, 'batch');
  const inflight = numberOption(args, 'inflight');
  const queueType = args.values.queue === 'classic' ? 'classic' : 'quorum';
  const vhost = await createVhost(benchPrefix('amqp'));
  const admin = await connect(vhost.url);
  try {
    const channel = await admin.createChannel();
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(QUEUE, { durable: true, arguments: { 'x-queue-type': queueType } });
    await channel.bindQueue(QUEUE, EXCHANGE, 'orders.#');
    const ctx: Context = {
      url: vhost.url,
      admin: channel,
      seconds: args.seconds,
      batch,
      inflight,
      payloads: orders(4096),
    };
    const spec = orderCreatedPublication({
      kind: 'amqp',
      exchange: EXCHANGE,
      exchangeType: 'topic',
      routingKey: ROUTING_KEY,
    });
    const [raw, runtime] = await interleave(args.rounds, [
      withBrokerCpu(rawVariant(ctx)),
      withBrokerCpu(runtimeVariant(ctx, spec)),
    ]);
    const runtimeRow = row(runtime!, 'runtime', 'publish call', raw, brokerExtra(runtime!));
    const ceiling = cpuCeiling(raw!, cpus().length);
    const measured = `${runtimeRow.eventsPerSecond} msg/s`;
    return {
      name: 'rabbitmq-publish',
      title: 'RabbitMQ publish with confirms: runtime vs raw amqplib',
      settings: { batch, inflight, queueType, secondsPerRound: args.seconds, rounds: args.rounds },
      rows: [row(raw!, 'baseline', 'publish call', undefined, brokerExtra(raw!)), runtimeRow],
      targets: [
        target(
          `>= ${TARGET_MESSAGES_PER_SECOND} msg/s published with confirms (runtime)`,
          ceiling === undefined
            ? measured
            : `${measured} (CPU ceiling of this machine at raw amqplib's cost per message: ${ceiling} msg/s)`,
          runtimeRow.eventsPerSecond >= TARGET_MESSAGES_PER_SECOND,
        ),
      ],
    };
  } finally {
    await admin.close().catch(() => undefined);
    await vhost.dispose();
  }
}

if (import.meta.main) {
  const args = parseCommon(2, { batch: '500', inflight: '4', queue: 'quorum' });
  await runBenchmark(args, () => rabbitMqPublishBenchmark(args));
}

/**
 * Consuming from RabbitMQ: the runtime consumer (RabbitMQ transport: decode, ajv validation, Redis idempotency
 * claim and commit, handler, basic.ack) against a hand-written amqplib consumer doing the same work (the fair
 * baseline): prefetch, `JSON.parse`, the same generated ajv validator, one auto-pipelined ioredis
 * `SET key c:<token> NX PX GET` (claim), the handler, `SET key d:<token> PX` (commit), `channel.ack`. Both read
 * durable quorum queues (what the contracts declare) in a throw-away virtual host, filled with the same ~770-byte
 * order events, persistent, with the properties the transport publishes.
 *
 *   node bench/runtime/rabbitmq-consume.ts [--rounds 3] [--events 10000] [--concurrency 100] [--seconds 2]
 *                                          [--rate RATE] [--json]
 *
 * Two parts, each in interleaved rounds with a fresh queue per round:
 *   throughput  a queue pre-filled with `events` messages, drained; a round ends when every event was handled
 *               and the consumer stopped gracefully (its in-flight commits and acks done); what is left in the
 *               queue must be copies of handled events put back by the broker (see `drained`), counted in the
 *               row's `requeuedAtCloseTotal`;
 *   latency     a paced producer (one confirmed publish per event) at `--rate`, or half of the runtime's
 *               throughput in the same run; latency from the publish call to the handler.
 */
import { type Channel, type ChannelModel, type ConsumeMessage, connect, type Options } from 'amqplib';
import type { Redis } from 'ioredis';
import type { Runtime } from '../../runtime/api.ts';
import { bind } from '../../runtime/consume/bind.ts';
import { startConsumer } from '../../runtime/consume/consumer.ts';
import { RedisIdempotencyStore } from '../../runtime/idempotency/redis.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import type { SubscriptionSpec } from '../../runtime/spec.ts';
import {
  createRabbitMqTransport,
  declareTopology,
  topologyFromSpecs,
} from '../../runtime/transports/rabbitmq/index.ts';
import { finish } from '../lib/drive.ts';
import { paced, pacedOptions, withDue } from '../lib/pace.ts';
import {
  interleave,
  type RoundResult,
  roundSeconds,
  type Variant,
  type VariantSummary,
} from '../lib/rounds.ts';
import { Arrivals } from './consume-latency.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreatedSubscription,
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
import { benchPrefix, createVhost, deleteByPrefix, redisConnection } from './services.ts';

/** The runtime's defaults: how long a claim holds, and how long a done mark lives. */
const CLAIM_MS = 30_000;
const MARK_MS = 24 * 3600_000;
const WARM_UP_EVENTS = 1_000;

interface Context {
  readonly url: string;
  readonly admin: ChannelModel;
  readonly channel: Channel;
  readonly redis: Redis;
  readonly prefix: string;
  readonly events: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly payloads: readonly OrderCreated[];
}

/** A message as the transport publishes it: ids in AMQP properties, `traceparent` as the one header. */
function amqpMessage(ctx: Context, i: number): { eventId: string; body: Buffer; options: Options.Publish } {
  const message = rawMessage(ORDER_CREATED, ctx.payloads[i % ctx.payloads.length]);
  return {
    eventId: message.eventId,
    body: message.body,
    options: {
      persistent: true,
      messageId: message.eventId,
      type: ORDER_CREATED,
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
      correlationId: message.headers.correlation_id,
      headers: { traceparent: message.headers.traceparent },
    },
  };
}

/** Publishes `count` messages straight to `queue` with confirms, before any consumer starts. */
async function fill(ctx: Context, queue: string, count: number): Promise<void> {
  const channel = await ctx.admin.createConfirmChannel();
  for (let i = 0; i < count; i++) {
    const message = amqpMessage(ctx, i);
    channel.sendToQueue(queue, message.body, message.options);
    if (i % 1000 === 999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await channel.close();
}

/** The runtime subscription of a round: its own quorum queue, prefetch = concurrency (the transport's cap). */
function subscription(ctx: Context, name: string): SubscriptionSpec {
  return {
    ...orderCreatedSubscription('unused', name, ctx.concurrency),
    source: { kind: 'amqp', exchange: 'orders', exchangeType: 'topic', routingKey: ORDER_CREATED },
    queue: { name: `bench.${name}`, type: 'quorum', durable: true, prefetch: ctx.concurrency },
  };
}

/**
 * Every message was handled and acknowledged: once the consumer closed its channel the queue is empty, except for
 * copies of events already handled. RabbitMQ 3.x quorum queues sometimes drop acks that arrive just before a
 * channel closes and put those messages back (rabbitmq-server#10327; reproduced here with bare amqplib): the
 * broker would deliver them again and the idempotency marks would turn them into acknowledged duplicates. Each
 * copy left is taken off the queue and must be an event the consumer handled; anything else fails the round.
 * Returns how many copies the broker put back.
 */
async function drained(
  ctx: Context,
  queue: string,
  handled: ReadonlySet<string>,
  what: string,
): Promise<number> {
  let requeued = 0;
  for (;;) {
    const message = await ctx.channel.get(queue, { noAck: true });
    if (message === false) return requeued;
    const eventId = String(message.properties.messageId);
    if (!handled.has(eventId))
      throw new Error(`${what}: event ${eventId} left in ${queue} was never handled`);
    requeued++;
  }
}

async function committed(ctx: Context, prefix: string, ids: readonly string[], what: string) {
  const marks = await Promise.all(ids.slice(0, 5).map((id) => ctx.redis.get(prefix + id)));
  if (marks.length === 0 || marks.some((mark) => !mark?.startsWith('d:'))) {
    throw new Error(`${what}: idempotency marks not committed: ${JSON.stringify(marks)}`);
  }
}

/** A hand-written consumer on its own connection; `stop()` cancels it and closes the channel. */
async function handConsumer(
  ctx: Context,
  queue: string,
  keys: string,
  handle: (eventId: string, payload: OrderCreated) => void,
): Promise<{ stop(): Promise<void>; readonly invalid: () => number }> {
  const connection = await connect(ctx.url);
  const channel = await connection.createChannel();
  const marks = ctx.redis.duplicate({ enableAutoPipelining: true });
  const token = `${process.pid}-${queue}`;
  await channel.prefetch(ctx.concurrency);
  let invalid = 0;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const receive = async (message: ConsumeMessage) => {
    const envelope = JSON.parse(message.content.toString()) as { event_id: string; data: unknown };
    if (!validateOrderCreated(envelope.data)) {
      invalid++;
      channel.nack(message, false, false);
      return;
    }
    const key = keys + envelope.event_id;
    const holder = await marks.set(key, `c:${token}`, 'PX', CLAIM_MS, 'NX', 'GET');
    if (holder === null) {
      handle(envelope.event_id, envelope.data);
      await marks.set(key, `d:${token}`, 'PX', MARK_MS);
    } else if (holder.startsWith('c:')) {
      // Another consumer holds it: let the broker deliver it again later.
      channel.nack(message, false, true);
      return;
    }
    channel.ack(message);
  };
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (!message) return;
    inFlight++;
    void receive(message).finally(() => {
      if (--inFlight === 0) idle?.();
    });
  });
  return {
    // Graceful, as the runtime's stop: no new deliveries, the running ones commit and ack, then close.
    stop: async () => {
      await channel.cancel(consumerTag);
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      await channel.close();
      await connection.close();
      marks.disconnect();
    },
    invalid: () => invalid,
  };
}

function handThroughput(ctx: Context): Variant {
  return {
    name: `hand-written amqplib consumer (prefetch ${ctx.concurrency}, ajv validate + ioredis claim and commit + ack)`,
    round: async (r) => {
      const events = r < 0 ? WARM_UP_EVENTS : ctx.events;
      const queue = `bench.hand-${r + 1}`;
      await ctx.channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await fill(ctx, queue, events);
      const keys = `${ctx.prefix}:hand:${r + 1}:`;
      const seen = new Set<string>();
      const { promise: allHandled, resolve } = Promise.withResolvers<void>();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const consumer = await handConsumer(ctx, queue, keys, (eventId, payload) => {
        if (payload.order_id) seen.add(eventId);
        if (seen.size === events) resolve();
      });
      await allHandled;
      // stop() waits for the in-flight deliveries' commits and acks, as the runtime's does.
      await consumer.stop();
      const result = finish(seen.size, started, cpu);
      const requeued = await drained(ctx, queue, seen, 'hand-written consumer');
      await committed(ctx, keys, [...seen], 'hand-written consumer');
      if (consumer.invalid() > 0)
        throw new Error(`hand-written consumer: ${consumer.invalid()} invalid events`);
      await ctx.channel.deleteQueue(queue);
      return { ...result, extra: { requeuedAtClose: requeued } };
    },
  };
}

/** A runtime on the RabbitMQ transport with Redis idempotency (auto-pipelined connection, as redis-consume). */
async function runtimeConsumer(ctx: Context, spec: SubscriptionSpec, handle: (eventId: string) => void) {
  const idempotency = ctx.redis.duplicate({ enableAutoPipelining: true });
  const runtime: Runtime = {
    service: { name: 'notification', version: '1.0.0' },
    transport: await createRabbitMqTransport({ url: ctx.url }),
    idempotency: new RedisIdempotencyStore(idempotency, { prefix: `${ctx.prefix}:idem:` }),
    metrics: createEventMetrics(),
    env: {},
  };
  const binding = bind<OrderCreated>(spec, { [ORDER_CREATED]: validateOrderCreated }, async (event) =>
    handle(event.event_id),
  );
  const consumer = await startConsumer(runtime, [binding]);
  return {
    stop: async () => {
      await consumer.stop();
      await runtime.transport.close();
      idempotency.disconnect();
    },
  };
}

function runtimeThroughput(ctx: Context): Variant {
  return {
    name: `runtime consumer, RabbitMQ transport (validation + Redis idempotency + ack, concurrency ${ctx.concurrency})`,
    round: async (r) => {
      const events = r < 0 ? WARM_UP_EVENTS : ctx.events;
      const spec = subscription(ctx, `runtime-${r + 1}`);
      const queue = spec.queue!.name;
      await declareTopology(ctx.admin, topologyFromSpecs({ subscriptions: [spec] }));
      await fill(ctx, queue, events);
      const seen = new Set<string>();
      const { promise: allHandled, resolve } = Promise.withResolvers<void>();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const consumer = await runtimeConsumer(ctx, spec, (eventId) => {
        seen.add(eventId);
        if (seen.size === events) resolve();
      });
      await allHandled;
      // stop() waits for the in-flight deliveries' commits and acks.
      await consumer.stop();
      const result = finish(seen.size, started, cpu);
      const requeued = await drained(ctx, queue, seen, 'runtime consumer');
      await committed(ctx, `${ctx.prefix}:idem:notification:${spec.name}:`, [...seen], 'runtime consumer');
      return { ...result, extra: { requeuedAtClose: requeued } };
    },
  };
}

/** One confirmed publish per event, resolved once the consumer's handler holds the event. */
function producer(ctx: Context, channel: Awaited<ReturnType<ChannelModel['createConfirmChannel']>>) {
  return (queue: string, arrivals: Arrivals) =>
    async (i: number): Promise<void> => {
      const message = amqpMessage(ctx, i);
      const arrived = arrivals.expect(message.eventId);
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(queue, message.body, message.options, (error) =>
          error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
        ),
      );
      await arrived;
    };
}

async function pacedRound(
  ctx: Context,
  rate: number,
  r: number,
  queue: string,
  start: (arrivals: Arrivals) => Promise<{ stop(): Promise<void> }>,
): Promise<RoundResult> {
  const arrivals = new Arrivals();
  const consumer = await start(arrivals);
  const channel = await ctx.admin.createConfirmChannel();
  try {
    const result = await paced(
      pacedOptions(rate, roundSeconds(ctx.seconds, r)),
      producer(ctx, channel)(queue, arrivals),
    );
    if (arrivals.handled !== result.events || arrivals.outstanding !== 0) {
      throw new Error(`${queue}: consumer held ${arrivals.handled} of ${result.events} events`);
    }
    return result;
  } finally {
    await consumer.stop();
    await channel.close();
  }
}

function handLatency(ctx: Context, rate: number): Variant {
  return {
    name: `hand-written amqplib consumer at ${rate} events/s (prefetch ${ctx.concurrency})`,
    round: async (r) => {
      const queue = `bench.hand-paced-${r + 1}`;
      await ctx.channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      const keys = `${ctx.prefix}:hand-paced:${r + 1}:`;
      const handled = new Set<string>();
      const result = await pacedRound(ctx, rate, r, queue, (arrivals) =>
        handConsumer(ctx, queue, keys, (eventId) => {
          handled.add(eventId);
          arrivals.arrived(eventId);
        }),
      );
      await drained(ctx, queue, handled, 'hand-written consumer (paced)');
      await ctx.channel.deleteQueue(queue);
      return result;
    },
  };
}

function runtimeLatency(ctx: Context, rate: number): Variant {
  return {
    name: `runtime consumer, RabbitMQ transport, at ${rate} events/s (concurrency ${ctx.concurrency})`,
    round: async (r) => {
      const spec = subscription(ctx, `runtime-paced-${r + 1}`);
      const queue = spec.queue!.name;
      await declareTopology(ctx.admin, topologyFromSpecs({ subscriptions: [spec] }));
      const handled = new Set<string>();
      const result = await pacedRound(ctx, rate, r, queue, (arrivals) =>
        runtimeConsumer(ctx, spec, (eventId) => {
          handled.add(eventId);
          arrivals.arrived(eventId);
        }),
      );
      await drained(ctx, queue, handled, 'runtime consumer (paced)');
      return result;
    },
  };
}

export async function rabbitMqConsumeBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const events = numberOption(args, 'events');
  const concurrency = numberOption(args, 'concurrency');
  const vhost = await createVhost(benchPrefix('amqp-consume'));
  const admin = await connect(vhost.url);
  const redis = redisConnection();
  const prefix = benchPrefix('amqp-consume');
  try {
    const ctx: Context = {
      url: vhost.url,
      admin,
      channel: await admin.createChannel(),
      redis,
      prefix,
      events,
      concurrency,
      seconds: args.seconds,
      payloads: orders(4096),
    };
    const [hand, runtime] = await interleave(args.rounds, [handThroughput(ctx), runtimeThroughput(ctx)]);
    const fixedRate = Number(args.values.rate ?? 0);
    const rate = fixedRate > 0 ? fixedRate : Math.round(runtime!.eventsPerSecond / 2);
    const [handPaced, runtimePaced] = await interleave(args.rounds, [
      handLatency(ctx, rate),
      runtimeLatency(ctx, rate),
    ]);
    const requeued = (summary: VariantSummary) => ({
      requeuedAtCloseTotal: summary.rounds.reduce((sum, r) => sum + (r.extra?.requeuedAtClose ?? 0), 0),
    });
    const handRow = row(hand!, 'baseline', undefined, undefined, requeued(hand!));
    const runtimeRow = row(runtime!, 'runtime', undefined, hand, requeued(runtime!));
    const handPacedRow = row(
      handPaced!,
      'baseline',
      'event',
      undefined,
      withDue(handPaced!, { targetRate: rate }),
    );
    const runtimePacedRow = row(
      runtimePaced!,
      'runtime',
      'event',
      handPaced,
      withDue(runtimePaced!, { targetRate: rate }),
    );
    const p95 = (r: typeof handRow) => r.latency?.p95Ms ?? Number.NaN;
    return {
      name: 'rabbitmq-consume',
      title:
        'RabbitMQ consume: runtime consumer vs hand-written amqplib consumer (throughput, then paced latency)',
      settings: {
        events,
        concurrency,
        queueType: 'quorum',
        rate,
        rateSource: fixedRate > 0 ? '--rate' : 'half of the runtime consumer throughput in this run',
        secondsPerPacedRound: args.seconds,
        rounds: args.rounds,
      },
      rows: [handRow, runtimeRow, handPacedRow, runtimePacedRow],
      targets: [
        target(
          'runtime consumer within 25% of the hand-written consumer (events/s)',
          `${Math.round((runtimeRow.eventsPerSecond / handRow.eventsPerSecond) * 100)}% of ${handRow.eventsPerSecond} events/s`,
          runtimeRow.eventsPerSecond >= 0.75 * handRow.eventsPerSecond,
        ),
        target(
          'runtime consumer p95 within 2x of the hand-written consumer at the same paced rate',
          `${p95(runtimePacedRow)} ms against ${p95(handPacedRow)} ms`,
          p95(runtimePacedRow) <= 2 * p95(handPacedRow),
        ),
      ],
    };
  } finally {
    await admin.close().catch(() => undefined);
    await vhost.dispose();
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}

if (import.meta.main) {
  const args = parseCommon(2, { events: '10000', concurrency: '100', rate: '0' });
  await runBenchmark(args, () => rabbitMqConsumeBenchmark(args));
}

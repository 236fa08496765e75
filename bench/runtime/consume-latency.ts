/**
 * End-to-end latency through a consumer at half of its maximum rate, Redis Streams. Both variants get the same
 * open-loop load from the same producer (one raw `XADD` per event, paced); each event's latency runs from its
 * publish call to the moment the consumer's code holds it:
 *   raw      an `XREADGROUP ... BLOCK` / `XACK` loop that `JSON.parse`s each entry;
 *   hand     a hand-written consumer doing the runtime's work (redis-consume.ts `handleByHand`: ajv validation,
 *            pipelined claims, the handler, pipelined commits, XACK): the fair baseline, held in its handler;
 *   runtime  the runtime consumer's handler: after decode, ajv validation and the Redis idempotency claim.
 * The maximum is the runtime consumer's rate from the Redis consume benchmark (passed in by bench/runtime/all.ts)
 * or `--rate` events/s. Rows also carry the latency from the moment each event was due (`fromDue*`).
 *
 *   node bench/runtime/consume-latency.ts [--rounds 3] [--seconds 2] [--consume-max RATE | --rate RATE] [--json]
 */
import type { Redis } from 'ioredis';
import type { Runtime } from '../../runtime/api.ts';
import { bind } from '../../runtime/consume/bind.ts';
import { startConsumer } from '../../runtime/consume/consumer.ts';
import { RedisIdempotencyStore } from '../../runtime/idempotency/redis.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import { createRedisStreamsTransport } from '../../runtime/transports/redis-streams/index.ts';
import { paced, pacedOptions, withDue } from '../lib/pace.ts';
import { interleave, type RoundResult, roundSeconds, type Variant } from '../lib/rounds.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreatedSubscription,
  validateOrderCreated,
} from './order-created.ts';
import { rawMessage } from './raw-envelope.ts';
import { dataOf, type Entry, entriesOf, type HandMarks, handleByHand, pending } from './redis-consume.ts';
import {
  type PublishContext,
  payloadAt,
  publishContext,
  rawEntryArgs,
  topicFor,
} from './redis-publishing.ts';
import { type BenchmarkReport, type CommonArgs, parseCommon, row, runBenchmark, target } from './report.ts';
import { deleteByPrefix, REDIS_URL, redisConnection } from './services.ts';

const CONCURRENCY = 100;
const COUNT = 100;

/** Publish calls waiting for the consumer to hold their event, by event id. */
export class Arrivals {
  readonly #waiting = new Map<string, () => void>();
  handled = 0;

  expect(eventId: string): Promise<void> {
    return new Promise((resolve) => this.#waiting.set(eventId, resolve));
  }

  arrived(eventId: string): void {
    this.handled++;
    const resolve = this.#waiting.get(eventId);
    this.#waiting.delete(eventId);
    resolve?.();
  }

  get outstanding(): number {
    return this.#waiting.size;
  }
}

/**
 * Publishes event `i` with a raw XADD and resolves once the consumer has it. The producer shares the process
 * with the consumer, so it is made cheap: its connection auto-pipelines (the events due in one 1 ms tick go out
 * in one write), leaving the CPU to the consumer being measured.
 */
function producer(ctx: PublishContext, connection: Redis, stream: string, arrivals: Arrivals) {
  return async (i: number): Promise<void> => {
    const message = rawMessage(ORDER_CREATED, payloadAt(ctx, i));
    const arrived = arrivals.expect(message.eventId);
    await connection.xadd(...rawEntryArgs(stream, message));
    await arrived;
  };
}

async function pacedRound(ctx: PublishContext, rate: number, r: number, stream: string, arrivals: Arrivals) {
  const connection = ctx.redis.duplicate({ enableAutoPipelining: true });
  try {
    return await paced(
      pacedOptions(rate, roundSeconds(ctx.seconds, r)),
      producer(ctx, connection, stream, arrivals),
    );
  } finally {
    connection.disconnect();
  }
}

/** Every event published reached the consumer once, and nothing is left unacknowledged in the group. */
async function settled(
  ctx: PublishContext,
  stream: string,
  group: string,
  arrivals: Arrivals,
  result: RoundResult,
) {
  for (let i = 0; i < 500 && (await pending(ctx.redis, stream, group)) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const left = await pending(ctx.redis, stream, group);
  if (arrivals.handled !== result.events || arrivals.outstanding !== 0 || left !== 0) {
    throw new Error(
      `${stream}: consumer held ${arrivals.handled} of ${result.events} events, ` +
        `${arrivals.outstanding} never arrived, ${left} left pending`,
    );
  }
  return result;
}

/**
 * One paced round against a plain XREADGROUP BLOCK / XACK loop on its own stream and group: `handle` does a batch's
 * work before its XACK (and reports arrivals).
 */
async function loopRound(
  ctx: PublishContext,
  rate: number,
  r: number,
  group: string,
  handle: (entries: Entry[], arrivals: Arrivals) => void | Promise<void>,
) {
  const stream = topicFor(ctx, `consume-${group}`, r);
  await ctx.redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM');
  const arrivals = new Arrivals();
  const connection = ctx.redis.duplicate();
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const reply = await connection.callBuffer(
        ...['XREADGROUP', 'GROUP', group, 'bench', 'COUNT', COUNT, 'BLOCK', 100, 'STREAMS', stream, '>'],
      );
      const entries = entriesOf(reply);
      if (entries.length === 0) continue;
      await handle(entries, arrivals);
      await connection.callBuffer('XACK', stream, group, ...entries.map(([id]) => id));
    }
  })();
  const result = await pacedRound(ctx, rate, r, stream, arrivals);
  const checked = await settled(ctx, stream, group, arrivals, result);
  stopping = true;
  await loop;
  connection.disconnect();
  await ctx.redis.unlink(stream);
  return checked;
}

function rawVariant(ctx: PublishContext, rate: number): Variant {
  return {
    name: `raw XREADGROUP BLOCK/XACK loop at ${rate} events/s (COUNT ${COUNT}, JSON.parse only)`,
    round: (r) =>
      loopRound(ctx, rate, r, 'raw', (entries, arrivals) => {
        for (const [, fields] of entries) {
          arrivals.arrived((JSON.parse(String(dataOf(fields))) as { event_id: string }).event_id);
        }
      }),
  };
}

function handWrittenVariant(ctx: PublishContext, rate: number): Variant {
  return {
    name: `hand-written consumer at ${rate} events/s (ajv validate + ioredis claim and commit + XACK, COUNT ${COUNT})`,
    round: async (r) => {
      const marks: HandMarks = {
        redis: ctx.redis.duplicate(),
        keys: `${ctx.prefix}:hand:${r + 1}:`,
        token: `${process.pid}-${r + 1}`,
      };
      let invalid = 0;
      try {
        const checked = await loopRound(ctx, rate, r, 'hand', async (entries, arrivals) => {
          invalid += await handleByHand(marks, entries, (eventId) => arrivals.arrived(eventId));
        });
        if (invalid > 0) throw new Error(`hand-written consumer found ${invalid} invalid events`);
        return checked;
      } finally {
        marks.redis.disconnect();
      }
    },
  };
}

function runtimeVariant(ctx: PublishContext, rate: number): Variant {
  return {
    name: `runtime consumer at ${rate} events/s (validation + Redis idempotency + ack, concurrency ${CONCURRENCY})`,
    round: async (r) => {
      const stream = topicFor(ctx, 'consume-runtime', r);
      const group = `runtime-${r + 1}`;
      const idempotency = ctx.redis.duplicate({ enableAutoPipelining: true });
      const runtime: Runtime = {
        service: { name: 'notification', version: '1.0.0' },
        transport: createRedisStreamsTransport({
          url: REDIS_URL,
          batchSize: COUNT,
          blockMs: 100,
          payloadFormat: 'as-published',
          // Each round reads in a fresh group of its own, named after the round's subscription.
          group: (spec) => spec.name,
        }),
        idempotency: new RedisIdempotencyStore(idempotency, { prefix: `${ctx.prefix}:idem:` }),
        metrics: createEventMetrics(),
        env: {},
      };
      const arrivals = new Arrivals();
      const spec = orderCreatedSubscription(stream, group, CONCURRENCY);
      const binding = bind<OrderCreated>(spec, { [ORDER_CREATED]: validateOrderCreated }, async (event) => {
        arrivals.arrived(event.event_id);
      });
      const consumer = await startConsumer(runtime, [binding]);
      const result = await pacedRound(ctx, rate, r, stream, arrivals);
      const checked = await settled(ctx, stream, group, arrivals, result);
      await consumer.stop();
      await runtime.transport.close();
      idempotency.disconnect();
      await ctx.redis.unlink(stream);
      return checked;
    },
  };
}

export async function consumeLatencyBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const consumeMax = Number(args.values['consume-max'] ?? 0);
  const rate = consumeMax > 0 ? Math.round(consumeMax / 2) : Number(args.values.rate);
  if (!(rate > 0)) throw new Error(`--rate must be a positive number, got ${args.values.rate}`);
  const redis = redisConnection();
  const ctx = publishContext(redis, 'consume-latency', args.seconds);
  try {
    const [raw, hand, runtime] = await interleave(args.rounds, [
      rawVariant(ctx, rate),
      handWrittenVariant(ctx, rate),
      runtimeVariant(ctx, rate),
    ]);
    const handRow = row(hand!, 'baseline', 'event', undefined, withDue(hand!, { targetRate: rate }));
    const runtimeRow = row(runtime!, 'runtime', 'event', hand, withDue(runtime!, { targetRate: rate }));
    const p95 = (r: typeof handRow) => r.latency?.p95Ms ?? Number.NaN;
    return {
      name: 'consume-latency',
      title: 'Redis Streams consume latency, publish call to consumer code, at 50% of the consumer maximum',
      settings: {
        rate,
        rateSource: consumeMax > 0 ? `half of ${consumeMax} (redis-consume benchmark)` : '--rate',
        concurrency: CONCURRENCY,
        count: COUNT,
        secondsPerRound: args.seconds,
        rounds: args.rounds,
      },
      rows: [
        row(raw!, 'baseline', 'event', undefined, withDue(raw!, { targetRate: rate })),
        handRow,
        runtimeRow,
      ],
      targets: [
        target(
          'runtime consumer p95 within 2x of the hand-written consumer at the same paced rate',
          `${p95(runtimeRow)} ms against ${p95(handRow)} ms (x${Math.round((p95(runtimeRow) / p95(handRow)) * 100) / 100})`,
          p95(runtimeRow) <= 2 * p95(handRow),
        ),
      ],
    };
  } finally {
    await deleteByPrefix(redis, ctx.prefix);
    redis.disconnect();
  }
}

if (import.meta.main) {
  const args = parseCommon(2, { 'consume-max': '0', rate: '5000' });
  await runBenchmark(args, () => consumeLatencyBenchmark(args));
}

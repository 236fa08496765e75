/**
 * Publish latency at half the maximum rate, Redis Streams: the maximum rate of each runtime publishing API comes
 * from the Redis publish benchmark (passed in, or measured here first), then events are published at a paced 50%
 * of it for a few seconds and every event's latency is recorded, from the publish call to the broker's
 * acknowledgement (the append reply). The raw ioredis XADD row runs at the batcher's rate, one command per event.
 *
 *   node bench/runtime/publish-latency.ts [--rounds 3] [--seconds 2] [--batcher-max RATE] [--event-max RATE] [--json]
 *
 * Rows also carry the latency from the moment each event was due (`fromDue*`): it adds the time the process was
 * too busy to send, and grows first when the machine cannot keep up with the rate.
 */
import type { Redis } from 'ioredis';
import { paced, pacedOptions, withDue } from '../lib/pace.ts';
import { interleave, roundSeconds, type Variant } from '../lib/rounds.ts';
import { batcherVariant, publishEventVariant } from './redis-publish.ts';
import {
  generatedOrderPublisher,
  type PublishContext,
  payloadAt,
  publishContext,
  rawXaddArgs,
  topicFor,
  verified,
} from './redis-publishing.ts';
import {
  type BenchmarkReport,
  type CommonArgs,
  parseCommon,
  type Row,
  row,
  runBenchmark,
  target,
} from './report.ts';
import { deleteByPrefix, redisConnection } from './services.ts';

export const TARGET_P95_MS = 10;
const BATCH = 1000;
const CALLERS = 64;

function batcherAt(ctx: PublishContext, rate: number): Variant {
  return {
    name: `generated publisher, batch setting, at ${rate} events/s (batch <= ${BATCH}, linger 1 ms)`,
    round: async (r) => {
      const { runtime, publisher, stream } = generatedOrderPublisher(ctx, 'paced-batcher', r, {
        batch: { maxBatchSize: BATCH },
      });
      await publisher.publishOrdersOrderCreated(payloadAt(ctx, 0)); // connect
      const result = await paced(pacedOptions(rate, roundSeconds(ctx.seconds, r)), (i) =>
        publisher.publishOrdersOrderCreated(payloadAt(ctx, i)),
      );
      await runtime.transport.close();
      return verified(ctx, stream, result, 1);
    },
  };
}

function publishEventAt(ctx: PublishContext, rate: number): Variant {
  return {
    name: `generated publisher, one call per event, at ${rate} events/s (one broker call per event)`,
    round: async (r) => {
      const { runtime, publisher, stream } = generatedOrderPublisher(ctx, 'paced-event', r);
      await publisher.publishOrdersOrderCreated(payloadAt(ctx, 0)); // connect
      const result = await paced(pacedOptions(rate, roundSeconds(ctx.seconds, r)), (i) =>
        publisher.publishOrdersOrderCreated(payloadAt(ctx, i)),
      );
      await runtime.transport.close();
      return verified(ctx, stream, result, 1);
    },
  };
}

function rawAt(ctx: PublishContext, redis: Redis, rate: number): Variant {
  return {
    name: `raw ioredis XADD at ${rate} events/s (one command per event)`,
    round: async (r) => {
      const stream = topicFor(ctx, 'paced-raw', r);
      const result = await paced(pacedOptions(rate, roundSeconds(ctx.seconds, r)), (i) =>
        redis.xadd(...rawXaddArgs(stream, payloadAt(ctx, i))),
      );
      return verified(ctx, stream, result);
    },
  };
}

/** Maximum rates of the two APIs, measured the way the Redis publish benchmark does (one short round each). */
async function measureMaxRates(redis: Redis): Promise<{ batcher: number; event: number }> {
  const ctx = publishContext(redis, 'max-rate', 1);
  try {
    const [batcher, event] = await interleave(1, [
      batcherVariant(ctx, BATCH),
      publishEventVariant(ctx, CALLERS),
    ]);
    return { batcher: batcher!.eventsPerSecond, event: event!.eventsPerSecond };
  } finally {
    await deleteByPrefix(redis, ctx.prefix);
  }
}

export async function publishLatencyBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const redis = redisConnection();
  const given = {
    batcher: Number(args.values['batcher-max'] ?? 0),
    event: Number(args.values['event-max'] ?? 0),
  };
  const max = given.batcher > 0 && given.event > 0 ? given : await measureMaxRates(redis);
  const rates = { batcher: Math.round(max.batcher / 2), event: Math.round(max.event / 2) };
  const ctx = publishContext(redis, 'latency', args.seconds);
  try {
    const [batcher, single, raw] = await interleave(args.rounds, [
      batcherAt(ctx, rates.batcher),
      publishEventAt(ctx, rates.event),
      rawAt(ctx, redis, rates.batcher),
    ]);
    const rows: Row[] = [
      row(raw!, 'baseline', 'event', undefined, withDue(raw!, { targetRate: rates.batcher })),
      row(
        batcher!,
        'runtime',
        'event',
        raw,
        withDue(batcher!, { targetRate: rates.batcher, maxRate: max.batcher }),
      ),
      row(
        single!,
        'runtime',
        'event',
        undefined,
        withDue(single!, { targetRate: rates.event, maxRate: max.event }),
      ),
    ];
    const runtimeRows = rows.filter((r) => r.role === 'runtime');
    const worst = Math.max(...runtimeRows.map((r) => r.latency?.p95Ms ?? Number.POSITIVE_INFINITY));
    const sustained = runtimeRows.every((r) => r.extra?.overloadedRounds === 0);
    return {
      name: 'publish-latency',
      title: 'Redis Streams publish latency at 50% of the maximum rate',
      settings: {
        maxRateSource: given.batcher > 0 ? 'redis-publish benchmark' : 'measured here',
        batcherMaxRate: max.batcher,
        publishEventMaxRate: max.event,
        secondsPerRound: args.seconds,
        rounds: args.rounds,
      },
      rows,
      targets: [
        target(
          `publish p95 < ${TARGET_P95_MS} ms at 50% of the maximum rate (every runtime API, rate sustained)`,
          `worst p95 ${worst} ms${sustained ? '' : ' (rate not sustained)'}`,
          worst < TARGET_P95_MS && sustained,
        ),
      ],
    };
  } finally {
    await deleteByPrefix(redis, ctx.prefix);
    redis.disconnect();
  }
}

if (import.meta.main) {
  const args = parseCommon(2, { 'batcher-max': '0', 'event-max': '0' });
  await runBenchmark(args, () => publishLatencyBenchmark(args));
}

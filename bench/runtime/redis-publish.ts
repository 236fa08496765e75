import { publishMany } from '../../runtime/publish-many.ts';
import { concurrentLoop, timedLoop } from '../lib/drive.ts';
import { interleave, roundSeconds, type Variant } from '../lib/rounds.ts';
import {
  generatedOrderPublisher,
  MAXLEN,
  type PublishContext,
  payloadAt,
  publishContext,
  publishingRuntime,
  rawXaddArgs,
  topicFor,
  topicSpec,
  verified,
} from './redis-publishing.ts';
import { serverExtra, withServerStats } from './redis-server.ts';
import { type OrderCreated, validateOrderCreated } from './order-created.ts';
import {
  type BenchmarkReport,
  type CommonArgs,
  numberOption,
  parseCommon,
  row,
  runBenchmark,
  target,
} from './report.ts';
import { deleteByPrefix, redisConnection } from './services.ts';

export const TARGET_EVENTS_PER_SECOND = 50_000;
export const TARGET_MAX_OVERHEAD_PCT = 25;

export const VARIANT = {
  rawPipeline: (batch: number) => `raw ioredis XADD pipeline (batch ${batch})`,
  publishMany: (batch: number) => `runtime publishMany (batch ${batch})`,
  batcher: (batch: number) => `generated publisher, batch setting (${batch * 2} callers, batch <= ${batch})`,
  rawSingle: (callers: number) => `raw ioredis XADD (${callers} in flight)`,
  publishEvent: (callers: number) => `generated publisher, one call per event (${callers} in flight)`,
} as const;

function slice(ctx: PublishContext, from: number, size: number): OrderCreated[] {
  const out: OrderCreated[] = new Array(size);
  for (let i = 0; i < size; i++) out[i] = payloadAt(ctx, from + i);
  return out;
}

export function rawPipelineVariant(ctx: PublishContext, batch: number): Variant {
  return {
    name: VARIANT.rawPipeline(batch),
    round: async (r) => {
      const stream = topicFor(ctx, 'raw-pipeline', r);
      let offset = 0;
      const result = await timedLoop(roundSeconds(ctx.seconds, r), async () => {
        const pipeline = ctx.redis.pipeline();
        for (const data of slice(ctx, offset, batch)) pipeline.xadd(...rawXaddArgs(stream, data));
        offset += batch;
        const replies = (await pipeline.exec()) ?? [];
        const failed = replies.find(([error]) => error);
        if (failed) throw failed[0];
        return batch;
      });
      return verified(ctx, stream, result);
    },
  };
}

export function publishManyVariant(ctx: PublishContext, batch: number): Variant {
  return {
    name: VARIANT.publishMany(batch),
    round: async (r) => {
      const topic = topicFor(ctx, 'publish-many', r);
      const runtime = publishingRuntime();
      const spec = topicSpec(topic);
      await publishMany(runtime, spec, validateOrderCreated, slice(ctx, 0, 10)); // connect, load the script
      let offset = 0;
      const result = await timedLoop(roundSeconds(ctx.seconds, r), async () => {
        await publishMany(runtime, spec, validateOrderCreated, slice(ctx, offset, batch), {
          chunkSize: batch,
        });
        offset += batch;
        return batch;
      });
      await runtime.transport.close();
      return verified(ctx, topic, result, 10);
    },
  };
}

/** `createOrderPublisher(runtime, { batch })`: concurrent single publishes sharing broker batches. */
export function batcherVariant(ctx: PublishContext, batch: number): Variant {
  return {
    name: VARIANT.batcher(batch),
    round: async (r) => {
      const { runtime, publisher, stream } = generatedOrderPublisher(ctx, 'batcher', r, {
        batch: { maxBatchSize: batch },
      });
      await publisher.publishOrdersOrderCreated(ctx.payloads[0]!); // connect
      const result = await concurrentLoop(roundSeconds(ctx.seconds, r), batch * 2, (i) =>
        publisher.publishOrdersOrderCreated(payloadAt(ctx, i)),
      );
      await runtime.transport.close();
      return verified(ctx, stream, result, 1);
    },
  };
}

export function rawSingleVariant(ctx: PublishContext, callers: number): Variant {
  return {
    name: VARIANT.rawSingle(callers),
    round: async (r) => {
      const stream = topicFor(ctx, 'raw-single', r);
      const result = await concurrentLoop(roundSeconds(ctx.seconds, r), callers, (i) =>
        ctx.redis.xadd(...rawXaddArgs(stream, payloadAt(ctx, i))),
      );
      return verified(ctx, stream, result);
    },
  };
}

/** `createOrderPublisher(runtime)`: one broker call per event, `callers` in flight. */
export function publishEventVariant(ctx: PublishContext, callers: number): Variant {
  return {
    name: VARIANT.publishEvent(callers),
    round: async (r) => {
      const { runtime, publisher, stream } = generatedOrderPublisher(ctx, 'publish-event', r);
      await publisher.publishOrdersOrderCreated(ctx.payloads[0]!); // connect
      const result = await concurrentLoop(roundSeconds(ctx.seconds, r), callers, (i) =>
        publisher.publishOrdersOrderCreated(payloadAt(ctx, i)),
      );
      await runtime.transport.close();
      return verified(ctx, stream, result, 1);
    },
  };
}

export async function redisPublishBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const batch = numberOption(args, 'batch');
  const callers = numberOption(args, 'callers');
  const redis = redisConnection();
  const ctx = publishContext(redis, 'publish', args.seconds);
  try {
    const variants = [
      rawPipelineVariant(ctx, batch),
      publishManyVariant(ctx, batch),
      batcherVariant(ctx, batch),
      rawSingleVariant(ctx, callers),
      publishEventVariant(ctx, callers),
    ].map((variant) => withServerStats(redis, variant));
    const [raw, many, batcher, rawSingle, single] = await interleave(args.rounds, variants);
    const rows = [
      row(raw!, 'baseline', 'publish call', undefined, serverExtra(raw!)),
      row(many!, 'runtime', 'publish call', raw, serverExtra(many!)),
      row(batcher!, 'runtime', 'event', raw, serverExtra(batcher!)),
      row(rawSingle!, 'baseline', 'publish call', undefined, serverExtra(rawSingle!)),
      row(single!, 'runtime', 'publish call', rawSingle, serverExtra(single!)),
    ];
    const best = Math.max(many!.eventsPerSecond, batcher!.eventsPerSecond);
    const overhead = rows[1]!.vsBaseline!.overheadPct;
    return {
      name: 'redis-publish',
      title: 'Redis Streams publish: runtime vs raw ioredis',
      settings: { batch, callers, maxLenApprox: MAXLEN, secondsPerRound: args.seconds, rounds: args.rounds },
      rows,
      targets: [
        target(
          `>= ${TARGET_EVENTS_PER_SECOND} events/s published to Redis Streams (best of publishMany and the generated publisher)`,
          `${best} events/s`,
          best >= TARGET_EVENTS_PER_SECOND,
        ),
        target(
          `publisher overhead <= ${TARGET_MAX_OVERHEAD_PCT}% over the raw client (publishMany vs pipelined XADD, same batch)`,
          `${overhead}%`,
          overhead <= TARGET_MAX_OVERHEAD_PCT,
        ),
      ],
    };
  } finally {
    await deleteByPrefix(redis, ctx.prefix);
    redis.disconnect();
  }
}

if (import.meta.main) {
  const args = parseCommon(1.5, { batch: '1000', callers: '64' });
  await runBenchmark(args, () => redisPublishBenchmark(args));
}

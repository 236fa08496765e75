/**
 * Consuming from Redis Streams: the runtime consumer (decode, ajv validation, Redis idempotency claim and commit,
 * handler, XACK, over the Redis Streams transport) against a raw XREADGROUP/XACK loop that only parses the JSON
 * and a hand-written consumer doing the runtime's work with ioredis (the fair baseline), all reading the same
 * pre-filled stream of ~770-byte order events, each round through a fresh consumer group.
 *
 *   node bench/runtime/redis-consume.ts [--rounds 3] [--events 20000] [--concurrency 100] [--count 100]
 *                                       [--auto-pipelining on|off] [--only raw,hand,runtime,memory,other]
 *                                       [--other-build DIR] [--json]
 *
 * A round ends when every entry has been handled and acknowledged (nothing pending in the group); the runtime's
 * handler must have run exactly once per event and a sample of idempotency marks must be committed.
 * `--only` runs some variants alone (to profile one with `node --cpu-prof`); the report then has those rows only.
 * `--other-build DIR` adds the runtime consumer of another checkout of this repository (e.g. `git archive <commit>`
 * unpacked in DIR, with a node_modules link), interleaved round by round with this build's: an A/B of two builds
 * in one process, which a machine whose speed changes within minutes cannot give across two runs.
 */
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { Runtime } from '../../runtime/api.ts';
import { bind } from '../../runtime/consume/bind.ts';
import { startConsumer } from '../../runtime/consume/consumer.ts';
import { MemoryIdempotencyStore } from '../../runtime/idempotency/memory.ts';
import { RedisIdempotencyStore } from '../../runtime/idempotency/redis.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import { publishMany } from '../../runtime/publish-many.ts';
import { createRedisStreamsTransport } from '../../runtime/transports/redis-streams/index.ts';
import { finish } from '../lib/drive.ts';
import { interleave, type Variant } from '../lib/rounds.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreatedPublication,
  orderCreatedSubscription,
  orders,
  validateOrderCreated,
} from './order-created.ts';
import {
  type BenchmarkReport,
  type CommonArgs,
  numberOption,
  parseCommon,
  row,
  runBenchmark,
  target,
} from './report.ts';
import { serverExtra, withServerStats } from './redis-server.ts';
import { benchPrefix, deleteByPrefix, REDIS_URL, redisConnection } from './services.ts';

export const TARGET_EVENTS_PER_SECOND = 15_000;
const WARM_UP_EVENTS = 2_000;

interface Context {
  readonly redis: Redis;
  readonly prefix: string;
  /** The measured stream and its size; warm-up rounds read a small stream of their own. */
  readonly stream: { readonly topic: string; readonly events: number };
  readonly warmUp: { readonly topic: string; readonly events: number };
  readonly concurrency: number;
  readonly count: number;
  readonly autoPipelining: boolean;
}

const streamOf = (ctx: Context, r: number) => (r < 0 ? ctx.warmUp : ctx.stream);

async function fill(redis: Redis, topic: string, events: number): Promise<void> {
  const runtime: Runtime = {
    service: { name: 'order', version: '1.0.0' },
    transport: createRedisStreamsTransport({
      url: REDIS_URL,
      maxLenApprox: 0,
      payloadFormat: 'as-published',
    }),
    idempotency: new RedisIdempotencyStore(redis),
    env: {},
  };
  const spec = orderCreatedPublication({ kind: 'topic', pubsub: 'pubsub', topic });
  const payloads: OrderCreated[] = orders(events);
  for (let from = 0; from < events; from += 5000) {
    await publishMany(runtime, spec, validateOrderCreated, payloads.slice(from, from + 5000), {
      chunkSize: 1000,
    });
  }
  await runtime.transport.close();
}

export async function pending(redis: Redis, stream: string, group: string): Promise<number> {
  const summary = (await redis.call('XPENDING', stream, group)) as [number | string, ...unknown[]];
  return Number(summary[0]);
}

function rawVariant(ctx: Context): Variant {
  return {
    name: `raw XREADGROUP/XACK loop (COUNT ${ctx.count}, JSON.parse only)`,
    round: async (r) => {
      const { topic, events } = streamOf(ctx, r);
      const group = `raw-${r + 1}`;
      const connection = ctx.redis.duplicate();
      await connection.call('XGROUP', 'CREATE', topic, group, '0');
      const cpu = process.cpuUsage();
      const started = performance.now();
      let handled = 0;
      let parsed = 0;
      for (;;) {
        const reply = await connection.callBuffer(
          'XREADGROUP',
          'GROUP',
          group,
          'bench',
          'COUNT',
          ctx.count,
          'STREAMS',
          topic,
          '>',
        );
        const entries = entriesOf(reply);
        if (entries.length === 0) break;
        const ids: Buffer[] = [];
        for (const [id, fields] of entries) {
          const data = dataOf(fields);
          if (data && (JSON.parse(data.toString()) as { event_id?: string }).event_id) parsed++;
          ids.push(id);
        }
        await connection.callBuffer('XACK', topic, group, ...ids);
        handled += entries.length;
      }
      const result = finish(handled, started, cpu);
      const left = await pending(ctx.redis, topic, group);
      connection.disconnect();
      if (handled !== events || parsed !== events || left !== 0) {
        throw new Error(
          `raw loop read ${handled}, parsed ${parsed} of ${events} entries; ${left} left pending`,
        );
      }
      return result;
    },
  };
}

/** How long a hand-written consumer's claim holds, and its done marks live (the runtime's defaults). */
const CLAIM_MS = 30_000;
const MARK_MS = 24 * 3600_000;

/** Where a hand-written consumer keeps its idempotency marks, and the token its claims carry. */
export interface HandMarks {
  readonly redis: Redis;
  readonly keys: string;
  readonly token: string;
}

/**
 * What a careful engineer writes by hand for one read of entries: parse each envelope and validate its payload
 * with the generated ajv validator, claim every event with one pipelined `SET key c:<token> NX PX GET` each (a
 * duplicate or a live claim is skipped), run the handler, commit with one pipelined `SET key d:<token> PX`.
 * The caller XACKs the read. Returns how many entries were invalid.
 */
export async function handleByHand(
  marks: HandMarks,
  entries: readonly Entry[],
  handle: (eventId: string, payload: OrderCreated) => void,
): Promise<number> {
  let invalid = 0;
  const valid: Array<{ readonly eventId: string; readonly payload: OrderCreated }> = [];
  for (const [, fields] of entries) {
    const data = dataOf(fields);
    const envelope = data ? (JSON.parse(data.toString()) as { event_id: string; data: unknown }) : undefined;
    if (envelope && validateOrderCreated(envelope.data))
      valid.push({ eventId: envelope.event_id, payload: envelope.data });
    else invalid++;
  }
  const claim = marks.redis.pipeline();
  for (const { eventId } of valid)
    claim.set(marks.keys + eventId, `c:${marks.token}`, 'PX', CLAIM_MS, 'NX', 'GET');
  const claimed = (await claim.exec()) ?? [];
  const commit = marks.redis.pipeline();
  for (const [index, { eventId, payload }] of valid.entries()) {
    const [error, holder] = claimed[index] ?? [];
    if (error || holder !== null) continue;
    handle(eventId, payload);
    commit.set(marks.keys + eventId, `d:${marks.token}`, 'PX', MARK_MS);
  }
  if (commit.length > 0) await commit.exec();
  return invalid;
}

/**
 * The fair baseline: the work the runtime consumer does, written by hand by a careful engineer with ioredis.
 * Per read of COUNT entries: `handleByHand` (validation, pipelined claims, the handler, pipelined commits), then
 * one `XACK`. Three round trips per read, no metrics, no tracing, no dead-letter path.
 */
function handWrittenVariant(ctx: Context): Variant {
  return {
    name: `hand-written consumer (ajv validate + ioredis claim and commit + XACK, COUNT ${ctx.count})`,
    round: async (r) => {
      const { topic, events } = streamOf(ctx, r);
      const group = `hand-${r + 1}`;
      const keys = `${ctx.prefix}:hand:${group}:`;
      const connection = ctx.redis.duplicate();
      const marks: HandMarks = { redis: ctx.redis.duplicate(), keys, token: `${process.pid}-${group}` };
      await connection.call('XGROUP', 'CREATE', topic, group, '0');
      const seen = new Set<string>();
      let handled = 0;
      let invalid = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (;;) {
        const entries = entriesOf(
          await connection.callBuffer(
            'XREADGROUP',
            'GROUP',
            group,
            'bench',
            'COUNT',
            ctx.count,
            'STREAMS',
            topic,
            '>',
          ),
        );
        if (entries.length === 0) break;
        invalid += await handleByHand(marks, entries, (eventId, payload) => {
          // The handler.
          if (payload.order_id) seen.add(eventId);
          handled++;
        });
        await connection.callBuffer('XACK', topic, group, ...entries.map(([id]) => id));
      }
      const result = finish(handled, started, cpu);
      const left = await pending(ctx.redis, topic, group);
      const sample = await Promise.all([...seen].slice(0, 5).map((id) => ctx.redis.get(keys + id)));
      connection.disconnect();
      marks.redis.disconnect();
      if (
        handled !== events ||
        seen.size !== events ||
        invalid > 0 ||
        left !== 0 ||
        sample.some((m) => !m?.startsWith('d:'))
      ) {
        throw new Error(
          `hand-written consumer handled ${handled} (${seen.size} distinct, ${invalid} invalid) of ${events}; ${left} pending; marks ${JSON.stringify(sample)}`,
        );
      }
      return result;
    },
  };
}

export type Entry = [Buffer, Buffer[]];

/** The `data` field of an entry's flat field list, as a raw consumer reads it. */
export function dataOf(fields: readonly Buffer[]): Buffer | undefined {
  return fields[fields.findIndex((f, i) => i % 2 === 0 && f.toString() === 'data') + 1];
}

/** `[[stream, entries]]` over RESP2; ioredis flattens the RESP3 map to `[stream, entries]`. */
export function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return ((Array.isArray(reply[0]) ? reply[0][1] : reply[1]) ?? []) as Entry[];
}

/**
 * The runtime consumer. `redis` is the measured configuration; `memory` (idempotency marks in process) is a
 * diagnostic that shows how much of the cost is the Redis idempotency round trips rather than the pipeline.
 */
/** The runtime modules a runtime variant consumes with: this build's, or another checkout's (`--other-build`). */
interface RuntimeBuild {
  readonly label: string;
  readonly startConsumer: typeof startConsumer;
  readonly createRedisStreamsTransport: typeof createRedisStreamsTransport;
  readonly RedisIdempotencyStore: typeof RedisIdempotencyStore;
  readonly bind: typeof bind;
  readonly createEventMetrics: typeof createEventMetrics;
}

const THIS_BUILD: RuntimeBuild = {
  label: '',
  startConsumer,
  createRedisStreamsTransport,
  RedisIdempotencyStore,
  bind,
  createEventMetrics,
};

async function otherBuild(dir: string): Promise<RuntimeBuild> {
  const load = (path: string) => import(new URL(path, `file://${resolve(dir)}/`).href);
  const [consumer, transport, idempotency, binding, metrics] = await Promise.all([
    load('runtime/consume/consumer.ts'),
    load('runtime/transports/redis-streams/index.ts'),
    load('runtime/idempotency/redis.ts'),
    load('runtime/consume/bind.ts'),
    load('runtime/metrics.ts'),
  ]);
  return {
    label: ` [build ${dir}]`,
    startConsumer: consumer.startConsumer,
    createRedisStreamsTransport: transport.createRedisStreamsTransport,
    RedisIdempotencyStore: idempotency.RedisIdempotencyStore,
    bind: binding.bind,
    createEventMetrics: metrics.createEventMetrics,
  };
}

function runtimeVariant(ctx: Context, store: 'redis' | 'memory', build: RuntimeBuild = THIS_BUILD): Variant {
  const what = store === 'redis' ? 'Redis idempotency' : 'in-memory idempotency (diagnostic)';
  const { startConsumer, createRedisStreamsTransport, RedisIdempotencyStore, bind, createEventMetrics } =
    build;
  return {
    name: `runtime consumer (validation + ${what} + ack, concurrency ${ctx.concurrency})${build.label}`,
    round: async (r) => {
      const { topic, events } = streamOf(ctx, r);
      const name = `bench-${store}${build.label ? '-other' : ''}-${r + 1}`;
      // Auto-pipelining writes the claims and commits issued in one tick as one socket write (the transport's
      // own connection cannot use it: ioredis 6 auto-pipelining drops the command name of `callBuffer`).
      const idempotencyRedis = ctx.redis.duplicate({ enableAutoPipelining: ctx.autoPipelining });
      const runtime: Runtime = {
        service: { name: 'notification', version: '1.0.0' },
        transport: createRedisStreamsTransport({
          url: REDIS_URL,
          batchSize: ctx.count,
          blockMs: 500,
          payloadFormat: 'as-published',
          // Each round reads in a fresh group of its own, named after the round's subscription.
          group: (spec) => spec.name,
        }),
        idempotency:
          store === 'redis'
            ? new RedisIdempotencyStore(idempotencyRedis, { prefix: `${ctx.prefix}:idem:` })
            : new MemoryIdempotencyStore(),
        metrics: createEventMetrics(),
        env: {},
      };
      const spec = orderCreatedSubscription(topic, name, ctx.concurrency);
      const seen = new Set<string>();
      let handled = 0;
      const { promise: allHandled, resolve } = Promise.withResolvers<void>();
      const binding = bind<OrderCreated>(spec, { [ORDER_CREATED]: validateOrderCreated }, async (event) => {
        seen.add(event.event_id);
        if (++handled === events) resolve();
      });
      const cpu = process.cpuUsage();
      const started = performance.now();
      const consumer = await startConsumer(runtime, [binding]);
      const acknowledged = async () => {
        await allHandled;
        // Handled is not done: the idempotency commit and the XACK follow the handler.
        while ((await pending(ctx.redis, topic, name)) > 0) await new Promise((done) => setTimeout(done, 2));
      };
      await withDeadline(acknowledged(), DEADLINE_MS, () => `handled ${handled} of ${events} events`);
      const result = finish(handled, started, cpu);
      await consumer.stop();
      await runtime.transport.close();
      const marks =
        store === 'redis'
          ? await sampleMarks(ctx, `${ctx.prefix}:idem:notification:${name}:`, [...seen].slice(0, 5))
          : [];
      idempotencyRedis.disconnect();
      if (handled !== events || seen.size !== events || marks.some((mark) => !mark?.startsWith('d:'))) {
        throw new Error(
          `runtime consumer handled ${handled} (${seen.size} distinct) of ${events}; marks ${JSON.stringify(marks)}`,
        );
      }
      return result;
    },
  };
}

/** A round that stops making progress fails after this long instead of hanging the whole suite. */
const DEADLINE_MS = 120_000;

async function withDeadline<T>(promise: Promise<T>, ms: number, progress: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`consumer round did not finish in ${ms} ms: ${progress()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sampleMarks(ctx: Context, prefix: string, ids: readonly string[]): Promise<(string | null)[]> {
  return Promise.all(ids.map((id) => ctx.redis.get(prefix + id)));
}

export async function redisConsumeBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const events = numberOption(args, 'events');
  const concurrency = numberOption(args, 'concurrency');
  const count = numberOption(args, 'count');
  const redis = redisConnection();
  const prefix = benchPrefix('consume');
  const ctx: Context = {
    redis,
    prefix,
    stream: { topic: `${prefix}:orders`, events },
    warmUp: { topic: `${prefix}:warm-up`, events: WARM_UP_EVENTS },
    concurrency,
    count,
    autoPipelining: args.values['auto-pipelining'] !== 'off',
  };
  try {
    await fill(redis, ctx.warmUp.topic, ctx.warmUp.events);
    await fill(redis, ctx.stream.topic, events);
    const variants = {
      raw: rawVariant(ctx),
      hand: handWrittenVariant(ctx),
      runtime: runtimeVariant(ctx, 'redis'),
      memory: runtimeVariant(ctx, 'memory'),
      ...(args.values['other-build']
        ? { other: runtimeVariant(ctx, 'redis', await otherBuild(String(args.values['other-build']))) }
        : {}),
    };
    const only = String(args.values.only ?? '')
      .split(',')
      .filter(Boolean) as (keyof typeof variants)[];
    const unknown = only.filter((name) => !(name in variants));
    if (unknown.length > 0) {
      throw new Error(
        `--only takes raw,hand,runtime,memory,other (with --other-build); got ${unknown.join(',')}`,
      );
    }
    const settings = {
      events,
      concurrency,
      count,
      idempotencyAutoPipelining: ctx.autoPipelining ? 'on' : 'off',
      rounds: args.rounds,
    };
    const title = 'Redis Streams consume: runtime pipeline vs hand-written consumer vs raw XREADGROUP/XACK';
    if (only.length > 0) {
      const summaries = await interleave(
        args.rounds,
        only.map((name) => withServerStats(redis, variants[name]!)),
      );
      // With the hand-written consumer among them, the others carry their ratio to it (median of per-round ratios).
      const hand = only.includes('hand') ? summaries[only.indexOf('hand')] : undefined;
      const rows = summaries.map((s) =>
        s === hand
          ? row(s, 'baseline', undefined, undefined, serverExtra(s))
          : row(s, 'runtime', undefined, hand, serverExtra(s)),
      );
      return {
        name: 'redis-consume',
        title,
        settings: { ...settings, only: only.join(',') },
        rows,
        targets: [],
      };
    }
    const [raw, hand, runtime, memory] = await interleave(
      args.rounds,
      [variants.raw, variants.hand, variants.runtime, variants.memory].map((v) => withServerStats(redis, v)),
    );
    // Ratios against the hand-written consumer: the same work, written by hand.
    const runtimeRow = row(runtime!, 'runtime', undefined, hand, serverExtra(runtime!));
    const handRow = row(hand!, 'baseline', undefined, undefined, serverExtra(hand!));
    return {
      name: 'redis-consume',
      title,
      settings,
      rows: [
        row(raw!, 'baseline', undefined, undefined, serverExtra(raw!)),
        handRow,
        runtimeRow,
        row(memory!, 'runtime', undefined, hand, serverExtra(memory!)),
      ],
      targets: [
        target(
          `>= ${TARGET_EVENTS_PER_SECOND} events/s consumed with validation and Redis idempotency`,
          `${runtimeRow.eventsPerSecond} events/s`,
          runtimeRow.eventsPerSecond >= TARGET_EVENTS_PER_SECOND,
        ),
        target(
          'runtime consumer within 25% of the hand-written consumer (events/s)',
          `${Math.round((runtimeRow.eventsPerSecond / handRow.eventsPerSecond) * 100)}% of ${handRow.eventsPerSecond} events/s`,
          runtimeRow.eventsPerSecond >= 0.75 * handRow.eventsPerSecond,
        ),
      ],
    };
  } finally {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  }
}

if (import.meta.main) {
  const args = parseCommon(1, {
    events: '20000',
    concurrency: '100',
    count: '100',
    'auto-pipelining': 'on',
    only: '',
    'other-build': '',
  });
  await runBenchmark(args, () => redisConsumeBenchmark(args));
}

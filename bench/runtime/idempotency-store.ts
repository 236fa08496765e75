/**
 * The Redis idempotency store alone, as a consumer drives it: batches of `--batch` concurrent claims of fresh keys,
 * then their commits, against the hand-written consumer's two pipelines (`SET key c:<token> NX PX GET`, then
 * `SET key d:<token> PX`). Client CPU and Redis CPU per event, with no stream, no pipeline and no handler: the
 * idempotency share of the consumer's cost, steadier than the whole consumer's figures on a busy machine.
 *
 *   node bench/runtime/idempotency-store.ts [--rounds 8] [--batches 200] [--batch 100] [--only hand,store,other]
 *                                           [--other-build DIR] [--json]
 *
 * `--other-build DIR` adds another checkout's store (see redis-consume.ts), interleaved round by round with this
 * build's. Use a Redis of your own (`REDIS_URL`) for Redis figures that are not shared with other work.
 */
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { RedisIdempotencyStore } from '../../runtime/idempotency/redis.ts';
import { finish } from '../lib/drive.ts';
import { interleave, type Variant } from '../lib/rounds.ts';
import { numberOption, parseCommon, row, runBenchmark } from './report.ts';
import { serverExtra, withServerStats } from './redis-server.ts';
import { benchPrefix, deleteByPrefix, redisConnection } from './services.ts';

const LEASE_MS = 30_000;
const TTL_MS = 24 * 3600_000;

interface Context {
  readonly redis: Redis;
  readonly prefix: string;
  readonly batches: number;
  readonly batch: number;
}

/** Fresh keys for one round, shaped like the runtime's (service:subscription:event id). */
function keysOf(ctx: Context, variant: string, r: number, b: number): string[] {
  return Array.from(
    { length: ctx.batch },
    (_, i) => `order:order-created-handler:${variant}-${r}-${b}-${i}-0b6e4d1c-5a3f-4e8e-9b7a`,
  );
}

function storeVariant(ctx: Context, name: string, Store: typeof RedisIdempotencyStore, label = ''): Variant {
  return {
    name: `RedisIdempotencyStore claim + commit (batch ${ctx.batch})${label}`,
    round: async (r) => {
      const connection = ctx.redis.duplicate({ enableAutoPipelining: true });
      const store = new Store(connection, { prefix: `${ctx.prefix}:${name}:` });
      const batches = r < 0 ? 10 : ctx.batches;
      let committed = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let b = 0; b < batches; b++) {
        const keys = keysOf(ctx, name, r, b);
        const claims = await Promise.all(keys.map((key) => store.claim(key, LEASE_MS)));
        const commits = await Promise.all(
          keys.map((key, i) => (claims[i] === 'claimed' ? store.commit(key, TTL_MS) : undefined)),
        );
        committed += commits.filter((c) => c === 'committed').length;
      }
      const result = finish(batches * ctx.batch, started, cpu);
      connection.disconnect();
      if (committed !== batches * ctx.batch)
        throw new Error(`${committed} of ${batches * ctx.batch} committed`);
      return result;
    },
  };
}

/** The hand-written consumer's claims and commits (`handleByHand` in redis-consume.ts), keys alone. */
function handVariant(ctx: Context): Variant {
  return {
    name: `hand-written pipelines: SET NX PX GET, then SET PX (batch ${ctx.batch})`,
    round: async (r) => {
      const connection = ctx.redis.duplicate();
      const keys = `${ctx.prefix}:hand:`;
      const token = `${process.pid}-hand-${r}`;
      const batches = r < 0 ? 10 : ctx.batches;
      let committed = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let b = 0; b < batches; b++) {
        const batch = keysOf(ctx, 'hand', r, b);
        const claim = connection.pipeline();
        for (const key of batch) claim.set(keys + key, `c:${token}`, 'PX', LEASE_MS, 'NX', 'GET');
        const claimed = (await claim.exec()) ?? [];
        const commit = connection.pipeline();
        for (const [i, key] of batch.entries()) {
          const [error, holder] = claimed[i] ?? [];
          if (error || holder !== null) continue;
          commit.set(keys + key, `d:${token}`, 'PX', TTL_MS);
          committed++;
        }
        if (commit.length > 0) await commit.exec();
      }
      const result = finish(batches * ctx.batch, started, cpu);
      connection.disconnect();
      if (committed !== batches * ctx.batch)
        throw new Error(`${committed} of ${batches * ctx.batch} claimed`);
      return result;
    },
  };
}

async function otherStore(dir: string): Promise<typeof RedisIdempotencyStore> {
  const module = await import(new URL('runtime/idempotency/redis.ts', `file://${resolve(dir)}/`).href);
  return module.RedisIdempotencyStore;
}

const args = parseCommon(1, { batches: '200', batch: '100', only: '', 'other-build': '' });

await runBenchmark(args, async () => {
  const redis = redisConnection();
  const ctx: Context = {
    redis,
    prefix: benchPrefix('idempotency-store'),
    batches: numberOption(args, 'batches'),
    batch: numberOption(args, 'batch'),
  };
  try {
    const variants: Record<string, Variant> = {
      hand: handVariant(ctx),
      store: storeVariant(ctx, 'store', RedisIdempotencyStore),
      ...(args.values['other-build']
        ? {
            other: storeVariant(
              ctx,
              'other',
              await otherStore(String(args.values['other-build'])),
              ` [build ${args.values['other-build']}]`,
            ),
          }
        : {}),
    };
    const only = String(args.values.only || Object.keys(variants).join(','))
      .split(',')
      .filter(Boolean);
    const unknown = only.filter((name) => !(name in variants));
    if (unknown.length > 0)
      throw new Error(`--only takes ${Object.keys(variants).join(',')}; got ${unknown}`);
    const summaries = await interleave(
      args.rounds,
      only.map((name) => withServerStats(redis, variants[name]!)),
    );
    const hand = only.includes('hand') ? summaries[only.indexOf('hand')] : undefined;
    return {
      name: 'idempotency-store',
      title: 'Redis idempotency store: claim + commit batches vs the hand-written pipelines',
      settings: { batches: ctx.batches, batch: ctx.batch, rounds: args.rounds },
      rows: summaries.map((s, i) =>
        only[i] === 'hand'
          ? row(s, 'baseline', undefined, undefined, serverExtra(s))
          : row(s, 'runtime', undefined, hand, serverExtra(s)),
      ),
      targets: [],
    };
  } finally {
    await deleteByPrefix(redis, `${ctx.prefix}:`);
    redis.disconnect();
  }
});

/**
 * The containers broker provider as `eventwire test --brokers containers` uses it: every broker a run needs
 * started at once, endpoints that answer, per-run isolation that is created and removed, the fault
 * capabilities, and nothing left in the engine once the started brokers are disposed.
 */
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { BrokerKind } from '../../engine/types.ts';
import { until } from '../../support/poll.ts';
import { dockerEngine } from '../engine.ts';
import { containersProvider, defaultBrokerMode } from '../provider.ts';
import { track } from './track.ts';

async function containerExists(id: string): Promise<boolean> {
  try {
    await (await dockerEngine()).container.getById(id).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

async function isPaused(id: string): Promise<boolean> {
  return (await (await dockerEngine()).container.getById(id).inspect()).State.Paused;
}

async function redisRunId(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    return /run_id:(\w+)/.exec(await redis.info('server'))?.[1] ?? '';
  } finally {
    redis.disconnect();
  }
}

async function pgQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('containers broker provider', () => {
  it('starts what the run needs, isolates runs, injects faults and removes every container', async () => {
    const ids: string[] = [];
    {
      await using brokers = await containersProvider().start(
        new Set<BrokerKind>(['redis', 'rabbitmq', 'postgres']),
      );
      expect(brokers.mode).toBe('containers');
      ids.push(...Object.values(brokers.containers).map((broker) => broker.container.getId()));
      expect(ids).toHaveLength(3);
      const { redisUrl, amqpUrl, amqpManagementUrl, databaseUrl } = brokers.endpoints;
      for (const url of [redisUrl, amqpUrl, databaseUrl])
        expect(url).toMatch(/^\w+:\/\/([^@]+@)?127\.0\.0\.1:\d+/);
      expect(amqpManagementUrl).toMatch(/^http:\/\/guest:guest@127\.0\.0\.1:\d+$/);

      // Isolation: a vhost the run can use, a schema, a prefix; all gone once disposed.
      const isolation = await brokers.isolate('r1');
      expect(isolation.redisPrefix).toMatch(/^ew-run-r1-[0-9a-f]+:$/);
      const amqp = await connect(isolation.amqpUrl!);
      await (await amqp.createChannel()).assertQueue('isolated-queue');
      await amqp.close();
      expect(
        (await pgQuery(databaseUrl!, `SELECT 1 FROM pg_namespace WHERE nspname = '${isolation.pgSchema}'`))
          .rowCount,
      ).toBe(1);
      await isolation[Symbol.asyncDispose]();
      await expect(connect(isolation.amqpUrl!)).rejects.toThrow();
      expect(
        (await pgQuery(databaseUrl!, `SELECT 1 FROM pg_namespace WHERE nspname = '${isolation.pgSchema}'`))
          .rowCount,
      ).toBe(0);

      // Faults: a restart is a new Redis process at the same address; cut connections refuse, restored ones answer.
      const before = await redisRunId(redisUrl!);
      await brokers.faults.restart!('redis');
      expect(await redisRunId(redisUrl!)).not.toBe(before);
      await brokers.faults.cutConnections!('postgres');
      await expect(pgQuery(databaseUrl!, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
      await brokers.faults.restoreConnections!('postgres');
      expect((await pgQuery(databaseUrl!, 'SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      // Pause: a command sent to the frozen broker is answered only after it thaws.
      const redis = new Redis(redisUrl!);
      await redis.ping();
      const redisId = brokers.containers.redis!.container.getId();
      const pausing = brokers.faults.pause!('redis', 2_000);
      await until('redis container paused', () => isPaused(redisId));
      const ping = track(redis.ping());
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await isPaused(redisId)).toBe(true);
      expect(ping.settledAt).toBe(0);
      await pausing;
      await ping.promise;
      redis.disconnect();
    }
    for (const id of ids) expect(await containerExists(id)).toBe(false);
  }, 180_000);

  it('chooses containers as the default mode when an engine answers, and says nothing', async () => {
    const said: string[] = [];
    expect(await defaultBrokerMode((line) => said.push(line))).toBe('containers');
    expect(said).toEqual([]);
  });

  it('looks only at the images of the brokers the run needs: a missing PostgreSQL image does not matter to a Redis run', async () => {
    const said: string[] = [];
    const before = process.env.EVENTWIRE_POSTGRES_IMAGE;
    process.env.EVENTWIRE_POSTGRES_IMAGE = 'eventwire-test/never-built:0';
    try {
      expect(await defaultBrokerMode((line) => said.push(line), new Set(['redis']))).toBe('containers');
      expect(await defaultBrokerMode((line) => said.push(line), new Set(['redis', 'postgres']))).toBe(
        'local',
      );
    } finally {
      if (before === undefined) delete process.env.EVENTWIRE_POSTGRES_IMAGE;
      else process.env.EVENTWIRE_POSTGRES_IMAGE = before;
    }
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('postgres');
  });

  it('falls back to local as the default mode when a broker image is missing, and says why once', async () => {
    const said: string[] = [];
    const before = process.env.EVENTWIRE_REDIS_IMAGE;
    process.env.EVENTWIRE_REDIS_IMAGE = 'eventwire-test/never-built:0';
    try {
      expect(await defaultBrokerMode((line) => said.push(line))).toBe('local');
    } finally {
      if (before === undefined) delete process.env.EVENTWIRE_REDIS_IMAGE;
      else process.env.EVENTWIRE_REDIS_IMAGE = before;
    }
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('eventwire-test/never-built:0');
    expect(said[0]).toContain('containers:prepare');
  });
});

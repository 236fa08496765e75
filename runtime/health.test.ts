import { execFileSync } from 'node:child_process';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth, postgresHealth, rabbitMqHealth, redisHealth } from './health.ts';
import { AMQP_URL, DATABASE_URL, redisClient, uniqueName } from './test/support.ts';

const vhost = uniqueName('ew_health');
const vhostUrl = `${AMQP_URL.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`;
const rabbitmqctl = (...args: string[]) =>
  execFileSync('rabbitmqctl', args, { stdio: 'pipe', timeout: 60_000 });

beforeAll(() => {
  rabbitmqctl('add_vhost', vhost);
  rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
}, 120_000);
afterAll(() => {
  rabbitmqctl('delete_vhost', vhost);
}, 120_000);

describe('health checks', () => {
  it('are healthy against the running Redis, RabbitMQ and PostgreSQL', async () => {
    const redis = redisClient();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const connection = await amqplib.connect(vhostUrl);
    try {
      const report = await checkHealth([
        redisHealth(redis),
        rabbitMqHealth(vhostUrl),
        rabbitMqHealth(connection, { name: 'rabbitmq-connection' }),
        postgresHealth(pool),
      ]);
      expect(report.checks.map((check) => [check.name, check.healthy, check.error])).toEqual([
        ['redis', true, undefined],
        ['rabbitmq', true, undefined],
        ['rabbitmq-connection', true, undefined],
        ['postgres', true, undefined],
      ]);
      expect(report.healthy).toBe(true);
    } finally {
      redis.disconnect();
      await pool.end();
      await connection.close();
    }
  });

  it('report unhealthy (never throw) for unreachable services, within the timeout', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', max: 1 });
    pool.on('error', () => undefined);
    const report = await checkHealth([
      redisHealth(redis, { timeoutMs: 1000 }),
      rabbitMqHealth('amqp://guest:guest@127.0.0.1:1', { timeoutMs: 1000 }),
      postgresHealth(pool, { timeoutMs: 1000 }),
      rabbitMqHealth(`${AMQP_URL}/${uniqueName('missing_vhost')}`, { timeoutMs: 5000 }),
    ]);
    expect(report.healthy).toBe(false);
    for (const check of report.checks) {
      expect(check.healthy).toBe(false);
      expect(check.error).toBeTruthy();
      expect(check.latencyMs).toBeLessThan(6000);
    }
    redis.disconnect();
    await pool.end();
  });

  it('times out a probe that never answers', async () => {
    const hanging = { ping: () => new Promise<string>(() => {}) } as unknown as Redis;
    const result = await redisHealth(hanging, { timeoutMs: 50 })();
    expect(result).toMatchObject({ healthy: false, error: 'no answer within 50 ms' });
  });
});

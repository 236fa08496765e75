/**
 * Dependency health checks for readiness probes: Redis PING, RabbitMQ open+close of a channel, PostgreSQL
 * SELECT 1. Each is bounded by a timeout and reports instead of throwing, so a hung dependency makes the
 * probe say "unhealthy" quickly rather than hang the probe itself.
 */
import amqplib, { type ChannelModel } from 'amqplib';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { errorMessage } from './errors.ts';

export interface HealthResult {
  readonly name: string;
  readonly healthy: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly healthy: boolean;
  readonly checks: readonly HealthResult[];
}

export type HealthCheck = () => Promise<HealthResult>;

const DEFAULT_TIMEOUT_MS = 2000;

async function timed(name: string, timeoutMs: number, probe: () => Promise<void>): Promise<HealthResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { name, healthy: true, latencyMs: performance.now() - started };
  } catch (error) {
    return { name, healthy: false, latencyMs: performance.now() - started, error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function redisHealth(redis: Redis, options: { timeoutMs?: number; name?: string } = {}): HealthCheck {
  return () =>
    timed(options.name ?? 'redis', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, async () => {
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply '${reply}'`);
    });
}

/**
 * With a connection, opens and closes a channel on it (proves the broker answers on that connection).
 * With a URL, also connects and disconnects; a connection that opens after the timeout is closed anyway.
 */
export function rabbitMqHealth(
  target: ChannelModel | string,
  options: { timeoutMs?: number; name?: string } = {},
): HealthCheck {
  return () =>
    timed(options.name ?? 'rabbitmq', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, async () => {
      if (typeof target !== 'string') {
        const channel = await target.createChannel();
        await channel.close();
        return;
      }
      const connecting = amqplib.connect(target);
      // If the probe times out, still close the connection once it opens so probes never leak sockets.
      connecting.catch(() => undefined);
      const connection = await connecting;
      try {
        const channel = await connection.createChannel();
        await channel.close();
      } finally {
        await connection.close().catch(() => undefined);
      }
    });
}

export function postgresHealth(pool: Pool, options: { timeoutMs?: number; name?: string } = {}): HealthCheck {
  return () =>
    timed(options.name ?? 'postgres', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, async () => {
      const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
      if (rows[0]?.ok !== 1) throw new Error('SELECT 1 returned no row');
    });
}

/** Runs every check concurrently; healthy only if all are. */
export async function checkHealth(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => check()));
  return { healthy: results.every((result) => result.healthy), checks: results };
}

/**
 * createRuntime's defaults come from the generated contract: the transport from the channels' kind, the
 * idempotency store from the subscriptions; contracts it cannot serve alone are refused with the fix. Real Redis
 * and RabbitMQ (nothing is declared or published here).
 */
import { describe, expect, it } from 'vitest';
import * as identity from '../generated/identity/contract.ts';
import * as order from '../generated/order/contract.ts';
import * as search from '../generated/search/contract.ts';
import { createRuntime } from './create-runtime.ts';
import { ConfigurationError } from './errors.ts';

describe('createRuntime', () => {
  it('Redis Streams and the Redis store for a topic contract, named and versioned, healthy, closable', async () => {
    const runtime = await createRuntime({ contract: order, version: '2.1.0', logger: false });
    try {
      expect(runtime.service).toEqual({ name: 'order', version: '2.1.0' });
      expect(runtime.transport.kind).toBe('redis-streams');
      expect(runtime.idempotency.kind).toBe('redis');
      expect(await runtime.health()).toMatchObject({
        healthy: true,
        checks: [{ name: 'redis', healthy: true }],
      });
    } finally {
      await runtime.close();
    }
  });

  it('RabbitMQ for an AMQP contract; the store kind can be chosen', async () => {
    const runtime = await createRuntime({ contract: identity, idempotency: 'memory', logger: false });
    try {
      expect(runtime.transport.kind).toBe('rabbitmq');
      expect(runtime.idempotency.kind).toBe('memory');
      const report = await runtime.health();
      expect(report.checks.map((check) => check.name)).toEqual(['rabbitmq']);
      expect(report.healthy).toBe(true);
    } finally {
      await runtime.close();
    }
  });

  it('refuses what one runtime cannot serve, saying what to do', async () => {
    const mixed = { publications: { ...order.publications, ...search.publications } };
    await expect(createRuntime({ contract: mixed })).rejects.toThrow(/mixes services \(order, search\)/);
    await expect(createRuntime({ contract: {} })).rejects.toThrow(/no publications or subscriptions/);
    await expect(createRuntime({ contract: order, idempotency: 'postgres' })).rejects.toThrow(
      /pass `postgres` \(a pg Pool\)/,
    );
    await expect(createRuntime({ contract: identity, dapr: true })).rejects.toThrow(ConfigurationError);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { Runtime } from './api.ts';
import { PayloadValidationError } from './errors.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import { createEventMetrics } from './metrics.ts';
import { publisherSend } from './publisher-send.ts';
import {
  countingTransport,
  type ProductCreated,
  product,
  publicationSpec,
  validateProductCreated,
} from './test/support.ts';
import type { MemoryTransport } from './transports/memory.ts';

/** A runtime whose transport records how many messages each broker call carried. */
function countingRuntime(): { runtime: Runtime; transport: MemoryTransport; calls: number[] } {
  const { transport, calls } = countingTransport();
  const runtime: Runtime = {
    service: { name: 'catalog', version: '1' },
    transport,
    idempotency: new MemoryIdempotencyStore(),
    metrics: createEventMetrics(),
    env: {},
  };
  return { runtime, transport, calls };
}

const spec = publicationSpec();

describe('publisherSend', () => {
  it('sends one broker call per event by default', async () => {
    const { runtime, calls } = countingRuntime();
    const send = publisherSend(runtime);
    await Promise.all([1, 2, 3].map((i) => send(spec, validateProductCreated, product(i))));
    expect(calls).toEqual([1, 1, 1]);
  });

  it('with batch, coalesces concurrent calls into one broker call, each caller getting its own envelope', async () => {
    const { runtime, transport, calls } = countingRuntime();
    const send = publisherSend(runtime, { batch: true });
    const envelopes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(spec, validateProductCreated, product(i))),
    );
    expect(calls).toEqual([50]);
    expect(new Set(envelopes.map((e) => e.event_id)).size).toBe(50);
    expect(envelopes.map((e) => (e.data as ProductCreated).product_id)).toEqual(
      Array.from({ length: 50 }, (_, i) => product(i).product_id),
    );
    expect(transport.published.map((m) => m.eventId)).toEqual(envelopes.map((e) => e.event_id));
  });

  it('with batch options, flushes at the maximum batch size', async () => {
    const { runtime, calls } = countingRuntime();
    const send = publisherSend(runtime, { batch: { maxBatchSize: 20, lingerMs: 50 } });
    await Promise.all(Array.from({ length: 45 }, (_, i) => send(spec, validateProductCreated, product(i))));
    expect(calls).toEqual([20, 20, 5]);
  });

  it('with lingerMs 0, sends the calls of one turn together without waiting for a timer', async () => {
    // Timers frozen: a batch waiting on any setTimeout, even of 0 ms, would never leave.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { runtime, calls } = countingRuntime();
      const send = publisherSend(runtime, { batch: { lingerMs: 0 } });
      const sent = Promise.all([1, 2, 3].map((i) => send(spec, validateProductCreated, product(i))));
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls).toEqual([3]);
      await sent;
      await Promise.all([4, 5].map((i) => send(spec, validateProductCreated, product(i))));
      expect(calls).toEqual([3, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with batch, an invalid event rejects its own caller and the others are sent', async () => {
    const { runtime, transport } = countingRuntime();
    const send = publisherSend(runtime, { batch: true });
    const invalid = { ...product(2), price: -1 } as ProductCreated;
    const results = await Promise.allSettled([
      send(spec, validateProductCreated, product(1)),
      send(spec, validateProductCreated, invalid),
      send(spec, validateProductCreated, product(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(PayloadValidationError);
    expect(transport.published).toHaveLength(2);
  });
});

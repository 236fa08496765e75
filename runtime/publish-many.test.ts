import { describe, expect, it } from 'vitest';
import type { Runtime } from './api.ts';
import { BatchPublishError, PayloadValidationError } from './errors.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import { createEventMetrics } from './metrics.ts';
import { createPublishBatcher } from './publish-batcher.ts';
import { publishMany } from './publish-many.ts';
import {
  countingTransport,
  type ProductCreated,
  product,
  publicationSpec,
  validateProductCreated,
} from './test/support.ts';
import { MemoryTransport } from './transports/memory.ts';
import { isUuidV7 } from './uuid.ts';

function runtime(transport = new MemoryTransport()): Runtime & { transport: MemoryTransport } {
  return {
    service: { name: 'catalog', version: '1' },
    transport,
    idempotency: new MemoryIdempotencyStore(),
    metrics: createEventMetrics(),
    env: {},
  } as Runtime & { transport: MemoryTransport };
}

describe('publishMany', () => {
  it('sends the batch in chunks, in order, with unique increasing ids', async () => {
    const { transport, calls } = countingTransport();
    const rt = runtime(transport);
    const envelopes = await publishMany(
      rt,
      publicationSpec(),
      validateProductCreated,
      Array.from({ length: 2500 }, (_, i) => product(i)),
      { chunkSize: 1000 },
    );
    expect(calls).toEqual([1000, 1000, 500]);
    expect(transport.published.map((m) => m.eventId)).toEqual(envelopes.map((e) => e.event_id));
    expect(
      envelopes.every((e, i) => isUuidV7(e.event_id) && (i === 0 || e.event_id > envelopes[i - 1]!.event_id)),
    ).toBe(true);
    const text = await rt.metrics!.registry.metrics();
    expect(text).toContain('events_published_total{service="catalog",topic="catalog.product.created"} 2500');
    expect(text).toContain('event_batch_size_count{service="catalog",topic="catalog.product.created"} 3');
  });

  it('sends nothing when any item is invalid, and names the item and field', async () => {
    const rt = runtime();
    const batch = [product(1), { ...product(2), price: -5 } as ProductCreated, product(3)];
    const error = await publishMany(rt, publicationSpec(), validateProductCreated, batch).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).fields).toEqual(['/1/price']);
    expect(rt.transport.published).toEqual([]);
  });

  it('reports how many went out when a later chunk fails', async () => {
    let call = 0;
    const rt = runtime(
      new MemoryTransport({ faults: { publish: () => ({ kind: call++ >= 10 ? 'fail-publish' : 'pass' }) } }),
    );
    const error = await publishMany(
      rt,
      publicationSpec(),
      validateProductCreated,
      Array.from({ length: 30 }, (_, i) => product(i)),
      { chunkSize: 10 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchPublishError);
    expect((error as BatchPublishError).publishedCount).toBe(10);
  });

  it('applies per-item options (parameters, causation)', async () => {
    const rt = runtime();
    const spec = publicationSpec({
      destination: { kind: 'topic', pubsub: 'p', topic: 'products.{region}' },
      parameters: ['region'],
    });
    await publishMany(rt, spec, validateProductCreated, [product(1), product(2)], {
      options: (_data, index) => ({ parameters: { region: index === 0 ? 'eu' : 'us' } }),
    });
    expect(
      rt.transport.published.map((m) => (m.destination.kind === 'topic' ? m.destination.topic : '')),
    ).toEqual(['products.eu', 'products.us']);
  });
});

describe('publish batcher', () => {
  it('coalesces concurrent publishes into few broker calls and resolves each caller with its envelope', async () => {
    const { transport, calls } = countingTransport();
    const batcher = createPublishBatcher(runtime(transport), { maxBatchSize: 100, lingerMs: 5 });
    const envelopes = await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        batcher.publish(publicationSpec(), validateProductCreated, product(i)),
      ),
    );
    expect(calls).toEqual([100, 100, 50]);
    expect(envelopes.map((e) => e.data.product_id)).toEqual(Array.from({ length: 250 }, (_, i) => `p-${i}`));
    expect(transport.published.map((m) => m.eventId)).toEqual(envelopes.map((e) => e.event_id));
  });

  it('rejects invalid events at once and whole batches on broker failure', async () => {
    const batcher = createPublishBatcher(
      runtime(new MemoryTransport({ faults: { publish: () => ({ kind: 'fail-publish' }) } })),
    );
    await expect(
      batcher.publish(publicationSpec(), validateProductCreated, { sku: '' } as unknown as ProductCreated),
    ).rejects.toBeInstanceOf(PayloadValidationError);
    const results = await Promise.allSettled(
      [1, 2].map((i) => batcher.publish(publicationSpec(), validateProductCreated, product(i))),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { EventHandler } from '../api.ts';
import { createEnvelope, encodeEnvelope } from '../envelope.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { type ProductCreated, product, productValidators, subscriptionSpec } from '../test/support.ts';
import type { Delivery } from '../transport.ts';
import { bind } from './bind.ts';
import { processDelivery } from './pipeline.ts';
import type { PipelinePoint, PipelineStage } from './probe.ts';

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1.0.0' },
};

function deliveryOf(body: string | Buffer): Delivery {
  const spec = subscriptionSpec();
  return { id: '1-0', body: Buffer.from(body), headers: {}, attempt: 1, source: spec.source, address: 'x' };
}

describe('pipeline probe', () => {
  it('is called at delivered, before-handler, after-handler and after-commit, in that order', async () => {
    const seen: { stage: PipelineStage; key?: string; handled: number; committed: boolean }[] = [];
    const store = new MemoryIdempotencyStore();
    let handled = 0;
    const handler = vi.fn<EventHandler<ProductCreated>>(async () => {
      handled++;
    });
    const binding = bind<ProductCreated>(subscriptionSpec(), productValidators, handler);
    const envelope = createEnvelope(source, product(1));
    const key = `search:product-created:${envelope.event_id}`;
    const probe = async (point: PipelinePoint) => {
      // What the store says at each point shows where the commit happens relative to the probe. The probe's own
      // claim has a zero lease, so it expires at once and never makes the pipeline's claim see "in progress".
      const committed = (await store.asOwner().claim(key, 0)) === 'duplicate';
      seen.push({
        stage: point.stage,
        ...(point.idempotencyKey ? { key: point.idempotencyKey } : {}),
        handled,
        committed,
      });
      if (point.stage !== 'delivered') expect(point.envelope?.event_id).toBe(envelope.event_id);
    };
    const outcome = await processDelivery(deliveryOf(encodeEnvelope(envelope)), binding, {
      idempotency: store,
      probe,
    });
    expect(outcome).toEqual({ kind: 'ack' });
    expect(seen).toEqual([
      { stage: 'delivered', handled: 0, committed: false },
      { stage: 'before-handler', key, handled: 0, committed: false },
      { stage: 'after-handler', key, handled: 1, committed: false },
      { stage: 'after-commit', key, handled: 1, committed: true },
    ]);
  });

  it('holding the delivery at a stage stops the pipeline there (how an in-process crash is simulated)', async () => {
    const store = new MemoryIdempotencyStore();
    const handler = vi.fn<EventHandler<ProductCreated>>(async () => {});
    const binding = bind<ProductCreated>(subscriptionSpec(), productValidators, handler);
    const envelope = createEnvelope(source, product(2));
    let reached = false;
    const never = new Promise<void>(() => {});
    const pending = processDelivery(deliveryOf(encodeEnvelope(envelope)), binding, {
      idempotency: store,
      probe: (point) => {
        if (point.stage !== 'after-handler') return;
        reached = true;
        return never;
      },
    });
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reached).toBe(true);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(settled).toBe(false);
    // The claim is held, never committed: another consumer sees it in progress until the lease expires.
    expect(await store.asOwner().claim(`search:product-created:${envelope.event_id}`, 1000)).toBe(
      'in-progress',
    );
  });

  it('only delivered is reported for a body that is not an envelope (dead-lettered before any claim)', async () => {
    const stages: PipelineStage[] = [];
    const binding = bind<ProductCreated>(subscriptionSpec(), productValidators, async () => {});
    const outcome = await processDelivery(deliveryOf('not json'), binding, {
      idempotency: new MemoryIdempotencyStore(),
      probe: (point) => {
        stages.push(point.stage);
      },
    });
    expect(outcome.kind).toBe('dead-letter');
    expect(stages).toEqual(['delivered']);
  });
});

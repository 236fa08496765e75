import { describe, expect, it, type Mock, vi } from 'vitest';
import type { EventContext, EventEnvelope, EventHandler } from '../api.ts';
import { VirtualClock } from '../clock.ts';
import { toCloudEvent } from '../cloudevents.ts';
import { createEnvelope, encodeEnvelope } from '../envelope.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import { OrderingGuard } from '../ordering/guard.ts';
import { MemoryOrderingStore } from '../ordering/memory.ts';
import type { OrderingStore } from '../ordering/store.ts';
import { createEventMetrics } from '../metrics.ts';
import type { SubscriptionSpec } from '../spec.ts';
import { type ProductCreated, product, productValidators, subscriptionSpec } from '../test/support.ts';
import type { Delivery } from '../transport.ts';
import { bind } from './bind.ts';
import { type PipelineDeps, processDelivery } from './pipeline.ts';
import { currentDelivery } from './scope.ts';

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1.0.0' },
};

function delivery(body: Buffer | string, attempt = 1): Delivery {
  const spec = subscriptionSpec();
  return {
    id: '1-0',
    body: Buffer.from(body),
    headers: {},
    attempt,
    source: spec.source,
    address: 'catalog.product.created',
  };
}

function setup(
  specOverrides: Partial<SubscriptionSpec> = {},
  handler: Mock<EventHandler<ProductCreated>> = vi.fn<EventHandler<ProductCreated>>(async () => {}),
) {
  const spec = subscriptionSpec(specOverrides);
  const binding = bind<ProductCreated>(spec, productValidators, handler);
  const deps: PipelineDeps = { idempotency: new MemoryIdempotencyStore(), metrics: createEventMetrics() };
  return { spec, binding, deps, handler };
}

const valid = () => createEnvelope(source, product(1));

describe('processDelivery', () => {
  it('acks a valid event after handing the handler the envelope and its context', async () => {
    let seen: { event: EventEnvelope<unknown>; context: EventContext } | undefined;
    const { binding, deps } = setup(
      {},
      vi.fn<EventHandler<ProductCreated>>(async (event, context) => {
        seen = { event, context };
      }),
    );
    const envelope = valid();
    expect(await processDelivery(delivery(encodeEnvelope(envelope), 2), binding, deps)).toEqual({
      kind: 'ack',
    });
    expect(seen?.event).toEqual(envelope);
    expect(seen?.context).toMatchObject({
      subscription: 'product-created',
      attempt: 2,
      follow: { causedBy: envelope },
    });
    expect(seen?.context.signal.aborted).toBe(false);
  });

  it('accepts the same event as a CloudEvent (Dapr sidecar)', async () => {
    const { binding, deps, handler } = setup();
    const body = JSON.stringify({ ...toCloudEvent(valid()), topic: 'x', pubsubname: 'pubsub' });
    expect(await processDelivery(delivery(body), binding, deps)).toEqual({ kind: 'ack' });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('dead-letters an undecodable body as decode-error without calling the handler', async () => {
    const { binding, deps, handler } = setup();
    const outcome = await processDelivery(delivery('{"event_id":'), binding, deps);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'decode-error' });
    const missing = await processDelivery(
      delivery(JSON.stringify({ ...valid(), metadata: {} })),
      binding,
      deps,
    );
    expect(missing).toMatchObject({
      kind: 'dead-letter',
      reason: 'decode-error',
      error: expect.stringContaining('/metadata/correlation_id'),
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters an unknown event type and an invalid payload as invalid-payload, even on attempt 1', async () => {
    const { binding, deps, handler } = setup();
    const unknown = createEnvelope({ ...source, eventType: 'catalog.product.deleted' }, product(1));
    expect(await processDelivery(delivery(encodeEnvelope(unknown)), binding, deps)).toMatchObject({
      kind: 'dead-letter',
      reason: 'invalid-payload',
      error: expect.stringContaining("'catalog.product.deleted' is not accepted"),
    });
    const invalid = createEnvelope(source, { product_id: 'p', sku: '', price: 'free' });
    const outcome = await processDelivery(delivery(encodeEnvelope(invalid)), binding, deps);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'invalid-payload' });
    expect(outcome.kind === 'dead-letter' && outcome.error).toMatch(
      /\/sku must NOT have fewer than 1 characters.*\/price must be number/,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('retries a failing handler with the contract backoff, then dead-letters retries-exhausted', async () => {
    const { binding, deps, handler } = setup(
      {},
      vi.fn(async () => Promise.reject(new Error('db down'))),
    );
    const body = encodeEnvelope(valid());
    const outcomes = [];
    for (let attempt = 1; attempt <= 4; attempt++)
      outcomes.push(await processDelivery(delivery(body, attempt), binding, deps));
    expect(outcomes).toEqual([
      { kind: 'retry', delayMs: 1000, error: 'db down' },
      { kind: 'retry', delayMs: 2000, error: 'db down' },
      { kind: 'retry', delayMs: 4000, error: 'db down' },
      { kind: 'dead-letter', reason: 'retries-exhausted', error: 'attempt 4: db down' },
    ]);
    // Every attempt reached the handler: the failed attempt released its claim.
    expect(handler).toHaveBeenCalledTimes(4);
  });

  it('processes a redelivered event once: the duplicate is acked without the handler', async () => {
    const { binding, deps, handler } = setup();
    const body = encodeEnvelope(valid());
    expect(await processDelivery(delivery(body), binding, deps)).toEqual({ kind: 'ack' });
    expect(await processDelivery(delivery(body, 2), binding, deps)).toEqual({ kind: 'ack' });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('redelivers, never dead-letters, an event another consumer is processing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { binding, deps, handler } = setup(
      {},
      vi.fn(async () => gate),
    );
    const body = encodeEnvelope(valid());
    const first = processDelivery(delivery(body), binding, deps);
    await vi.waitFor(() => expect(handler).toHaveBeenCalledOnce());
    expect(await processDelivery(delivery(body, 9), binding, deps)).toMatchObject({ kind: 'retry' });
    release();
    expect(await first).toEqual({ kind: 'ack' });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('times a handler out: aborts its signal and retries', async () => {
    const clock = new VirtualClock();
    let signal: AbortSignal | undefined;
    const { binding, deps } = setup(
      { handlerTimeoutMs: 30_000 },
      vi.fn<EventHandler<ProductCreated>>(async (_event, context) => {
        signal = context.signal;
        await new Promise(() => {});
      }),
    );
    const outcome = processDelivery(delivery(encodeEnvelope(valid())), binding, { ...deps, clock });
    await clock.advance(29_999);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(await outcome).toMatchObject({
      kind: 'retry',
      error: 'handler did not finish within 30000 ms (handlerTimeout)',
    });
    expect(signal?.aborted).toBe(true);
  });

  it('keys idempotency on a payload field when the contract says so', async () => {
    const { binding, deps, handler } = setup({
      idempotency: { key: '$message.payload#/product_id', ttlMs: 60_000, store: 'memory' },
    });
    await processDelivery(delivery(encodeEnvelope(createEnvelope(source, product(1)))), binding, deps);
    await processDelivery(
      delivery(encodeEnvelope(createEnvelope(source, product(1, { price: 9 })))),
      binding,
      deps,
    );
    await processDelivery(delivery(encodeEnvelope(createEnvelope(source, product(2)))), binding, deps);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('exposes the delivery scope (key, ttl) to the handler', async () => {
    let scope: ReturnType<typeof currentDelivery>;
    const { binding, deps } = setup(
      {},
      vi.fn(async () => {
        scope = currentDelivery();
      }),
    );
    const envelope = valid();
    await processDelivery(delivery(encodeEnvelope(envelope)), binding, deps);
    expect(scope).toMatchObject({
      idempotencyKey: `search:product-created:${envelope.event_id}`,
      idempotencyTtlMs: 86_400_000,
    });
    expect(currentDelivery()).toBeUndefined();
  });

  it('retries, and does not call the handler, when the idempotency store is unreachable: a counted attempt', async () => {
    const { binding, handler } = setup();
    const broken = {
      kind: 'redis' as const,
      claim: () => Promise.reject(new Error('ECONNREFUSED')),
      commit: vi.fn(),
      release: vi.fn(),
    };
    const body = encodeEnvelope(valid());
    const outcome = await processDelivery(delivery(body, 3), binding, { idempotency: broken });
    expect(outcome).toEqual({ kind: 'retry', delayMs: 4000, error: 'pipeline error: ECONNREFUSED' });
    // maxRetries 3: the fourth failed attempt, store error or not, ends in the dead letter.
    expect(await processDelivery(delivery(body, 4), binding, { idempotency: broken })).toMatchObject({
      kind: 'dead-letter',
      reason: 'retries-exhausted',
      error: 'attempt 4: pipeline error: ECONNREFUSED',
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('gives the claim back when the ordering store is unreachable, so the redelivery is not blocked', async () => {
    const ordering = { keyPointer: '/product_id', sequencePointer: '/sequence', bufferTimeoutMs: 60_000 };
    const { binding, deps, handler } = setup({ ordering, concurrency: 4 });
    const broken = {
      last: () => Promise.reject(new Error('ordering store down')),
      advance: () => Promise.resolve(true),
    };
    const body = encodeEnvelope(createEnvelope(source, product(1, { sequence: 1 })));
    const guard = (store: OrderingStore) => new OrderingGuard(store, { namespace: 'search:product-created' });
    expect(
      await processDelivery(delivery(body), binding, { ...deps, ordering: guard(broken) }),
    ).toMatchObject({
      kind: 'retry',
      error: 'pipeline error: ordering store down',
    });
    expect(
      await processDelivery(delivery(body, 2), binding, {
        ...deps,
        ordering: guard(new MemoryOrderingStore()),
      }),
    ).toEqual({
      kind: 'ack',
    });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('counts consumed, processed, failed and dead-lettered events', async () => {
    let fail = true;
    const { binding, deps } = setup(
      { retry: { ...subscriptionSpec().retry, maxRetries: 0 } },
      vi.fn(async () => {
        if (fail) throw new Error('no');
      }),
    );
    await processDelivery(delivery(encodeEnvelope(valid())), binding, deps);
    fail = false;
    await processDelivery(delivery(encodeEnvelope(valid())), binding, deps);
    await processDelivery(delivery('garbage'), binding, deps);
    const text = await deps.metrics!.registry.metrics();
    const value = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*topic="catalog.product.created"\\} (\\d+)`, 'm').exec(text)?.[1]);
    expect(value('events_consumed_total')).toBe(3);
    expect(value('events_processed_total')).toBe(1);
    expect(value('events_failed_total')).toBe(1);
    expect(value('events_dlq_total')).toBe(2);
    expect(text).toMatch(
      /event_processing_duration_seconds_count\{service="search",topic="catalog.product.created"\} 3/,
    );
  });

  it.each([
    ['says debug is off', false, 0],
    ['says debug is on', true, 1],
    ['cannot say', undefined, 1],
  ])(
    'a logger that %s: the debug line of a handled event is written accordingly; errors always',
    async (_, debug, lines) => {
      const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const withLevels =
        debug === undefined
          ? logger
          : { ...logger, isLevelEnabled: (level: string) => level !== 'debug' || debug };
      const { binding, deps } = setup();
      await processDelivery(delivery(encodeEnvelope(valid())), binding, { ...deps, logger: withLevels });
      await processDelivery(delivery('garbage'), binding, { ...deps, logger: withLevels });
      expect(logger.debug).toHaveBeenCalledTimes(lines);
      if (lines) expect(logger.debug.mock.calls[0]?.[1]).toBe('event handled');
      expect(logger.error).toHaveBeenCalledTimes(1);
    },
  );

  it('counts into the metrics it is given, when one subscription is run with two sets in turn', async () => {
    // The labelled children are looked up once per subscription: per set of metrics, not once for all sets.
    const { binding, deps } = setup();
    const second = { ...deps, metrics: createEventMetrics() };
    await processDelivery(delivery(encodeEnvelope(valid())), binding, deps);
    await processDelivery(delivery(encodeEnvelope(createEnvelope(source, product(2)))), binding, second);
    await processDelivery(delivery(encodeEnvelope(createEnvelope(source, product(3)))), binding, second);
    const consumed = async (metrics: PipelineDeps['metrics']) =>
      Number(/^events_consumed_total\{[^}]*\} (\d+)/m.exec(await metrics!.registry.metrics())?.[1]);
    expect(await consumed(deps.metrics)).toBe(1);
    expect(await consumed(second.metrics)).toBe(2);
  });
});

describe('bind', () => {
  it('fails fast when a declared event type has no validator', () => {
    const spec = subscriptionSpec({ eventTypes: ['catalog.product.created', 'catalog.product.updated'] });
    expect(() => bind(spec, productValidators, async () => {})).toThrow(
      /no validator for: catalog.product.updated/,
    );
  });

  it('fails fast on an unreadable idempotency key expression', () => {
    const spec = subscriptionSpec({ idempotency: { key: 'event_id', ttlMs: 1, store: 'memory' } });
    expect(() => bind(spec, productValidators, async () => {})).toThrow(
      /must start with '\$message.header#'/,
    );
  });
});

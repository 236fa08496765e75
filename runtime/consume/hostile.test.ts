/**
 * Hostile and careless input to the consumer pipeline, whatever the transport: every message reaches a final
 * outcome, nothing a publisher writes escapes the runtime's limits, and personal data stays out of what the
 * runtime writes. The transports' own hostile-input tests (beside each transport) prove the same on the brokers.
 */
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, EventHandler, Runtime } from '../api.ts';
import { VirtualClock } from '../clock.ts';
import { createEnvelope, encodeEnvelope } from '../envelope.ts';
import { MemoryIdempotencyStore } from '../idempotency/memory.ts';
import type { IdempotencyStore } from '../idempotency/store.ts';
import { hashKeyPart } from '../pii.ts';
import { publishEvent } from '../publish.ts';
import type { CompiledValidator, SubscriptionSpec } from '../spec.ts';
import {
  acceptingValidator,
  type ProductCreated,
  product,
  productValidators,
  publicationSpec,
  subscriptionSpec,
  validateProductCreated,
} from '../test/support.ts';
import type { Delivery, Outcome } from '../transport.ts';
import { MemoryTransport } from '../transports/memory.ts';
import { bind } from './bind.ts';
import { startConsumer } from './consumer.ts';
import { type PipelineDeps, processDelivery } from './pipeline.ts';

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '1.0.0' },
};

function delivery(body: Buffer | string, attempt = 1): Delivery {
  return {
    id: '1-0',
    body: Buffer.from(body),
    headers: {},
    attempt,
    source: subscriptionSpec().source,
    address: 'catalog.product.created',
  };
}

function setup(
  overrides: Partial<SubscriptionSpec> = {},
  handler = vi.fn<EventHandler<ProductCreated>>(async () => {}),
  validators: Readonly<Record<string, CompiledValidator<unknown>>> = productValidators,
) {
  const spec = subscriptionSpec(overrides);
  const binding = bind<ProductCreated>(spec, validators, handler);
  const deps: PipelineDeps = { idempotency: new MemoryIdempotencyStore() };
  return { spec, binding, deps, handler };
}

/** The envelope's JSON with one field's JSON text replaced: what a hand-written publisher can send. */
function withRaw(envelope: EventEnvelope<unknown>, placeholder: string, raw: string): string {
  return JSON.stringify(envelope).replace(JSON.stringify(placeholder), raw);
}

const errorOf = (outcome: Outcome) => (outcome.kind === 'ack' ? '' : outcome.error);

describe('hostile input: bodies and values', () => {
  it('dead-letters a body over the envelope limit as too-large, unread', async () => {
    const { binding, deps, handler } = setup();
    const big = encodeEnvelope(createEnvelope(source, product(1, { sku: 'x'.repeat(300_000) })));
    const outcome = await processDelivery(delivery(big), binding, deps);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'too-large' });
    expect(errorOf(outcome)).toMatch(/body is 300\d{3} bytes, over the 262144-byte limit/);
    expect(handler).not.toHaveBeenCalled();
    // A runtime with a larger limit lets it through.
    expect(await processDelivery(delivery(big), binding, { ...deps, maxEnvelopeBytes: 400_000 })).toEqual({
      kind: 'ack',
    });
  });

  it('refuses invalid UTF-8 instead of handing the handler U+FFFD', async () => {
    const { binding, deps, handler } = setup();
    const text = encodeEnvelope(createEnvelope(source, product(1, { sku: 'SKU-@' })));
    const bytes = Buffer.from(text);
    bytes[bytes.indexOf('@')] = 0xff;
    const outcome = await processDelivery(delivery(bytes), binding, deps);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'decode-error' });
    expect(errorOf(outcome)).toMatch(/not valid UTF-8 \(first bad byte at offset \d+\)/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a number that overflows to Infinity, whatever the validator checks', async () => {
    // Compiled as the generator compiled validators before strictNumbers: Infinity passed `type: number`.
    const lax = new Ajv({ strict: false }).compile({
      type: 'object',
      properties: { price: { type: 'number', minimum: 0 } },
    }) as CompiledValidator<unknown>;
    const { binding, deps, handler } = setup({}, undefined, { 'catalog.product.created': lax });
    const body = withRaw(createEnvelope(source, product(1, { sku: 'PRICE' })), 'PRICE', '1e400');
    const outcome = await processDelivery(delivery(body), binding, deps);
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'invalid-payload' });
    expect(errorOf(outcome)).toContain('/data/sku is a number too large for a double');
    // The same without an exponent: four hundred digits.
    const digits = withRaw(
      createEnvelope(source, product(1, { sku: 'PRICE' })),
      'PRICE',
      `1${'0'.repeat(400)}`,
    );
    expect(await processDelivery(delivery(digits), binding, deps)).toMatchObject({
      kind: 'dead-letter',
      reason: 'invalid-payload',
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses idempotency keys from integers beyond 2^53 instead of merging two events into one', async () => {
    const any = acceptingValidator<unknown>();
    const { binding, deps, handler } = setup(
      { idempotency: { key: '$message.payload#/order_no', ttlMs: 60_000, store: 'memory' } },
      undefined,
      { 'catalog.product.created': any },
    );
    const outcomes: Outcome[] = [];
    for (const number of ['9007199254740992', '9007199254740993']) {
      const body = withRaw(createEnvelope(source, { order_no: 'N' }), 'N', number);
      outcomes.push(await processDelivery(delivery(body), binding, deps));
    }
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'invalid-payload' });
      expect(errorOf(outcome)).toMatch(/idempotency key .*order_no .*within ±\(2\^53 − 1\).*as a string/);
    }
    expect(handler).not.toHaveBeenCalled();
    // A safe integer still keys as before.
    const fine = encodeEnvelope(createEnvelope(source, { order_no: 42 }));
    expect(await processDelivery(delivery(fine), binding, deps)).toEqual({ kind: 'ack' });
  });

  it.each([
    ['a 10 KB event_id with NUL', { event_id: `evt-${'a'.repeat(10_000)}\u0000` }, '/event_id'],
    ['an event_id with ESC', { event_id: 'evt-\u001b[31m-1' }, '/event_id'],
    ['an event_id with NUL only', { event_id: 'evt\u00001' }, '/event_id'],
    ['a 1 MB event_type', { event_type: `t.${'y'.repeat(1_000_000)}` }, '/event_type'],
  ])('dead-letters %s as decode-error, with a bounded error', async (_what, fields, pointer) => {
    const { binding, deps, handler } = setup();
    const body = JSON.stringify({ ...createEnvelope(source, product(1)), ...fields });
    const outcome = await processDelivery(delivery(body), binding, { ...deps, maxEnvelopeBytes: 2_000_000 });
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'decode-error' });
    expect(errorOf(outcome)).toContain(pointer);
    expect(errorOf(outcome).length).toBeLessThanOrEqual(1000);
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters a 1 MB correlation id as decode-error', async () => {
    const { binding, deps } = setup();
    const envelope = createEnvelope(source, product(1));
    const body = JSON.stringify({
      ...envelope,
      metadata: { ...envelope.metadata, correlation_id: 'c'.repeat(1_000_000) },
    });
    const outcome = await processDelivery(delivery(Buffer.from(body)), binding, {
      ...deps,
      maxEnvelopeBytes: 2_000_000,
    });
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'decode-error' });
    expect(errorOf(outcome)).toContain('/metadata/correlation_id must be at most 128 characters');
  });

  it('keeps a 10 KB traceparent tail and tracestate out of follow-up events (W3C)', async () => {
    let followUp: EventEnvelope<unknown> | undefined;
    const { binding, deps } = setup(
      {},
      vi.fn<EventHandler<ProductCreated>>(async (_event, context) => {
        followUp = createEnvelope(source, product(2), context.follow);
      }),
    );
    const envelope = createEnvelope(source, product(1));
    const traceparent = `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-${'f'.repeat(10_000)}`;
    const members = Array.from({ length: 60 }, (_, i) => `v${i}=${'x'.repeat(i === 3 ? 200 : 20)}`);
    const body = JSON.stringify({
      ...envelope,
      metadata: { ...envelope.metadata, traceparent, tracestate: members.join(',') },
    });
    expect(await processDelivery(delivery(body), binding, deps)).toEqual({ kind: 'ack' });
    expect(followUp?.metadata.traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(followUp?.metadata.tracestate?.length).toBeLessThanOrEqual(512);
    // At most 32 members, the oversized one dropped first, then from the end down to 512 characters.
    expect(followUp?.metadata.tracestate?.split(',').slice(0, 4)).toEqual([
      `v0=${'x'.repeat(20)}`,
      `v1=${'x'.repeat(20)}`,
      `v2=${'x'.repeat(20)}`,
      `v4=${'x'.repeat(20)}`,
    ]);
  });
});

describe('hostile input: attempts', () => {
  it('a claim held by another consumer is a wait: the retry spends no attempt', async () => {
    const store = new MemoryIdempotencyStore();
    const { binding } = setup();
    const envelope = createEnvelope(source, product(1));
    await store.asOwner().claim(`search:product-created:${envelope.event_id}`, 60_000);
    const outcome = await processDelivery(delivery(encodeEnvelope(envelope)), binding, {
      idempotency: store,
    });
    expect(outcome).toMatchObject({ kind: 'retry', wait: true });
  });

  it('dead-letters, without running the handler, a delivery whose earlier deliveries spent the budget', async () => {
    const { binding, deps, handler } = setup();
    const outcome = await processDelivery(
      delivery(encodeEnvelope(createEnvelope(source, product(1))), 5),
      binding,
      deps,
    );
    expect(outcome).toMatchObject({ kind: 'dead-letter', reason: 'retries-exhausted' });
    expect(errorOf(outcome)).toMatch(/^attempt 5: the retry budget \(maxRetries 3\) was spent/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('a crash, a wait through the whole lease, then one transient failure: handled, not dead-lettered', async () => {
    const clock = new VirtualClock();
    const transport = new MemoryTransport({ clock });
    const idempotency = new MemoryIdempotencyStore({ clock });
    const runtime: Runtime = { service: { name: 'search', version: '1' }, transport, idempotency };
    const attempts: number[] = [];
    const spec = subscriptionSpec({
      idempotency: { key: '$message.payload#/product_id', ttlMs: 60_000, store: 'memory' },
    });
    const binding = bind<ProductCreated>(spec, productValidators, async (_event, context) => {
      attempts.push(context.attempt);
      if (attempts.length === 1) throw new Error('transient');
    });
    const consumer = await startConsumer(runtime, [binding], { clock });
    // The consumer that had the event before was killed mid-handler: its claim lives out its 70 s lease.
    await idempotency.asOwner().claim('search:product-created:p-1', 70_000);
    await publishEvent(runtime, publicationSpec(), validateProductCreated, product(1));
    await transport.drain(2_000);
    await consumer.stop();
    expect(transport.deadLetters).toEqual([]);
    expect(attempts).toEqual([1, 2]);
    const waits = transport.outcomes.filter((o) => o.outcome.kind === 'retry' && o.outcome.wait);
    expect(waits.length).toBeGreaterThan(10);
    expect(new Set(waits.map((o) => o.attempt))).toEqual(new Set([1]));
  });

  it('an unreachable idempotency store spends the budget: dead-lettered after maxRetries + 1 deliveries', async () => {
    const clock = new VirtualClock();
    const transport = new MemoryTransport({ clock });
    const down: IdempotencyStore = {
      kind: 'memory',
      claim: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      commit: () => Promise.reject(new Error('unreachable')),
      release: () => Promise.resolve(),
    };
    const runtime: Runtime = { service: { name: 'search', version: '1' }, transport, idempotency: down };
    const handler = vi.fn(async () => {});
    const consumer = await startConsumer(runtime, [bind(subscriptionSpec(), productValidators, handler)], {
      clock,
    });
    await publishEvent(runtime, publicationSpec(), validateProductCreated, product(1));
    await transport.drain(200);
    await consumer.stop();
    expect(transport.outcomes).toHaveLength(4);
    expect(transport.deadLetters).toMatchObject([
      {
        reason: 'retries-exhausted',
        attempt: 4,
        error: 'attempt 4: pipeline error: ECONNREFUSED 127.0.0.1:6379',
      },
    ]);
    expect(handler).not.toHaveBeenCalled();
  });
});

interface Notification {
  readonly recipient: string;
  readonly otp_code: string;
  readonly template: string;
}

describe('hostile input: personal data', () => {
  const notification = {
    eventType: 'notifications.otp.requested',
    version: '1.0',
    service: { name: 'auth', version: '1' },
  };
  const accepting = acceptingValidator<Notification>();
  const spec = (overrides: Partial<SubscriptionSpec> = {}) =>
    subscriptionSpec({
      name: 'otp-requested',
      service: 'notification',
      eventTypes: ['notifications.otp.requested'],
      pii: { 'notifications.otp.requested': ['/otp_code', '/recipient'] },
      ...overrides,
    });
  const data: Notification = { recipient: 'race.person@example.com', otp_code: '482913', template: 'otp' };

  it('masks the event’s personal data in retry errors and in the dead-letter copy', async () => {
    const binding = bind<Notification>(
      spec(),
      { 'notifications.otp.requested': accepting },
      async (event) => {
        throw new Error(`SMTP 550 mailbox ${event.data.recipient} unavailable (code ${event.data.otp_code})`);
      },
    );
    const deps: PipelineDeps = { idempotency: new MemoryIdempotencyStore() };
    const body = encodeEnvelope(createEnvelope(notification, data));
    const retried = await processDelivery(delivery(body, 1), binding, deps);
    expect(retried).toMatchObject({ kind: 'retry', error: 'SMTP 550 mailbox *** unavailable (code ***)' });
    const dead = await processDelivery(delivery(body, 4), binding, deps);
    expect(dead).toMatchObject({
      kind: 'dead-letter',
      reason: 'retries-exhausted',
      error: 'attempt 4: SMTP 550 mailbox *** unavailable (code ***)',
    });
    if (dead.kind !== 'dead-letter') throw new Error('unreachable');
    expect(dead.masked?.fields).toEqual(['/otp_code', '/recipient']);
    const copy = JSON.parse(String(dead.masked?.body)) as EventEnvelope<Notification>;
    expect(copy.data).toEqual({ recipient: '***', otp_code: '***', template: 'otp' });
    expect(String(dead.masked?.body)).not.toMatch(/race\.person|482913/);
    // Everything but the marked fields is as delivered, so a DLQ reader can still find and trace the event.
    expect({ ...copy, data: undefined }).toEqual({ ...JSON.parse(String(body)), data: undefined });
    // 'keep' leaves the body alone (the error text is still masked).
    const kept = await processDelivery(delivery(body, 4), binding, { ...deps, deadLetterPii: 'keep' });
    expect(kept).toMatchObject({ kind: 'dead-letter', error: expect.stringContaining('mailbox ***') });
    expect(kept.kind === 'dead-letter' ? kept.masked : 'not a dead letter').toBeUndefined();
  });

  it('masks what was delivered, even when the handler changed the payload before it failed', async () => {
    const binding = bind<Notification>(
      spec(),
      { 'notifications.otp.requested': accepting },
      async (event) => {
        const address = event.data.recipient;
        (event.data as { recipient?: string }).recipient = undefined;
        throw new Error(`no mailbox ${address}`);
      },
    );
    const body = encodeEnvelope(createEnvelope(notification, data));
    const dead = await processDelivery(delivery(body, 4), binding, {
      idempotency: new MemoryIdempotencyStore(),
    });
    expect(dead).toMatchObject({ kind: 'dead-letter', error: 'attempt 4: no mailbox ***' });
    const copy = dead.kind === 'dead-letter' ? JSON.parse(String(dead.masked?.body)) : undefined;
    expect(copy?.data).toEqual({ recipient: '***', otp_code: '***', template: 'otp' });
  });

  it('hashes an idempotency key read from a personal-data field', async () => {
    const store = new MemoryIdempotencyStore();
    const claim = vi.spyOn(store, 'claim');
    const binding = bind<Notification>(
      spec({ idempotency: { key: '$message.payload#/recipient', ttlMs: 60_000, store: 'memory' } }),
      { 'notifications.otp.requested': accepting },
      async () => {},
    );
    const body = encodeEnvelope(createEnvelope(notification, data));
    expect(await processDelivery(delivery(body), binding, { idempotency: store })).toEqual({ kind: 'ack' });
    const key = claim.mock.calls[0]?.[0] ?? '';
    expect(key).toMatch(/^notification:otp-requested:sha256:[A-Za-z0-9_-]{43}$/);
    // The same address keys the same: a second event for it is a duplicate.
    const again = encodeEnvelope(createEnvelope(notification, { ...data, otp_code: '000111' }));
    expect(await processDelivery(delivery(again), binding, { idempotency: store })).toEqual({ kind: 'ack' });
    expect(claim.mock.calls[1]?.[0]).toBe(key);
    // A concurrent claim's retry error names the hashed key, never the address.
    const address = 'other.person@example.com';
    await store.asOwner().claim(`notification:otp-requested:${hashKeyPart(address)}`, 60_000);
    const fresh = encodeEnvelope(createEnvelope(notification, { ...data, recipient: address }));
    const waited = await processDelivery(delivery(fresh), binding, { idempotency: store });
    expect(waited).toMatchObject({ kind: 'retry', wait: true });
    expect(errorOf(waited)).toContain(`(notification:otp-requested:${hashKeyPart(address)})`);
    expect(errorOf(waited)).not.toContain('other.person');
  });
});

import { describe, expect, it } from 'vitest';
import type { Runtime } from './api.ts';
import { EnvelopeTooLargeError, MissingParameterError, PayloadValidationError } from './errors.ts';
import { MemoryIdempotencyStore } from './idempotency/memory.ts';
import { createEventMetrics } from './metrics.ts';
import { DEFAULT_MAX_ENVELOPE_BYTES, prepareEvent, publishEvent } from './publish.ts';
import type { PublicationSpec } from './spec.ts';
import {
  decodeBody,
  type ProductCreated,
  product,
  publicationSpec,
  validateProductCreated,
} from './test/support.ts';
import { MemoryTransport } from './transports/memory.ts';

function runtimeWith(overrides: Partial<Runtime> = {}): Runtime & { transport: MemoryTransport } {
  return {
    service: { name: 'catalog', version: '1.4.0' },
    transport: new MemoryTransport(),
    idempotency: new MemoryIdempotencyStore(),
    metrics: createEventMetrics(),
    env: {},
    ...overrides,
  } as Runtime & { transport: MemoryTransport };
}

async function metricValue(runtime: Runtime, name: string, topic: string): Promise<number> {
  const metric = await runtime.metrics!.registry.getSingleMetric(name)!.get();
  return metric.values.find((value) => value.labels.topic === topic && !('le' in value.labels))?.value ?? 0;
}

describe('publishEvent', () => {
  it('sends one envelope with headers, content type and ordering key, and returns it', async () => {
    const runtime = runtimeWith();
    const spec = publicationSpec({ orderingKeyPointer: '/product_id' });
    const envelope = await publishEvent(runtime, spec, validateProductCreated, product(1), {
      correlationId: 'c-1',
    });
    const [message] = runtime.transport.published;
    expect(runtime.transport.published).toHaveLength(1);
    expect(message).toMatchObject({
      destination: spec.destination,
      eventId: envelope.event_id,
      eventType: 'catalog.product.created',
      contentType: 'application/json',
      orderingKey: 'p-1',
      headers: {
        event_id: envelope.event_id,
        correlation_id: 'c-1',
        traceparent: envelope.metadata.traceparent,
      },
    });
    expect(decodeBody(message!.body)).toEqual(envelope);
    expect(envelope.metadata).toMatchObject({ service: 'catalog', version: '1.4.0' });
    expect(await metricValue(runtime, 'events_published_total', 'catalog.product.created')).toBe(1);
  });

  it('refuses an invalid payload with the failing fields, and sends nothing', async () => {
    const runtime = runtimeWith();
    const bad = { product_id: 'p', price: -1 } as unknown as ProductCreated;
    const error = await publishEvent(runtime, publicationSpec(), validateProductCreated, bad).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).fields).toEqual(expect.arrayContaining(['/sku', '/price']));
    expect((error as Error).message).toContain('/price must be >= 0');
    expect(runtime.transport.published).toHaveLength(0);
    expect(await metricValue(runtime, 'events_published_failed_total', 'catalog.product.created')).toBe(1);
  });

  it('fills channel parameters and refuses a missing one', async () => {
    const runtime = runtimeWith();
    const spec = publicationSpec({
      destination: { kind: 'topic', pubsub: 'pubsub', topic: 'catalog.{region}.product.created' },
      parameters: ['region'],
    });
    await publishEvent(runtime, spec, validateProductCreated, product(1), { parameters: { region: 'eu' } });
    expect(runtime.transport.published[0]!.destination).toMatchObject({
      topic: 'catalog.eu.product.created',
    });
    await expect(publishEvent(runtime, spec, validateProductCreated, product(2))).rejects.toBeInstanceOf(
      MissingParameterError,
    );
    expect(runtime.transport.published).toHaveLength(1);
  });

  it('refuses envelopes over the limit (256 KiB by default) and accepts one just under it', async () => {
    expect(DEFAULT_MAX_ENVELOPE_BYTES).toBe(262_144);
    const runtime = runtimeWith();
    const big = product(1, { sku: 'x'.repeat(DEFAULT_MAX_ENVELOPE_BYTES) });
    await expect(
      publishEvent(runtime, publicationSpec(), validateProductCreated, big),
    ).rejects.toBeInstanceOf(EnvelopeTooLargeError);
    const small = runtimeWith({ maxEnvelopeBytes: 2000 });
    const probe = await publishEvent(small, publicationSpec(), validateProductCreated, product(1));
    const overhead = small.transport.published[0]!.body.length - 'SKU-1'.length;
    const fits = product(1, { sku: 'y'.repeat(2000 - overhead) });
    await publishEvent(small, publicationSpec(), validateProductCreated, fits);
    expect(small.transport.published.at(-1)!.body.length).toBeLessThanOrEqual(2000);
    const over = product(1, { sku: 'y'.repeat(2000 - overhead + 40) });
    await expect(publishEvent(small, publicationSpec(), validateProductCreated, over)).rejects.toThrow(
      /over the 2000-byte/,
    );
    expect(probe.event_id).toBeTruthy();
  });

  it('counts the limit in UTF-8 bytes: multi-byte characters under it in characters, over it in bytes', async () => {
    const small = runtimeWith({ maxEnvelopeBytes: 2000 });
    await publishEvent(small, publicationSpec(), validateProductCreated, product(1));
    const overhead = small.transport.published[0]!.body.length - 'SKU-1'.length;
    // '中' is 3 bytes in UTF-8: the envelope below holds fewer than 2000 characters but more than 2000 bytes.
    const wide = product(1, { sku: '中'.repeat(Math.ceil((2000 - overhead) / 3) + 1) });
    await expect(publishEvent(small, publicationSpec(), validateProductCreated, wide)).rejects.toThrow(
      /over the 2000-byte/,
    );
    const fits = product(1, { sku: '中'.repeat(Math.floor((2000 - overhead) / 3)) });
    await publishEvent(small, publicationSpec(), validateProductCreated, fits);
    expect(small.transport.published.at(-1)!.body.length).toBeLessThanOrEqual(2000);
  });

  describe('dual publishing', () => {
    const spec: PublicationSpec = publicationSpec({
      destination: {
        kind: 'amqp',
        exchange: 'smap.events',
        exchangeType: 'topic',
        routingKey: 'email.verification.requested',
        vhost: 'identity',
      },
      dualPublish: {
        exchange: 'smtp_send_email_exc',
        exchangeType: 'fanout',
        envSwitch: 'ENABLE_DUAL_PUBLISH',
        defaultOn: true,
      },
    });

    it.each([
      [{ ENABLE_DUAL_PUBLISH: 'true' }, true, 2],
      [{ ENABLE_DUAL_PUBLISH: 'false' }, true, 1],
      [{ ENABLE_DUAL_PUBLISH: 'yes' }, true, 1],
      [{}, true, 2],
      [{}, false, 1],
      [{ ENABLE_DUAL_PUBLISH: 'true' }, false, 2],
    ])('env %j with defaultOn %s sends %i message(s)', async (env, defaultOn, count) => {
      const runtime = runtimeWith({ env });
      const withDefault = { ...spec, dualPublish: { ...spec.dualPublish!, defaultOn } };
      await publishEvent(runtime, withDefault, validateProductCreated, product(1));
      expect(runtime.transport.published).toHaveLength(count);
      if (count === 2) {
        const [primary, legacy] = runtime.transport.published;
        expect(legacy!.destination).toEqual({
          kind: 'amqp',
          exchange: 'smtp_send_email_exc',
          exchangeType: 'fanout',
          routingKey: 'email.verification.requested',
          vhost: 'identity',
        });
        expect(legacy!.body).toBe(primary!.body);
        expect(
          await metricValue(
            runtime,
            'events_published_total',
            'smtp_send_email_exc/email.verification.requested',
          ),
        ).toBe(1);
      }
    });

    it('reads process.env when the runtime has no env', async () => {
      const runtime = runtimeWith({ env: undefined });
      process.env.EVENTWIRE_TEST_DUAL = 'false';
      const local = { ...spec, dualPublish: { ...spec.dualPublish!, envSwitch: 'EVENTWIRE_TEST_DUAL' } };
      await publishEvent(runtime, local, validateProductCreated, product(1));
      delete process.env.EVENTWIRE_TEST_DUAL;
      expect(runtime.transport.published).toHaveLength(1);
    });
  });

  it('builds the body on first read, through one accessor shared by every message (one hidden class for all)', () => {
    const runtime = runtimeWith();
    const [first] = prepareEvent(runtime, publicationSpec(), validateProductCreated, product(1)).messages;
    const [second] = prepareEvent(runtime, publicationSpec(), validateProductCreated, product(2)).messages;
    const accessor = (message: object) => Object.getOwnPropertyDescriptor(message, 'body');
    // A getter written in an object literal is a new closure per message, and V8 gives each such object a
    // hidden class of its own: ~3 µs of CPU per event, most of it garbage collection.
    expect(accessor(first!)?.get).toBeTypeOf('function');
    expect(accessor(second!)?.get).toBe(accessor(first!)?.get);
    expect(accessor(first!)?.enumerable).toBe(true);
    // Still the envelope's bytes, and still copied by a spread, as transports and the dual-publish copy do.
    const copy = { ...first! };
    expect(JSON.parse(copy.body.toString())).toMatchObject({ event_id: first!.eventId, data: product(1) });
  });

  it('propagates broker failures and counts them', async () => {
    const runtime = runtimeWith({
      transport: new MemoryTransport({ faults: { publish: () => ({ kind: 'fail-publish' }) } }),
    });
    await expect(
      publishEvent(runtime, publicationSpec(), validateProductCreated, product(1)),
    ).rejects.toThrow(/injected/);
    expect(await metricValue(runtime, 'events_published_failed_total', 'catalog.product.created')).toBe(1);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './api.ts';
import { fromCloudEvent, toCloudEvent } from './cloudevents.ts';
import {
  createEnvelope,
  encodeCreatedEnvelopeParts,
  encodeEnvelope,
  encodeEnvelopeParts,
} from './envelope.ts';
import type { OutgoingMessage } from './transport.ts';
import { asCloudEventMessage } from './transports/dapr/cloudevent-body.ts';
import { EnvelopeDecodeError } from './errors.ts';

// Envelope fields within the limits a consumer accepts (runtime/limits.ts, W3C trace context).
const nonEmpty = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
const traceparent = fc
  .tuple(hex(32), hex(16), fc.constantFrom('00', '01'))
  .filter(([trace, span]) => /[1-9a-f]/.test(trace) && /[1-9a-f]/.test(span))
  .map(([trace, span, flags]) => `00-${trace}-${span}-${flags}`);
const tracestate = fc
  .array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.stringMatching(/^[a-zA-Z0-9]{1,12}$/)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((members) => [...new Map(members)].map(([key, value]) => `${key}=${value}`).join(','));
const envelopeArbitrary: fc.Arbitrary<EventEnvelope<unknown>> = fc.record({
  event_id: fc.uuid(),
  event_type: nonEmpty,
  timestamp: fc
    .date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2200-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  version: nonEmpty,
  // Any Unicode in the payload: the encodings count UTF-8 bytes, not characters.
  data: fc.jsonValue({ stringUnit: 'binary' }),
  metadata: fc.record(
    {
      correlation_id: nonEmpty,
      causation_id: nonEmpty,
      service: nonEmpty,
      version: nonEmpty,
      traceparent,
      tracestate,
    },
    { requiredKeys: ['correlation_id', 'service', 'version', 'traceparent'] },
  ),
});

describe('CloudEvents mapping', () => {
  it('maps every envelope field to the exact attribute', () => {
    const envelope = createEnvelope(
      {
        eventType: 'catalog.product.created',
        version: '1.0',
        service: { name: 'catalog', version: '2.0.0' },
      },
      { sku: 'A' },
      {
        correlationId: 'corr',
        tracestate: 'v=1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    );
    const parent = { ...envelope, event_id: 'parent-id' };
    const child = { ...envelope, metadata: { ...envelope.metadata, causation_id: parent.event_id } };
    expect(toCloudEvent(child)).toEqual({
      specversion: '1.0',
      id: child.event_id,
      type: 'catalog.product.created',
      source: 'catalog',
      time: child.timestamp,
      datacontenttype: 'application/json',
      data: { sku: 'A' },
      correlationid: 'corr',
      causationid: 'parent-id',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'v=1',
      dataschemaversion: '1.0',
      serviceversion: '2.0.0',
    });
  });

  it('uses only lower-case alphanumeric extension attribute names', () => {
    const event = toCloudEvent(
      createEnvelope({ eventType: 't', version: '1', service: { name: 's', version: '1' } }, {}),
    );
    for (const name of Object.keys(event)) expect(name).toMatch(/^[a-z0-9]+$/);
  });

  it('round-trips losslessly, also through JSON and with Dapr-added attributes (property)', () => {
    fc.assert(
      fc.property(envelopeArbitrary, (envelope) => {
        const normalised = JSON.parse(JSON.stringify(envelope)) as EventEnvelope<unknown>;
        expect(fromCloudEvent(toCloudEvent(normalised))).toEqual(normalised);
        const wire = JSON.parse(
          JSON.stringify({ ...toCloudEvent(envelope), topic: 't', pubsubname: 'p', traceid: 'x' }),
        );
        expect(fromCloudEvent(wire)).toEqual(normalised);
      }),
      { numRuns: 300 },
    );
  });

  it('reads data_base64 and rejects non-1.0 events with a typed error', () => {
    const envelope = createEnvelope(
      { eventType: 't', version: '1', service: { name: 's', version: '1' } },
      { a: 1 },
    );
    const { data: _data, ...rest } = toCloudEvent(envelope);
    const base64 = { ...rest, data_base64: Buffer.from(JSON.stringify({ a: 1 })).toString('base64') };
    expect(fromCloudEvent(base64)).toEqual(envelope);
    expect(() => fromCloudEvent({ ...toCloudEvent(envelope), specversion: '0.3' })).toThrow(
      EnvelopeDecodeError,
    );
    expect(() => fromCloudEvent({ ...toCloudEvent(envelope), source: undefined })).toThrow(/service/);
  });

  it('reads a plain CloudEvent from an ordinary Dapr publisher, deriving what the envelope needs', () => {
    // What daprd stores for `dapr publish --data '{"sku":"A"}'` from another app (pubsub/envelope.go).
    const plain = {
      specversion: '1.0',
      id: '5929aaac-a5e2-4ca1-859c-edfe73f11565',
      source: 'checkout',
      type: 'com.dapr.event.sent',
      datacontenttype: 'application/json',
      data: { sku: 'A' },
      topic: 'orders',
      pubsubname: 'pubsub',
      time: '2026-12-07T10:00:00Z',
      traceid: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: '',
    };
    expect(fromCloudEvent(plain)).toEqual({
      event_id: plain.id,
      event_type: 'com.dapr.event.sent',
      timestamp: '2026-12-07T10:00:00Z',
      version: 'unversioned',
      data: { sku: 'A' },
      metadata: {
        correlation_id: plain.id,
        service: 'checkout',
        version: 'unknown',
        traceparent: plain.traceparent,
      },
    });
    // daprd without tracing writes '' for both; Dapr's legacy traceid stands in for a missing traceparent.
    expect(fromCloudEvent({ ...plain, traceparent: '', traceid: '' }).metadata.traceparent).toBeUndefined();
    const { traceparent: _traceparent, ...legacy } = plain;
    expect(fromCloudEvent(legacy).metadata.traceparent).toBe(plain.traceid);
  });
});

describe('one encoding of the payload for the envelope and its CloudEvent', () => {
  const message = (envelope: EventEnvelope<unknown>, fast: boolean): OutgoingMessage => {
    const parts = encodeEnvelopeParts(envelope);
    return {
      destination: { kind: 'topic', pubsub: 'pubsub', topic: 'orders' },
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: fast ? parts.body : encodeEnvelope(envelope),
      contentType: 'application/json',
      headers: {},
      ...(fast && parts.dataJson !== undefined
        ? { encodedFrom: { envelope, dataJson: parts.dataJson } }
        : {}),
    };
  };

  it('writes the bytes of encodeEnvelope, and the CloudEvent the body parsed back gives', () => {
    fc.assert(
      fc.property(envelopeArbitrary, (envelope) => {
        const parts = encodeEnvelopeParts(envelope);
        expect(parts.body.toString()).toBe(encodeEnvelope(envelope).toString());
        expect(parts.byteLength).toBe(encodeEnvelope(envelope).length);
        const fast = asCloudEventMessage(message(envelope, true));
        const parsed = asCloudEventMessage(message(envelope, false));
        expect(fast.body.toString()).toBe(parsed.body.toString());
        expect(fast.contentType).toBe(parsed.contentType);
        expect('encodedFrom' in fast).toBe(false);
      }),
    );
  });

  it('writes an envelope createEnvelope made member by member, byte for byte encodeEnvelope (property)', () => {
    const options = fc.record(
      {
        correlationId: nonEmpty,
        traceparent,
        tracestate,
        causedBy: envelopeArbitrary,
      },
      { requiredKeys: [] },
    );
    const source = fc.record({
      eventType: nonEmpty,
      version: nonEmpty,
      service: fc.record({ name: nonEmpty, version: nonEmpty }),
    });
    const check = (envelope: EventEnvelope<unknown>) => {
      const parts = encodeCreatedEnvelopeParts(envelope);
      const expected = encodeEnvelope(envelope);
      expect(parts.body.toString()).toBe(expected.toString());
      expect(parts.byteLength).toBe(expected.length);
      expect(parts.maxByteLength).toBeGreaterThanOrEqual(expected.length);
    };
    fc.assert(
      fc.property(source, fc.jsonValue({ stringUnit: 'binary' }), options, (from, data, given) =>
        check(createEnvelope(from, data, given)),
      ),
    );
    // The arbitrary envelopes have createEnvelope's member order, and any Unicode in their payload.
    fc.assert(fc.property(envelopeArbitrary, check));
  });

  it('never reads the envelope body of an event the runtime encoded', () => {
    const envelope = createEnvelope(
      { eventType: 'catalog.product.created', version: '1.0', service: { name: 'catalog', version: '2' } },
      { sku: 'A' },
    );
    const encoded = message(envelope, true);
    const sent = asCloudEventMessage({
      ...encoded,
      get body(): Buffer {
        throw new Error('the envelope body was built');
      },
    });
    expect(JSON.parse(sent.body.toString())).toMatchObject({ id: envelope.event_id, data: { sku: 'A' } });
  });

  it('keeps the payload as it was validated when the caller changes its object afterwards', () => {
    const data = { sku: 'A', quantity: 1 };
    const envelope = createEnvelope(
      { eventType: 'catalog.product.created', version: '1.0', service: { name: 'catalog', version: '2' } },
      data,
    );
    const sent = message(envelope, true);
    data.quantity = 99;
    const cloudEvent = JSON.parse(asCloudEventMessage(sent).body.toString()) as { data: unknown };
    expect(cloudEvent.data).toEqual({ sku: 'A', quantity: 1 });
  });
});

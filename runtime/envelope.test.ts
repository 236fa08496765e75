import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelope, decodeEnvelope, encodeEnvelope, parseJson } from './envelope.ts';
import { EnvelopeDecodeError } from './errors.ts';
import { installTestOpenTelemetry } from './test/otel.ts';
import { isValidTraceparent, traceIdOf } from './trace-context.ts';
import { isUuidV7, uuidv7Time } from './uuid.ts';

const source = {
  eventType: 'catalog.product.created',
  version: '1.0',
  service: { name: 'catalog', version: '2.3.1' },
};
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('createEnvelope', () => {
  it('fills ids, UTC ISO timestamp, versions and service', () => {
    const envelope = createEnvelope(source, { sku: 'A' });
    expect(isUuidV7(envelope.event_id)).toBe(true);
    expect(envelope.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(envelope.timestamp)).toBe(uuidv7Time(envelope.event_id));
    expect(envelope).toMatchObject({
      event_type: 'catalog.product.created',
      version: '1.0',
      data: { sku: 'A' },
    });
    expect(envelope.metadata).toMatchObject({ service: 'catalog', version: '2.3.1' });
    expect(isUuidV7(envelope.metadata.correlation_id)).toBe(true);
    expect(envelope.metadata.causation_id).toBeUndefined();
    expect(isValidTraceparent(envelope.metadata.traceparent)).toBe(true);
  });

  it('starts a new trace and correlation per root event', () => {
    const a = createEnvelope(source, {});
    const b = createEnvelope(source, {});
    expect(a.metadata.correlation_id).not.toBe(b.metadata.correlation_id);
    expect(traceIdOf(a.metadata.traceparent!)).not.toBe(traceIdOf(b.metadata.traceparent!));
  });

  it('inherits correlation and trace from causedBy and sets causation_id', () => {
    const parent = createEnvelope(source, {}, { traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    const child = createEnvelope(source, {}, { causedBy: parent });
    expect(child.metadata.correlation_id).toBe(parent.metadata.correlation_id);
    expect(child.metadata.causation_id).toBe(parent.event_id);
    expect(child.metadata.traceparent).toBe(TRACEPARENT);
    expect(child.metadata.tracestate).toBe('vendor=1');
  });

  it('prefers explicit options over causedBy', () => {
    const parent = createEnvelope(source, {});
    const other = '00-11111111111111111111111111111111-2222222222222222-00';
    const child = createEnvelope(
      source,
      {},
      { causedBy: parent, correlationId: 'corr-1', traceparent: other },
    );
    expect(child.metadata.correlation_id).toBe('corr-1');
    expect(child.metadata.traceparent).toBe(other);
    expect(child.metadata.tracestate).toBeUndefined();
  });

  it('ignores an invalid traceparent (W3C: restart the trace)', () => {
    const envelope = createEnvelope(
      source,
      {},
      { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    );
    expect(isValidTraceparent(envelope.metadata.traceparent)).toBe(true);
    expect(traceIdOf(envelope.metadata.traceparent!)).not.toBe('0'.repeat(32));
  });

  describe('with an active OpenTelemetry span', () => {
    let uninstall: () => void;
    beforeAll(() => {
      uninstall = installTestOpenTelemetry();
    });
    afterAll(() => uninstall());

    it('takes traceparent and tracestate from the active span context, before causedBy', () => {
      const parent = createEnvelope(source, {}, { traceparent: TRACEPARENT });
      const spanContext = {
        traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        spanId: 'bbbbbbbbbbbbbbbb',
        traceFlags: TraceFlags.SAMPLED,
        traceState: {
          serialize: () => 'congo=t61rcWkgMzE',
          get: () => undefined,
          set() {
            return this;
          },
          unset() {
            return this;
          },
        },
      };
      const active = trace.setSpanContext(ROOT_CONTEXT, spanContext);
      const child = context.with(active, () => createEnvelope(source, {}, { causedBy: parent }));
      expect(child.metadata.traceparent).toBe('00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01');
      expect(child.metadata.tracestate).toBe('congo=t61rcWkgMzE');
      expect(child.metadata.correlation_id).toBe(parent.metadata.correlation_id);
    });
  });
});

describe('encode/decode', () => {
  it('round-trips an envelope', () => {
    const envelope = createEnvelope(source, { nested: { list: [1, 'two', null] } }, { tracestate: 'x=1' });
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it.each([
    ['not json', '{', ''],
    ['array body', '[]', ''],
    [
      'missing event_id',
      JSON.stringify({
        event_type: 't',
        timestamp: '2030-01-01T00:00:00Z',
        version: '1',
        data: {},
        metadata: {},
      }),
      '/event_id',
    ],
    [
      'bad timestamp',
      JSON.stringify({
        event_id: 'e',
        event_type: 't',
        timestamp: 'yesterday',
        version: '1',
        data: {},
        metadata: { correlation_id: 'c', service: 's', version: '1' },
      }),
      '/timestamp',
    ],
    [
      'missing metadata.service',
      JSON.stringify({
        event_id: 'e',
        event_type: 't',
        timestamp: '2030-01-01T00:00:00Z',
        version: '1',
        data: {},
        metadata: { correlation_id: 'c', version: '1' },
      }),
      '/metadata/service',
    ],
    [
      'missing data',
      JSON.stringify({
        event_id: 'e',
        event_type: 't',
        timestamp: '2030-01-01T00:00:00Z',
        version: '1',
        metadata: { correlation_id: 'c', service: 's', version: '1' },
      }),
      '/data',
    ],
  ])('rejects %s with a typed error and the field pointer', (_, body, pointer) => {
    let caught: unknown;
    try {
      decodeEnvelope(Buffer.from(body as string));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvelopeDecodeError);
    expect((caught as EnvelopeDecodeError).pointer).toBe(pointer);
  });
});

describe('numbers a double cannot hold', () => {
  it.each([
    ['{"a":1e400}', '/a'],
    ['{"a": [2, -1.5E+400]}', '/a/1'],
    ['[1e400]', '/0'],
    ['{"a":\n\t1e400}', '/a'],
    ['{"id":"5e123","b":-0.5e0400}', '/b'],
    [`{"a":{"b":1${'0'.repeat(400)}}}`, '/a/b'],
  ])('refuses %s at its pointer', (text, pointer) => {
    expect(() => parseJson(text)).toThrow(EnvelopeDecodeError);
    try {
      parseJson(text);
    } catch (error) {
      expect((error as EnvelopeDecodeError).pointer).toBe(pointer);
    }
  });

  it('reads exponent-looking text inside strings, and small or negative exponents, as they are', () => {
    expect(parseJson('{"id":"5e123abc","trace":"00-9e999","n":1e-400,"m":2e99}')).toEqual({
      id: '5e123abc',
      trace: '00-9e999',
      n: 0,
      m: 2e99,
    });
  });
});

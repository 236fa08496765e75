import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../runtime/envelope.ts';
import { accepted, amqpRequest, base64, daprRequest, requestsFor } from '../lib/requests.ts';
import { readSettings } from '../lib/settings.ts';
import type { Envelope, Publication } from '../lib/types.ts';

const envelope: Envelope = {
  event_id: '019c0e9a-2c80-7000-8000-000000000001',
  event_type: 'email.verification.requested',
  timestamp: '2026-01-30T10:30:00.000Z',
  version: '1.0',
  data: { to: 'x' },
  metadata: { correlation_id: 'c-1', service: 'identity', version: '1.0.0' },
};
const settings = readSettings({});

describe('daprRequest', () => {
  it('posts a structured CloudEvent to the sidecar publish API, names escaped', () => {
    const request = daprRequest(settings, 'pub sub', 'a/b', envelope);
    expect(request.url).toBe('http://127.0.0.1:3500/v1.0/publish/pub%20sub/a%2Fb');
    expect(request.headers).toEqual({ 'Content-Type': 'application/cloudevents+json' });
    expect(JSON.parse(request.body)).toMatchObject({
      specversion: '1.0',
      id: envelope.event_id,
      source: 'identity',
    });
  });

  it('passes the API token and an ordering key as partitionKey metadata', () => {
    const request = daprRequest(
      readSettings({ DAPR_API_TOKEN: 't0k', DAPR_HTTP_PORT: '3600' }),
      'p',
      't',
      envelope,
      'k 1',
    );
    expect(request.url).toBe('http://127.0.0.1:3600/v1.0/publish/p/t?metadata.partitionKey=k%201');
    expect(request.headers['dapr-api-token']).toBe('t0k');
  });
});

describe('amqpRequest', () => {
  it("uses the management API's publish endpoint with the runtime's message properties", () => {
    const target = { vhost: '/', exchange: 'smap.events', routingKey: 'email.verification.requested' };
    const request = amqpRequest(settings, target, envelope, 'key-1');
    expect(request.url).toBe('http://127.0.0.1:15672/api/exchanges/%2F/smap.events/publish');
    expect(request.headers.Authorization).toBe(`Basic ${Buffer.from('guest:guest').toString('base64')}`);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ routing_key: target.routingKey, payload_encoding: 'string' });
    expect(body.properties).toEqual({
      delivery_mode: 2,
      message_id: envelope.event_id,
      type: envelope.event_type,
      content_type: 'application/json',
      timestamp: Date.parse(envelope.timestamp) / 1000,
      headers: {
        event_id: envelope.event_id,
        event_type: envelope.event_type,
        correlation_id: 'c-1',
        'x-eventwire-ordering-key': 'key-1',
      },
    });
    expect(parseEnvelope(JSON.parse(body.payload))).toEqual(envelope);
  });

  it.each(['', 'a', 'ab', 'abc', 'guest:guest', 'ünïcødé:pässwörd', '€'])(
    'base64(%j) matches Node',
    (text) => {
      expect(base64(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
    },
  );
});

describe('requestsFor and dual publishing', () => {
  const amqpPublication = (defaultOn: boolean): Publication => ({
    operation: 'op',
    service: { name: 'identity', version: '1.0.0' },
    destination: {
      kind: 'amqp',
      exchange: 'smap.events',
      exchangeType: 'topic',
      routingKey: 'email.x',
      vhost: 'smap',
    },
    events: [],
    dualPublish: { exchange: 'legacy', exchangeType: 'fanout', envSwitch: 'DUAL', defaultOn },
  });

  it.each([
    [true, undefined, 2],
    [true, 'true', 2],
    [true, 'false', 1],
    [false, undefined, 1],
    [false, 'true', 2],
    [false, 'yes', 1],
  ])('default %s, DUAL=%s -> %d requests', (defaultOn, value, count) => {
    const requests = requestsFor(settings, { DUAL: value }, amqpPublication(defaultOn), envelope);
    expect(requests).toHaveLength(count);
    expect(requests[0]?.url).toContain('/api/exchanges/smap/smap.events/publish');
    if (count === 2) expect(requests[1]?.url).toContain('/api/exchanges/smap/legacy/publish');
  });
});

describe('accepted', () => {
  it.each([
    ['dapr-204', 204, null, true],
    ['dapr-204', 200, null, false],
    ['dapr-204', 500, 'boom', false],
    ['rabbitmq-routed', 200, '{"routed":true}', true],
    ['rabbitmq-routed', 200, '{"routed":false}', false],
    ['rabbitmq-routed', 200, 'not json', false],
    ['rabbitmq-routed', 401, '{"routed":true}', false],
  ] as const)('%s, status %d, body %j -> %s', (expect_, status, body, ok) => {
    expect(accepted(expect_, status, body)).toBe(ok);
  });
});

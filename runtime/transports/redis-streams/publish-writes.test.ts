/**
 * Publishes issued together leave in one socket write (publisher.ts, coalesceWrites): the per-XADD write was a
 * fifth of the publish path's CPU at 20,000 events/s. Against the real Redis.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope, encodeEnvelopeParts } from '../../envelope.ts';
import { envelopeHeaders } from '../../headers.ts';
import type { OutgoingMessage } from '../../transport.ts';
import { asCloudEventMessage } from '../dapr/cloudevent-body.ts';
import { message, redisFixture, redisUrl, uniqueName } from './test-support.ts';

const fixture = redisFixture();
const client = new Redis(redisUrl);
afterEach(() => fixture.cleanup());
afterAll(async () => {
  client.disconnect();
  await fixture.close();
});

/** Every write the socket hands to the OS: one buffer (`_write`) or several at once (`_writev`, after a cork). */
function countWrites(stream: Redis['stream']) {
  const socket = stream as unknown as { _write: () => void; _writev: () => void };
  const writes = vi.spyOn(socket, '_write');
  const writevs = vi.spyOn(socket, '_writev');
  return {
    get total() {
      return writes.mock.calls.length + writevs.mock.calls.length;
    },
    restore() {
      writes.mockRestore();
      writevs.mockRestore();
    },
  };
}

describe('Redis Streams publishing: writes', () => {
  it('sends publishes issued in one synchronous run in one write, each appended, in order', async () => {
    const topic = uniqueName('coalesced');
    fixture.track(topic);
    await client.ping();
    const transport = fixture.transport({ client });
    const writes = countWrites(client.stream);
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => transport.publish([message(topic, i)])));
      expect(writes.total).toBe(1);
    } finally {
      writes.restore();
    }
    const entries = await fixture.raw.xrange(topic, '-', '+');
    expect(entries.map(([, fields]) => JSON.parse(fields[1]!).data)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ index: i })),
    );
  });

  it('writes a lone publish at once', async () => {
    const topic = uniqueName('lone');
    fixture.track(topic);
    await client.ping();
    const transport = fixture.transport({ client });
    const writes = countWrites(client.stream);
    try {
      await transport.publish([message(topic, 0)]);
      await transport.publish([message(topic, 1)]);
      expect(writes.total).toBe(2);
    } finally {
      writes.restore();
    }
    expect(await fixture.raw.xlen(topic)).toBe(2);
  });

  it("hands the client an encoded event's CloudEvent as text, the bytes asCloudEventMessage writes", async () => {
    const topic = uniqueName('text');
    fixture.track(topic);
    await client.ping();
    const transport = fixture.transport({ client });
    const envelope = createEnvelope(
      { eventType: 'test.thing.happened', version: '1.0', service: { name: 'test', version: '1' } },
      { name: 'Zoë', index: 1 },
    );
    const parts = encodeEnvelopeParts(envelope);
    const encoded: OutgoingMessage = {
      destination: { kind: 'topic', pubsub: 'pubsub', topic },
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: parts.body,
      contentType: 'application/json',
      headers: envelopeHeaders(envelope),
      encodedFrom: { envelope, dataJson: parts.dataJson! },
    };
    const calls = vi.spyOn(client, 'call');
    try {
      await transport.publish([encoded]);
      const args = calls.mock.calls[0]!.slice(1) as unknown[];
      expect(typeof args[args.indexOf('data') + 1]).toBe('string');
    } finally {
      calls.mockRestore();
    }
    const [[, fields]] = (await fixture.raw.xrangeBuffer(topic, '-', '+')) as [[Buffer, Buffer[]]];
    expect(fields[1]!.equals(asCloudEventMessage(encoded).body)).toBe(true);
  });

  it('prepares publishing: the connection is up before the first event, and a destination with no stream is refused', async () => {
    const fresh = new Redis(redisUrl, { lazyConnect: true });
    const transport = fixture.transport({ client: fresh });
    expect(fresh.status).toBe('wait');
    await transport.preparePublishing([{ kind: 'topic', pubsub: 'pubsub', topic: uniqueName('prepared') }]);
    expect(fresh.status).toBe('ready');
    await expect(
      transport.preparePublishing([
        { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: 'a.b' },
      ]),
    ).rejects.toThrow(/topic destinations only/);
    fresh.disconnect();
  });
  it('rejects, never throws, a publish it cannot send: one message or a batch, closed or not a stream', async () => {
    const transport = fixture.transport({ client });
    const amqp: OutgoingMessage = {
      ...message('unused', 1),
      destination: { kind: 'amqp', exchange: 'orders', exchangeType: 'topic', routingKey: 'order.created' },
    };
    // A synchronous throw would escape a caller's .catch (the load engine's iterate chains .then on the call).
    const settle = (send: () => Promise<void>) => {
      let result: Promise<void>;
      expect(() => {
        result = send();
      }).not.toThrow();
      return result!;
    };
    await expect(settle(() => transport.publish([amqp]))).rejects.toThrow(/topic destinations only/);
    await expect(settle(() => transport.publish([amqp, amqp]))).rejects.toThrow(/topic destinations only/);
    await transport.close();
    await expect(settle(() => transport.publish([message('unused', 2)]))).rejects.toThrow(/closed/);
  });
});

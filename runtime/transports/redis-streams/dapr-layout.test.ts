/**
 * Compatibility with Dapr's `pubsub.redis` component (components-contrib pubsub/redis/redis.go): Dapr XADDs
 * `data` (the CloudEvent JSON) and, when the publish carried metadata, `metadata` (a JSON map of strings) to the
 * stream named after the topic, and creates consumer groups at id `0` with MKSTREAM.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { decodeDeliveryBody } from '../../consume/decode.ts';
import type { Delivery } from '../../transport.ts';
import { envelopeMessage } from '../dapr/test-support.ts';
import { resolveOptions } from './options.ts';
import {
  cloudEventBody,
  message,
  redisFixture,
  subscriptionSpec,
  uniqueName,
  waitFor,
} from './test-support.ts';

const fixture = redisFixture();
afterEach(() => fixture.cleanup());
afterAll(() => fixture.close());

describe('Redis Streams transport: Dapr pubsub.redis layout', () => {
  it('consumes entries written exactly as the Dapr component writes them, including ones written before', async () => {
    const topic = uniqueName('from-dapr');
    fixture.track(topic);
    const withMetadata = cloudEventBody('dapr-1', topic, { orderId: 1 });
    const withEmptyMetadata = cloudEventBody('dapr-2', topic, { orderId: 2 });
    const withoutMetadata = cloudEventBody('dapr-3', topic, { orderId: 3 });
    // Go map iteration order is random, so Dapr may write either field first.
    await fixture.raw.xadd(
      topic,
      'MAXLEN',
      '~',
      1000,
      '*',
      'metadata',
      '{"ttlInSeconds":"30"}',
      'data',
      withMetadata,
    );
    await fixture.raw.xadd(topic, 'MAXLEN', '~', 1000, '*', 'data', withEmptyMetadata, 'metadata', '{}');
    await fixture.raw.xadd(topic, '*', 'data', withoutMetadata);

    const transport = fixture.transport();
    const received: Delivery[] = [];
    await transport.subscribe(subscriptionSpec(topic), async (delivery) => {
      received.push(delivery);
      return { kind: 'ack' };
    });

    await waitFor(() => received.length === 3);
    expect(received.map((delivery) => delivery.body.toString())).toEqual([
      withMetadata.toString(),
      withEmptyMetadata.toString(),
      withoutMetadata.toString(),
    ]);
    expect(received.map((delivery) => delivery.headers)).toEqual([{ ttlInSeconds: '30' }, {}, {}]);
  });

  it('writes entries a Dapr subscriber can read: data = the message bytes, metadata = a map of strings', async () => {
    const topic = uniqueName('to-dapr');
    fixture.track(topic);
    const transport = fixture.transport({ maxLenApprox: 500 });
    const plain = message(topic, 1);
    const traced = message(topic, 2, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await transport.publish([plain, traced]);

    const entries = (await fixture.raw.xrange(topic, '-', '+')) as [string, string[]][];
    expect(entries.map(([, fields]) => fields)).toEqual([
      ['data', plain.body.toString()],
      ['data', traced.body.toString(), 'metadata', JSON.stringify(traced.headers)],
    ]);
    // What Dapr does with an entry: `data` becomes the CloudEvent, `metadata` unmarshals into map[string]string.
    const [, fields] = entries[1]!;
    const metadata = JSON.parse(fields[3]!) as Record<string, unknown>;
    expect(Object.values(metadata).every((value) => typeof value === 'string')).toBe(true);
    const cloudEvent = JSON.parse(fields[1]!) as Record<string, unknown>;
    expect(cloudEvent).toMatchObject({ specversion: '1.0', id: traced.eventId, topic });
  });

  it("by default stores the runtime's envelopes as CloudEvents Dapr apps can read, and never trims", async () => {
    expect(resolveOptions({}).maxLenApprox).toBe(0);
    const topic = uniqueName('ce');
    fixture.track(topic);
    const transport = fixture.transport();
    const envelope = envelopeMessage(topic, { orderId: 'o-3' });
    const alreadyCloudEvent = message(topic, 2);
    await transport.publish([envelope, alreadyCloudEvent]);

    const entries = (await fixture.raw.xrange(topic, '-', '+')) as [string, string[]][];
    const stored = entries.map(([, fields]) => fields[1]!);
    expect(JSON.parse(stored[0]!)).toMatchObject({
      specversion: '1.0',
      id: envelope.eventId,
      type: 'order.placed',
      data: { orderId: 'o-3' },
    });
    expect(decodeDeliveryBody(Buffer.from(stored[0]!))).toEqual(JSON.parse(envelope.body.toString()));
    expect(stored[1]).toBe(alreadyCloudEvent.body.toString());
  });

  it('creates the consumer group the way Dapr does, so either side can create it first', async () => {
    const topic = uniqueName('group');
    fixture.track(topic);
    const spec = subscriptionSpec(topic);
    // Dapr created the group already (XGROUP CREATE <topic> <consumerID> 0 MKSTREAM); subscribing must not fail.
    await fixture.raw.call('XGROUP', 'CREATE', topic, spec.name, '0', 'MKSTREAM');
    const transport = fixture.transport();
    const received: Delivery[] = [];
    await transport.subscribe(spec, async (delivery) => {
      received.push(delivery);
      return { kind: 'ack' };
    });
    await fixture.raw.xadd(topic, '*', 'data', cloudEventBody('late', topic, {}));
    await waitFor(() => received.length === 1);
    const groups = (await fixture.raw.call('XINFO', 'GROUPS', topic)) as unknown[][];
    expect(groups.map((fields) => fields[1])).toEqual([spec.name]);
  });

  it('gives each subscribing service its own group by default, as Dapr consumerID {appID} does', async () => {
    const topic = uniqueName('two-apps');
    fixture.track(topic);
    // Two services subscribe to one topic under the same subscription name (warehouse and notification both
    // have `return-requested` on the platform): each must get every event, not a share of them.
    const received = { warehouse: [] as string[], notification: [] as string[] };
    for (const service of ['warehouse', 'notification'] as const) {
      const transport = fixture.transport({ group: undefined });
      await transport.subscribe(
        subscriptionSpec(topic, { name: 'return-requested', service }),
        async (delivery) => {
          received[service].push(delivery.id);
          return { kind: 'ack' };
        },
      );
    }
    for (let i = 0; i < 6; i++)
      await fixture.raw.xadd(topic, '*', 'data', cloudEventBody(`e${i}`, topic, {}));
    await waitFor(() => received.warehouse.length === 6 && received.notification.length === 6);
    const groups = (await fixture.raw.call('XINFO', 'GROUPS', topic)) as unknown[][];
    expect(groups.map((fields) => fields[1]).sort()).toEqual(['notification', 'warehouse']);
  });
});

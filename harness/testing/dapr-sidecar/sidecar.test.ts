/**
 * The fake sidecar against a hand-written app, for the corners of daprd's contract the eventwire app server
 * never produces: empty 2xx bodies, unknown statuses, 5xx, 404, bulk answers missing an entry, non-CloudEvent
 * publishes, rules without a default route.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSidecar } from './sidecar.ts';
import type { ProgrammaticSubscription } from '../../../runtime/transports/dapr/protocol.ts';

type Answer = (
  path: string,
  body: Record<string, unknown>,
  call: number,
) => { status: number; body?: string };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(subscriptions: ProgrammaticSubscription[], answer: Answer) {
  let calls = 0;
  const app: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/dapr/subscribe') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(subscriptions));
        return;
      }
      const { status, body } = answer(req.url ?? '', JSON.parse(Buffer.concat(chunks).toString()), ++calls);
      res.writeHead(status).end(body);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const sidecar = await FakeSidecar.start({ retry: { maxRetries: 2, intervalMs: 5 } });
  cleanups.push(
    () => new Promise<void>((resolve) => app.close(() => resolve())),
    () => sidecar.close(),
  );
  await sidecar.connectApp(`http://127.0.0.1:${(app.address() as AddressInfo).port}`);
  return sidecar;
}

const subscription = (overrides: Partial<ProgrammaticSubscription> = {}): ProgrammaticSubscription => ({
  pubsubname: 'pubsub',
  topic: 'things',
  routes: { default: '/things' },
  deadLetterTopic: 'dlq.things',
  metadata: {},
  ...overrides,
});

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'test',
  type: 'thing.happened',
  ...extra,
});

describe('fake sidecar: reading app answers like daprd', () => {
  it('treats an empty 2xx body as SUCCESS and unknown statuses or 5xx as RETRY', async () => {
    const sidecar = await setup([subscription()], (_path, _body, call) =>
      call === 1
        ? { status: 200, body: '{"status":"MAYBE"}' }
        : call === 2
          ? { status: 503 }
          : { status: 200 },
    );
    sidecar.inject('pubsub', 'things', event('e1'));
    await sidecar.idle();
    expect(sidecar.deliveries.map((delivery) => [delivery.httpStatus, delivery.verdicts.e1])).toEqual([
      [200, 'retry'],
      [503, 'retry'],
      [200, 'success'],
    ]);
    expect(sidecar.outcomeOf('e1')).toMatchObject({ result: 'delivered', attempts: 3 });
  });

  it('drops on 404 without dead-lettering, and dead-letters when retries run out', async () => {
    const sidecar = await setup([subscription()], (_path, body) =>
      body.id === 'missing' ? { status: 404 } : { status: 200, body: '{"status":"RETRY"}' },
    );
    sidecar.inject('pubsub', 'things', event('missing'));
    sidecar.inject('pubsub', 'things', event('stuck'));
    await sidecar.idle();
    expect(sidecar.outcomeOf('missing')).toMatchObject({ result: 'dropped', attempts: 1 });
    expect(sidecar.outcomeOf('stuck')).toMatchObject({ result: 'dead-lettered', attempts: 3 });
    expect(sidecar.publishedTo('dlq.things').map((published) => published.cloudEvent.id)).toEqual(['stuck']);
  });

  it('retries only the bulk entries that were answered RETRY or not answered at all', async () => {
    const sidecar = await setup(
      [subscription({ bulkSubscribe: { enabled: true, maxMessagesCount: 3, maxAwaitDurationMs: 1000 } })],
      (_path, body, call) => {
        const entries = body.entries as { entryId: string }[];
        if (call > 1)
          return {
            status: 200,
            body: JSON.stringify({
              statuses: entries.map((e) => ({ entryId: e.entryId, status: 'SUCCESS' })),
            }),
          };
        return {
          status: 200,
          body: JSON.stringify({
            statuses: [
              { entryId: 'a', status: 'SUCCESS' },
              { entryId: 'b', status: 'DROP' },
            ],
          }),
        };
      },
    );
    for (const id of ['a', 'b', 'c']) sidecar.inject('pubsub', 'things', event(id));
    await sidecar.idle();
    expect(sidecar.deliveries.map((delivery) => delivery.verdicts)).toEqual([
      { a: 'success', b: 'drop', c: 'retry' },
      { c: 'success' },
    ]);
    expect(sidecar.publishedTo('dlq.things').map((published) => published.cloudEvent.id)).toEqual(['b']);
  });

  it('sends events no rule matches to the dead-letter topic when there is no default route', async () => {
    const sidecar = await setup(
      [subscription({ routes: { rules: [{ match: 'event.type == "thing.happened"', path: '/things' }] } })],
      () => ({ status: 200 }),
    );
    sidecar.inject('pubsub', 'things', event('routed'));
    sidecar.inject('pubsub', 'things', event('unrouted', { type: 'other.thing' }));
    await sidecar.idle();
    expect(sidecar.outcomeOf('routed')?.result).toBe('delivered');
    expect(sidecar.outcomeOf('unrouted')?.result).toBe('dead-lettered');
  });
});

describe('fake sidecar: publish API', () => {
  it('wraps non-CloudEvent bodies and keeps CloudEvents, setting topic and pubsubname', async () => {
    const sidecar = await FakeSidecar.start({ appId: 'checkout' });
    cleanups.push(() => sidecar.close());
    const plain = await fetch(`${sidecar.url}/v1.0/publish/pubsub/orders?metadata.ttlInSeconds=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 1 }),
    });
    const custom = await fetch(`${sidecar.url}/v1.0/publish/pubsub/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', traceparent: '00-a-b-01' },
      body: JSON.stringify(event('mine')),
    });
    expect([plain.status, custom.status]).toEqual([204, 204]);
    const [wrapped, kept] = sidecar.published;
    expect(wrapped!.cloudEvent).toMatchObject({
      specversion: '1.0',
      type: 'com.dapr.event.sent',
      source: 'checkout',
      datacontenttype: 'application/json',
      data: { orderId: 1 },
      topic: 'orders',
      pubsubname: 'pubsub',
    });
    expect(wrapped!.metadata).toEqual({ ttlInSeconds: '30' });
    expect(kept!.cloudEvent).toEqual({
      ...event('mine'),
      topic: 'orders',
      pubsubname: 'pubsub',
      traceparent: '00-a-b-01',
      traceid: '00-a-b-01',
    });
  });

  it('refuses a CloudEvent without its required attributes', async () => {
    const sidecar = await FakeSidecar.start();
    cleanups.push(() => sidecar.close());
    const response = await fetch(`${sidecar.url}/v1.0/publish/pubsub/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: 'ERR_PUBSUB_CLOUD_EVENTS_SER' });
  });
});

/**
 * The Dapr transport against the faithful fake sidecar, for what a real daprd does that the transport once got
 * wrong: dead letters the sidecar refuses, duplicates from processingTimeout redeliveries, the app API token,
 * attempt counts of two apps, and bodies too deep to serialise again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CompiledValidator } from '../../spec.ts';
import { processDelivery } from '../../consume/pipeline.ts';
import { MemoryIdempotencyStore } from '../../idempotency/memory.ts';
import type { SubscriptionSpec } from '../../spec.ts';
import type { Delivery, DeliveryHandler } from '../../transport.ts';
import { memoryAttemptTracker } from './attempts.ts';
import { cloudEventMessage, type DaprPair, daprPair, daprSpec } from './test-support.ts';

const pairs: DaprPair[] = [];
afterEach(async () => {
  for (const pair of pairs.splice(0)) await pair.close();
});

async function connected(...args: Parameters<typeof daprPair>): Promise<DaprPair> {
  const pair = await daprPair(...args);
  pairs.push(pair);
  await pair.connect();
  return pair;
}

/** The real consumer pipeline (decode, validate, idempotency claim, handler, commit) over one handler. */
function pipeline(spec: SubscriptionSpec, handle: () => Promise<void>, store = new MemoryIdempotencyStore()) {
  const accept = (() => true) as unknown as CompiledValidator<unknown>;
  const binding = { spec, validators: { 'order.placed': accept }, handle };
  return (delivery: Delivery) => processDelivery(delivery, binding, { idempotency: store });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Dapr transport against daprd behaviour', () => {
  it('parks a dead letter the sidecar refuses and publishes it on a later delivery, without running the handler again (nothing lost on 1.17)', async () => {
    const spec = daprSpec('parked', 'orders.parked', {
      retry: { ...daprSpec('x', 'x').retry, maxRetries: 1 },
    });
    let handled = 0;
    let refusals = 0;
    const pair = await connected(
      [
        [
          spec,
          pipeline(spec, async () => {
            handled++;
            throw new Error('warehouse down');
          }),
        ],
      ],
      {
        sidecar: {
          daprVersion: '1.17',
          // The generated inbound policy: retry without a count limit, so daprd never gives up on its own.
          retry: { maxRetries: -1, durationMs: 10 },
          rejectPublish: (topic) =>
            topic === 'dlq.parked' && ++refusals <= 3 ? 'broker out of memory' : undefined,
        },
      },
    );
    const message = cloudEventMessage('orders.parked', { n: 1 });
    await pair.transport.publish([message]);
    const sidecar = pair.sidecar;
    await sidecar.waitFor(() => sidecar.outcomeOf(message.eventId) !== undefined);
    expect(handled).toBe(2);
    expect(sidecar.publishedTo('dlq.parked').map((letter) => letter.cloudEvent)).toEqual([
      expect.objectContaining({
        id: message.eventId,
        deadletterreason: 'retries-exhausted',
        deadletterattempts: 2,
      }),
    ]);
    expect(sidecar.outcomeOf(message.eventId)).toMatchObject({ result: 'delivered', attempts: 5 });
    expect(sidecar.lost).toEqual([]);
  });

  it('waits for the claim of a processingTimeout redelivery (#4599) instead of spending daprd retries, so a processed event is never dead-lettered', async () => {
    const spec = daprSpec('dup', 'orders.dup');
    let handled = 0;
    const pair = await connected(
      [
        [
          spec,
          pipeline(spec, async () => {
            handled++;
            await sleep(300);
          }),
        ],
      ],
      {
        sidecar: {
          retry: { maxRetries: 1, durationMs: 10 },
          component: { processingTimeoutMs: 100, redeliverIntervalMs: 20 },
          // The first read waits in daprd's queue past processingTimeout: the component claims it again.
          holdInQueue: (queued) => (queued.redelivery === 1 ? 150 : undefined),
        },
      },
    );
    const message = cloudEventMessage('orders.dup', {});
    await pair.transport.publish([message]);
    const sidecar = pair.sidecar;
    await sidecar.waitFor(
      () => sidecar.deliveries.length >= 2 && sidecar.pending('orders.dup').length === 0,
      5_000,
    );
    await sidecar.idle();
    expect(new Set(sidecar.deliveries.map((delivery) => delivery.redelivery)).size).toBeGreaterThan(1);
    expect(handled).toBe(1);
    expect(sidecar.publishedTo('dlq.dup')).toEqual([]);
    expect(new Set(sidecar.outcomes.map((outcome) => outcome.result))).toEqual(new Set(['delivered']));
  });

  it('refuses requests without the app API token (401, which daprd retries) and serves daprd when it sends it', async () => {
    const received: string[] = [];
    const handler: DeliveryHandler = async (delivery) => {
      received.push(delivery.id);
      return { kind: 'ack' };
    };
    const pair = await connected([[daprSpec('guarded', 'orders.guarded'), handler]], {
      sidecar: { appApiToken: 'app-secret' },
      transport: { appApiToken: 'app-secret' },
    });
    const port = await pair.transport.listen();
    const message = cloudEventMessage('orders.guarded', {});
    for (const headers of [{}, { 'dapr-api-token': 'wrong' }]) {
      const response = await fetch(`http://127.0.0.1:${port}/events/guarded`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...headers },
        body: message.body,
      });
      expect(response.status).toBe(401);
    }
    expect((await fetch(`http://127.0.0.1:${port}/dapr/subscribe`)).status).toBe(401);
    expect(received).toEqual([]);
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair.sidecar.outcomeOf(message.eventId)?.result === 'delivered');
    expect(received).toEqual([message.eventId]);
  });

  it('counts attempts per app: two apps with a subscription of the same name count their own deliveries', async () => {
    const attempts = memoryAttemptTracker();
    const seen: Record<string, number[]> = { warehouse: [], fulfillment: [] };
    const record =
      (app: string): DeliveryHandler =>
      async (delivery) => {
        seen[app]!.push(delivery.attempt);
        // Both apps are retrying the same event at the same time.
        return seen[app]!.length < 3 ? { kind: 'retry', delayMs: 0, error: 'not yet' } : { kind: 'ack' };
      };
    const warehouse = await connected(
      [[daprSpec('order-created', 'orders.created', { service: 'warehouse' }), record('warehouse')]],
      { transport: { attempts } },
    );
    const fulfillment = await connected(
      [[daprSpec('order-created', 'orders.created', { service: 'fulfillment' }), record('fulfillment')]],
      { transport: { attempts } },
    );
    const event = JSON.parse(cloudEventMessage('orders.created', {}).body.toString()) as Record<
      string,
      unknown
    >;
    for (const pair of [warehouse, fulfillment]) pair.sidecar.inject('pubsub', 'orders.created', event);
    await Promise.all([warehouse.sidecar.idle(), fulfillment.sidecar.idle()]);
    expect(seen).toEqual({ warehouse: [1, 2, 3], fulfillment: [1, 2, 3] });
  });

  it('dead-letters a body nested 100k levels (original bytes as data_base64) and never fails a bulk batch for it', async () => {
    const deep = `{"specversion":"1.0","id":"deep","source":"s","type":"order.placed","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const deadLetter: DeliveryHandler = async () => ({
      kind: 'dead-letter',
      reason: 'invalid-payload',
      error: 'too deep',
    });
    const single = await connected([[daprSpec('deep', 'orders.deep'), deadLetter]]);
    single.sidecar.injectRaw('pubsub', 'orders.deep', Buffer.from(deep));
    await single.sidecar.idle();
    expect(single.sidecar.outcomeOf('deep')).toMatchObject({ result: 'delivered', attempts: 1 });
    const [letter] = single.sidecar.publishedTo('dlq.deep');
    expect(letter!.cloudEvent).toMatchObject({
      id: 'deep',
      type: 'order.placed',
      deadletterreason: 'invalid-payload',
    });
    expect(Buffer.from(String(letter!.cloudEvent.data_base64), 'base64').toString()).toBe(deep);

    const ack: DeliveryHandler = async () => ({ kind: 'ack' });
    const bulk = await connected([
      [daprSpec('bulky', 'orders.bulky', { bulk: { maxMessagesCount: 2, maxAwaitDurationMs: 50 } }), ack],
    ]);
    const normal = cloudEventMessage('orders.bulky', {});
    bulk.sidecar.injectRaw('pubsub', 'orders.bulky', Buffer.from(deep));
    bulk.sidecar.inject('pubsub', 'orders.bulky', JSON.parse(normal.body.toString()));
    await bulk.sidecar.idle();
    expect(bulk.sidecar.deliveries.map((delivery) => [delivery.httpStatus, delivery.verdicts])).toEqual([
      [200, { deep: 'drop', [normal.eventId]: 'success' }],
    ]);
  });
});

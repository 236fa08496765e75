/** End to end: the Dapr transport's app server and publisher against the fake sidecar. */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDeliveryBody } from '../../consume/decode.ts';
import type { Delivery, Outcome } from '../../transport.ts';
import { DEAD_LETTER_ATTRIBUTES } from './deliver.ts';
import { daprSubscriptions } from './subscriptions.ts';
import {
  cloudEventMessage,
  type DaprPair,
  daprPair,
  daprSpec,
  dataOf,
  envelopeMessage,
} from './test-support.ts';

let pair: DaprPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const ack = async (): Promise<Outcome> => ({ kind: 'ack' });

describe('Dapr transport with the fake sidecar', () => {
  it('serves /dapr/subscribe and delivers a published CloudEvent to its route', async () => {
    const specs = [daprSpec('placed', 'orders.placed'), daprSpec('paid', 'payments.paid')];
    const received: Delivery[] = [];
    pair = await daprPair([
      [
        specs[0]!,
        async (delivery) => {
          received.push(delivery);
          return { kind: 'ack' };
        },
      ],
      [specs[1]!, ack],
    ]);
    await pair.connect();
    expect(pair.sidecar.subscriptions).toEqual(daprSubscriptions(specs));

    const message = cloudEventMessage('orders.placed', { orderId: 'o-1' });
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomes.length === 1);

    const [published] = pair.sidecar.published;
    expect(published).toMatchObject({ via: 'publish', topic: 'orders.placed' });
    expect(published!.cloudEvent).toMatchObject({
      id: message.eventId,
      topic: 'orders.placed',
      pubsubname: 'pubsub',
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ id: message.eventId, attempt: 1, address: 'orders.placed' });
    // daprd sends its callback span: a child in the publisher's trace (postman/http/http.go).
    expect(received[0]!.headers.traceparent?.slice(0, 36)).toBe(message.headers.traceparent?.slice(0, 36));
    expect(dataOf(received[0]!.body)).toEqual({ orderId: 'o-1' });
    expect(pair.sidecar.outcomeOf(message.eventId)).toMatchObject({ result: 'delivered', attempts: 1 });
  });

  it("sends the runtime's envelopes as its CloudEvent mapping, which the consumer decodes back", async () => {
    const received: Delivery[] = [];
    pair = await daprPair([
      [
        daprSpec('envelopes', 'orders.envelopes'),
        async (delivery) => {
          received.push(delivery);
          return { kind: 'ack' };
        },
      ],
    ]);
    await pair.connect();
    const message = envelopeMessage('orders.envelopes', { orderId: 'o-2' });
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => received.length === 1);

    expect(pair.sidecar.published[0]!.cloudEvent).toMatchObject({
      specversion: '1.0',
      id: message.eventId,
      type: 'order.placed',
      source: 'orders',
      correlationid: 'corr-1',
      data: { orderId: 'o-2' },
    });
    const decoded = decodeDeliveryBody(received[0]!.body);
    expect(decoded).toEqual(JSON.parse(message.body.toString()));
  });

  it('answers RETRY until the handler succeeds, counting attempts per event', async () => {
    const attempts: number[] = [];
    pair = await daprPair([
      [
        daprSpec('flaky', 'orders.flaky'),
        async (delivery): Promise<Outcome> => {
          attempts.push(delivery.attempt);
          return delivery.attempt < 3 ? { kind: 'retry', delayMs: 10, error: 'db down' } : { kind: 'ack' };
        },
      ],
    ]);
    await pair.connect();
    const message = cloudEventMessage('orders.flaky', {});
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomes.length === 1);

    expect(attempts).toEqual([1, 2, 3]);
    expect(pair.sidecar.deliveries.map((delivery) => delivery.verdicts[message.eventId])).toEqual([
      'retry',
      'retry',
      'success',
    ]);
    expect(pair.sidecar.outcomeOf(message.eventId)).toMatchObject({ result: 'delivered', attempts: 3 });
  });

  it('dead-letters after the contract retry limit with reason and attempts (app publishes the dead letter)', async () => {
    const spec = daprSpec('doomed', 'orders.doomed');
    pair = await daprPair([
      [
        spec,
        async (delivery): Promise<Outcome> =>
          delivery.attempt > spec.retry.maxRetries
            ? { kind: 'dead-letter', reason: 'retries-exhausted', error: 'still failing' }
            : { kind: 'retry', delayMs: 10, error: 'still failing' },
      ],
    ]);
    await pair.connect();
    const message = cloudEventMessage('orders.doomed', { orderId: 'o-9' });
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.publishedTo('dlq.doomed').length === 1);

    const [deadLetter] = pair.sidecar.publishedTo('dlq.doomed');
    expect(deadLetter!.via).toBe('publish');
    expect(deadLetter!.cloudEvent).toMatchObject({
      id: message.eventId,
      type: 'order.placed',
      data: { orderId: 'o-9' },
      [DEAD_LETTER_ATTRIBUTES.reason]: 'retries-exhausted',
      [DEAD_LETTER_ATTRIBUTES.error]: 'still failing',
      [DEAD_LETTER_ATTRIBUTES.attempts]: 4,
      [DEAD_LETTER_ATTRIBUTES.topic]: 'orders.doomed',
      [DEAD_LETTER_ATTRIBUTES.subscription]: 'doomed',
    });
    // The original is settled with SUCCESS: daprd must not dead-letter it a second time.
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomeOf(message.eventId) !== undefined);
    expect(pair.sidecar.outcomeOf(message.eventId)).toMatchObject({ result: 'delivered', attempts: 4 });
  });

  it("answers DROP in 'sidecar' dead-letter mode, and daprd forwards the event to deadLetterTopic", async () => {
    pair = await daprPair(
      [
        [
          daprSpec('poison', 'orders.poison'),
          async (): Promise<Outcome> => ({ kind: 'dead-letter', reason: 'invalid-payload', error: 'bad' }),
        ],
      ],
      { transport: { deadLetterMode: 'sidecar' } },
    );
    await pair.connect();
    const message = cloudEventMessage('orders.poison', { broken: true });
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.publishedTo('dlq.poison').length === 1);

    expect(pair.sidecar.deliveries.map((delivery) => delivery.verdicts[message.eventId])).toEqual(['drop']);
    const [forwarded] = pair.sidecar.publishedTo('dlq.poison');
    expect(forwarded!.via).toBe('dead-letter');
    expect(forwarded!.cloudEvent).toEqual(pair.sidecar.publishedTo('orders.poison')[0]!.cloudEvent);
    expect(pair.sidecar.outcomeOf(message.eventId)).toMatchObject({ result: 'dead-lettered', attempts: 1 });
  });

  it('bulk: publishes a batch in one request and answers each bulk entry with its own status', async () => {
    const spec = daprSpec('bulk', 'orders.bulk', { bulk: { maxMessagesCount: 3, maxAwaitDurationMs: 200 } });
    pair = await daprPair([
      [
        spec,
        async (delivery): Promise<Outcome> => {
          const { n } = dataOf(delivery.body) as { n: number };
          if (n === 2 && delivery.attempt === 1) return { kind: 'retry', delayMs: 10, error: 'later' };
          if (n === 3) return { kind: 'dead-letter', reason: 'invalid-payload', error: 'bad n' };
          return { kind: 'ack' };
        },
      ],
    ]);
    await pair.connect();
    const messages = [1, 2, 3].map((n) => cloudEventMessage('orders.bulk', { n }));
    await pair.transport.publish(messages);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomes.length === 3);

    expect(pair.sidecar.publishedTo('orders.bulk').map((event) => event.via)).toEqual([
      'bulk-publish',
      'bulk-publish',
      'bulk-publish',
    ]);
    const [first, second, ...more] = pair.sidecar.deliveries;
    const [one, two, three] = messages.map((message) => message.eventId) as [string, string, string];
    expect(first).toMatchObject({ bulk: true, httpStatus: 200 });
    expect(first!.verdicts).toEqual({ [one]: 'success', [two]: 'retry', [three]: 'success' });
    expect(second!.verdicts).toEqual({ [two]: 'success' });
    expect(more).toEqual([]);
    expect(pair.sidecar.publishedTo('dlq.bulk').map((event) => event.cloudEvent.id)).toEqual([three]);
  });

  it('publishes messages with an ordering key one by one, in order, with partitionKey metadata', async () => {
    pair = await daprPair([]);
    await pair.connect();
    const messages = [1, 2, 3].map((n) =>
      cloudEventMessage('orders.ordered', { n }, { orderingKey: 'customer-7' }),
    );
    await pair.transport.publish(messages);
    const published = pair.sidecar.publishedTo('orders.ordered');
    expect(published.map((event) => [event.via, event.cloudEvent.id, event.metadata.partitionKey])).toEqual(
      messages.map((message) => ['publish', message.eventId, 'customer-7']),
    );
  });

  it('answers DROP to deliveries on paths no subscription serves, so every daprd version dead-letters them', async () => {
    pair = await daprPair([[daprSpec('known', 'orders.known'), ack]]);
    const port = await pair.transport.listen();
    const unknown = await fetch(`http://127.0.0.1:${port}/events/unknown`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: cloudEventMessage('orders.known', {}).body,
    });
    // A 404 would be a silent success on daprd 1.16 (postman/http/http.go at v1.16.17 returns nil).
    expect([unknown.status, await unknown.json()]).toEqual([200, { status: 'DROP' }]);
    expect((await fetch(`http://127.0.0.1:${port}/events/unknown`)).status).toBe(404);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(204);
  });

  it('stops gracefully: in-flight deliveries finish and are answered, later ones get RETRY rather than 404', async () => {
    const spec = daprSpec('slow', 'orders.slow');
    let finished = 0;
    pair = await daprPair([], { sidecar: { retry: { maxRetries: 1, durationMs: 10 } } });
    const handle = await pair.transport.subscribe(spec, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished++;
      return { kind: 'ack' };
    });
    await pair.connect();
    const first = cloudEventMessage('orders.slow', {});
    await pair.transport.publish([first]);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await handle.stop();
    expect(finished).toBe(1);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomeOf(first.eventId) !== undefined);
    expect(pair.sidecar.outcomeOf(first.eventId)!.result).toBe('delivered');

    const later = cloudEventMessage('orders.slow', {});
    await pair.transport.publish([later]);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomeOf(later.eventId) !== undefined);
    const answers = pair.sidecar.deliveries.filter((delivery) => later.eventId in delivery.verdicts);
    expect(answers.map((delivery) => [delivery.httpStatus, delivery.verdicts[later.eventId]])).toEqual([
      [200, 'retry'],
      [200, 'retry'],
    ]);
    expect(finished).toBe(1);
  });

  it('warns when a subscription arrives after daprd read /dapr/subscribe', async () => {
    const warnings: string[] = [];
    pair = await daprPair([[daprSpec('early', 'orders.early'), ack]], {
      transport: { logger: { warn: (message) => warnings.push(message) } },
    });
    await pair.connect();
    await pair.transport.subscribe(daprSpec('late', 'orders.late'), ack);
    expect(warnings.join('\n')).toMatch(/'late' was added after the sidecar read \/dapr\/subscribe/);
  });
});

/**
 * catalog -> search through the Dapr transport: the catalog's generated publisher POSTs to a sidecar (the fake
 * daprd of eventwire/testing, harness/testing/dapr-sidecar/), which reads the search worker's GET /dapr/subscribe and
 * delivers to its routes, where the generated consumer runs the pipeline with the Redis idempotency store.
 */
import { readFile } from 'node:fs/promises';
import {
  type ConsumerHandle,
  createDaprTransport,
  type DaprTransport,
  decodeDeliveryBody,
  type EventEnvelope,
  RedisIdempotencyStore,
  type Runtime,
  uuidv7,
} from 'eventwire/runtime';
import { FakeSidecar } from 'eventwire/testing';
import type { ProgrammaticSubscription } from 'eventwire/runtime/transports/dapr/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  type CatalogProductCreated,
  type CatalogProductDeleted,
  type CatalogProductUpdated,
  createCatalogPublisher,
  publications as catalogPublications,
} from '../../generated/catalog/index.ts';
import { subscriptions as searchSubscriptions, startSearchConsumer } from '../../generated/search/index.ts';
import { productCreated, productDeleted, productId, productUpdated } from '../support/catalog-fixtures.ts';
import { alwaysFail, failFirst, HandlerLog } from '../support/handler-log.ts';
import { until, eventually } from '../support/poll.ts';
import { publishUnvalidated } from '../support/raw-publish.ts';
import { RedisNamespace } from '../support/redis.ts';
import { uniqueTag } from '../support/tags.ts';

const redis = new RedisNamespace('dapr');
const connection = redis.connection();
const created = new HandlerLog<CatalogProductCreated>();
const updated = new HandlerLog<CatalogProductUpdated>();
const deleted = new HandlerLog<CatalogProductDeleted>();
let sidecar: FakeSidecar;
let workerTransport: DaprTransport;
let catalogTransport: DaprTransport;
let catalog: Runtime;
let consumer: ConsumerHandle;
let appUrl: string;

beforeAll(async () => {
  // daprd's inbound resiliency as generated: retry without a count limit at a constant interval (1 s in
  // generated/dapr/resiliency.yaml, 100 ms here); the app applies the contract's limit and backoff.
  sidecar = await FakeSidecar.start({ appId: 'search-worker', retry: { maxRetries: -1, durationMs: 100 } });
  const sidecarPort = {
    httpPort: sidecar.port,
    appPort: 0,
    listen: 'manual',
    sidecarRetryIntervalMs: 100,
  } as const;
  workerTransport = createDaprTransport(sidecarPort);
  catalogTransport = createDaprTransport(sidecarPort);
  const search: Runtime = {
    service: { name: 'search', version: '1.7.0' },
    transport: workerTransport,
    idempotency: new RedisIdempotencyStore(connection, { prefix: `${redis.prefix}idem:` }),
  };
  catalog = {
    service: { name: 'catalog', version: '3.2.1' },
    transport: catalogTransport,
    idempotency: search.idempotency,
  };
  consumer = await startSearchConsumer(search, {
    onProductCreated: created.handle,
    onProductUpdated: updated.handle,
    onProductDeleted: deleted.handle,
  });
  // As daprd does at start-up: wait for the app port, then read /dapr/subscribe once.
  appUrl = `http://127.0.0.1:${await workerTransport.listen()}`;
  await sidecar.connectApp(appUrl);
});

afterAll(async () => {
  await consumer?.stop();
  await Promise.all([workerTransport?.close(), catalogTransport?.close()]);
  await sidecar?.close();
  connection.disconnect();
  await redis.dispose();
});

describe('Dapr: generated catalog publisher -> fake sidecar -> generated search consumer', () => {
  it('GET /dapr/subscribe answers the generated subscriptions, the same as the generated subscription.yaml', async () => {
    const response = await fetch(`${appUrl}/dapr/subscribe`);
    expect(response.status).toBe(200);
    const served = (await response.json()) as ProgrammaticSubscription[];
    expect(sidecar.subscriptions).toEqual(served);

    const byTopic = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
    expect(served.sort(byTopic)).toEqual(
      Object.values(searchSubscriptions)
        .map((spec) => ({
          pubsubname: 'pubsub',
          topic: spec.source.topic,
          routes: { default: spec.route },
          deadLetterTopic: spec.deadLetter.address,
          metadata: {},
        }))
        .sort(byTopic),
    );
    // The declarative subscriptions the generator writes for Kubernetes say exactly the same.
    const yaml = await readFile(
      new URL('../../generated/search/dapr/subscription.yaml', import.meta.url),
      'utf8',
    );
    const declared = parseAllDocuments(yaml).map((document) => {
      const { spec } = document.toJS() as {
        spec: { pubsubname: string; topic: string; routes: { default: string }; deadLetterTopic: string };
      };
      return {
        pubsubname: spec.pubsubname,
        topic: spec.topic,
        routes: spec.routes,
        deadLetterTopic: spec.deadLetterTopic,
      };
    });
    expect(declared.sort(byTopic)).toEqual(served.map(({ metadata: _metadata, ...rest }) => rest));
    expect(served.map((subscription) => subscription.routes.default)).toEqual([
      '/events/product-created',
      '/events/product-deleted',
      '/events/product-updated',
    ]);
  });

  it('delivers each event as a CloudEvent and hands the handler the envelope the publisher built', async () => {
    const tag = uniqueTag();
    const publisher = createCatalogPublisher(catalog);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const sentCreated = await publisher.publishCatalogProductCreated(productCreated(tag), {
      correlationId: uuidv7(),
      traceparent,
    });
    const sentUpdated = await publisher.publishCatalogProductUpdated(productUpdated(tag), {
      causedBy: sentCreated,
    });
    const sentDeleted = await publisher.publishCatalogProductDeleted(productDeleted(tag), {
      causedBy: sentUpdated,
    });

    const calls = await Promise.all([
      eventually('created delivered', () => created.callsFor(sentCreated.event_id)[0]),
      eventually('updated delivered', () => updated.callsFor(sentUpdated.event_id)[0]),
      eventually('deleted delivered', () => deleted.callsFor(sentDeleted.event_id)[0]),
    ]);
    expect(calls.map((call) => call.event)).toEqual([sentCreated, sentUpdated, sentDeleted]);
    expect(calls.map((call) => call.context.attempt)).toEqual([1, 1, 1]);
    expect(calls[2]!.event.metadata).toMatchObject({
      correlation_id: sentCreated.metadata.correlation_id,
      causation_id: sentUpdated.event_id,
    });

    // On the wire: the runtime's CloudEvent mapping, sent with the trace context as a header.
    const [onWire] = sidecar
      .publishedTo('catalog.product.created')
      .filter((event) => event.cloudEvent.id === sentCreated.event_id);
    expect(onWire?.cloudEvent).toMatchObject({
      specversion: '1.0',
      id: sentCreated.event_id,
      type: 'catalog.product.created',
      source: 'catalog',
      datacontenttype: 'application/json',
      correlationid: sentCreated.metadata.correlation_id,
      traceparent,
      data: sentCreated.data,
    });
    await until('sidecar saw SUCCESS for all three', () =>
      [sentCreated, sentUpdated, sentDeleted].every(
        (sent) => sidecar.outcomeOf(sent.event_id)?.result === 'delivered',
      ),
    );
  });

  it('acknowledges a redelivered event without running the handler again', async () => {
    const sent = await createCatalogPublisher(catalog).publishCatalogProductCreated(
      productCreated(uniqueTag()),
    );
    await until('first delivery settled', () => sidecar.outcomeOf(sent.event_id)?.result === 'delivered');
    const [original] = sidecar
      .publishedTo('catalog.product.created')
      .filter((event) => event.cloudEvent.id === sent.event_id);

    // The broker hands daprd the same message again (e.g. after a sidecar restart before its ack).
    sidecar.inject('pubsub', 'catalog.product.created', original!.cloudEvent);
    await until('redelivery settled', () => settled(sent.event_id).length === 2);
    expect(settled(sent.event_id).map((outcome) => outcome.result)).toEqual(['delivered', 'delivered']);
    expect(created.callsFor(sent.event_id)).toHaveLength(1);
  });

  it('answers RETRY while the handler fails, then SUCCESS on attempt 3', async () => {
    const tag = uniqueTag();
    updated.when((event) => event.data.product_id === productId(tag), failFirst(2));
    const sent = await createCatalogPublisher(catalog).publishCatalogProductUpdated(productUpdated(tag));

    await until('settled', () => sidecar.outcomeOf(sent.event_id) !== undefined, 20_000);
    expect(sidecar.outcomeOf(sent.event_id)).toMatchObject({ result: 'delivered', attempts: 3 });
    expect(verdicts(sent.event_id)).toEqual(['retry', 'retry', 'success']);
    expect(updated.attemptsFor(sent.event_id)).toEqual([1, 2, 3]);
    // The contract's backoff (1 s, then 2 s) holds on Dapr: the app holds each RETRY for the rest of the delay.
    const at = deliveryTimes(sent.event_id);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1_000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(2_000);
    expect(sidecar.publishedTo('dlq.product-updated').map((event) => event.cloudEvent.id)).not.toContain(
      sent.event_id,
    );
  });

  it('dead-letters an invalid payload to dlq.<subscription> on the first delivery, without calling the handler', async () => {
    const valid = productCreated(uniqueTag());
    const invalid = { ...valid, version: 0, product: { ...valid.product, status: 'sold-out' } };
    const sent = await publishUnvalidated(catalog, catalogPublications.publishCatalogProductCreated, invalid);

    const deadLetter = await eventually('dead letter on dlq.product-created', () =>
      sidecar.publishedTo('dlq.product-created').find((event) => event.cloudEvent.id === sent.event_id),
    );
    expect(deadLetter.cloudEvent).toMatchObject({
      type: 'catalog.product.created',
      deadletterreason: 'invalid-payload',
      deadletterattempts: 1,
      deadlettersub: 'product-created',
      deadletterorigin: 'catalog.product.created',
      data: invalid,
    });
    expect(String(deadLetter.cloudEvent.deadlettererror)).toMatch(/version|status/);
    // The app published the dead letter itself, then told daprd SUCCESS: nothing is retried.
    await until('settled', () => sidecar.outcomeOf(sent.event_id) !== undefined);
    expect(sidecar.outcomeOf(sent.event_id)).toMatchObject({ result: 'delivered', attempts: 1 });
    expect(created.callsFor(sent.event_id)).toEqual([]);
    // A dead letter is still a decodable event: dlq monitors read it like any other.
    const decoded = decodeDeliveryBody(
      Buffer.from(JSON.stringify(deadLetter.cloudEvent)),
    ) as EventEnvelope<unknown>;
    expect(decoded.event_id).toBe(sent.event_id);
  });

  it('dead-letters with retries-exhausted after the contract maxRetries (4 deliveries)', async () => {
    const tag = uniqueTag();
    deleted.when(
      (event) => event.data.product_id === productId(tag),
      alwaysFail('search cluster rejects writes'),
    );
    const sent = await createCatalogPublisher(catalog).publishCatalogProductDeleted(productDeleted(tag));

    const deadLetter = await eventually(
      'dead letter on dlq.product-deleted',
      () => sidecar.publishedTo('dlq.product-deleted').find((event) => event.cloudEvent.id === sent.event_id),
      20_000,
    );
    expect(deadLetter.cloudEvent).toMatchObject({
      deadletterreason: 'retries-exhausted',
      deadletterattempts: searchSubscriptions.onProductDeleted.retry.maxRetries + 1,
      deadlettersub: 'product-deleted',
    });
    expect(String(deadLetter.cloudEvent.deadlettererror)).toContain(
      'search cluster rejects writes (attempt 4)',
    );
    expect(deleted.attemptsFor(sent.event_id)).toEqual([1, 2, 3, 4]);
    await until('settled', () => sidecar.outcomeOf(sent.event_id) !== undefined);
    expect(verdicts(sent.event_id)).toEqual(['retry', 'retry', 'retry', 'success']);
  });
});

describe('Dapr: a processingTimeout redelivery while the event is still handled (dapr/components-contrib#4599)', () => {
  it('runs the handler once, answers both deliveries SUCCESS and dead-letters nothing', async () => {
    // A sidecar whose pubsub.redis claims entries pending for 500 ms, and whose first read of the event waits
    // 700 ms in daprd's internal queue: the component delivers it again while that first delivery is queued.
    const slow = await FakeSidecar.start({
      appId: 'search-worker',
      // One attempt per delivery: a duplicate that answered RETRY would be dead-lettered by daprd at once.
      retry: { maxRetries: 0 },
      component: { processingTimeoutMs: 500, redeliverIntervalMs: 100 },
      holdInQueue: (queued) => (queued.redelivery === 1 ? 700 : undefined),
    });
    const transport = createDaprTransport({ httpPort: slow.port, appPort: 0, listen: 'manual' });
    const handled = new HandlerLog<CatalogProductCreated>(
      () => new Promise((resolve) => setTimeout(resolve, 400)),
    );
    const worker = await startSearchConsumer(
      {
        service: { name: 'search', version: '1.7.0' },
        transport,
        idempotency: new RedisIdempotencyStore(connection, { prefix: `${redis.prefix}idem-4599:` }),
      },
      {
        onProductCreated: handled.handle,
        onProductUpdated: updated.handle,
        onProductDeleted: deleted.handle,
      },
    );
    try {
      await slow.connectApp(`http://127.0.0.1:${await transport.listen()}`);
      const sent = await createCatalogPublisher(catalog).publishCatalogProductCreated(
        productCreated(uniqueTag()),
      );
      const event = sidecar
        .publishedTo('catalog.product.created')
        .find((e) => e.cloudEvent.id === sent.event_id)!;
      // The catalog publishes through the other sidecar; the same event reaches this one's stream.
      slow.inject('pubsub', 'catalog.product.created', event.cloudEvent);
      await until(
        'both deliveries settled',
        () => slow.outcomes.filter((o) => o.eventId === sent.event_id).length >= 2,
        10_000,
      );
      await slow.idle();
      const outcomes = slow.outcomes.filter((outcome) => outcome.eventId === sent.event_id);
      // On a slow machine the component may claim it a third time; every delivery must still succeed.
      const redeliveries = new Set(outcomes.map((outcome) => outcome.redelivery));
      expect(redeliveries.has(1) && redeliveries.has(2)).toBe(true);
      expect(new Set(outcomes.map((outcome) => outcome.result))).toEqual(new Set(['delivered']));
      expect(handled.callsFor(sent.event_id)).toHaveLength(1);
      expect(slow.publishedTo('dlq.product-created')).toEqual([]);
      expect(slow.pending('catalog.product.created')).toEqual([]);
    } finally {
      await worker.stop();
      await transport.close();
      await slow.close();
    }
  });
});

function deliveryTimes(eventId: string): number[] {
  return sidecar.deliveries.filter((delivery) => eventId in delivery.verdicts).map((delivery) => delivery.at);
}

function settled(eventId: string) {
  return sidecar.outcomes.filter((outcome) => outcome.eventId === eventId);
}

function verdicts(eventId: string): string[] {
  return sidecar.deliveries.flatMap((delivery) => {
    const verdict = delivery.verdicts[eventId];
    return verdict === undefined ? [] : [verdict];
  });
}

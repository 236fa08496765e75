import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDocuments } from '../parse/load.ts';
import { buildModel } from './build.ts';
import { formatDiagnosticLine, type LoadedModel, loadModel } from './index.ts';
import type { ContractModel, Operation } from './types.ts';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const load = (...paths: string[]) =>
  loadModel(
    paths.map((p) => path.join(fixtures, p)),
    { root: fixtures },
  );
const operation = (model: ContractModel, id: string): Operation => {
  const found = model.services.flatMap((s) => s.operations).find((o) => o.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};

describe('the shop contracts', () => {
  let loaded: LoadedModel;
  beforeAll(async () => {
    loaded = await load('shop');
  });

  it('load without errors or warnings', () => {
    expect(loaded.errors.map(formatDiagnosticLine)).toEqual([]);
    expect(loaded.warnings.map(formatDiagnosticLine)).toEqual([]);
  });

  it('has services sorted by name, with their servers', () => {
    const { services } = loaded.model;
    expect(services.map((s) => [s.name, s.appId, s.appPort, s.appProtocol])).toEqual([
      ['catalog', 'catalog-worker', 3001, 'http'],
      ['notification', 'notification-worker', 8080, 'grpc'],
      ['search', 'search-worker', 8080, 'http'],
    ]);
    expect(services[0]?.servers).toEqual([
      {
        id: 'redis',
        kind: 'dapr-redis',
        protocol: 'redis',
        host: 'localhost:6379',
        pubsub: { name: 'pubsub', redeliverInterval: 30_000, concurrency: 4 },
        source: { file: 'shop/catalog.yaml', pointer: '/servers/redis' },
      },
    ]);
    expect(services[1]?.servers.map((s) => s.kind)).toEqual(['amqp']);
  });

  it('joins the publisher and subscriber channels into one, owned by the publisher', () => {
    const { channels } = loaded.model;
    expect([...channels.keys()]).toEqual([
      'amqp:shop:notifications:email.#',
      'amqp:shop:notifications:email.sent',
      'topic:pubsub:catalog.product.created',
    ]);
    const published = operation(loaded.model, 'publishProductCreated');
    const received = operation(loaded.model, 'onProductCreated');
    expect(received.channel).toBe(published.channel);
    expect(received.channel).toBe(channels.get('topic:pubsub:catalog.product.created'));
    expect(received.channel.source).toEqual({
      file: 'shop/catalog.yaml',
      pointer: '/channels/productCreated',
    });
    expect(received.channel.ordering).toEqual({
      key: '/product_id',
      sequence: '/sequence',
      bufferTimeout: 300_000,
    });
  });

  it('shares one message between the publisher and the subscriber that references it', () => {
    const [sent] = operation(loaded.model, 'publishProductCreated').messages;
    const [received] = operation(loaded.model, 'onProductCreated').messages;
    expect(received).toBe(sent);
    expect(sent).toMatchObject({
      name: 'catalog.product.created',
      typeName: 'CatalogProductCreated',
      title: 'Product created',
      contentType: 'application/json',
      version: '1.1',
      schemaFormat: 'application/vnd.aai.asyncapi+json;version=3.0.0',
      piiFields: ['/owner_email'],
      source: { file: 'shop/catalog.yaml', pointer: '/components/messages/CatalogProductCreated' },
    });
    expect(sent?.examples).toEqual([
      {
        name: 'basic',
        payload: { product_id: 'p-1', sequence: 1, name: 'Mug', owner_email: 'a@example.com' },
        source: {
          file: 'shop/catalog.yaml',
          pointer: '/components/messages/CatalogProductCreated/examples/0',
        },
      },
    ]);
  });

  it('keeps payloads as resolved schemas with recursion as a cycle, and headers from the envelope trait', () => {
    const [message] = operation(loaded.model, 'onProductCreated').messages;
    const payload = message?.payload as { properties: { variants: { items: unknown } }; required: string[] };
    expect(payload.properties.variants.items).toBe(payload);
    expect(payload.required).toEqual(['product_id', 'sequence', 'name']);
    expect(message?.headers).toMatchObject({
      required: ['event_id', 'event_type', 'version', 'occurred_at'],
    });
    expect(JSON.stringify(message?.headers)).not.toContain('x-parser');
  });

  it('reads delivery policies and fills in what is not declared', () => {
    expect(operation(loaded.model, 'onProductCreated').delivery).toMatchObject({
      subscription: 'search-index-product',
      retry: {
        maxRetries: 5,
        backoff: 'constant',
        initialInterval: 2000,
        delays: [2000, 2000, 2000, 2000, 2000],
      },
      deadLetter: { address: 'dlq.search-index-product' },
      idempotency: { key: '$message.header#/event_id', ttl: 3_600_000, store: 'postgres' },
      handlerTimeout: 10_000,
      concurrency: 8,
      declared: { retry: true, deadLetter: false },
    });
    expect(operation(loaded.model, 'onEmailRequested').delivery).toMatchObject({
      queue: { name: 'email.requests', type: 'quorum', durable: true, deliveryLimit: 5, prefetch: 20 },
      retry: { backoff: 'fixed-delays', delays: [1000, 10_000, 60_000] },
      deadLetter: { address: 'email.errors', exchange: 'email.requests.dlx' },
    });
  });

  it('reads send-side extensions', () => {
    expect(operation(loaded.model, 'publishProductCreated')).toMatchObject({
      summary: 'A product was added to the catalog.',
      sla: { publishP95: 50, eventsPerHour: 1200 },
    });
    expect(operation(loaded.model, 'publishEmailSent').dualPublish).toEqual({
      exchange: 'legacy.notifications',
      type: 'fanout',
      envSwitch: 'ENABLE_DUAL_PUBLISH',
      defaultOn: true,
    });
    expect(operation(loaded.model, 'publishProductCreated').delivery).toBeUndefined();
  });

  it('gives the same model whatever order the documents come in', async () => {
    const { documents } = await loadDocuments([path.join(fixtures, 'shop')], { root: fixtures });
    const forward = buildModel(documents);
    const backward = buildModel([...documents].reverse());
    expect(backward.services.map((s) => s.name)).toEqual(forward.services.map((s) => s.name));
    expect(backward).toEqual(forward);
  });
});

describe('documents written without eventwire extensions', () => {
  it('still give a model: topic channels on the default pub/sub, servers of kind other', async () => {
    const { model, errors } = await load('foreign');
    expect(errors).toEqual([]);
    const [service] = model.services;
    expect(service).toMatchObject({ name: 'streetlights-kafka-api', appId: 'streetlights-kafka-api-worker' });
    expect(service?.servers.map((s) => [s.id, s.kind, s.protocol])).toEqual([['broker', 'other', 'kafka']]);
    const received = operation(model, 'receiveLightMeasurement');
    expect(received.channel).toMatchObject({
      key: 'topic:default:smartylighting.streetlights.{streetlightId}.lighting.measured',
      binding: { kind: 'topic', pubsub: 'default' },
      parameters: [{ name: 'streetlightId', description: 'The ID of the streetlight.' }],
    });
    expect(received.messages.map((m) => [m.name, m.typeName, m.contentType, m.version])).toEqual([
      ['lightMeasured', 'LightMeasured', 'application/json', '1.0'],
    ]);
    expect(received.delivery).toMatchObject({
      subscription: 'smartylighting-streetlights-streetlight-id-lighting-measured',
      declared: { retry: false, deadLetter: false },
    });
  });
});

describe('Avro payloads', () => {
  it('reach the model as the JSON Schema the Avro schema parser reads them as', async () => {
    const { model, errors } = await load('avro');
    expect(errors).toEqual([]);
    const [message] = operation(model, 'publishUserSignedUp').messages;
    expect(message?.schemaFormat).toMatch(/^application\/vnd\.apache\.avro/);
    expect(message?.payload).toMatchObject({
      type: 'object',
      required: ['user_id', 'age', 'plan'],
      properties: {
        user_id: { type: 'string' },
        age: { type: 'integer' },
        plan: { type: 'string', enum: ['FREE', 'PRO'] },
        referrer: { oneOf: [{ type: 'string' }, { type: 'null' }] },
      },
    });
  });
});

describe('the AMQP default exchange (is: queue)', () => {
  it('publishes with the queue name as routing key and consumes that very queue', async () => {
    const { model, errors } = await load('default-exchange');
    expect(errors).toEqual([]);
    const work = operation(model, 'doJob');
    expect(work.channel.binding).toMatchObject({
      kind: 'amqp',
      exchange: { name: '', type: 'direct' },
      routingKey: 'jobs',
    });
    expect(work.delivery?.queue?.name).toBe('jobs');
    expect(operation(model, 'requestJob').channel).toBe(work.channel);
    // A reply sent to a queue the requester names at run time: the routing key is a parameter.
    expect(operation(model, 'replyDone').channel.binding).toMatchObject({ routingKey: '{replyTo}' });
  });

  it('refuses a queue named at run time to receive on, and a subscriber queue under another name', async () => {
    const { errors } = await load('default-exchange-refused');
    expect(errors.map(formatDiagnosticLine)).toEqual([
      'default-exchange-refused/client.yaml:30:7 /channels/replies/bindings/amqp — operation "awaitReply" receives on channel "replies", a queue of the AMQP default exchange named at run time ("{replyTo}"), which eventwire cannot declare or consume ahead of time (receive on a queue with a fixed name (bindings.amqp.queue.name), or on a named exchange with x-eventwire-queue)',
      'default-exchange-refused/client.yaml:40:7 /operations/takeJobs/x-eventwire-queue/name — operation "takeJobs" consumes queue "my-jobs" (x-eventwire-queue), but on the AMQP default exchange channel "jobs" delivers only to queue "jobs" (drop x-eventwire-queue.name (the queue is "jobs"), or bind the channel to a named exchange)',
    ]);
  });
});

describe('contract problems found while building', () => {
  it('reports every invalid extension with its place, and still builds with defaults', async () => {
    const { model, errors } = await load('invalid/invalid-extension.yaml');
    expect(errors.map(formatDiagnosticLine)).toEqual([
      'invalid/invalid-extension.yaml:6:5 /info/x-eventwire-service/name — x-eventwire-service: "name" must match ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ (see asyncapi/extensions.schema.json for the allowed fields and values)',
      'invalid/invalid-extension.yaml:11:7 /channels/orders/x-eventwire-ordering/key — x-eventwire-ordering: "key" must match ^/ (JSON pointer into the payload: the partition key) (see asyncapi/extensions.schema.json for the allowed fields and values)',
      'invalid/invalid-extension.yaml:19:36 /channels/orders/messages/OrderPlaced/payload/properties/email/x-eventwire-pii — x-eventwire-pii: value must be one of "email", "phone", "name", "address", "ip", "payment", "secret", "other" (see asyncapi/extensions.schema.json for the allowed fields and values)',
      'invalid/invalid-extension.yaml:25:7 /operations/onOrderPlaced/x-eventwire-retry/maxRetries — x-eventwire-retry: "maxRetries" must be an integer (see asyncapi/extensions.schema.json for the allowed fields and values)',
      'invalid/invalid-extension.yaml:26:7 /operations/onOrderPlaced/x-eventwire-retry/initialInterval — x-eventwire-retry: "initialInterval" must match ^[0-9]+(ms|s|m|h)$ (A duration such as 500ms, 1s, 5m or 24h) (see asyncapi/extensions.schema.json for the allowed fields and values)',
      'invalid/invalid-extension.yaml:27:5 /operations/onOrderPlaced/x-eventwire-retries — unknown extension x-eventwire-retries (did you mean x-eventwire-retry?)',
    ]);
    expect(
      model.diagnostics.every((d) => d.code === 'lint/invalid-extension' && d.severity === 'error'),
    ).toBe(true);
    expect(model.services.map((s) => s.name)).toEqual(['bad-extensions']);
    expect(operation(model, 'onOrderPlaced').delivery?.retry.maxRetries).toBe(3);
  });

  it('reports an event defined twice differently, and two documents with one service name', async () => {
    const { errors } = await load('conflict');
    expect(errors.map(formatDiagnosticLine)).toEqual([
      'conflict/orders.yaml:2:1 /info — service "orders" is also defined by conflict/billing.yaml (give each document its own x-eventwire-service name)',
      'conflict/orders.yaml:10:7 /channels/placed/messages/OrderPlaced — message "order.placed" is defined differently here and in conflict/billing.yaml#/channels/placed/messages/OrderPlaced (define the event once and reference that definition with $ref from every document)',
    ]);
  });
});

describe("a subscriber's own view of an event", () => {
  it('stays on its receive operation, while the channel carries the published definition', async () => {
    const { model, errors } = await load('consumer-view');
    expect(errors).toEqual([]);
    const published = operation(model, 'publishOrderPlaced').messages[0];
    const view = operation(model, 'onOrderPlaced').messages[0];
    expect(view).not.toBe(published);
    expect(view?.typeName).toBe(published?.typeName);
    expect(JSON.stringify(view?.payload)).toContain('integer');
    const channel = [...model.channels.values()].find((c) => c.address === 'orders.order.placed');
    expect(channel?.messages).toEqual([published]);
  });
});

describe('type names', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'eventwire-names-'));
    const doc = (title: string, name: string) =>
      `asyncapi: 3.0.0\ninfo: { title: ${title}, version: "1" }\nchannels:\n  c:\n    address: ${name}\n    messages:\n      m: { name: ${name}, payload: { type: object } }\n`;
    await writeFile(path.join(root, 'a.yaml'), doc('A', 'order.placed'));
    await writeFile(path.join(root, 'b.yaml'), doc('B', 'order-placed'));
    await writeFile(path.join(root, 'c.yaml'), doc('C', 'order_placed'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('are unique across the model, in name order', async () => {
    const { model } = await loadModel([root], { root });
    const names = [...model.channels.values()].flatMap((c) => c.messages.map((m) => [m.name, m.typeName]));
    expect(names).toEqual([
      ['order-placed', 'OrderPlaced'],
      ['order.placed', 'OrderPlaced2'],
      ['order_placed', 'OrderPlaced3'],
    ]);
  });
});

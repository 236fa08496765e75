import { describe, expect, it } from 'vitest';
import {
  DAPR_RETRY,
  delivery,
  model as contractModel,
  receive,
  send,
  server,
  service,
} from '../test-support/model-builders.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { type Doc, docs, metadataValue, scopeMap } from './__fixtures__/parse.ts';
import { channels, platformModel } from './__fixtures__/platform.ts';
import { daprModelFindings } from './checks.ts';
import { daprComponentPlan } from './components.ts';

describe('pub/sub components', async () => {
  const model = platformModel();
  const files = await emitDapr(model);
  const [redis] = docs(files.get('dapr/pubsub-redis.yaml')?.contents);
  const [rabbit] = docs(files.get('dapr/pubsub-rabbitmq.yaml')?.contents);

  it('configures pubsub.redis from the contract x-eventwire-pubsub', () => {
    expect([redis.kind, redis.metadata.name, redis.spec.type, redis.spec.version]).toEqual([
      'Component',
      'pubsub',
      'pubsub.redis',
      'v1',
    ]);
    const values = Object.fromEntries(
      redis.spec.metadata.filter((m: Doc) => 'value' in m).map((m: Doc) => [m.name, m.value]),
    );
    expect(values).toMatchObject({
      redisHost: 'redis:6379',
      consumerID: '{appID}',
      // Milliseconds: pubsub.redis reads redeliverInterval with ParseUint only.
      redeliverInterval: '60000',
      processingTimeout: '600000',
      maxLenApprox: '10000',
      concurrency: '10',
    });
  });

  it('configures pubsub.rabbitmq for durable, persistent topic routing with dead letters', () => {
    expect([rabbit.metadata.name, rabbit.spec.type]).toEqual(['notifications-bus', 'pubsub.rabbitmq']);
    const values = Object.fromEntries(
      rabbit.spec.metadata.filter((m: Doc) => 'value' in m).map((m: Doc) => [m.name, m.value]),
    );
    expect(values).toMatchObject({
      hostname: 'rabbitmq:5672',
      exchangeKind: 'topic',
      durable: 'true',
      deletedWhenUnused: 'false',
      deliveryMode: '2',
      enableDeadLetter: 'true',
      prefetchCount: '20',
    });
  });

  it('reads credentials from a secret, never from a literal', () => {
    for (const component of [redis, rabbit]) {
      expect(component.auth).toEqual({ secretStore: 'kubernetes' });
      for (const item of component.spec.metadata) {
        if (/password|username|connectionString/i.test(item.name)) {
          expect(item.value, item.name).toBeUndefined();
          expect(item.secretKeyRef.name).toBe(`${component.metadata.name}-credentials`);
        }
      }
    }
  });

  it('lets each app publish exactly the topics its contract sends, plus its own dead letters', () => {
    const publishing = scopeMap(metadataValue(redis, 'publishingScopes').value);
    expect(publishing.get('warehouse-worker')).toEqual(['warehouse.inventory.stock_changed']);
    expect(publishing.get('catalog-worker')).toEqual([
      'catalog.product.created',
      'catalog.product.updated',
      'dlq.price-updated',
      'dlq.warehouse-stock-changed',
    ]);
    // search only consumes: it may publish nothing but its dead letters.
    expect(publishing.get('search-worker')).toEqual(['dlq.product-created', 'dlq.product-updated']);
  });

  it('lists every app of the component in both scope lists, so none falls back to "all topics"', () => {
    const publishing = scopeMap(metadataValue(redis, 'publishingScopes').value);
    const subscribing = scopeMap(metadataValue(redis, 'subscriptionScopes').value);
    expect([...publishing.keys()]).toEqual(redis.scopes);
    expect([...subscribing.keys()]).toEqual(redis.scopes);
    expect(subscribing.get('order-worker')).toEqual([]);
    expect(subscribing.get('search-worker')).toEqual(['catalog.product.created', 'catalog.product.updated']);
  });

  it('allows exactly the topics someone publishes or subscribes to', () => {
    const allowed = metadataValue(redis, 'allowedTopics').value.split(',');
    const publishing = [...scopeMap(metadataValue(redis, 'publishingScopes').value).values()].flat();
    const subscribing = [...scopeMap(metadataValue(redis, 'subscriptionScopes').value).values()].flat();
    expect(allowed).toEqual([...new Set([...publishing, ...subscribing])].sort());
    expect(allowed).not.toContain('notification.email.requested'); // that one lives on the RabbitMQ component
  });

  it('leaves out a component nobody uses instead of emitting it unscoped', async () => {
    const unused = contractModel(
      service('a', [send(`publish-${channels.created.address}`, channels.created)], {
        layout: 'asyncapi',
        title: 'a',
        servers: [server('dapr-redis', { name: 'pubsub' }), server('dapr-rabbitmq', { name: 'idle' })],
      }),
    );
    const emitted = await emitDapr(unused);
    expect(emitted.has('dapr/pubsub-redis.yaml')).toBe(true);
    expect(emitted.has('dapr/pubsub-rabbitmq.yaml')).toBe(false);
  });

  it('warns when a fixed consumerId would make subscribing apps share one consumer group', () => {
    const shared = server('dapr-redis', { name: 'pubsub', consumerId: 'everyone' });
    const plan = daprComponentPlan(
      contractModel(
        service(
          'a',
          [
            receive('on-a-created', channels.created, channels.created.messages, {
              delivery: delivery('a-created', { retry: DAPR_RETRY }),
            }),
          ],
          { layout: 'asyncapi', title: 'a', servers: [shared] },
        ),
        service(
          'b',
          [
            receive('on-b-created', channels.created, channels.created.messages, {
              delivery: delivery('b-created', { retry: DAPR_RETRY }),
            }),
          ],
          { layout: 'asyncapi', title: 'b', servers: [shared] },
        ),
      ),
    );
    expect(plan.findings.map((f) => f.code)).toContain('dapr-shared-consumer-group');
  });

  it('raises a processingTimeout shorter than the longest retry chain on the component, and says so', () => {
    const redis = (processingTimeout?: number) =>
      server('dapr-redis', { name: 'pubsub', ...(processingTimeout ? { processingTimeout } : {}) });
    const planFor = (processingTimeout?: number) =>
      daprComponentPlan(
        contractModel(
          service(
            'a',
            [
              receive('on-a-created', channels.created, channels.created.messages, {
                delivery: delivery('a-created', { retry: DAPR_RETRY }),
              }),
            ],
            { layout: 'asyncapi', title: 'a', servers: [redis(processingTimeout)] },
          ),
        ),
      );
    // The fixture's delivery: 4 deliveries x (30 s handler + 10 s), no backoff delays = 160 s.
    const short = planFor(150_000);
    expect(short.findings.map((f) => [f.code, f.message.match(/processingTimeout (\S+)/)?.[1]])).toEqual([
      ['dapr-processing-timeout', '150s'],
    ]);
    const component = short.resources.get('dapr-redis')?.[0]?.resource as Doc;
    expect(metadataValue(component, 'processingTimeout').value).toBe('160000');
    // Without a value, Dapr's own default (60 s) is as short.
    expect(planFor().findings.map((f) => f.code)).toEqual(['dapr-processing-timeout']);
    expect(planFor(600_000).findings).toEqual([]);
  });

  it('reports servers that declare one component name differently', () => {
    const findings = daprModelFindings(
      contractModel(
        service('a', [send(`publish-${channels.created.address}`, channels.created)], {
          layout: 'asyncapi',
          title: 'a',
          servers: [server('dapr-redis', { name: 'pubsub', concurrency: 5 })],
        }),
        service('b', [send(`publish-${channels.updated.address}`, channels.updated)], {
          layout: 'asyncapi',
          title: 'b',
          servers: [server('dapr-redis', { name: 'pubsub', concurrency: 9 })],
        }),
      ),
    );
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['dapr-component-conflict', 'warning']]);
  });
});

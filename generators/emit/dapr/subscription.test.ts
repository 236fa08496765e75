import { describe, expect, it } from 'vitest';
import {
  DAPR_RETRY,
  delivery,
  model as contractModel,
  receive,
  send,
  server,
  service,
  topicChannel,
} from '../test-support/model-builders.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { docs } from './__fixtures__/parse.ts';
import { channels, platformModel, fixtureMessage, FIXTURE_DOCUMENT } from './__fixtures__/platform.ts';
import { isK8sName } from './k8s-names.ts';
import { daprSubscriptionPlan } from './subscription.ts';

const redis = server('dapr-redis', { name: 'pubsub' });

describe('subscription.yaml', async () => {
  const files = await emitDapr(platformModel());

  it('writes one Subscription per consumed topic, scoped to the worker, sorted by name', () => {
    const catalog = docs(files.get('catalog/dapr/subscription.yaml')?.contents);
    expect(catalog.map((d) => [d.apiVersion, d.kind, d.spec.topic, d.scopes])).toEqual([
      ['dapr.io/v2alpha1', 'Subscription', 'pricing.price.updated', ['catalog-worker']],
      ['dapr.io/v2alpha1', 'Subscription', 'warehouse.inventory.stock_changed', ['catalog-worker']],
    ]);
    expect(catalog.map((d) => d.metadata.name)).toEqual([...catalog.map((d) => d.metadata.name)].sort());
  });

  it('routes a one-handler topic by default to /events/<name> and dead-letters to dlq.<name>', () => {
    const [price] = docs(files.get('catalog/dapr/subscription.yaml')?.contents);
    expect(price.spec).toEqual({
      pubsubname: 'pubsub',
      topic: 'pricing.price.updated',
      routes: { default: '/events/price-updated' },
      deadLetterTopic: 'dlq.price-updated',
    });
  });

  it('routes a topic carrying several message types to their handlers with CEL rules on event.type', () => {
    const [, orders] = docs(files.get('notification/dapr/subscription.yaml')?.contents);
    expect(orders.spec.topic).toBe('orders.order.events');
    expect(orders.spec.routes).toEqual({
      rules: [
        { match: 'event.type == "orders.order.created"', path: '/events/order-created' },
        { match: 'event.type == "orders.order.status_changed"', path: '/events/order-status-changed' },
      ],
      default: '/events/order-created',
    });
    expect(orders.spec.deadLetterTopic).toBe('dlq.notification-order-events');
  });

  it('declares bulk subscriptions where the contract does, and only there', () => {
    const [created, updated] = docs(files.get('search/dapr/subscription.yaml')?.contents);
    expect(created.spec.bulkSubscribe).toBeUndefined();
    expect(updated.spec.bulkSubscribe).toEqual({
      enabled: true,
      maxMessagesCount: 100,
      maxAwaitDurationMs: 1000,
    });
  });

  it("names the RabbitMQ queue where the contract does, and leaves Dapr's per-app default otherwise", () => {
    const [email] = docs(files.get('notification/dapr/subscription.yaml')?.contents);
    expect(email.spec.metadata).toEqual({ queueName: 'notification.email' });
    const [monitor] = docs(files.get('common-operations/dapr/subscription.yaml')?.contents);
    expect(monitor.spec.pubsubname).toBe('notifications-bus');
    expect(monitor.spec.metadata).toBeUndefined();
  });

  it('writes no subscription file for a service that only publishes', () => {
    expect(files.has('warehouse/dapr/subscription.yaml')).toBe(false);
    expect(files.has('order/dapr/subscription.yaml')).toBe(false);
  });

  it('keeps resource names valid and unique across services, even when two services share an app id', async () => {
    const model = contractModel(
      service(
        'a',
        [
          receive('on-product-created', channels.created, channels.created.messages, {
            delivery: delivery('product-created', { retry: DAPR_RETRY }),
          }),
        ],
        { layout: 'asyncapi', title: 'a', servers: [redis], appId: 'shared' },
      ),
      service(
        'b',
        [
          receive('on-product-created', channels.created, channels.created.messages, {
            delivery: delivery('product-created', { retry: DAPR_RETRY }),
          }),
        ],
        { layout: 'asyncapi', title: 'b', servers: [redis], appId: 'shared' },
      ),
      service(
        'c',
        [
          receive(
            'on-UPPER',
            topicChannel('Upper_Case.Topic', { messages: [fixtureMessage('x.y.z')], file: FIXTURE_DOCUMENT }),
            topicChannel('Upper_Case.Topic', { messages: [fixtureMessage('x.y.z')], file: FIXTURE_DOCUMENT })
              .messages,
            { delivery: delivery('UPPER', { retry: DAPR_RETRY }) },
          ),
        ],
        { layout: 'asyncapi', title: 'c', servers: [redis] },
      ),
    );
    const emitted = await emitDapr(model);
    const names = ['a', 'b', 'c']
      .flatMap((s) => docs(emitted.get(`${s}/dapr/subscription.yaml`)?.contents))
      .map((d) => d.metadata.name);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(isK8sName(name), name).toBe(true);
  });

  it('reports what one Dapr subscription cannot express for a shared topic', () => {
    const orders = topicChannel('orders', {
      messages: [fixtureMessage('o.created'), fixtureMessage('o.changed')],
      file: FIXTURE_DOCUMENT,
    });
    const model = contractModel(
      service(
        'n',
        [
          receive('on-first', orders, orders.messages, {
            delivery: delivery('first', { retry: DAPR_RETRY }),
          }),
          receive('on-second', orders, orders.messages, {
            delivery: delivery('second', {
              retry: DAPR_RETRY,
              bulk: { maxMessagesCount: 10, maxAwaitDuration: 100 },
            }),
          }),
        ],
        { layout: 'asyncapi', title: 'n', servers: [redis] },
      ),
    );
    const codes = daprSubscriptionPlan(model)
      .findings.map((f) => f.code)
      .sort();
    expect(codes).toEqual([
      'dapr-duplicate-route',
      'dapr-duplicate-route',
      'dapr-shared-topic-settings',
      'dapr-shared-topic-settings',
    ]);
  });

  it('ignores channels that are not on a Dapr pub/sub component', async () => {
    const model = contractModel(
      service('s', [send(`publish-${channels.created.address}`, channels.created)], {
        layout: 'asyncapi',
        title: 's',
        servers: [server('redis-streams', undefined)],
      }),
    );
    expect((await emitDapr(model)).size).toBe(0);
  });
});

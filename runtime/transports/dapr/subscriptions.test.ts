import { describe, expect, it } from 'vitest';
import { matches, routeFor } from '../../../harness/testing/dapr-sidecar/routing.ts';
import { daprSubscriptions } from './subscriptions.ts';
import { daprSpec } from './test-support.ts';

describe('daprSubscriptions', () => {
  it('maps a subscription to the programmatic form with route, dead-letter topic and metadata', () => {
    expect(daprSubscriptions([daprSpec('order-placed', 'orders.placed')])).toEqual([
      {
        pubsubname: 'pubsub',
        topic: 'orders.placed',
        routes: { default: '/events/order-placed' },
        deadLetterTopic: 'dlq.order-placed',
        metadata: {},
      },
    ]);
  });

  it('adds bulkSubscribe when the subscription is bulk', () => {
    const spec = daprSpec('bulk', 'orders.placed', {
      bulk: { maxMessagesCount: 50, maxAwaitDurationMs: 40 },
    });
    expect(daprSubscriptions([spec])[0]!.bulkSubscribe).toEqual({
      enabled: true,
      maxMessagesCount: 50,
      maxAwaitDurationMs: 40,
    });
  });

  it('merges subscriptions sharing a topic into one with a routing rule per event type', () => {
    const placed = daprSpec('placed', 'orders', {
      eventTypes: ['order.placed'],
      deadLetter: { address: 'dlq.orders' },
    });
    const changed = daprSpec('changed', 'orders', {
      eventTypes: ['order.updated', 'order.cancelled'],
      deadLetter: { address: 'dlq.orders' },
    });
    const [merged, ...rest] = daprSubscriptions([placed, changed, daprSpec('other', 'payments')]);
    expect(rest.map((subscription) => subscription.topic)).toEqual(['payments']);
    expect(merged!.routes).toEqual({
      rules: [
        { match: 'event.type == "order.placed"', path: '/events/placed' },
        {
          match: 'event.type == "order.updated" || event.type == "order.cancelled"',
          path: '/events/changed',
        },
      ],
      default: '/events/placed',
    });
    expect(routeFor(merged!, { type: 'order.cancelled' })).toBe('/events/changed');
    expect(routeFor(merged!, { type: 'order.unknown' })).toBe('/events/placed');
  });

  it('refuses merges Dapr cannot express, naming both subscriptions', () => {
    const a = daprSpec('a', 'orders', { eventTypes: ['order.placed'] });
    const b = daprSpec('b', 'orders', { eventTypes: ['order.updated'] });
    expect(() => daprSubscriptions([a, b])).toThrow(
      /'a' and 'b' share topic 'orders'.*dead-letter topics differ/,
    );
    const c = daprSpec('c', 'orders', { deadLetter: { address: 'dlq.a' } });
    expect(() => daprSubscriptions([{ ...a, deadLetter: { address: 'dlq.a' } }, c])).toThrow(
      /'order.placed' on topic 'orders' is consumed by both 'a' and 'c'/,
    );
  });

  it('refuses AMQP sources with a message that says where they belong', () => {
    const spec = daprSpec('mail', 'x', {
      source: { kind: 'amqp', exchange: 'mail', exchangeType: 'topic', routingKey: 'email.#' },
    });
    expect(() => daprSubscriptions([spec])).toThrow(/AMQP exchange 'mail'.*RabbitMQ transport/);
  });
});

describe('fake sidecar routing expressions', () => {
  it('evaluates the CEL subset and rejects the rest', () => {
    const event = { type: 'a', data: { region: 'eu' } };
    expect(matches('event.type == "a"', event)).toBe(true);
    expect(matches("event.type == 'b' || event.data.region == 'eu'", event)).toBe(true);
    expect(matches('event.type == "a" && event.data.region != "eu"', event)).toBe(false);
    expect(() => matches('size(event.data) > 1', event)).toThrow(/unsupported routing expression/);
  });
});

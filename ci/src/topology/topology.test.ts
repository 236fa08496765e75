import { describe, expect, it } from 'vitest';
import { amqp, message, model, receive, send, service, topic } from '../test-support/model-fixtures.ts';
import { addressesMatch, addressShape } from './address.ts';
import { topicMatches } from './amqp-pattern.ts';
import { addressScore, closest, segmentDistance } from './suggest.ts';
import { topologyOf } from './topology.ts';

describe('AMQP topic patterns', () => {
  it.each([
    ['email.#', 'email', true],
    ['email.#', 'email.welcome', true],
    ['email.#', 'email.verification.requested', true],
    ['email.*', 'email.welcome', true],
    ['email.*', 'email', false],
    ['email.*', 'email.a.b', false],
    ['#', 'anything.at.all', true],
    ['#.requested', 'email.verification.requested', true],
    ['#.requested', 'requested', true],
    ['*.*.requested', 'email.verification.requested', true],
    ['email.#.requested', 'email.requested', true],
    ['email.#.requested', 'email.a.b.requested', true],
    ['email.#.requested', 'email.a.b.sent', false],
    ['user.*.created', 'user.{id}.created', true],
    ['order.created', 'order.created', true],
    ['order.created', 'order.updated', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

describe('addresses', () => {
  it('parameters match by position whatever their names', () => {
    expect(addressShape('user.{id}.x')).toBe(addressShape('user.{userId}.x'));
    expect(
      addressesMatch(
        { address: 'user.{id}.x', parameters: [] },
        { address: 'user.{userId}.x', parameters: [] },
      ),
    ).toBe(true);
    expect(
      addressesMatch({ address: 'user.{id}.x', parameters: [] }, { address: 'user.x.{id}', parameters: [] }),
    ).toBe(false);
    expect(
      addressesMatch({ address: 'user.{id}.x', parameters: [] }, { address: 'user.7.x', parameters: [] }),
    ).toBe(true);
    expect(
      addressesMatch({ address: 'user.{id}.x', parameters: [] }, { address: 'user.7.8.x', parameters: [] }),
    ).toBe(false);
  });
});

describe('suggestions', () => {
  it('prefers a suffix match (missing domain prefix) and tolerates typos per segment', () => {
    expect(addressScore('product.created', 'catalog.product.created')).toBeLessThan(
      segmentDistance('product.created', 'product.deleted'),
    );
    const published = ['catalog.product.created', 'catalog.product.deleted', 'orders.order.created'].map(
      (address) => ({ address }),
    );
    expect(closest('product.created', published)?.address).toBe('catalog.product.created');
    expect(closest('orders.ordr.created', published)?.address).toBe('orders.order.created');
    expect(closest('billing.invoice.paid', published)).toBeUndefined();
  });
});

describe('topology', () => {
  const msg = message('order.order.created', { type: 'object' });
  it("a subscription's dead-letter topic is published by that subscription", () => {
    const m = model([
      service('order', [send('publish', topic('order.order.created', [msg]))]),
      service('billing', [receive('onCreated', topic('order.order.created', [msg]))]),
      service('ops', [receive('monitor', topic('dlq.onCreated', [msg]))]),
    ]);
    const t = topologyOf(m);
    const monitor = t.receives.find((r) => r.operation.id === 'monitor');
    const publishers = t.publishersOf.get(monitor!) ?? [];
    expect(publishers.map((p) => [p.origin, p.service, p.label])).toEqual([
      ['dead-letter', 'billing', "dead letters of billing's `onCreated`"],
    ]);
  });
  it('is computed once per model', () => {
    const m = model([service('order', [send('publish', amqp('a.b.c', [msg]))])]);
    expect(topologyOf(m)).toBe(topologyOf(m));
  });
});

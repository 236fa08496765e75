import { describe, expect, it } from 'vitest';
import {
  amqp,
  message,
  model,
  objectSchema,
  receive,
  send,
  service,
  topic,
} from '../test-support/model-fixtures.ts';
import { runDiff } from './run-diff.ts';
import { schemaChanges } from './schema-changes.ts';

const summary = (changes: ReturnType<typeof runDiff>) =>
  changes.map((c) => [c.rule, c.classification, c.affects.join(',')]);

describe('schemaChanges: direction decides', () => {
  const old = objectSchema({ id: { type: 'string' }, status: { enum: ['a', 'b'] } }, ['id']);
  const added = objectSchema({ id: { type: 'string' }, status: { enum: ['a', 'b', 'c'] } }, ['id']);
  it('a new enum value breaks for a sender and not for a receiver', () => {
    expect(schemaChanges(old, added, 'send').map((c) => [c.rule, c.classification, c.schemaPointer])).toEqual(
      [['schema/enum-value-added', 'breaking', '/properties/status']],
    );
    expect(schemaChanges(old, added, 'receive').map((c) => c.classification)).toEqual(['non-breaking']);
    expect(schemaChanges(added, old, 'receive').map((c) => [c.rule, c.classification])).toEqual([
      ['schema/enum-value-removed', 'breaking'],
    ]);
  });
  it('one change per field: a removed required field is one change, not two', () => {
    const removed = objectSchema({ status: { enum: ['a', 'b'] } });
    expect(schemaChanges(old, removed, 'send').map((c) => [c.rule, c.schemaPointer])).toEqual([
      ['schema/property-removed', '/properties/id'],
    ]);
  });
  it('identical schemas (other objects, other order, other docs) have no changes', () => {
    const same = objectSchema({ status: { enum: ['b', 'a'], description: 'x' }, id: { type: 'string' } }, [
      'id',
    ]);
    expect(schemaChanges(old, same, 'send')).toEqual([]);
  });
});

describe('runDiff', () => {
  const v1 = message(
    'order.order.created',
    objectSchema({ id: { type: 'string' }, note: { type: 'string' } }, ['id', 'note']),
    {
      source: { file: 'asyncapi/order.yaml', pointer: '/components/messages/OrderCreated' },
    },
  );
  const v2 = { ...v1, payload: objectSchema({ id: { type: 'string' }, note: { type: 'string' } }, ['id']) };
  const world = (m: typeof v1, extra: { renamed?: boolean } = {}) =>
    model([
      service('order', [send(extra.renamed ? 'announce' : 'publish', topic('order.order.created', [m]))]),
      service('billing', [receive('onCreated', topic('order.order.created', [m]))]),
      service('audit', [receive('onCreated', topic('order.order.created', [m]))]),
    ]);

  it('affects names the other side; the receive view of a shared message is merged into one change', () => {
    expect(summary(runDiff(world(v1), world(v2)))).toEqual([
      ['schema/required-removed', 'breaking', 'audit,billing'],
      ['schema/required-removed', 'non-breaking', 'order'],
    ]);
    const merged = runDiff(world(v1), world(v2))[1];
    expect(merged?.message).toContain("audit's `onCreated`");
    expect(merged?.message).toContain("billing's `onCreated`");
    expect(merged?.service).toBeUndefined();
  });

  it('a renamed operation on the same channel is one non-breaking change', () => {
    expect(summary(runDiff(world(v1), world(v1, { renamed: true })))).toEqual([
      ['diff/operation-renamed', 'non-breaking', 'audit,billing'],
    ]);
  });

  it('a service that disappears removes all its operations; a new one only adds', () => {
    const without = model([service('order', [send('publish', topic('order.order.created', [v1]))])]);
    expect(summary(runDiff(world(v1), without))).toEqual([
      ['diff/operation-removed', 'breaking', 'order'],
      ['diff/operation-removed', 'breaking', 'order'],
    ]);
    expect(summary(runDiff(without, world(v1)))).toEqual([
      ['diff/operation-added', 'non-breaking', 'order'],
      ['diff/operation-added', 'non-breaking', 'order'],
    ]);
  });

  it('an operation moved to another address with the same messages is an address change', () => {
    const before = model([service('identity', [send('welcome', amqp('email.welcome', [v1]))])]);
    const after = model([service('identity', [send('sendWelcome', amqp('mail.welcome', [v1]))])]);
    expect(summary(runDiff(before, after))).toEqual([
      ['diff/address-changed', 'breaking', ''],
      ['diff/operation-renamed', 'non-breaking', ''],
    ]);
  });

  it('a durable exchange redeclared as transient is breaking', () => {
    const before = model([service('identity', [send('welcome', amqp('email.welcome', [v1]))])]);
    const after = model([
      service('identity', [send('welcome', amqp('email.welcome', [v1], { durable: false }))]),
    ]);
    expect(summary(runDiff(before, after))).toEqual([['diff/exchange-changed', 'breaking', '']]);
  });

  it('a service renamed in its own document (info.title) is paired, not removed and added', () => {
    const receiver = (name: string, appId?: string) => ({
      ...service(name, [receive('onCreated', topic('order.order.created', [v1]))], 'asyncapi/billing.yaml'),
      ...(appId ? { appId } : {}),
    });
    const sender = service('order', [send('publish', topic('order.order.created', [v1]))]);
    const renamed = summary(
      runDiff(model([sender, receiver('billing')]), model([sender, receiver('invoicing')])),
    );
    expect(renamed).toEqual([['diff/service-renamed', 'undecidable', 'order']]);
    const keptAppId = runDiff(
      model([sender, receiver('billing', 'billing-worker')]),
      model([sender, receiver('invoicing', 'billing-worker')]),
    );
    expect(summary(keptAppId)).toEqual([['diff/service-renamed', 'non-breaking', 'order']]);
  });

  it('two services from different files are not paired by a rename', () => {
    const before = model([service('billing', [receive('onCreated', topic('order.order.created', [v1]))])]);
    const after = model([
      service('billing', [receive('onCreated', topic('order.order.created', [v1]))]),
      service('audit', [receive('onCreated', topic('order.order.created', [v1]))]),
    ]);
    expect(summary(runDiff(before, after)).map(([rule]) => rule)).toEqual(['diff/operation-added']);
  });

  it('a server whose protocol or host changes is a breaking change for every operation on it, only those', () => {
    const server = (id: string, protocol: string, host: string) => ({
      id,
      kind: 'other' as const,
      protocol,
      host,
      source: { file: 'asyncapi/order.yaml', pointer: `/servers/${id}` },
    });
    const world = (production: ReturnType<typeof server>) => {
      const order = service('order', [
        { ...send('publish', topic('order.order.created', [v1])), servers: ['production'] },
        { ...send('audit', topic('order.order.audited', [v1])), servers: ['archive'] },
      ]);
      return model([{ ...order, servers: [production, server('archive', 'kafka', 'archive:9092')] }]);
    };
    const before = world(server('production', 'amqp', 'rabbit:5672'));
    expect(runDiff(before, world(server('production', 'amqp', 'rabbit:5672')))).toEqual([]);
    const changes = runDiff(before, world(server('production', 'kafka', 'kafka:9092')));
    expect(changes.map((c) => [c.rule, c.classification, c.operation, c.pointer])).toEqual([
      ['diff/server-changed', 'breaking', 'publish', '/servers/production'],
    ]);
    expect(changes[0]?.message).toContain('protocol "amqp" -> "kafka", host "rabbit:5672" -> "kafka:9092"');
  });
});

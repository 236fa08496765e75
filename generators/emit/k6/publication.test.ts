import { describe, expect, it } from 'vitest';
import {
  amqpChannel,
  model as contractModel,
  example,
  message,
  send,
  service,
  topicChannel,
  TEST_DOCUMENT,
} from '../test-support/model-builders.ts';
import { shopModel } from '../docs/__fixtures__/shop-model.ts';
import { PARAMETER_FALLBACK, publicationOf, semver } from './publication.ts';

describe('semver', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['1.2.3-rc.1', '1.2.3-rc.1'],
    ['1.2', '1.2.0'],
    ['v1', '0.0.0'],
  ])('%s -> %s', (version, expected) => {
    expect(semver(version)).toBe(expected);
  });
});

describe('publicationOf', () => {
  const [catalog, notification] = shopModel().services;

  it('describes a Dapr publication with its ordering and every message that has an example', () => {
    const operation = catalog!.operations.find((op) => op.id === 'publishProductCreated')!;
    const publication = publicationOf(catalog!, operation);
    expect(publication).toMatchObject({
      operation: 'publishProductCreated',
      service: { name: 'catalog', version: '1.0.0' },
      destination: { kind: 'topic', pubsub: 'pubsub', topic: 'catalog.product.created' },
      ordering: { key: '/product_id', sequence: '/sequence' },
    });
    expect(publication.events.map((e) => [e.eventType, e.version])).toEqual([
      ['catalog.product.created', '1.1'],
    ]);
    expect(publication.events[0]?.example).toBe(operation.messages[0]?.examples[0]?.payload);
  });

  it('describes an AMQP publication with its dual-publish switch', () => {
    const publication = publicationOf(notification!, notification!.operations[0]!);
    expect(publication.destination).toEqual({
      kind: 'amqp',
      exchange: 'notifications',
      exchangeType: 'topic',
      routingKey: 'email.requested',
      vhost: 'shop',
    });
    expect(publication.dualPublish).toEqual({
      exchange: 'legacy.email',
      exchangeType: 'fanout',
      envSwitch: 'ENABLE_DUAL_PUBLISH',
      defaultOn: true,
    });
  });

  it('fills address parameters with their first allowed value, else a placeholder', () => {
    const m = message('a.b.c', { type: 'object' }, { file: TEST_DOCUMENT, examples: [example({})] });
    const channel = topicChannel('t.{region}.{tenant}', {
      messages: [m],
      file: TEST_DOCUMENT,
      parameters: [{ name: 'region', enum: ['eu', 'us'] }, { name: 'tenant' }],
    });
    const routed = amqpChannel(
      'k.{region}',
      { name: 'x', type: 'topic', durable: true, autoDelete: false, vhost: '/' },
      { messages: [m], file: TEST_DOCUMENT },
    );
    const s = service(
      's',
      [send('pub', channel), send('pubAmqp', { ...routed, parameters: [{ name: 'region' }] })],
      { layout: 'asyncapi' },
    );
    contractModel(s);
    expect(publicationOf(s, s.operations[0]!).destination).toMatchObject({
      topic: `t.eu.${PARAMETER_FALLBACK}`,
    });
    expect(publicationOf(s, s.operations[1]!).destination).toMatchObject({
      routingKey: `k.${PARAMETER_FALLBACK}`,
    });
  });
});

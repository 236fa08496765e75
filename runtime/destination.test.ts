import { describe, expect, it } from 'vitest';
import { destinationLabel, resolveDestination } from './destination.ts';
import { MissingParameterError } from './errors.ts';
import type { Destination } from './spec.ts';

describe('destinations', () => {
  const topic: Destination = { kind: 'topic', pubsub: 'pubsub', topic: 'orders.{region}.{kind}' };
  const amqp: Destination = {
    kind: 'amqp',
    exchange: 'smap.events',
    exchangeType: 'topic',
    routingKey: 'email.{type}',
  };

  it('fills every placeholder from the parameters', () => {
    expect(resolveDestination(topic, { region: 'eu', kind: 'created', extra: 'x' })).toEqual({
      ...topic,
      topic: 'orders.eu.created',
    });
    expect(resolveDestination(amqp, { type: 'verification' })).toMatchObject({
      routingKey: 'email.verification',
    });
  });

  it('returns the same object when there is nothing to fill', () => {
    const plain: Destination = { kind: 'topic', pubsub: 'p', topic: 'a.b' };
    expect(resolveDestination(plain, undefined)).toBe(plain);
  });

  it('throws a typed error naming the missing or empty parameter', () => {
    expect(() => resolveDestination(topic, { region: 'eu' })).toThrow(MissingParameterError);
    try {
      resolveDestination(topic, { region: '', kind: 'x' });
    } catch (error) {
      expect((error as MissingParameterError).parameter).toBe('region');
      expect((error as Error).message).toContain('options.parameters.region');
    }
    expect.assertions(3);
  });

  it('labels with the unfilled template (bounded metric cardinality)', () => {
    expect(destinationLabel(topic)).toBe('orders.{region}.{kind}');
    expect(destinationLabel(amqp)).toBe('smap.events/email.{type}');
  });
});

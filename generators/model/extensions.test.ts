import { describe, expect, it } from 'vitest';
import { checkExtensions, isValidExtension, knownExtensions } from './extensions.ts';

describe('x-eventwire-* extensions', () => {
  it('knows every extension of the schema', () => {
    expect(knownExtensions()).toEqual([
      'x-eventwire-dead-letter',
      'x-eventwire-dual-publish',
      'x-eventwire-idempotency',
      'x-eventwire-ordering',
      'x-eventwire-pii',
      'x-eventwire-pubsub',
      'x-eventwire-queue',
      'x-eventwire-retry',
      'x-eventwire-service',
      'x-eventwire-sla',
      'x-eventwire-subscription',
      'x-eventwire-version',
    ]);
  });

  it.each([
    ['x-eventwire-retry', { maxRetries: 3, backoff: 'exponential', initialInterval: '1s' }, true],
    ['x-eventwire-retry', { maxRetries: -1 }, false],
    ['x-eventwire-version', '1.2', true],
    ['x-eventwire-version', 1.2, false],
    ['x-eventwire-pii', 'email', true],
    ['x-eventwire-pii', 'mail', false],
    ['x-eventwire-subscription', { name: 'index-products', bulk: { maxMessagesCount: 10 } }, true],
    ['x-eventwire-subscription', { name: 'IndexProducts' }, false],
  ])('%s %j valid: %s', (name, value, valid) => {
    expect(isValidExtension(name, value)).toBe(valid);
  });

  it.each([
    ['a valid document', { info: { 'x-eventwire-service': { name: 'catalog' } } }, []],
    [
      'a misspelled extension',
      { operations: { a: { 'x-eventwire-deadletter': { address: 'dlq.a' } } } },
      [
        {
          pointer: '/operations/a/x-eventwire-deadletter',
          message: 'unknown extension x-eventwire-deadletter',
          hint: 'did you mean x-eventwire-dead-letter?',
        },
      ],
    ],
    [
      'a bad duration and an unknown field',
      { operations: { a: { 'x-eventwire-idempotency': { ttl: '1 day', scope: 'all' } } } },
      [
        {
          pointer: '/operations/a/x-eventwire-idempotency/scope',
          message: 'x-eventwire-idempotency: property "scope" is not allowed here',
        },
        {
          pointer: '/operations/a/x-eventwire-idempotency/ttl',
          message:
            'x-eventwire-idempotency: "ttl" must match ^[0-9]+(ms|s|m|h)$ (A duration such as 500ms, 1s, 5m or 24h)',
        },
      ],
    ],
    [
      'a duration written as a bare number',
      { operations: { a: { 'x-eventwire-idempotency': { ttl: 24 } } } },
      [
        {
          pointer: '/operations/a/x-eventwire-idempotency/ttl',
          message: 'x-eventwire-idempotency: "ttl" must be a string',
          expected:
            'A duration such as 500ms, 1s, 5m or 24h. Write it with its unit, quoted: "24h" or "24s".',
        },
      ],
    ],
    [
      'pii on a property called "default"',
      { properties: { default: { type: 'string', 'x-eventwire-pii': 'secrets' } } },
      [
        {
          pointer: '/properties/default/x-eventwire-pii',
          message:
            'x-eventwire-pii: value must be one of "email", "phone", "name", "address", "ip", "payment", "secret", "other"',
        },
      ],
    ],
    [
      'keys inside example data',
      { examples: [{ 'x-eventwire-anything': 1 }], default: { 'x-eventwire-x': 1 } },
      [],
    ],
  ])('checks %s', (_, data, problems) => {
    const sorted = checkExtensions(data).sort((a, b) => a.pointer.localeCompare(b.pointer));
    expect(sorted).toEqual(problems);
  });
});

import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../generators/model/types.ts';
import { emptyConfig } from '../config/config.ts';
import {
  delivery,
  message,
  model,
  objectSchema,
  receive,
  send,
  service,
  topic,
} from '../test-support/model-fixtures.ts';
import { keyTouchesPii } from './lint-pii-key.ts';
import { runCheck } from './run-check.ts';

const payment = message(
  'payments.payment.captured',
  objectSchema({ payment_id: { type: 'string' }, customer: objectSchema({ email: { type: 'string' } }) }),
  { piiFields: ['/customer/email'] },
);

const findings = (m: ReturnType<typeof model>) =>
  runCheck(m, emptyConfig('/project'), { cwd: '/project' }).filter((f) => f.code === 'lint/pii-key');

const withKey = (key: string) => ({
  delivery: { ...delivery('on-captured'), idempotency: { key, ttl: 86_400_000, store: 'redis' as const } },
});

describe('lint/pii-key', () => {
  it.each([
    ['/customer/email', '/customer/email', true],
    ['/customer', '/customer/email', true],
    ['/customer/email/domain', '/customer/email', true],
    ['/items/0/email', '/items/*/email', true],
    ['', '/customer/email', true],
    ['/payment_id', '/customer/email', false],
    ['/customer/name', '/customer/email', false],
  ])('key %j and PII field %j overlap: %s', (key, field, expected) => {
    expect(keyTouchesPii(key, field)).toBe(expected);
  });

  it('warns when an idempotency key reads a PII field, not when it reads an id', () => {
    const channel = topic('payments.payment.captured', [payment]);
    const m = model([
      service('payments', [send('capture', channel)]),
      service('ledger', [
        receive('byEmail', channel, withKey('$message.payload#/customer/email')),
        receive('byId', channel, withKey('$message.payload#/payment_id')),
        receive('byEvent', channel),
      ]),
    ]);
    const found = findings(m);
    expect(found.map((f) => [f.pointer, f.severity])).toEqual([['/operations/byEmail', 'warning']]);
    expect(found[0]?.message).toContain('/customer/email');
  });

  it('warns when a channel is ordered by a PII field', () => {
    const ordered: Channel = {
      ...topic('payments.payment.captured', [payment]),
      ordering: { key: '/customer/email', sequence: '/seq', bufferTimeout: 300_000 },
    };
    const found = findings(model([service('payments', [send('capture', ordered)])]));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('ordered by `/customer/email`');
  });
});

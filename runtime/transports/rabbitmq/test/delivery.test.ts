import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { attemptOf, deadLetterProperties, retryCopyProperties, toDelivery } from '../delivery.ts';

const source = {
  kind: 'amqp',
  exchange: 'smap.events',
  exchangeType: 'topic',
  routingKey: 'email.#',
} as const;
const plan = { source, retryExchange: 'smtp_send_email_v2.retry' };

function consumed(
  headers: Record<string, unknown>,
  routingKey = 'email.verification.requested',
  exchange = 'smap.events',
  redelivered = false,
) {
  return {
    content: Buffer.from('{}'),
    fields: { deliveryTag: 7, redelivered, exchange, routingKey, consumerTag: 'c' },
    properties: {
      headers,
      messageId: 'evt-1',
      type: 'email.verification.requested',
      contentType: 'application/json',
    },
  } as unknown as ConsumeMessage;
}

/** A retry copy back from the delay queue: delivered by the retry exchange with the work queue's name as key. */
const retried = (headers: Record<string, unknown>, redelivered = false) =>
  consumed(headers, 'smtp_send_email_v2', plan.retryExchange, redelivered);

describe('AMQP delivery mapping', () => {
  it('counts the first delivery as attempt 1, retry copies by header, redeliveries by x-delivery-count', () => {
    expect(attemptOf(consumed({}), plan)).toBe(1);
    expect(attemptOf(retried({ 'x-eventwire-attempt': 3 }), plan)).toBe(3);
    expect(attemptOf(retried({ 'x-eventwire-attempt': 3, 'x-delivery-count': 2 }, true), plan)).toBe(5);
    expect(attemptOf(retried({ 'x-eventwire-attempt': 'garbage' }), plan)).toBe(1);
  });

  it('never takes an attempt count from what a publisher wrote', () => {
    // A fresh message (not back from the retry exchange) is attempt 1 whatever its headers say...
    expect(attemptOf(consumed({ 'x-eventwire-attempt': '7' }), plan)).toBe(1);
    // ...and x-delivery-count counts only on a message the broker flags redelivered (it then overwrites it).
    expect(attemptOf(consumed({ 'x-delivery-count': 1000 }), plan)).toBe(1);
    expect(attemptOf(consumed({ 'x-delivery-count': 2 }, undefined, undefined, true), plan)).toBe(3);
    // A classic queue does not count redeliveries: a redelivered message is at least one.
    expect(attemptOf(consumed({}, undefined, undefined, true), plan)).toBe(2);
  });

  it('keeps the original routing key through the retry loop and exposes string headers and native properties', () => {
    const back = retried({
      'x-eventwire-original-routing-key': 'email.verification.requested',
      'x-death': [{ count: 1 }],
      traceparent: '00-1',
      'x-eventwire-attempt': 2,
    });
    const delivery = toDelivery(back, plan);
    expect(delivery.address).toBe('email.verification.requested');
    expect(delivery.attempt).toBe(2);
    expect(delivery.id).toBe('7');
    expect(delivery.headers).toEqual({
      event_id: 'evt-1',
      event_type: 'email.verification.requested',
      'x-eventwire-original-routing-key': 'email.verification.requested',
      traceparent: '00-1',
      'x-eventwire-attempt': '2',
      'content-type': 'application/json',
    });
  });

  it('builds every delivery with one shared headers getter (no object literal with a getter per message)', () => {
    const [a, b] = [toDelivery(retried({ traceparent: '00-1' }), plan), toDelivery(retried({}), plan)];
    expect(Object.getOwnPropertyDescriptor(a, 'headers')).toBeUndefined();
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(a.headers.traceparent).toBe('00-1');
    expect(a.headers).toBe(a.headers);
  });

  it('makes a retry copy with the next attempt, the origin, the error, and without broker death headers', () => {
    const message = consumed(
      { traceparent: '00-1', 'x-death': [], 'x-delivery-count': 1 },
      undefined,
      undefined,
      true,
    );
    const props = retryCopyProperties(message, plan, { kind: 'retry', delayMs: 1000, error: 'boom' });
    // A wait keeps the attempt the message is at.
    const wait = retryCopyProperties(message, plan, {
      kind: 'retry',
      delayMs: 1000,
      error: 'held',
      wait: true,
    });
    expect(wait.headers?.['x-eventwire-attempt']).toBe(2);
    expect(props).toMatchObject({
      persistent: true,
      messageId: 'evt-1',
      type: 'email.verification.requested',
    });
    expect(props.headers).toEqual({
      traceparent: '00-1',
      'x-eventwire-attempt': 3,
      'x-eventwire-last-error': 'boom',
      'x-eventwire-original-routing-key': 'email.verification.requested',
      'x-eventwire-original-exchange': 'smap.events',
    });
  });

  it('labels a dead letter with reason, attempts, subscription and a bounded error', () => {
    const back = retried({
      'x-eventwire-attempt': 4,
      'x-eventwire-original-routing-key': 'email.verification.requested',
    });
    const props = deadLetterProperties(back, plan, 'smtp-send-email', {
      reason: 'invalid-payload',
      error: 'x'.repeat(5000),
    });
    expect(props.headers).toMatchObject({
      'x-eventwire-dead-letter-reason': 'invalid-payload',
      'x-eventwire-attempts': 4,
      'x-eventwire-subscription': 'smtp-send-email',
      'x-eventwire-original-routing-key': 'email.verification.requested',
    });
    expect(String(props.headers['x-eventwire-dead-letter-error']).length).toBeLessThanOrEqual(1000);
    expect(Date.parse(String(props.headers['x-eventwire-dead-lettered-at']))).not.toBeNaN();
  });
});

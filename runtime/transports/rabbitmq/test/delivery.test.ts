import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { attemptOf, deadLetterProperties, retryCopyProperties, toDelivery } from '../delivery.ts';

const source = {
  kind: 'amqp',
  exchange: 'smap.events',
  exchangeType: 'topic',
  routingKey: 'email.#',
} as const;

function consumed(
  headers: Record<string, unknown>,
  routingKey = 'email.verification.requested',
  exchange = 'smap.events',
) {
  return {
    content: Buffer.from('{}'),
    fields: { deliveryTag: 7, redelivered: false, exchange, routingKey, consumerTag: 'c' },
    properties: {
      headers,
      messageId: 'evt-1',
      type: 'email.verification.requested',
      contentType: 'application/json',
    },
  } as unknown as ConsumeMessage;
}

describe('AMQP delivery mapping', () => {
  it('counts the first delivery as attempt 1, retry copies by header, redeliveries by x-delivery-count', () => {
    expect(attemptOf(consumed({}))).toBe(1);
    expect(attemptOf(consumed({ 'x-eventwire-attempt': 3 }))).toBe(3);
    expect(attemptOf(consumed({ 'x-eventwire-attempt': 3, 'x-delivery-count': 2 }))).toBe(5);
    expect(attemptOf(consumed({ 'x-eventwire-attempt': 'garbage' }))).toBe(1);
  });

  it('keeps the original routing key through the retry loop and exposes string headers and native properties', () => {
    const back = consumed(
      {
        'x-eventwire-original-routing-key': 'email.verification.requested',
        'x-death': [{ count: 1 }],
        traceparent: '00-1',
        'x-eventwire-attempt': 2,
      },
      'smtp_send_email_v2',
      'smtp_send_email_v2.retry',
    );
    const delivery = toDelivery(back, source);
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

  it('makes a retry copy with the next attempt, the origin, the error, and without broker death headers', () => {
    const props = retryCopyProperties(
      consumed({ traceparent: '00-1', 'x-death': [], 'x-delivery-count': 1 }),
      'boom',
    );
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
    const props = deadLetterProperties(
      consumed({ 'x-eventwire-attempt': 4 }),
      'smtp-send-email',
      'invalid-payload',
      'x'.repeat(5000),
    );
    expect(props.headers).toMatchObject({
      'x-eventwire-dead-letter-reason': 'invalid-payload',
      'x-eventwire-attempts': 4,
      'x-eventwire-subscription': 'smtp-send-email',
      'x-eventwire-original-routing-key': 'email.verification.requested',
    });
    expect(String(props.headers['x-eventwire-dead-letter-error']).length).toBeLessThanOrEqual(1001);
    expect(Date.parse(String(props.headers['x-eventwire-dead-lettered-at']))).not.toBeNaN();
  });
});

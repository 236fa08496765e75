import type { MessageProperties } from 'amqplib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../transport.ts';
import { headersOf, publishProperties } from '../properties.ts';

function outgoing(headers: Record<string, string>, orderingKey?: string): OutgoingMessage {
  return {
    destination: { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: 'order.created' },
    eventId: headers.event_id ?? 'evt-1',
    eventType: headers.event_type ?? 'order.created',
    body: Buffer.from('{}'),
    contentType: 'application/json',
    headers,
    ...(orderingKey === undefined ? {} : { orderingKey }),
  };
}

/** What a consumer sees: the properties as published, headers as the broker hands them back. */
function received(published: ReturnType<typeof publishProperties>): MessageProperties {
  return published as unknown as MessageProperties;
}

describe('AMQP message properties', () => {
  it('carries event id, type and correlation id as native properties, not as header-table entries', () => {
    const properties = publishProperties(
      outgoing(
        {
          event_id: 'evt-1',
          event_type: 'order.created',
          correlation_id: 'corr-1',
          causation_id: 'evt-0',
          traceparent: '00-abc-def-01',
        },
        'order-7',
      ),
    );
    expect(properties).toMatchObject({
      persistent: true,
      messageId: 'evt-1',
      type: 'order.created',
      correlationId: 'corr-1',
      contentType: 'application/json',
    });
    expect(properties.headers).toEqual({
      causation_id: 'evt-0',
      traceparent: '00-abc-def-01',
      'x-eventwire-ordering-key': 'order-7',
    });
  });

  it('leaves correlation id unset when the message has none', () => {
    expect(publishProperties(outgoing({ event_id: 'evt-1' }))).not.toHaveProperty('correlationId');
  });

  it('gives the consumer back every header the publisher sent, plus content-type', () => {
    const name = fc.constantFrom(
      'event_id',
      'event_type',
      'correlation_id',
      'causation_id',
      'traceparent',
      'x-y',
    );
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ minLength: 1 })), (headers) => {
        const message = outgoing(headers);
        // The ids always travel as properties; a consumer sees them even when the header map lacked them.
        const expected = {
          ...headers,
          event_id: message.eventId,
          event_type: message.eventType,
          'content-type': 'application/json',
        };
        expect(headersOf(received(publishProperties(message)))).toEqual(expected);
      }),
    );
  });

  it('prefers an explicit header over the property of the same meaning (messages from other producers)', () => {
    const properties = { messageId: 'from-property', headers: { event_id: 'from-header' } };
    expect(headersOf(properties as unknown as MessageProperties).event_id).toBe('from-header');
  });
});

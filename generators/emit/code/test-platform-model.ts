/**
 * A platform-sized model for timing and determinism checks: 21 services, each publishing three events with
 * realistic payloads (nested objects, arrays, enums, formats, a shared money type) and consuming three events of
 * its neighbours, over Dapr topics and RabbitMQ alternately.
 */
import type { ContractModel, Message } from '../../model/types.ts';
import {
  amqpChannel,
  message,
  model,
  receive,
  send,
  service,
  topicChannel,
} from '../test-support/model-builders.ts';

export const PLATFORM_SERVICES = [
  'order',
  'checkout',
  'payment',
  'catalog',
  'search',
  'warehouse',
  'pricing',
  'promotion',
  'fulfillment',
  'shipping',
  'location',
  'customer',
  'auth',
  'user',
  'review',
  'loyalty',
  'notification',
  'analytics',
  'return',
  'common-operations',
  'identity',
] as const;

const money = {
  title: 'Money',
  type: 'object',
  properties: {
    amount: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] },
  },
  required: ['amount', 'currency'],
  additionalProperties: false,
};

function payload(domain: string, entity: string): Record<string, unknown> {
  return {
    type: 'object',
    description: `The ${entity} of the ${domain} domain.`,
    properties: {
      [`${entity}_id`]: { type: 'string', format: 'uuid' },
      tenant: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,30}$' },
      status: { type: 'string', enum: ['pending', 'active', 'done', 'failed'] },
      total: money,
      lines: {
        type: 'array',
        maxItems: 500,
        items: {
          type: 'object',
          properties: {
            sku: { type: 'string', minLength: 1, maxLength: 64 },
            quantity: { type: 'integer', minimum: 1 },
            unit_price: money,
          },
          required: ['sku', 'quantity'],
        },
      },
      address: {
        type: 'object',
        properties: {
          street: { type: 'string' },
          city: { type: 'string' },
          country: { type: 'string', minLength: 2, maxLength: 2 },
        },
      },
      email: { type: 'string', format: 'email' },
      occurred_at: { type: 'string', format: 'date-time' },
      sequence: { type: 'integer', minimum: 0 },
      attributes: { type: 'object', additionalProperties: { type: 'string' } },
      note: { anyOf: [{ type: 'string', maxLength: 1000 }, { type: 'null' }] },
    },
    required: [`${entity}_id`, 'status', 'occurred_at', 'sequence'],
  };
}

export function platformModel(): ContractModel {
  const published = new Map<string, Message[]>();
  for (const name of PLATFORM_SERVICES) {
    published.set(
      name,
      ['created', 'updated', 'deleted'].map((action) =>
        message(`${name}.record.${action}`, payload(name, 'record'), {
          summary: `A ${name} record was ${action}.`,
        }),
      ),
    );
  }
  const channelFor = (index: number, m: Message) =>
    index % 2 === 0
      ? topicChannel(m.name, { messages: [m] })
      : amqpChannel(m.name, { name: 'events' }, { messages: [m] });

  return model(
    ...PLATFORM_SERVICES.map((name, index) => {
      const own = published.get(name)!;
      const neighbour = PLATFORM_SERVICES[(index + 1) % PLATFORM_SERVICES.length]!;
      const theirs = published.get(neighbour)!;
      return service(name, [
        ...own.map((m) => send(`publish ${m.name}`, channelFor(index, m), [m])),
        ...theirs.map((m) => receive(`on ${m.name}`, channelFor(index + 1, m), [m])),
      ]);
    }),
  );
}

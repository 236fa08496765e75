/** Full runtime specs for the identity fixture, as generated contract.ts files would hand them to the runtime. */
import type { SubscriptionSpec } from '../../../../runtime/spec.ts';
import { amqpSpecsFromModel } from '../specs.ts';
import { identityModel } from './identity.fixture.ts';

export function identitySubscriptionSpecs(vhost: string): SubscriptionSpec[] {
  const model = identityModel(vhost);
  return amqpSpecsFromModel(model).subscriptions.map((spec) => {
    const operation = model.services.flatMap((s) => s.operations).find((op) => op.id === spec.operation)!;
    return {
      ...spec,
      route: `/events/${spec.name}`,
      eventTypes: operation.messages.map((m) => m.name),
      idempotency: { key: '$message.header#/event_id', ttlMs: 86_400_000, store: 'memory' },
      handlerTimeoutMs: 30_000,
      concurrency: operation.delivery!.concurrency,
    };
  });
}

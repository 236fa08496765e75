/**
 * SubscriptionSpecs -> Dapr programmatic subscriptions (the `GET /dapr/subscribe` answer). Pure, so the
 * declarative subscription.yaml emitter can be checked against it.
 *
 * Dapr allows one subscription per (pubsub, topic) per app. Specs of one service that share a topic are
 * therefore merged into one subscription whose routing rules send each event type to its own route
 * (`event.type` is the CloudEvent type, i.e. the envelope's event_type); they must agree on everything that
 * is per-subscription in Dapr (dead-letter topic, bulk settings). The merged subscription's default route is
 * the first spec's: daprd dead-letters events that match no rule and have no default, and an event type this
 * service does not consume should reach a pipeline (which decides about it, as it does for a single
 * subscription with only a default route), not the dead-letter topic.
 */
import type { SubscriptionSpec } from '../../spec.ts';
import type { BulkSubscribeOptions, ProgrammaticSubscription, RoutingRule } from './protocol.ts';

export function daprSubscriptions(specs: readonly SubscriptionSpec[]): ProgrammaticSubscription[] {
  const byTopic = new Map<string, SubscriptionSpec[]>();
  for (const spec of specs) {
    const { pubsub, topic } = topicOf(spec);
    const key = `${pubsub}\u0000${topic}`;
    byTopic.set(key, [...(byTopic.get(key) ?? []), spec]);
  }
  return [...byTopic.values()].map(toSubscription);
}

function topicOf(spec: SubscriptionSpec): { pubsub: string; topic: string } {
  if (spec.source.kind !== 'topic') {
    throw new Error(
      `Subscription '${spec.name}' (${spec.service}) consumes from AMQP exchange '${spec.source.exchange}'; ` +
        `Dapr subscriptions need a topic on a pub/sub component. Run it on the RabbitMQ transport, or bind ` +
        `the channel to a server with x-eventwire-pubsub in the contract.`,
    );
  }
  return spec.source;
}

function toSubscription(group: readonly SubscriptionSpec[]): ProgrammaticSubscription {
  const first = group[0]!;
  const { pubsub, topic } = topicOf(first);
  for (const other of group.slice(1)) assertMergeable(first, other, topic);
  const bulk = bulkOptions(first);
  return {
    pubsubname: pubsub,
    topic,
    routes:
      group.length === 1
        ? { default: first.route }
        : { rules: routingRules(group, topic), default: first.route },
    deadLetterTopic: first.deadLetter.address,
    // On a RabbitMQ pub/sub component the contract's queue name is per-subscription metadata.
    metadata: first.queue ? { queueName: first.queue.name } : {},
    ...(bulk ? { bulkSubscribe: bulk } : {}),
  };
}

function routingRules(group: readonly SubscriptionSpec[], topic: string): RoutingRule[] {
  const owner = new Map<string, string>();
  return group.map((spec) => {
    if (spec.eventTypes.length === 0) {
      throw new Error(
        `Subscriptions ${group.map((s) => `'${s.name}'`).join(', ')} share topic '${topic}', so Dapr must ` +
          `route by event type, but '${spec.name}' lists no event types. Declare its messages in the contract.`,
      );
    }
    for (const type of spec.eventTypes) {
      const taken = owner.get(type);
      if (taken !== undefined) {
        throw new Error(
          `Event type '${type}' on topic '${topic}' is consumed by both '${taken}' and '${spec.name}'; Dapr ` +
            `delivers an event to one route per app. Merge the two operations or move one to another service.`,
        );
      }
      owner.set(type, spec.name);
    }
    const match = spec.eventTypes.map((type) => `event.type == ${JSON.stringify(type)}`).join(' || ');
    return { match, path: spec.route };
  });
}

function assertMergeable(first: SubscriptionSpec, other: SubscriptionSpec, topic: string): void {
  const problems: string[] = [];
  if (first.deadLetter.address !== other.deadLetter.address) {
    problems.push(
      `dead-letter topics differ ('${first.deadLetter.address}' vs '${other.deadLetter.address}')`,
    );
  }
  if (JSON.stringify(bulkOptions(first)) !== JSON.stringify(bulkOptions(other))) {
    problems.push('bulk settings differ');
  }
  if (problems.length > 0) {
    throw new Error(
      `Subscriptions '${first.name}' and '${other.name}' share topic '${topic}' and become one Dapr ` +
        `subscription, but ${problems.join(' and ')}. Give them the same x-eventwire-dead-letter and bulk settings.`,
    );
  }
}

function bulkOptions(spec: SubscriptionSpec): BulkSubscribeOptions | undefined {
  if (!spec.bulk) return undefined;
  return {
    enabled: true,
    maxMessagesCount: spec.bulk.maxMessagesCount,
    maxAwaitDurationMs: spec.bulk.maxAwaitDurationMs,
  };
}

/**
 * `<service>/dapr/subscription.yaml`: one `dapr.io/v2alpha1` Subscription per topic the service's worker consumes.
 * Dapr allows one subscription per app and topic, so when several receive operations share a topic each message
 * type gets a CEL routing rule to its own handler route; otherwise the single route is the default.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { daprDiagnostic } from './diagnostic.ts';
import type { ContractModel } from '../../model/types.ts';
import { MANAGED_BY_LABEL, SERVICE_LABEL } from './defaults.ts';
import { uniqueK8sNames } from './k8s-names.ts';
import { type DaprTopicSubscription, daprTopology } from './topology.ts';
import type { Resource } from './yaml-out.ts';

export interface SubscriptionResource {
  readonly subscription: DaprTopicSubscription;
  readonly resource: Resource;
}

export interface SubscriptionPlan {
  /** Per service name, sorted by resource name. */
  readonly byService: ReadonlyMap<string, readonly SubscriptionResource[]>;
  readonly findings: readonly Diagnostic[];
}

const cache = new WeakMap<ContractModel, SubscriptionPlan>();

export function daprSubscriptionPlan(model: ContractModel): SubscriptionPlan {
  const cached = cache.get(model);
  if (cached) return cached;
  const { subscriptions } = daprTopology(model);
  const names = uniqueK8sNames(new Map(subscriptions.map((s, index) => [String(index), candidateName(s)])));
  const byService = new Map<string, SubscriptionResource[]>();
  const findings: Diagnostic[] = [];
  subscriptions.forEach((subscription, index) => {
    const resource = subscriptionResource(
      subscription,
      names.get(String(index)) ?? candidateName(subscription),
    );
    findings.push(...routeConflicts(subscription));
    const list = byService.get(subscription.service.name) ?? [];
    list.push({ subscription, resource });
    byService.set(subscription.service.name, list);
  });
  for (const list of byService.values())
    list.sort((a, b) => (a.resource.metadata.name < b.resource.metadata.name ? -1 : 1));
  const plan = { byService, findings };
  cache.set(model, plan);
  return plan;
}

/** `<appId>-<subscription>` for a one-route topic (matches route and dead letter), `<appId>-<topic>` otherwise. */
function candidateName(subscription: DaprTopicSubscription): string {
  const [only] = subscription.routes;
  const suffix = subscription.routes.length === 1 && only ? only.delivery.subscription : subscription.topic;
  return `${subscription.service.appId}-${suffix}`;
}

/** The CEL expression Dapr evaluates against the CloudEvent; the runtime publishes `type` = the event type. */
export function eventTypeMatch(eventType: string): string {
  return `event.type == ${JSON.stringify(eventType)}`;
}

function routesOf(subscription: DaprTopicSubscription) {
  const [only] = subscription.routes;
  if (subscription.routes.length === 1 && only) return { default: only.delivery.route };
  // The default route matches the runtime's programmatic answer (runtime/transports/dapr/subscriptions.ts):
  // an event type no rule names still reaches a pipeline, which dead-letters it with the reason recorded.
  return {
    rules: subscription.routes.flatMap((route) =>
      route.eventTypes.map((eventType) => ({ match: eventTypeMatch(eventType), path: route.delivery.route })),
    ),
    ...(only ? { default: only.delivery.route } : {}),
  };
}

function subscriptionResource(subscription: DaprTopicSubscription, name: string): Resource {
  const { service, component, topic, routes } = subscription;
  const [first] = routes;
  const bulk = first?.delivery.bulk;
  const queue = first?.delivery.queue?.name;
  return {
    apiVersion: 'dapr.io/v2alpha1',
    kind: 'Subscription',
    metadata: { name, labels: { ...MANAGED_BY_LABEL, [SERVICE_LABEL]: service.name } },
    spec: {
      pubsubname: component.name,
      topic,
      routes: routesOf(subscription),
      ...(first ? { deadLetterTopic: first.delivery.deadLetter.address } : {}),
      ...(bulk
        ? {
            bulkSubscribe: {
              enabled: true,
              maxMessagesCount: bulk.maxMessagesCount,
              maxAwaitDurationMs: bulk.maxAwaitDuration,
            },
          }
        : {}),
      // RabbitMQ names the queue `{consumerID}-{topic}`, already one per app and topic with consumerID {appID};
      // a contract that names its queue (to keep an existing one) gets exactly that queue.
      ...(component.kind === 'dapr-rabbitmq' && queue ? { metadata: { queueName: queue } } : {}),
    },
    scopes: [service.appId],
  };
}

/** What one Dapr subscription cannot express when several operations share a topic. */
function routeConflicts(subscription: DaprTopicSubscription): Diagnostic[] {
  const findings: Diagnostic[] = [];
  const [first, ...others] = subscription.routes;
  if (!first) return findings;
  const where = `app '${subscription.service.appId}' on topic '${subscription.topic}'`;
  const seen = new Map<string, string>();
  for (const route of subscription.routes) {
    for (const eventType of route.eventTypes) {
      const owner = seen.get(eventType);
      if (owner && owner !== route.operation.id) {
        findings.push(
          daprDiagnostic({
            severity: 'error',
            code: 'dapr-duplicate-route',
            message:
              `${where}: event type '${eventType}' is received by both '${owner}' and '${route.operation.id}'; ` +
              'Dapr delivers an event to one route per app. Give each operation distinct messages.',
            source: route.operation.source,
          }),
        );
      }
      seen.set(eventType, route.operation.id);
    }
  }
  for (const route of others) {
    const differs = (label: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) === JSON.stringify(b)) return;
      findings.push(
        daprDiagnostic({
          severity: 'warning',
          code: 'dapr-shared-topic-settings',
          message:
            `${where}: '${route.operation.id}' declares a different ${label} than '${first.operation.id}', but one ` +
            `Dapr subscription has one ${label}; the generated subscription uses that of '${first.operation.id}'.`,
          source: route.operation.source,
        }),
      );
    };
    differs('dead-letter topic', route.delivery.deadLetter.address, first.delivery.deadLetter.address);
    differs('bulk setting', route.delivery.bulk, first.delivery.bulk);
    differs('queue', route.delivery.queue?.name, first.delivery.queue?.name);
  }
  return findings;
}

/**
 * The Dapr view of the contract model: which pub/sub components exist, who subscribes to which topic on them (grouped
 * the way Dapr needs it: one subscription per app, component and topic) and who publishes what, dead letters included
 * (the subscriber's sidecar publishes them). Every Dapr emitter and check reads this view, so they cannot disagree.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { daprDiagnostic } from './diagnostic.ts';
import type {
  ContractModel,
  DeliveryPolicy,
  Operation,
  PubSubComponent,
  Service,
  SourceRef,
} from '../../model/types.ts';

export type DaprPubSubKind = 'dapr-redis' | 'dapr-rabbitmq';

export interface DaprComponent {
  readonly name: string;
  readonly kind: DaprPubSubKind;
  readonly host: string;
  readonly settings: PubSubComponent;
  /** Services whose contracts declare the component, sorted. */
  readonly declaredBy: readonly string[];
  readonly source: SourceRef;
}

export interface DaprRoute {
  readonly operation: Operation;
  readonly delivery: DeliveryPolicy;
  /** `event_type` values this route handles (the operation's messages). */
  readonly eventTypes: readonly string[];
}

/** What one Subscription resource describes: one app on one topic, possibly with several routes. */
export interface DaprTopicSubscription {
  readonly service: Service;
  readonly component: DaprComponent;
  readonly topic: string;
  /** Sorted by subscription name. */
  readonly routes: readonly DaprRoute[];
}

export interface DaprPublication {
  readonly service: Service;
  readonly component: DaprComponent;
  readonly topic: string;
  readonly reason: 'send' | 'dead-letter';
  readonly source: SourceRef;
}

export interface DaprTopology {
  /** Sorted by name. */
  readonly components: readonly DaprComponent[];
  /** Sorted by service, component and topic. */
  readonly subscriptions: readonly DaprTopicSubscription[];
  readonly publications: readonly DaprPublication[];
  readonly findings: readonly Diagnostic[];
}

const DAPR_KINDS: ReadonlySet<string> = new Set<DaprPubSubKind>(['dapr-redis', 'dapr-rabbitmq']);
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const cache = new WeakMap<ContractModel, DaprTopology>();

/** Computed once per model: the subscription, component and resiliency emitters all call it. */
export function daprTopology(model: ContractModel): DaprTopology {
  const cached = cache.get(model);
  if (cached) return cached;
  const findings: Diagnostic[] = [];
  const components = collectComponents(model, findings);
  const { subscriptions, publications } = collectUses(model, components, findings);
  const topology: DaprTopology = {
    components: [...components.values()].sort((a, b) => byText(a.name, b.name)),
    subscriptions,
    publications,
    findings,
  };
  cache.set(model, topology);
  return topology;
}

function collectComponents(model: ContractModel, findings: Diagnostic[]): Map<string, DaprComponent> {
  const components = new Map<string, DaprComponent>();
  for (const service of [...model.services].sort((a, b) => byText(a.name, b.name))) {
    for (const server of service.servers) {
      if (!DAPR_KINDS.has(server.kind) || !server.pubsub) continue;
      const kind = server.kind as DaprPubSubKind;
      const known = components.get(server.pubsub.name);
      if (!known) {
        const component = { name: server.pubsub.name, kind, host: server.host, settings: server.pubsub };
        components.set(server.pubsub.name, {
          ...component,
          declaredBy: [service.name],
          source: server.source,
        });
        continue;
      }
      components.set(known.name, { ...known, declaredBy: [...new Set([...known.declaredBy, service.name])] });
      const same =
        known.kind === kind &&
        known.host === server.host &&
        JSON.stringify(known.settings) === JSON.stringify(server.pubsub);
      if (!same) {
        findings.push(
          daprDiagnostic({
            severity: known.kind === kind ? 'warning' : 'error',
            code: 'dapr-component-conflict',
            message:
              `pub/sub component '${known.name}' is declared differently by ${known.declaredBy.join(', ')} and ` +
              `${service.name}; the generated component uses the declaration of ${known.declaredBy[0]}. ` +
              'Make every server with this x-eventwire-pubsub name identical (kind, host and settings).',
            source: server.source,
          }),
        );
      }
    }
  }
  return components;
}

function collectUses(
  model: ContractModel,
  components: ReadonlyMap<string, DaprComponent>,
  findings: Diagnostic[],
): { subscriptions: DaprTopicSubscription[]; publications: DaprPublication[] } {
  const grouped = new Map<
    string,
    { service: Service; component: DaprComponent; topic: string; routes: DaprRoute[] }
  >();
  const publications: DaprPublication[] = [];
  for (const service of model.services) {
    for (const operation of service.operations) {
      const binding = operation.channel.binding;
      if (binding.kind !== 'topic') continue;
      const component = components.get(binding.pubsub);
      if (!component) continue; // not a Dapr channel (e.g. Redis Streams used directly by the runtime)
      const topic = operation.channel.address;
      if (topic.includes('{')) {
        findings.push(
          daprDiagnostic({
            severity: 'error',
            code: 'dapr-topic-parameter',
            message: `Dapr topics cannot be templated: channel address '${topic}' has parameters. Use one channel per topic.`,
            source: operation.channel.source,
          }),
        );
        continue;
      }
      if (operation.action === 'send') {
        publications.push({ service, component, topic, reason: 'send', source: operation.source });
        continue;
      }
      if (!operation.delivery) {
        findings.push(
          daprDiagnostic({
            severity: 'error',
            code: 'dapr-receive-without-delivery',
            message: `receive operation '${operation.id}' has no delivery policy, so no Dapr subscription can be generated.`,
            source: operation.source,
          }),
        );
        continue;
      }
      const messages = operation.messages.length > 0 ? operation.messages : operation.channel.messages;
      const route = {
        operation,
        delivery: operation.delivery,
        eventTypes: messages.map((m) => m.name).sort(byText),
      };
      const key = JSON.stringify([service.name, component.name, topic]);
      const group = grouped.get(key) ?? { service, component, topic, routes: [] };
      group.routes.push(route);
      grouped.set(key, group);
      publications.push({
        service,
        component,
        topic: operation.delivery.deadLetter.address,
        reason: 'dead-letter',
        source: operation.source,
      });
    }
  }
  const subscriptions = [...grouped.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([, group]) => ({
      ...group,
      routes: group.routes.sort((a, b) => byText(a.delivery.subscription, b.delivery.subscription)),
    }));
  return { subscriptions, publications };
}

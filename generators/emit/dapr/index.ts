/**
 * Dapr emitters: declarative subscriptions, pub/sub components with topic scoping, resiliency policies and the
 * workers' pod annotations, all derived from the contract model (see README.md for deploying them).
 */
import type { ContractModel, Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { type AnnotationOptions, deploymentPatch } from './annotations.ts';
import { daprComponentPlan } from './components.ts';
import { daprResiliencyPlan } from './resiliency.ts';
import { daprSubscriptionPlan } from './subscription.ts';
import { daprTopology } from './topology.ts';
import { renderResources } from './yaml-out.ts';

export const DAPR_PATHS = {
  subscription: (service: string) => `${service}/dapr/subscription.yaml`,
  annotations: (service: string) => `${service}/dapr/annotations.yaml`,
  redis: 'dapr/pubsub-redis.yaml',
  rabbitmq: 'dapr/pubsub-rabbitmq.yaml',
  resiliency: 'dapr/resiliency.yaml',
} as const;

const generated = (path: string, contents: string, sources: readonly string[]): GeneratedFile => ({
  path,
  contents,
  ownership: 'generated',
  sources,
});

/** Services that publish or subscribe through a Dapr pub/sub component: their workers need a sidecar. */
export function daprServices(model: ContractModel): Service[] {
  const topology = daprTopology(model);
  const names = new Set([...topology.subscriptions, ...topology.publications].map((use) => use.service.name));
  return model.services.filter((service) => names.has(service.name));
}

export const daprSubscriptionsPlugin: EmitterPlugin = {
  name: 'dapr-subscriptions',
  description:
    'Dapr v2alpha1 Subscription resources per consuming service (<service>/dapr/subscription.yaml)',
  emit(model) {
    const { byService } = daprSubscriptionPlan(model);
    return model.services.flatMap((service) => {
      const resources = byService.get(service.name);
      if (!resources || resources.length === 0) return [];
      // The first document carries the note: both forms come from the same contract, and daprd uses the
      // programmatic one where both name a topic.
      const contents = renderResources(
        resources.map(({ resource }, index) =>
          index === 0 ? { resource, comment: PRECEDENCE_NOTE } : { resource },
        ),
      );
      return [generated(DAPR_PATHS.subscription(service.name), contents, [service.source.file])];
    });
  },
};

/**
 * dapr pkg/runtime/compstore/subscriptions.go ListSubscriptionsAppByPubSub: a programmatic subscription replaces
 * the declarative one for the same pub/sub and topic; among declarative ones the first loaded wins.
 */
const PRECEDENCE_NOTE =
  'The worker also answers these subscriptions on GET /dapr/subscribe (the same contract, checked equal in the\n' +
  "tests). Where both name a pub/sub and topic, daprd uses the app's programmatic one and ignores this file's\n" +
  '(compstore/subscriptions.go); apply this file for apps that do not serve /dapr/subscribe, or to see the\n' +
  'subscriptions in the cluster.';

export const daprComponentsPlugin: EmitterPlugin = {
  name: 'dapr-components',
  description:
    'Dapr pub/sub Components with topic scoping (dapr/pubsub-redis.yaml, dapr/pubsub-rabbitmq.yaml)',
  emit(model) {
    const plan = daprComponentPlan(model);
    const files: GeneratedFile[] = [];
    for (const [kind, path] of [
      ['dapr-redis', DAPR_PATHS.redis],
      ['dapr-rabbitmq', DAPR_PATHS.rabbitmq],
    ] as const) {
      const resources = plan.resources.get(kind);
      if (resources && resources.length > 0)
        files.push(generated(path, renderResources(resources), plan.sources.get(kind) ?? []));
    }
    return files;
  },
};

export const daprResiliencyPlugin: EmitterPlugin = {
  name: 'dapr-resiliency',
  description:
    'Dapr Resiliency per app: inbound retries and timeouts, outbound timeouts and circuit breakers',
  emit(model) {
    const plan = daprResiliencyPlan(model);
    if (plan.resources.length === 0) return [];
    return [generated(DAPR_PATHS.resiliency, renderResources(plan.resources), plan.sources)];
  },
};

export function daprAnnotationsPlugin(options: AnnotationOptions = {}): EmitterPlugin {
  return {
    name: 'dapr-annotations',
    description: 'Dapr sidecar pod annotations as a Deployment patch (<service>/dapr/annotations.yaml)',
    emit(model) {
      return daprServices(model).map((service) =>
        generated(
          DAPR_PATHS.annotations(service.name),
          renderResources([{ resource: deploymentPatch(service, options) }]),
          [service.source.file],
        ),
      );
    },
  };
}

export function createDaprPlugins(options: AnnotationOptions = {}): readonly EmitterPlugin[] {
  return [
    daprSubscriptionsPlugin,
    daprComponentsPlugin,
    daprResiliencyPlugin,
    daprAnnotationsPlugin(options),
  ];
}

export const daprPlugins: readonly EmitterPlugin[] = createDaprPlugins();

/**
 * `dapr/pubsub-redis.yaml` and `dapr/pubsub-rabbitmq.yaml`: the pub/sub Component resources, one per component
 * name the contracts use, with topic scoping derived from who sends and receives what. Credentials come from a
 * Kubernetes secret through `secretKeyRef`; no password is ever written into a generated file.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { daprDiagnostic } from './diagnostic.ts';
import { DAPR_REDIS_DEFAULTS, daprTiming } from '../../model/dapr-timing.ts';
import { formatDuration } from '../../model/duration.ts';
import type { ContractModel } from '../../model/types.ts';
import {
  CONSUMER_ID_PER_APP,
  MANAGED_BY_LABEL,
  RABBITMQ_PASSWORD_KEY,
  RABBITMQ_PREFETCH_MAX,
  RABBITMQ_USERNAME_KEY,
  REDIS_PASSWORD_KEY,
  SECRET_STORE,
  secretName,
} from './defaults.ts';
import { type ComponentScopes, componentScopes, formatScopes } from './scopes.ts';
import { type DaprComponent, type DaprPubSubKind, type DaprTopology, daprTopology } from './topology.ts';
import { formatMetadata, METADATA_PARSING } from './metadata-parsing.ts';
import type { RenderedResource } from './yaml-out.ts';

type MetadataItem =
  | { name: string; value: string }
  | { name: string; secretKeyRef: { name: string; key: string } };

const secret = (component: DaprComponent, key: string, field: string): MetadataItem => ({
  name: field,
  secretKeyRef: { name: secretName(component.name), key },
});

/** Metadata items in the form the component parses (metadata-parsing.ts); undefined values are left out. */
function metadataItems(
  type: keyof typeof METADATA_PARSING,
  values: Readonly<Record<string, string | number | boolean | undefined>>,
): MetadataItem[] {
  return Object.entries(values).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const key = METADATA_PARSING[type][name];
    if (!key) throw new Error(`${type} metadata '${name}' has no parsing rule in metadata-parsing.ts`);
    return [{ name, value: formatMetadata(key.parse, value) }];
  });
}

/** Kind-specific part of each component: its Dapr type, broker metadata and the secret keys an operator provides. */
const BROKER: Record<
  DaprPubSubKind,
  { type: string; secretKeys: readonly string[]; metadata(c: DaprComponent, t: DaprTopology): MetadataItem[] }
> = {
  'dapr-redis': {
    type: 'pubsub.redis',
    secretKeys: [REDIS_PASSWORD_KEY],
    metadata: (component, topology) => [
      ...metadataItems('pubsub.redis', { redisHost: component.host }),
      secret(component, REDIS_PASSWORD_KEY, 'redisPassword'),
      ...metadataItems('pubsub.redis', {
        consumerID: component.settings.consumerId ?? CONSUMER_ID_PER_APP,
        // Milliseconds: pubsub.redis reads redeliverInterval with ParseUint only (a `15s` is ignored).
        redeliverInterval: component.settings.redeliverInterval,
        processingTimeout: processingTimeout(component, topology).value,
        maxLenApprox: component.settings.maxLenApprox,
        concurrency: component.settings.concurrency,
      }),
    ],
  },
  'dapr-rabbitmq': {
    type: 'pubsub.rabbitmq',
    secretKeys: [RABBITMQ_USERNAME_KEY, RABBITMQ_PASSWORD_KEY],
    metadata: (component, topology) => [
      ...metadataItems('pubsub.rabbitmq', { protocol: 'amqp', hostname: component.host }),
      secret(component, RABBITMQ_USERNAME_KEY, 'username'),
      secret(component, RABBITMQ_PASSWORD_KEY, 'password'),
      ...metadataItems('pubsub.rabbitmq', {
        consumerID: component.settings.consumerId ?? CONSUMER_ID_PER_APP,
        exchangeKind: 'topic',
        durable: true,
        // Dapr's default would delete a queue (and the messages in it) when its last consumer disconnects.
        deletedWhenUnused: false,
        deliveryMode: 2,
        publisherConfirm: true,
        enableDeadLetter: true,
        requeueInFailure: false,
        prefetchCount: rabbitPrefetch(component, topology),
      }),
    ],
  },
};

/**
 * processingTimeout from the timing rule (model/dapr-timing.ts): at least the longest retry chain of a
 * subscription on the component, so pubsub.redis never claims again an entry daprd is still retrying. A contract
 * value below that is raised, and `raisedFrom` says so.
 */
function processingTimeout(
  component: DaprComponent,
  topology: DaprTopology,
): { value: number | undefined; raisedFrom?: number; needed: number } {
  const needed = Math.max(
    0,
    ...topology.subscriptions
      .filter((s) => s.component === component)
      .flatMap((s) =>
        s.routes.map((r) => daprTiming(r.delivery, r.operation.channel.ordering).minProcessingTimeoutMs),
      ),
  );
  const declared = component.settings.processingTimeout;
  const effective = declared ?? DAPR_REDIS_DEFAULTS.processingTimeout;
  if (effective >= needed) return { value: declared, needed };
  return { value: needed, needed, ...(declared !== undefined ? { raisedFrom: declared } : {}) };
}

/** The largest concurrency any subscription on the component asks for, within RabbitMQ's 8-bit prefetch field. */
function rabbitPrefetch(component: DaprComponent, topology: DaprTopology): number | undefined {
  const wanted = topology.subscriptions
    .filter((s) => s.component === component)
    .flatMap((s) => s.routes.map((r) => r.delivery.queue?.prefetch ?? r.delivery.concurrency));
  return wanted.length === 0 ? undefined : Math.min(RABBITMQ_PREFETCH_MAX, Math.max(...wanted));
}

function componentResource(component: DaprComponent, topology: DaprTopology, scopes: ComponentScopes) {
  const broker = BROKER[component.kind];
  const resource = {
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Component',
    metadata: { name: component.name, labels: { ...MANAGED_BY_LABEL } },
    spec: {
      type: broker.type,
      version: 'v1',
      metadata: [
        ...broker.metadata(component, topology),
        ...metadataItems(broker.type as keyof typeof METADATA_PARSING, {
          publishingScopes: formatScopes(scopes.publishing),
          subscriptionScopes: formatScopes(scopes.subscribing),
          allowedTopics: scopes.allowedTopics.join(','),
        }),
      ],
    },
    auth: { secretStore: SECRET_STORE },
    scopes: [...scopes.apps],
  };
  const literals = broker.secretKeys.map((key) => `--from-literal=${key}=...`).join(' ');
  const comment = `Needs the secret ${secretName(component.name)}: kubectl create secret generic ${secretName(component.name)} ${literals}`;
  return { resource, comment };
}

export interface ComponentPlan {
  readonly resources: ReadonlyMap<DaprPubSubKind, readonly RenderedResource[]>;
  /** Contract files of the services that use each kind of component. */
  readonly sources: ReadonlyMap<DaprPubSubKind, readonly string[]>;
  readonly findings: readonly Diagnostic[];
}

export function daprComponentPlan(model: ContractModel): ComponentPlan {
  const topology = daprTopology(model);
  const resources = new Map<DaprPubSubKind, RenderedResource[]>();
  const sources = new Map<DaprPubSubKind, Set<string>>();
  const findings: Diagnostic[] = [];
  for (const component of topology.components) {
    const scopes = componentScopes(topology, component);
    findings.push(...scopes.findings, ...sharedGroupFindings(component, scopes));
    if (component.kind === 'dapr-redis') findings.push(...processingTimeoutFindings(component, topology));
    // An unused component is left out: with empty `scopes` Dapr would load it into every app, unscoped.
    if (scopes.apps.length === 0) continue;
    resources.set(component.kind, [
      ...(resources.get(component.kind) ?? []),
      componentResource(component, topology, scopes),
    ]);
    const files = sources.get(component.kind) ?? new Set<string>();
    for (const service of model.services)
      if (scopes.apps.includes(service.appId)) files.add(service.source.file);
    sources.set(component.kind, files);
  }
  return { resources, sources: new Map([...sources].map(([k, v]) => [k, [...v].sort()])), findings };
}

function processingTimeoutFindings(component: DaprComponent, topology: DaprTopology): Diagnostic[] {
  const { value, needed } = processingTimeout(component, topology);
  const declared = component.settings.processingTimeout ?? DAPR_REDIS_DEFAULTS.processingTimeout;
  if (value === undefined || declared >= needed) return [];
  return [
    daprDiagnostic({
      severity: 'warning',
      code: 'dapr-processing-timeout',
      message:
        `pub/sub component '${component.name}': processingTimeout ${formatDuration(declared)} is shorter than the ` +
        `longest retry chain of its subscriptions (${formatDuration(needed)}: (maxRetries + 1) x (handler timeout + ` +
        `ordering buffer + 10 s) + the retry delays); pubsub.redis would redeliver events daprd is still retrying ` +
        `(dapr/dapr#3481). The generated component uses ${formatDuration(needed)}.`,
      source: component.source,
    }),
  ];
}

/** A fixed consumerID puts every app into one consumer group: apps would steal each other's events. */
function sharedGroupFindings(component: DaprComponent, scopes: ComponentScopes): Diagnostic[] {
  const consumerId = component.settings.consumerId;
  const subscribers = [...scopes.subscribing].filter(([, topics]) => topics.length > 0).length;
  if (consumerId === undefined || consumerId.includes(CONSUMER_ID_PER_APP) || subscribers < 2) return [];
  return [
    daprDiagnostic({
      severity: 'warning',
      code: 'dapr-shared-consumer-group',
      message:
        `pub/sub component '${component.name}' sets consumerId '${consumerId}' for ${subscribers} subscribing apps: ` +
        `they share one consumer group and each event reaches only one of them. Remove consumerId (eventwire ` +
        `uses ${CONSUMER_ID_PER_APP}) or include ${CONSUMER_ID_PER_APP} in it.`,
      source: component.source,
    }),
  ];
}

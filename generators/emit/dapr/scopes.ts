/**
 * Topic scoping for a pub/sub component (`publishingScopes`, `subscriptionScopes`, `allowedTopics`). Dapr lets an app
 * that is missing from a scope list use every topic, so every app that loads the component is listed, with an
 * empty list when the contracts give it nothing: no service can publish or subscribe to a topic its contract does
 * not declare. Dead-letter topics count as publications of the subscriber, because its sidecar publishes them.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { daprDiagnostic } from './diagnostic.ts';
import type { SourceRef } from '../../model/types.ts';
import type { DaprComponent, DaprTopology } from './topology.ts';

export interface ComponentScopes {
  /** App ids allowed to load the component (the resource's `scopes`), sorted. */
  readonly apps: readonly string[];
  readonly publishing: ReadonlyMap<string, readonly string[]>;
  readonly subscribing: ReadonlyMap<string, readonly string[]>;
  readonly allowedTopics: readonly string[];
  readonly findings: readonly Diagnostic[];
}

/** Characters that would break the `app=topic1,topic2;app2=topic3` format. */
const SEPARATORS = /[,;=\s]/;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function componentScopes(topology: DaprTopology, component: DaprComponent): ComponentScopes {
  const publishing = new Map<string, Set<string>>();
  const subscribing = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, app: string, topic?: string) => {
    const topics = map.get(app) ?? new Set<string>();
    if (topic !== undefined) topics.add(topic);
    map.set(app, topics);
  };
  const findings: Diagnostic[] = [];
  const checkName = (topic: string, source: SourceRef) => {
    if (!SEPARATORS.test(topic)) return;
    findings.push(
      daprDiagnostic({
        severity: 'error',
        code: 'dapr-topic-name',
        message:
          `topic '${topic}' contains ',', ';', '=' or white space, which Dapr topic scoping ` +
          '(app=topic1,topic2;app2=topic3) cannot express. Rename the channel address or dead-letter address.',
        source,
      }),
    );
  };
  for (const publication of topology.publications) {
    if (publication.component !== component) continue;
    add(publishing, publication.service.appId, publication.topic);
    add(subscribing, publication.service.appId);
    checkName(publication.topic, publication.source);
  }
  for (const subscription of topology.subscriptions) {
    if (subscription.component !== component) continue;
    add(subscribing, subscription.service.appId, subscription.topic);
    add(publishing, subscription.service.appId);
    checkName(subscription.topic, subscription.routes[0]?.operation.source ?? subscription.service.source);
  }
  const freeze = (map: Map<string, Set<string>>) =>
    new Map([...map].map(([app, topics]) => [app, sorted(topics)]));
  const allTopics = [...publishing.values(), ...subscribing.values()].flatMap((topics) => [...topics]);
  return {
    apps: sorted([...publishing.keys(), ...subscribing.keys()]),
    publishing: freeze(publishing),
    subscribing: freeze(subscribing),
    allowedTopics: sorted(allTopics),
    findings,
  };
}

/** `app1=topic1,topic2;app2=` — apps sorted, topics sorted. */
export function formatScopes(scopes: ReadonlyMap<string, readonly string[]>): string {
  return [...scopes.keys()]
    .sort()
    .map((app) => `${app}=${(scopes.get(app) ?? []).join(',')}`)
    .join(';');
}

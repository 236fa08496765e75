/**
 * `dapr/resiliency.yaml`: one `dapr.io/v1alpha1` Resiliency per app, scoped to that app. Inbound (sidecar -> app,
 * i.e. event delivery) gets the contract's retry policy and the handler timeout, so an event is retried
 * `maxRetries` times and then goes to the subscription's dead-letter topic. Outbound (sidecar -> broker, i.e.
 * publishing and dead-lettering) gets a timeout and a circuit breaker.
 *
 * Dapr applies resiliency per component, not per topic: when one app's subscriptions on a component declare
 * different retry policies, the most patient one (most retries) is used and a finding says so.
 */
import { formatDuration } from '../../model/duration.ts';
import type { ContractModel, ModelDiagnostic, RetryPolicy } from '../../model/types.ts';
import { MANAGED_BY_LABEL, OUTBOUND_BREAKER, OUTBOUND_TIMEOUT_MS } from './defaults.ts';
import { uniqueK8sNames } from './k8s-names.ts';
import { componentScopes } from './scopes.ts';
import { type DaprRoute, daprTopology } from './topology.ts';
import type { RenderedResource } from './yaml-out.ts';

type DaprRetry = {
  policy: 'exponential' | 'constant';
  maxRetries: number;
  maxInterval?: string;
  duration?: string;
};

/** Dapr knows `constant` and `exponential` (initial 500ms, factor 1.5, capped at maxInterval). */
const RETRY: Record<RetryPolicy['backoff'], (retry: RetryPolicy) => DaprRetry> = {
  exponential: (r) => ({
    policy: 'exponential',
    maxInterval: formatDuration(r.maxInterval),
    maxRetries: r.maxRetries,
  }),
  constant: (r) => ({
    policy: 'constant',
    duration: formatDuration(r.initialInterval),
    maxRetries: r.maxRetries,
  }),
  // No per-attempt delays in Dapr: grow exponentially up to the longest declared delay.
  'fixed-delays': (r) => ({
    policy: 'exponential',
    maxInterval: formatDuration(Math.max(r.maxInterval, ...r.delays)),
    maxRetries: r.maxRetries,
  }),
};

export interface ResiliencyPlan {
  readonly resources: readonly RenderedResource[];
  readonly sources: readonly string[];
  readonly findings: readonly ModelDiagnostic[];
}

interface AppPolicies {
  readonly retries: Record<string, DaprRetry>;
  readonly timeouts: Record<string, string>;
  readonly circuitBreakers: Record<string, object>;
  readonly components: Record<string, { inbound?: object; outbound: object }>;
}

export function daprResiliencyPlan(model: ContractModel): ResiliencyPlan {
  const topology = daprTopology(model);
  const findings: ModelDiagnostic[] = [];
  const apps = new Map<string, AppPolicies>();
  const policiesOf = (app: string): AppPolicies => {
    const known = apps.get(app) ?? { retries: {}, timeouts: {}, circuitBreakers: {}, components: {} };
    apps.set(app, known);
    return known;
  };
  for (const component of topology.components) {
    const scopes = componentScopes(topology, component);
    for (const app of scopes.apps) {
      const policies = policiesOf(app);
      const outbound = `${component.name}-outbound`;
      policies.timeouts[outbound] = formatDuration(OUTBOUND_TIMEOUT_MS);
      policies.circuitBreakers[outbound] = {
        maxRequests: OUTBOUND_BREAKER.maxRequests,
        interval: formatDuration(OUTBOUND_BREAKER.intervalMs),
        timeout: formatDuration(OUTBOUND_BREAKER.timeoutMs),
        trip: OUTBOUND_BREAKER.trip,
      };
      const routes = topology.subscriptions
        .filter((s) => s.component === component && s.service.appId === app)
        .flatMap((s) => s.routes);
      const target: { inbound?: object; outbound: object } = {
        outbound: { timeout: outbound, circuitBreaker: outbound },
      };
      const [patient] = [...routes].sort((a, b) => b.delivery.retry.maxRetries - a.delivery.retry.maxRetries);
      if (patient) {
        const inbound = `${component.name}-inbound`;
        policies.retries[inbound] = RETRY[patient.delivery.retry.backoff](patient.delivery.retry);
        policies.timeouts[inbound] = formatDuration(
          Math.max(...routes.map((r) => r.delivery.handlerTimeout)),
        );
        target.inbound = { retry: inbound, timeout: inbound };
        findings.push(...retryFindings(app, component.name, routes, patient));
      }
      policies.components[component.name] = target;
    }
  }
  const names = uniqueK8sNames(new Map([...apps.keys()].map((app) => [app, `${app}-resiliency`])));
  const resources = [...apps].map(([app, p]) => ({
    resource: {
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Resiliency',
      metadata: { name: names.get(app) ?? app, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        policies: nonEmpty({ timeouts: p.timeouts, retries: p.retries, circuitBreakers: p.circuitBreakers }),
        targets: { components: p.components },
      },
      scopes: [app],
    },
  }));
  const appIds = new Set(apps.keys());
  const sources = [
    ...new Set(model.services.filter((s) => appIds.has(s.appId)).map((s) => s.source.file)),
  ].sort();
  return { resources, sources, findings };
}

/** Drops empty policy maps: a publish-only app has no retry policy. */
function nonEmpty(
  policies: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(policies).filter(([, entries]) => Object.keys(entries).length > 0),
  );
}

function retryFindings(
  app: string,
  component: string,
  routes: readonly DaprRoute[],
  used: DaprRoute,
): ModelDiagnostic[] {
  const findings: ModelDiagnostic[] = [];
  const chosen = JSON.stringify(RETRY[used.delivery.retry.backoff](used.delivery.retry));
  for (const route of routes) {
    const retry = route.delivery.retry;
    if (retry.backoff === 'fixed-delays') {
      findings.push({
        severity: 'warning',
        code: 'dapr-retry-approximated',
        message:
          `'${route.operation.id}' declares fixed retry delays, which Dapr resiliency cannot express; the sidecar ` +
          'retries with exponential back-off up to the longest delay instead.',
        source: route.operation.source,
      });
    }
    if (JSON.stringify(RETRY[retry.backoff](retry)) !== chosen) {
      findings.push({
        severity: 'warning',
        code: 'dapr-retry-per-component',
        message:
          `app '${app}' has subscriptions on '${component}' with different retry policies; Dapr applies one ` +
          `inbound policy per component, so '${route.operation.id}' is retried like '${used.operation.id}' ` +
          `(${used.delivery.retry.maxRetries} retries). Align the x-eventwire-retry of these operations.`,
        source: route.operation.source,
      });
    }
  }
  return findings;
}

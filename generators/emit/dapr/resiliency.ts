/**
 * `dapr/resiliency.yaml`: one `dapr.io/v1alpha1` Resiliency per app, scoped to that app.
 *
 * Inbound (sidecar -> app, event delivery) follows the timing rule of model/dapr-timing.ts: daprd retries at a
 * constant 1 s without a count limit (`maxRetries: -1`), and the app decides: it counts deliveries, holds each
 * RETRY answer for the rest of the contract's delay (so the contract's backoff holds exactly, per subscription),
 * and dead-letters at the contract's `maxRetries` itself, with the reason. daprd therefore never gives up on an
 * event on its own; on daprd >= 1.17 pubsub.redis acknowledges an event whose retries ran out even when daprd's
 * own dead-letter publish failed (components-contrib PR #4208), which would lose it. The inbound timeout is
 * one attempt's work (handler timeout + ordering buffer + 10 s for claim, commit and dead-letter publish) plus the
 * longest RETRY hold, for the slowest subscription of the app on the component.
 *
 * Outbound (sidecar -> broker, publishing and dead-lettering) gets a timeout and a circuit breaker.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { DAPR_RETRY_INTERVAL_MS, daprTiming } from '../../model/dapr-timing.ts';
import { formatDuration } from '../../model/duration.ts';
import type { ContractModel } from '../../model/types.ts';
import { MANAGED_BY_LABEL, OUTBOUND_BREAKER, OUTBOUND_TIMEOUT_MS } from './defaults.ts';
import { uniqueK8sNames } from './k8s-names.ts';
import { componentScopes } from './scopes.ts';
import { daprTopology } from './topology.ts';
import type { RenderedResource } from './yaml-out.ts';

type DaprRetry = { policy: 'constant'; duration: string; maxRetries: number };

/** daprd retries until the app answers SUCCESS or DROP; the contract's limit is applied by the app. */
export const INBOUND_RETRY: DaprRetry = {
  policy: 'constant',
  duration: formatDuration(DAPR_RETRY_INTERVAL_MS),
  maxRetries: -1,
};

export interface ResiliencyPlan {
  readonly resources: readonly RenderedResource[];
  readonly sources: readonly string[];
  readonly findings: readonly Diagnostic[];
}

interface AppPolicies {
  readonly retries: Record<string, DaprRetry>;
  readonly timeouts: Record<string, string>;
  readonly circuitBreakers: Record<string, object>;
  readonly components: Record<string, { inbound?: object; outbound: object }>;
}

export function daprResiliencyPlan(model: ContractModel): ResiliencyPlan {
  const topology = daprTopology(model);
  const findings: Diagnostic[] = [];
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
      if (routes.length > 0) {
        const inbound = `${component.name}-inbound`;
        policies.retries[inbound] = INBOUND_RETRY;
        policies.timeouts[inbound] = formatDuration(
          Math.max(
            ...routes.map((r) => daprTiming(r.delivery, r.operation.channel.ordering).inboundTimeoutMs),
          ),
        );
        target.inbound = { retry: inbound, timeout: inbound };
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

/**
 * Model -> the load plan's targets (loadtest/lib/plan.ts) for one service: each send operation with an example,
 * its SLA and every receive operation of the platform its events reach, with their processing targets. The k6
 * emitter writes these targets into the script; `eventwire load` builds its plan from the same function.
 */
import { topologyOf } from '../../../ci/src/topology/topology.ts';
import type { OperationTarget, SubscriberTarget } from '../../../loadtest/lib/plan.ts';
import { destinationLabel } from '../../../runtime/destination.ts';
import type { ContractModel, Operation, Service } from '../../model/types.ts';
import { destinationOf } from '../code/runtime-specs.ts';
import { type Planned, plannedOperations } from './plan.ts';

/** The receive operations the operation's events reach, once each, sorted. */
export function subscribersOf(model: ContractModel, operation: Operation): SubscriberTarget[] {
  const endpoints = topologyOf(model).subscribersOf.get(operation) ?? [];
  const seen = new Map<string, SubscriberTarget>();
  for (const endpoint of endpoints) {
    const receive = endpoint.operation;
    if (endpoint.origin !== 'operation' || !receive.delivery) continue;
    const subscriber: SubscriberTarget = {
      service: receive.service,
      subscription: receive.delivery.subscription,
      metricsTopic: destinationLabel(destinationOf(receive.channel)),
      ...(receive.sla?.processingP95 !== undefined ? { processingP95: receive.sla.processingP95 } : {}),
    };
    seen.set(`${subscriber.service}/${subscriber.subscription}`, subscriber);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

export function operationTarget(model: ContractModel, planned: Planned): OperationTarget {
  const sla = planned.operation.sla;
  const pick = <K extends keyof NonNullable<typeof sla>>(key: K) =>
    sla?.[key] !== undefined ? { [key]: sla[key] } : {};
  return {
    operation: planned.operation.id,
    exec: planned.exec,
    sla: {
      ...pick('publishP95'),
      ...pick('publishP99'),
      ...pick('deliverySuccessRate'),
      ...pick('eventsPerHour'),
      ...pick('peakPerSecond'),
    },
    subscribers: subscribersOf(model, planned.operation),
  };
}

/** The service's load-tested operations with their targets, and the send operations left out (no example). */
export function serviceTargets(
  model: ContractModel,
  service: Service,
): { planned: (Planned & { readonly target: OperationTarget })[]; skipped: Operation[] } {
  const { planned, skipped } = plannedOperations(service);
  return { planned: planned.map((p) => ({ ...p, target: operationTarget(model, p) })), skipped };
}

/**
 * What a service's script contains: its send operations that have an example, each with the exported function
 * k6 runs (`exec`, also the prefix of its scenario names), and the run instructions for the brokers they use.
 * Scenarios and thresholds are not decided here: the script carries the contract's targets and the shared plan
 * (loadtest/lib/plan.ts) turns them into k6 options when k6 loads it.
 */
import { camelCase } from '../../model/names.ts';
import type { Operation, Service } from '../../model/types.ts';
import { compareText } from '../../parse/compare.ts';
import { loadEvents } from './publication.ts';

export interface Planned {
  readonly operation: Operation;
  /** Exported function name, also the prefix of the operation's scenario names. */
  readonly exec: string;
}

/** Send operations with an example, each with a distinct function name (`publishOrdersOrderCreated`). */
export function plannedOperations(service: Pick<Service, 'operations'>): {
  planned: Planned[];
  skipped: Operation[];
} {
  const sends = service.operations
    .filter((op) => op.action === 'send')
    .sort((a, b) => compareText(a.id, b.id));
  const used = new Set<string>();
  const planned = sends
    .filter((op) => loadEvents(op).length > 0)
    .map((operation) => {
      let exec = camelCase(operation.id);
      for (let n = 2; used.has(exec); n++) exec = `${camelCase(operation.id)}${n}`;
      used.add(exec);
      return { operation, exec };
    });
  return { planned, skipped: sends.filter((op) => loadEvents(op).length === 0) };
}

/** How to run the script, for the brokers its publications use. */
export function runInstructions(service: string, planned: readonly Planned[]): string[] {
  const kinds = new Set(planned.map((p) => p.operation.channel.binding.kind));
  const where = [
    ...(kinds.has('topic') ? ["the service's Dapr sidecar"] : []),
    ...(kinds.has('amqp') ? ["RabbitMQ's management API"] : []),
  ];
  const env = [
    ...(kinds.has('topic') ? ['DAPR_HTTP_PORT=3500'] : []),
    ...(kinds.has('amqp') ? ['AMQP_PUBLISH_URL=http://127.0.0.1:15672'] : []),
  ];
  return [
    `Run it where k6 reaches ${where.join(' and ')} (see loadtest/README.md):`,
    `${env.join(' ')} k6 run -e PROFILE=smoke generated/loadtest/${service}.k6.ts`,
    `Profiles: smoke, steady (default), peak, soak; CONSUMER_METRICS=<url>,... adds the processing side.`,
    `Without k6: npx eventwire load ${service} --profile smoke`,
  ];
}

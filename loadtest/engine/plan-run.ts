/**
 * Contract model -> what a load run does: the scenarios and thresholds of the shared plan (loadtest/lib/plan.ts,
 * the same the k6 scripts compute), the publication each scenario sends with the generated publisher methods
 * for its events, and the subscriptions to consume them with.
 */
import { join } from 'node:path';
import { serviceView, validatorName } from '../../generators/emit/code/service-view.ts';
import { publicationOf } from '../../generators/emit/k6/publication.ts';
import { serviceTargets } from '../../generators/emit/k6/targets.ts';
import type { ContractModel, Service } from '../../generators/model/types.ts';
import {
  type OperationTarget,
  type PlannedScenario,
  type PlannedThreshold,
  type PlanSettings,
  planScenarios,
  planThresholds,
} from '../lib/plan.ts';
import type { Publication } from '../lib/types.ts';
import type { ConsumerPlan } from './consumers.ts';
import type { PublisherModule } from './protocol.ts';
import type { TransportKind } from './transports.ts';

export interface LoadScenario {
  readonly plan: PlannedScenario;
  readonly service: string;
  readonly publication: Publication;
  readonly publisher: number;
  readonly methods: Readonly<Record<string, string>>;
  readonly subscribers: readonly string[];
}

export interface RunPlan {
  readonly scenarios: readonly LoadScenario[];
  readonly thresholds: readonly PlannedThreshold[];
  readonly publishers: readonly PublisherModule[];
  readonly consumers: readonly ConsumerPlan[];
  readonly transport: TransportKind;
  /** Send operations left out, and why. */
  readonly skipped: readonly string[];
  readonly notes: readonly string[];
}

export class RunPlanError extends Error {
  override readonly name = 'RunPlanError';
}

/** The transport the contract's servers use; Dapr services are loaded on their Redis streams unless asked. */
function contractTransport(service: Service): TransportKind {
  const kinds = new Set(service.servers.map((s) => s.kind));
  if (kinds.has('amqp') || kinds.has('dapr-rabbitmq')) return 'rabbitmq';
  if (kinds.has('dapr-redis') || kinds.has('redis-streams')) return 'redis-streams';
  throw new RunPlanError(
    `${service.name}: its contract names no Redis, RabbitMQ or Dapr server, so there is no broker to load`,
  );
}

/**
 * Through a sidecar the run is one Dapr app, and Dapr gives an app one subscription per topic: the topic's
 * first subscriber stands for all of them, held to the strictest processing target among them.
 */
function onePerTopic(target: OperationTarget): OperationTarget {
  const [first] = target.subscribers;
  if (!first || target.subscribers.length === 1) return target;
  const targets = target.subscribers.flatMap((s) => (s.processingP95 === undefined ? [] : [s.processingP95]));
  return {
    ...target,
    subscribers: [{ ...first, ...(targets.length > 0 ? { processingP95: Math.min(...targets) } : {}) }],
  };
}

export interface RunPlanRequest {
  readonly model: ContractModel;
  readonly services: readonly string[];
  readonly settings: PlanSettings;
  readonly generatedDir: string;
  readonly transport?: TransportKind;
  /** Subscribing service -> module with its own handlers. */
  readonly handlers: Readonly<Record<string, string>>;
  /** Only these send operations (operation ids); all when absent. */
  readonly operations?: readonly string[];
}

function consumerPlans(request: RunPlanRequest, targets: readonly OperationTarget[]): ConsumerPlan[] {
  const plans = new Map<string, ConsumerPlan>();
  for (const subscriber of targets.flatMap((t) => t.subscribers)) {
    const name = `${subscriber.service}/${subscriber.subscription}`;
    if (plans.has(name)) continue;
    const service = request.model.services.find((s) => s.name === subscriber.service);
    const view = service && serviceView(service);
    const entry = view?.subscriptions.find(
      (s) => s.operation.delivery?.subscription === subscriber.subscription,
    );
    if (!service || !view || !entry) throw new RunPlanError(`no subscription ${name} in the contracts`);
    const handlersModule = request.handlers[service.name];
    plans.set(name, {
      subscriber: name,
      service: { name: service.name, version: service.version },
      serviceModule: join(request.generatedDir, service.name, 'index.ts'),
      key: entry.key,
      idempotencyStore: entry.operation.delivery?.idempotency.store ?? 'redis',
      validatorNames: Object.fromEntries(entry.messages.map((m) => [m.name, validatorName(m)])),
      createPublisher: view.api.createPublisher,
      ...(handlersModule ? { handlersModule } : {}),
    });
  }
  return [...plans.values()];
}

export function planRun(request: RunPlanRequest): RunPlan {
  const { model } = request;
  const services = request.services.map((name) => {
    const service = model.services.find((s) => s.name === name);
    if (!service) {
      throw new RunPlanError(
        `no service "${name}" in the contracts (services: ${model.services.map((s) => s.name).join(', ')})`,
      );
    }
    return service;
  });
  const kinds = new Set(services.map(contractTransport));
  if (kinds.size > 1) {
    throw new RunPlanError(
      `${request.services.join(', ')} use different brokers (${[...kinds].join(', ')}): load them in separate runs`,
    );
  }
  const transport = request.transport ?? ([...kinds][0] as TransportKind);
  if (transport === 'dapr' && !services.every((s) => s.servers.some((x) => x.kind.startsWith('dapr')))) {
    throw new RunPlanError('--transport dapr needs services whose contracts use a Dapr pub/sub server');
  }
  const unknown = Object.keys(request.handlers).filter((s) => !model.services.some((m) => m.name === s));
  if (unknown.length > 0) throw new RunPlanError(`--handlers names unknown services: ${unknown.join(', ')}`);

  const notes: string[] = [];
  const skipped: string[] = [];
  const publishers: PublisherModule[] = [];
  const entries: {
    target: OperationTarget;
    service: string;
    publication: Publication;
    publisher: number;
    methods: Record<string, string>;
  }[] = [];
  for (const service of services) {
    const view = serviceView(service);
    const { planned: all, skipped: left } = serviceTargets(model, service);
    const planned = request.operations
      ? all.filter((p) => request.operations?.includes(p.operation.id))
      : all;
    for (const op of left) skipped.push(`${service.name}/${op.id}: its messages have no example to send`);
    if (planned.length === 0) continue;
    const publisher = publishers.length;
    publishers.push({
      service: { name: service.name, version: service.version },
      module: join(request.generatedDir, service.name, 'index.ts'),
      create: view.api.createPublisher,
    });
    for (const p of planned) {
      const methods = Object.fromEntries(
        view.publications.filter((v) => v.operation === p.operation).map((v) => [v.message.name, v.key]),
      );
      const target = transport === 'dapr' ? onePerTopic(p.target) : p.target;
      if (target.subscribers.length === 0) {
        notes.push(
          `${p.operation.id}: no subscription in the contracts consumes it; only its publishing is measured`,
        );
      }
      entries.push({
        target,
        service: service.name,
        publication: publicationOf(service, p.operation),
        publisher,
        methods,
      });
    }
  }
  const known = new Set(services.flatMap((s) => s.operations.map((op) => op.id)));
  const unknownOps = (request.operations ?? []).filter((op) => !known.has(op));
  if (unknownOps.length > 0)
    throw new RunPlanError(
      `--operations names no send operation of ${request.services.join(', ')}: ${unknownOps.join(', ')}`,
    );
  if (entries.length === 0) {
    throw new RunPlanError(
      `${request.services.join(', ')} publish nothing with an example: there is nothing to load`,
    );
  }
  if (transport === 'dapr') {
    notes.push(
      'through the Dapr sidecar the run is one app: one subscription per topic, held to the strictest processing target of its subscribers',
    );
  }
  const targets = entries.map((e) => e.target);
  const plans = planScenarios(targets, request.settings);
  const scenarios = plans.map((plan, i) => {
    const entry = entries[i]!;
    return {
      plan,
      service: entry.service,
      publication: entry.publication,
      publisher: entry.publisher,
      methods: entry.methods,
      subscribers: entry.target.subscribers.map((s) => `${s.service}/${s.subscription}`),
    };
  });
  return {
    scenarios,
    thresholds: planThresholds(targets, plans),
    publishers,
    consumers: consumerPlans(request, targets),
    transport,
    skipped,
    notes,
  };
}

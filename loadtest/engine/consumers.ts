/**
 * The consuming side of a load run: every subscription the loaded events reach runs through the real runtime
 * (`bind` + `startConsumer`: validation, idempotency, ordering, retries, dead letters), with the subscribing
 * service's own handlers when the run is given them and a sink (a handler that accepts) otherwise. Two probes
 * measure it without touching the runtime: a transport wrapper times each delivery to its outcome (processing
 * time, as the runtime's `event_processing_duration_seconds` does) and a handler wrapper stamps each handled
 * event against the time it was meant to be sent (publish -> handled).
 */
import { pathToFileURL } from 'node:url';
import type {
  CompiledValidator,
  ConsumerBinding,
  ConsumerHandle,
  Delivery,
  EventHandler,
  IdempotencyStore,
  Outcome,
  Runtime,
  SubscriptionSpec,
  Transport,
} from '../../runtime/index.ts';
import { bind, decodeDeliveryBody, HEADER, startConsumer } from '../../runtime/index.ts';
import { epochNow, parseLoadCorrelationId } from './protocol.ts';
import type { RunStats } from './stats.ts';

/** One subscription to run: its service's generated module, the subscription's key there, its validators. */
export interface ConsumerPlan {
  readonly subscriber: string;
  readonly service: { readonly name: string; readonly version: string };
  readonly serviceModule: string;
  readonly key: string;
  /** The contract's idempotency store for the subscription. */
  readonly idempotencyStore: 'redis' | 'postgres' | 'memory';
  readonly validatorNames: Readonly<Record<string, string>>;
  /** Module whose `createHandlers(deps)` or `handlers` provides the service's own handler for `key`. */
  readonly handlersModule?: string;
  readonly createPublisher: string;
}

export interface ConsumerDeps {
  readonly runId: string;
  readonly stats: RunStats;
  readonly transportFor: (service: string) => Promise<Transport>;
  readonly idempotency: IdempotencyStore;
  readonly idempotencyStores: Partial<Record<'redis' | 'postgres' | 'memory', IdempotencyStore>>;
  readonly ordering?: Runtime['ordering'];
}

const sink: EventHandler<unknown> = async () => {};

/** Times each delivery from arrival to outcome and counts outcomes, for the subscriptions being measured. */
function measured(
  transport: Transport,
  subscriberOf: (spec: SubscriptionSpec) => string | undefined,
  deps: ConsumerDeps,
): Transport {
  const scenarioOf = (delivery: Delivery) => {
    let correlation = delivery.headers[HEADER.correlationId];
    if (correlation === undefined) {
      try {
        correlation = decodeDeliveryBody(delivery.body).metadata.correlation_id;
      } catch {
        return undefined;
      }
    }
    return parseLoadCorrelationId(deps.runId, correlation)?.scenario;
  };
  return {
    kind: transport.kind,
    publish: (messages) => transport.publish(messages),
    close: () => transport.close(),
    subscribe: (spec, handler) => {
      const subscriber = subscriberOf(spec);
      if (subscriber === undefined) return transport.subscribe(spec, handler);
      return transport.subscribe(spec, async (delivery): Promise<Outcome> => {
        const started = performance.now();
        const outcome = await handler(delivery);
        const scenario = scenarioOf(delivery);
        if (scenario !== undefined) {
          deps.stats.outcome(subscriber, scenario, outcome.kind, performance.now() - started);
        }
        return outcome;
      });
    },
  };
}

/** Wraps a handler so each event it finishes counts as delivered, timed from its intended send time. */
function stamped(
  handler: EventHandler<unknown>,
  subscriber: string,
  deps: ConsumerDeps,
): EventHandler<unknown> {
  return async (event, context) => {
    await handler(event, context);
    const load = parseLoadCorrelationId(deps.runId, event.metadata.correlation_id);
    if (load) deps.stats.handled(subscriber, load.scenario, epochNow() - load.intendedAt);
  };
}

async function ownHandler(plan: ConsumerPlan, runtime: Runtime): Promise<EventHandler<unknown>> {
  const path = plan.handlersModule as string;
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  let handlers: unknown = module.handlers;
  if (typeof module.createHandlers === 'function') {
    const service = (await import(pathToFileURL(plan.serviceModule).href)) as Record<string, unknown>;
    const create = service[plan.createPublisher];
    const publisher = typeof create === 'function' ? create(runtime) : undefined;
    handlers = await (module.createHandlers as (deps: object) => unknown)({ publisher, runtime });
  }
  const handler = (handlers as Record<string, unknown> | undefined)?.[plan.key];
  if (typeof handler !== 'function') {
    throw new Error(
      `${path} has no handler "${plan.key}" for ${plan.subscriber}: export createHandlers(deps) or handlers ` +
        `with a "${plan.key}" function`,
    );
  }
  return handler as EventHandler<unknown>;
}

async function bindingFor(
  plan: ConsumerPlan,
  runtime: Runtime,
  deps: ConsumerDeps,
): Promise<ConsumerBinding> {
  const module = (await import(pathToFileURL(plan.serviceModule).href)) as Record<string, unknown>;
  const spec = (module.subscriptions as Record<string, SubscriptionSpec> | undefined)?.[plan.key];
  if (!spec)
    throw new Error(`${plan.serviceModule} has no subscription "${plan.key}": run "eventwire generate"`);
  const validators: Record<string, CompiledValidator<unknown>> = {};
  for (const [eventType, name] of Object.entries(plan.validatorNames)) {
    const validator = module[name];
    if (typeof validator !== 'function') throw new Error(`${plan.serviceModule} exports no ${name}`);
    validators[eventType] = validator as CompiledValidator<unknown>;
  }
  const handler = plan.handlersModule ? await ownHandler(plan, runtime) : sink;
  return bind(spec, validators, stamped(handler, plan.subscriber, deps));
}

/** Starts every planned subscription, one runtime per subscribing service; resolves once all are subscribed. */
export async function startLoadConsumers(
  plans: readonly ConsumerPlan[],
  deps: ConsumerDeps,
): Promise<{ handles: ConsumerHandle[]; specs: SubscriptionSpec[] }> {
  const byService = new Map<string, ConsumerPlan[]>();
  for (const plan of plans)
    byService.set(plan.service.name, [...(byService.get(plan.service.name) ?? []), plan]);
  const handles: ConsumerHandle[] = [];
  const specs: SubscriptionSpec[] = [];
  try {
    for (const [service, group] of byService) {
      const names = new Map<string, string>();
      const transport = measured(
        await deps.transportFor(service),
        (spec) => (spec.service === service ? names.get(spec.name) : undefined),
        deps,
      );
      const runtime: Runtime = {
        service: group[0]!.service,
        transport,
        idempotency: deps.idempotency,
        ...(deps.ordering ? { ordering: deps.ordering } : {}),
      };
      const bindings: ConsumerBinding[] = [];
      for (const plan of group) {
        const binding = await bindingFor(plan, runtime, deps);
        names.set(binding.spec.name, plan.subscriber);
        bindings.push(binding);
        specs.push(binding.spec);
      }
      handles.push(
        await startConsumer(runtime, bindings, {
          idempotencyStores: deps.idempotencyStores,
          shutdownGraceMs: 5_000,
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(handles.map((h) => h.stop()));
    throw error;
  }
  return { handles, specs };
}

/**
 * From a project (contracts + generated code + handlers) to the suites `eventwire test` runs: one per receive
 * operation of every chosen service. The contract model gives the operations, payload schemas and examples and
 * who publishes on each channel; the generated code gives the subscription spec and validators exactly as the
 * service runs them; the handlers module is the user's own (`generated/<service>/handlers.ts`, or `--handlers`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompiledValidator, Destination, PublicationSpec, SubscriptionSpec } from 'eventwire/runtime';
import { resolveDestination } from 'eventwire/runtime/destination';
import { topicMatches } from 'eventwire/runtime/transports/memory-routing';
import type { ContractModel, Operation, Service } from '../../generators/model/types.ts';
import type { SuiteTarget } from '../engine/types.ts';
import { payloadPools } from './payloads.ts';

export interface TargetOptions {
  readonly model: ContractModel;
  /** The generated output folder (`generated/`). */
  readonly generatedDir: string;
  /** `service` or `service/operationId` selectors; empty: every service whose handlers exist. */
  readonly select?: readonly string[];
  /** A handlers module to use instead of `generated/<service>/handlers.ts` (one service only). */
  readonly handlersModule?: string;
  /** Seed of the generated payloads. */
  readonly seed: number;
  readonly payloadPoolSize?: number;
}

/** A selector or project layout the harness cannot use: exit 2 with this message. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** A receive operation left out, and why (its handler is still the scaffold's stub). */
export interface SkippedOperation {
  readonly service: string;
  readonly operation: string;
  readonly reason: string;
}

export interface LoadedTargets {
  readonly targets: SuiteTarget[];
  readonly skipped: SkippedOperation[];
}

export async function loadTargets(options: TargetOptions): Promise<LoadedTargets> {
  const { model } = options;
  const selectors = (options.select ?? []).map((selector) => {
    const [service, operation] = selector.split('/');
    return { service: service!, operation };
  });
  for (const selector of selectors) {
    const service = model.services.find((candidate) => candidate.name === selector.service);
    if (!service) {
      throw new TargetError(
        `no service '${selector.service}' in the contracts (services: ${model.services.map((s) => s.name).join(', ')})`,
      );
    }
    if (
      selector.operation &&
      !service.operations.some((op) => op.id === selector.operation && op.action === 'receive')
    ) {
      throw new TargetError(
        `service ${service.name} has no receive operation '${selector.operation}' (receive operations: ${
          receives(service)
            .map((op) => op.id)
            .join(', ') || 'none'
        })`,
      );
    }
  }
  if (options.handlersModule && new Set(selectors.map((s) => s.service)).size !== 1) {
    throw new TargetError(
      '--handlers names the handlers of one service: name exactly that service (eventwire test SERVICE --handlers MODULE)',
    );
  }
  const chosen = model.services.filter((service) =>
    selectors.length > 0
      ? selectors.some((selector) => selector.service === service.name)
      : hasHandlers(options, service),
  );
  const targets: SuiteTarget[] = [];
  const skipped: SkippedOperation[] = [];
  for (const service of chosen) {
    const handlersModule = options.handlersModule ?? join(options.generatedDir, service.name, 'handlers.ts');
    if (!existsSync(handlersModule)) {
      throw new TargetError(
        `no handlers for service ${service.name}: ${handlersModule} does not exist. Run \`eventwire generate\` to create the scaffold, or pass --handlers MODULE`,
      );
    }
    const operations = receives(service).filter((operation) =>
      selectors.every(
        (selector) =>
          selector.service !== service.name || !selector.operation || selector.operation === operation.id,
      ),
    );
    const source = readFileSync(handlersModule, 'utf8');
    for (const operation of operations) {
      // The scaffold's stub throws this until the user writes the handler: nothing to test yet.
      if (source.includes(`'${operation.id} is not implemented yet'`)) {
        skipped.push({
          service: service.name,
          operation: operation.id,
          reason: 'handler not written yet (scaffold stub)',
        });
        continue;
      }
      targets.push(await targetOf(options, service, operation, resolve(handlersModule)));
    }
  }
  if (targets.length === 0) {
    throw new TargetError(
      selectors.length > 0
        ? `the chosen services have no receive operation with a handler to test${skipped.length > 0 ? ` (${skipped.length} still scaffold stubs)` : ''}`
        : `no service has handlers under ${options.generatedDir}: name the services to test, or run \`eventwire generate\` first`,
    );
  }
  return { targets, skipped };
}

function receives(service: Service): Operation[] {
  return service.operations.filter((operation) => operation.action === 'receive');
}

function hasHandlers(options: TargetOptions, service: Service): boolean {
  return receives(service).length > 0 && existsSync(join(options.generatedDir, service.name, 'handlers.ts'));
}

async function targetOf(
  options: TargetOptions,
  service: Service,
  operation: Operation,
  handlersModule: string,
): Promise<SuiteTarget> {
  const dir = join(options.generatedDir, service.name);
  const barrelPath = join(dir, 'index.ts');
  if (!existsSync(barrelPath)) {
    throw new TargetError(
      `no generated code for service ${service.name} in ${dir}: run \`eventwire generate\``,
    );
  }
  const barrel = (await import(pathToFileURL(barrelPath).href)) as Record<string, unknown>;
  const subscriptions = barrel.subscriptions as Record<string, SubscriptionSpec> | undefined;
  const spec = subscriptions?.[operation.id];
  const startExport = Object.keys(barrel).find((name) => /^start[A-Za-z0-9]*Consumer$/.test(name));
  if (!spec || !startExport) {
    throw new TargetError(
      `generated code of ${service.name} has no subscription ${operation.id}: regenerate with \`eventwire generate\``,
    );
  }
  const message = operation.messages[0]!;
  const validate = barrel[`validate${message.typeName}`] as CompiledValidator<unknown> | undefined;
  if (typeof validate !== 'function') {
    throw new TargetError(
      `generated code of ${service.name} has no validator validate${message.typeName}: regenerate`,
    );
  }
  const pools = payloadPools({
    schema: message.payload,
    examples: message.examples.map((example) => example.payload),
    validate,
    seed: options.seed,
    ...(options.payloadPoolSize ? { size: options.payloadPoolSize } : {}),
  });
  if (pools.payloads.length === 0) {
    throw new TargetError(
      `cannot make a payload of ${message.name} that the contract accepts (${service.name}.${operation.id}): add an example to the message`,
    );
  }
  return {
    service: service.name,
    operation: operation.id,
    spec,
    consumerModule: resolve(barrelPath),
    startExport,
    handlersModule,
    transport: transportOf(service),
    publication: await publicationFor(options, operation, spec, message.name, message.version),
    payloads: pools.payloads,
    invalidPayloads: pools.invalidPayloads,
  };
}

function transportOf(service: Service): SuiteTarget['transport'] {
  const kinds = new Set(service.servers.map((server) => server.kind));
  if (kinds.has('amqp') || kinds.has('dapr-rabbitmq')) return 'rabbitmq';
  return 'redis-streams';
}

/**
 * The send operation that publishes what `operation` receives (same channel, same message), as its service's
 * generated code describes it; else one derived from the subscription.
 */
async function publicationFor(
  options: TargetOptions,
  operation: Operation,
  spec: SubscriptionSpec,
  eventType: string,
  version: string,
): Promise<PublicationSpec> {
  for (const service of options.model.services) {
    const send = service.operations.find(
      (candidate) =>
        candidate.action === 'send' &&
        candidate.channel.key === operation.channel.key &&
        candidate.messages.some((message) => message.name === eventType),
    );
    const barrelPath = join(options.generatedDir, service.name, 'index.ts');
    if (!send || !existsSync(barrelPath)) continue;
    const barrel = (await import(pathToFileURL(barrelPath).href)) as Record<string, unknown>;
    const publication = (barrel.publications as Record<string, PublicationSpec> | undefined)?.[send.id];
    if (publication) return concrete(publication, send);
  }
  // Nobody publishes it in these contracts: publish where the subscription listens.
  return {
    operation: 'eventwireTest',
    service: 'eventwire-test',
    eventType,
    version,
    destination: publishableFrom(spec.source, eventType),
    parameters: [],
    ...(spec.ordering ? { orderingKeyPointer: spec.ordering.keyPointer } : {}),
  };
}

/** A publication with its `{param}` placeholders filled (enum values, else a fixed word), and no dual publish. */
function concrete(publication: PublicationSpec, send: Operation): PublicationSpec {
  const parameters = Object.fromEntries(
    send.channel.parameters.map((parameter) => [parameter.name, parameter.enum?.[0] ?? 'harness']),
  );
  const { dualPublish: _dual, ...rest } = publication;
  return { ...rest, destination: resolveDestination(publication.destination, parameters), parameters: [] };
}

/** A destination that reaches `source`: the same topic, or a routing key the binding pattern accepts. */
function publishableFrom(source: Destination, eventType: string): Destination {
  if (source.kind === 'topic') return source;
  const routingKey = topicMatches(source.routingKey, eventType)
    ? eventType
    : source.routingKey.replaceAll('#', 'harness').replaceAll('*', 'harness');
  return { ...source, routingKey };
}

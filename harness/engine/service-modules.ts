/**
 * Loading what a suite runs: the service's generated barrel (`start<Service>Consumer`,
 * `create<Service>Publisher`) and its handlers module (`createHandlers(deps)` or a `handlers` object). Every
 * broker mode loads them the same way, in-process (memory) or in a consumer host process (real brokers).
 */
import { pathToFileURL } from 'node:url';
import type { ConsumerHandle, ConsumerOptions, EventHandler, Runtime } from 'eventwire/runtime';
import type { HandlersModule, HarnessDeps, SuiteTarget } from './types.ts';

export type HandlerMap = Readonly<Record<string, EventHandler<never>>>;
type StartConsumer = (
  runtime: Runtime,
  handlers: HandlerMap,
  options?: ConsumerOptions,
) => Promise<ConsumerHandle>;
type CreatePublisher = (runtime: Runtime) => unknown;

export interface ServiceModules {
  readonly startConsumer: StartConsumer;
  readonly createPublisher?: CreatePublisher;
  readonly handlers: HandlersModule;
}

/** A handlers module or generated barrel that does not have what the harness needs (exit 2 in the CLI). */
export class ServiceModuleError extends Error {
  override readonly name = 'ServiceModuleError';
}

export async function loadServiceModules(target: SuiteTarget): Promise<ServiceModules> {
  const barrel = await importModule(target.consumerModule, 'generated consumer');
  const startConsumer = barrel[target.startExport];
  if (typeof startConsumer !== 'function') {
    throw new ServiceModuleError(
      `${target.consumerModule} has no export ${target.startExport}: regenerate the service with \`eventwire generate\``,
    );
  }
  const publisherName = target.startExport.replace(/^start/, 'create').replace(/Consumer$/, 'Publisher');
  const createPublisher = barrel[publisherName];
  const handlers = (await importModule(target.handlersModule, 'handlers')) as HandlersModule;
  if (typeof handlers.createHandlers !== 'function' && typeof handlers.handlers !== 'object') {
    throw new ServiceModuleError(
      `${target.handlersModule} exports neither createHandlers(deps) nor a handlers object: ` +
        'export `createHandlers` (see harness/README.md, "Where handlers live")',
    );
  }
  return {
    startConsumer: startConsumer as StartConsumer,
    ...(typeof createPublisher === 'function' ? { createPublisher: createPublisher as CreatePublisher } : {}),
    handlers,
  };
}

/** The service's handler map for one consumer process, checked to have the operation under test. */
export function buildHandlers(modules: ServiceModules, deps: HarnessDeps, target: SuiteTarget): HandlerMap {
  const map = modules.handlers.createHandlers
    ? modules.handlers.createHandlers(deps)
    : modules.handlers.handlers!;
  if (typeof map?.[target.operation] !== 'function') {
    throw new ServiceModuleError(
      `${target.handlersModule}: the handler map has no function ${target.operation} for the receive operation under test`,
    );
  }
  return map;
}

async function importModule(path: string, what: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceModuleError(`cannot load the ${what} module ${path}: ${reason}`);
  }
}

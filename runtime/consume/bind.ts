/** Binding a subscription spec to its validators and handler, checked once at startup. */
import type { ConsumerBinding, EventHandler } from '../api.ts';
import { ConfigurationError } from '../errors.ts';
import type { CompiledValidator, SubscriptionSpec } from '../spec.ts';
import { compiledKeys } from './compiled.ts';

/**
 * Erases the payload type for storage in a list of bindings. Fails fast, with the subscription named, when a
 * declared event type has no validator or a key expression cannot be read, rather than at the first delivery.
 */
export function bind<T>(
  spec: SubscriptionSpec,
  validators: Readonly<Record<string, CompiledValidator<unknown>>>,
  handle: EventHandler<T>,
): ConsumerBinding {
  const missing = spec.eventTypes.filter((eventType) => typeof validators[eventType] !== 'function');
  if (missing.length > 0) {
    throw new ConfigurationError(
      `subscription ${spec.name} (${spec.operation}) has no validator for: ${missing.join(', ')}; ` +
        'regenerate the service with `eventwire generate`',
    );
  }
  if (spec.eventTypes.length === 0) {
    throw new ConfigurationError(`subscription ${spec.name} (${spec.operation}) accepts no event types`);
  }
  try {
    compiledKeys(spec);
  } catch (error) {
    throw new ConfigurationError(
      `subscription ${spec.name} (${spec.operation}): ${(error as Error).message}`,
    );
  }
  // The handler only ever receives payloads its validator accepted, so erasing T here is sound.
  return { spec, validators, handle: handle as EventHandler<unknown> };
}

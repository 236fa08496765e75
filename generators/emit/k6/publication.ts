/**
 * Model -> the harness's Publication value for one send operation. Typed against loadtest/lib/types.ts, so a
 * change to the harness's shape breaks the generator at compile time rather than the scripts at run time.
 */
import type { LoadEvent, Publication } from '../../../loadtest/lib/types.ts';
import type { Operation, Service } from '../../model/types.ts';
import { destinationOf } from '../code/runtime-specs.ts';

/** Parameterised addresses (`catalog.{region}.x`) get the parameter's first allowed value, else this. */
export const PARAMETER_FALLBACK = 'load-test';

/** `metadata.version` must be semver; contracts' info.version usually is, `1.0` is completed to `1.0.0`. */
export function semver(version: string): string {
  if (/^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/.test(version)) return version;
  if (/^[0-9]+\.[0-9]+$/.test(version)) return `${version}.0`;
  return '0.0.0';
}

function fillParameters(address: string, operation: Operation): string {
  return operation.channel.parameters.reduce(
    (filled, p) => filled.split(`{${p.name}}`).join(p.enum?.[0] ?? PARAMETER_FALLBACK),
    address,
  );
}

/** The operation's messages that have an example: a load test publishes contract examples only. */
export function loadEvents(operation: Operation): LoadEvent[] {
  return operation.messages.flatMap((message) => {
    const [example] = message.examples;
    return example ? [{ eventType: message.name, version: message.version, example: example.payload }] : [];
  });
}

export function publicationOf(service: Pick<Service, 'name' | 'version'>, operation: Operation): Publication {
  const destination = destinationOf(operation.channel);
  const ordering = operation.channel.ordering;
  const dual = operation.dualPublish;
  return {
    operation: operation.id,
    service: { name: service.name, version: semver(service.version) },
    destination:
      destination.kind === 'topic'
        ? { ...destination, topic: fillParameters(destination.topic, operation) }
        : { ...destination, routingKey: fillParameters(destination.routingKey, operation) },
    events: loadEvents(operation),
    ...(ordering ? { ordering: { key: ordering.key, sequence: ordering.sequence } } : {}),
    ...(dual
      ? {
          dualPublish: {
            exchange: dual.exchange,
            exchangeType: dual.type,
            envSwitch: dual.envSwitch,
            defaultOn: dual.defaultOn,
          },
        }
      : {}),
  };
}

/** Channel addresses: filling `{param}` placeholders and naming destinations for logs and metric labels. */
import { MissingParameterError } from './errors.ts';
import type { Destination } from './spec.ts';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The address that carries placeholders: the topic, or the AMQP routing key / binding pattern. */
export function destinationAddress(destination: Destination): string {
  return destination.kind === 'topic' ? destination.topic : destination.routingKey;
}

export function hasPlaceholders(destination: Destination): boolean {
  return destinationAddress(destination).includes('{');
}

/**
 * Fill every `{param}` of the address from `parameters`. A placeholder without a (non-empty) value is an
 * error rather than a literal `{param}` on the wire, which would silently route to a topic nobody reads.
 */
export function resolveDestination(
  destination: Destination,
  parameters: Readonly<Record<string, string>> | undefined,
): Destination {
  if (!hasPlaceholders(destination)) return destination;
  const template = destinationAddress(destination);
  const address = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = parameters?.[name];
    if (value === undefined || value === '') throw new MissingParameterError(name, template);
    return value;
  });
  return destination.kind === 'topic'
    ? { ...destination, topic: address }
    : { ...destination, routingKey: address };
}

/**
 * A short, bounded-cardinality name for metrics: the unfilled template (so per-tenant parameters do not
 * explode label cardinality), prefixed with the exchange for AMQP.
 */
export function destinationLabel(destination: Destination): string {
  return destination.kind === 'topic'
    ? destination.topic
    : `${destination.exchange}/${destination.routingKey}`;
}

/**
 * Publishing: validate, address, envelope, size limit, broker, dual publish, metrics. `prepareEvent` does
 * everything up to the broker so the batch helpers and the outbox share exactly the same rules.
 */
import type { EventEnvelope, PublishFn, PublishOptions, Runtime } from './api.ts';
import { destinationLabel, resolveDestination } from './destination.ts';
import { createEnvelope, type EnvelopeParts, encodeCreatedEnvelopeParts } from './envelope.ts';
import { EnvelopeTooLargeError, PayloadValidationError } from './errors.ts';
import { envelopeHeaders } from './headers.ts';
import { resolvePointer } from './json-pointer.ts';
import { LIMITS } from './limits.ts';
import { metricsForSpec, noopTopicMetrics, type TopicMetrics } from './metrics.ts';
import type { CompiledValidator, Destination, PublicationSpec } from './spec.ts';
import type { EncodedEnvelope, OutgoingMessage } from './transport.ts';

/** 256 KiB: the platform's limit, below every supported broker's own maximum (LIMITS.envelopeBytes). */
export const DEFAULT_MAX_ENVELOPE_BYTES = LIMITS.envelopeBytes;
export const ENVELOPE_CONTENT_TYPE = 'application/json';

export interface PreparedEvent<T> {
  readonly envelope: EventEnvelope<T>;
  /** The primary message, then the legacy copy when dual publishing is on. */
  readonly messages: readonly OutgoingMessage[];
}

export function prepareEvent<T>(
  runtime: Runtime,
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  data: T,
  options: PublishOptions = {},
): PreparedEvent<T> {
  if (!validate(data)) throw new PayloadValidationError(spec.eventType, validate.errors);
  const destination = resolveDestination(spec.destination, options.parameters);
  const envelope = createEnvelope(
    {
      eventType: spec.eventType,
      version: spec.version,
      service: { name: spec.service, version: runtime.service.version },
    },
    data,
    options,
  );
  const parts = encodeCreatedEnvelopeParts(envelope);
  const limit = runtime.maxEnvelopeBytes ?? DEFAULT_MAX_ENVELOPE_BYTES;
  // Bytes are counted only for an envelope that might exceed the limit (most are far below it).
  if (parts.maxByteLength > limit && parts.byteLength > limit) {
    throw new EnvelopeTooLargeError(spec.eventType, parts.byteLength, limit);
  }
  const orderingKey = orderingKeyOf(spec, data);
  const primary = messageOf(parts, destination, orderingKey);
  if (!dualPublishEnabled(runtime, spec)) return { envelope, messages: [primary] };
  return { envelope, messages: [primary, { ...primary, destination: legacyDestination(spec, destination) }] };
}

/**
 * The message of an encoded envelope. Its `body` is built when a transport reads it (the Redis Streams transport
 * sends the CloudEvent encoding instead, from `encodedFrom`): an accessor defined with one shared descriptor, not
 * a getter in an object literal, which V8 builds with a hidden class of its own per object (the getter is a new
 * closure each time): ~3 µs per event, most of it garbage collection of those classes (profiled). It stays an
 * own enumerable property, so a copy of the message (`{ ...message }`) has the body, as before.
 */
function messageOf(
  parts: EnvelopeParts,
  destination: Destination,
  orderingKey: string | undefined,
): OutgoingMessage {
  const { envelope } = parts;
  const headers = envelopeHeaders(envelope);
  const ordering = orderingKey !== undefined ? { orderingKey } : undefined;
  if (parts.dataJson === undefined) {
    // A payload with no JSON form: the envelope's body is all there is to send, built already.
    return {
      destination,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: parts.body,
      contentType: ENVELOPE_CONTENT_TYPE,
      headers,
      ...ordering,
    };
  }
  const message = {
    destination,
    eventId: envelope.event_id,
    eventType: envelope.event_type,
    contentType: ENVELOPE_CONTENT_TYPE,
    headers,
    ...ordering,
    encodedFrom: parts as EncodedEnvelope & EnvelopeParts,
  };
  return Object.defineProperty(message, 'body', BODY_FROM_PARTS) as typeof message & {
    readonly body: Buffer;
  };
}

const BODY_FROM_PARTS: PropertyDescriptor = {
  get(this: { readonly encodedFrom: EnvelopeParts }): Buffer {
    return this.encodedFrom.body;
  },
  enumerable: true,
  configurable: true,
};

export const publishEvent: PublishFn = async (runtime, spec, validate, data, options) => {
  const metrics = publicationMetrics(runtime, spec);
  const started = performance.now();
  try {
    const prepared = prepareEvent(runtime, spec, validate, data, options);
    await runtime.transport.publish(prepared.messages);
    countPublished(runtime, spec, metrics, 1);
    metrics.publishDuration.observe((performance.now() - started) / 1000);
    return prepared.envelope;
  } catch (error) {
    metrics.publishFailures.inc();
    throw error;
  }
};

/**
 * Dual publishing (migration to a new exchange): on when the contract declares it and the environment switch
 * is exactly 'true', or unset while the contract's default is on. Any other value turns it off.
 */
export function dualPublishEnabled(runtime: Runtime, spec: PublicationSpec): boolean {
  const dual = spec.dualPublish;
  if (!dual) return false;
  const value = (runtime.env ?? process.env)[dual.envSwitch];
  return value === undefined ? dual.defaultOn : value === 'true';
}

/** The legacy exchange copy: same body and id (so consumers of both dedupe), legacy exchange. */
export function legacyDestination(spec: PublicationSpec, primary: Destination): Destination {
  const dual = spec.dualPublish!;
  return {
    kind: 'amqp',
    exchange: dual.exchange,
    exchangeType: dual.exchangeType,
    routingKey: primary.kind === 'amqp' ? primary.routingKey : spec.eventType,
    ...(primary.kind === 'amqp' && primary.vhost !== undefined ? { vhost: primary.vhost } : {}),
  };
}

// Resolved once per (metrics, spec): specs are constants of generated code, so this is a per-event saving.
const destinationLabelOf = (spec: PublicationSpec): string => destinationLabel(spec.destination);

export function publicationMetrics(runtime: Runtime, spec: PublicationSpec): TopicMetrics {
  const metrics = runtime.metrics;
  if (!metrics) return noopTopicMetrics;
  return metricsForSpec(metrics, spec, destinationLabelOf);
}

/** Counts events per destination: the primary topic, and the legacy exchange when dual publishing. */
export function countPublished(
  runtime: Runtime,
  spec: PublicationSpec,
  primary: TopicMetrics,
  events: number,
): void {
  primary.published.inc(events);
  if (runtime.metrics && dualPublishEnabled(runtime, spec)) {
    const legacy = destinationLabel(legacyDestination(spec, spec.destination));
    runtime.metrics.forTopic(spec.service, legacy).published.inc(events);
  }
}

function orderingKeyOf(spec: PublicationSpec, data: unknown): string | undefined {
  if (!spec.orderingKeyPointer) return undefined;
  const value = resolvePointer(data, spec.orderingKeyPointer);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

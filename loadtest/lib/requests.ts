/**
 * The HTTP calls that publish one event. Dapr: the sidecar's publish API with a structured CloudEvent, as the
 * runtime's Dapr transport sends it. RabbitMQ: k6 speaks no AMQP, so AMQP channels go through the management
 * plugin's publish endpoint (POST /api/exchanges/{vhost}/{exchange}/publish) with the properties the runtime's
 * AMQP publisher sets; its answer says whether the message was routed to a queue.
 */
import { cloudEventOf } from './event.ts';
import type { Settings } from './settings.ts';
import type { Envelope, PublishRequest, Publication } from './types.ts';

const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');

export function daprRequest(
  settings: Settings,
  pubsub: string,
  topic: string,
  envelope: Envelope,
  partitionKey?: string,
): PublishRequest {
  // The runtime passes an ordered channel's key as partitionKey metadata, honoured by partitioned brokers.
  const query =
    partitionKey === undefined ? '' : `?metadata.partitionKey=${encodeURIComponent(partitionKey)}`;
  return {
    url: `${settings.daprUrl}/v1.0/publish/${path(pubsub, topic)}${query}`,
    body: JSON.stringify(cloudEventOf(envelope)),
    headers: {
      'Content-Type': 'application/cloudevents+json',
      ...(settings.daprApiToken ? { 'dapr-api-token': settings.daprApiToken } : {}),
    },
    expect: 'dapr-204',
  };
}

/** A base64 encoder that does not depend on k6's encoding module or Node's Buffer. */
export function base64(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const utf8 = encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, (_, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  );
  const bytes = Array.from(utf8, (c) => c.charCodeAt(0));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const n = (a << 16) | (b << 8) | c;
    out += [18, 12, 6, 0].map((shift) => alphabet[(n >> shift) & 63]).join('');
    const missing = 3 - Math.min(3, bytes.length - i);
    if (missing > 0) out = out.slice(0, -missing) + '='.repeat(missing);
  }
  return out;
}

export function amqpRequest(
  settings: Settings,
  target: { readonly vhost: string; readonly exchange: string; readonly routingKey: string },
  envelope: Envelope,
  partitionKey?: string,
): PublishRequest {
  const headers: Record<string, string> = {
    event_id: envelope.event_id,
    event_type: envelope.event_type,
    correlation_id: envelope.metadata.correlation_id,
    ...(partitionKey === undefined ? {} : { 'x-eventwire-ordering-key': partitionKey }),
  };
  const properties = {
    delivery_mode: 2,
    message_id: envelope.event_id,
    type: envelope.event_type,
    content_type: 'application/json',
    timestamp: Math.floor(Date.parse(envelope.timestamp) / 1000),
    headers,
  };
  return {
    url: `${settings.amqpPublishUrl}/api/exchanges/${path(target.vhost, target.exchange)}/publish`,
    body: JSON.stringify({
      properties,
      routing_key: target.routingKey,
      payload: JSON.stringify(envelope),
      payload_encoding: 'string',
    }),
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${base64(`${settings.amqpUser}:${settings.amqpPassword}`)}`,
    },
    expect: 'rabbitmq-routed',
  };
}

/** The calls for one event: the primary destination, plus the legacy exchange while dual publishing is on. */
export function requestsFor(
  settings: Settings,
  env: Readonly<Record<string, string | undefined>>,
  publication: Publication,
  envelope: Envelope,
  partitionKey?: string,
): PublishRequest[] {
  const to = publication.destination;
  if (to.kind === 'topic') return [daprRequest(settings, to.pubsub, to.topic, envelope, partitionKey)];
  const vhost = to.vhost ?? '/';
  const primary = amqpRequest(
    settings,
    { vhost, exchange: to.exchange, routingKey: to.routingKey },
    envelope,
    partitionKey,
  );
  const dual = publication.dualPublish;
  const switchedOn =
    dual && (env[dual.envSwitch] === undefined ? dual.defaultOn : env[dual.envSwitch] === 'true');
  if (!dual || !switchedOn) return [primary];
  return [
    primary,
    amqpRequest(
      settings,
      { vhost, exchange: dual.exchange, routingKey: to.routingKey },
      envelope,
      partitionKey,
    ),
  ];
}

/** Whether the broker took the event: Dapr answers 204; the management API answers 200 with `routed: true`. */
export function accepted(expect: PublishRequest['expect'], status: number, body: string | null): boolean {
  if (expect === 'dapr-204') return status === 204;
  if (status !== 200 || body === null) return false;
  try {
    return (JSON.parse(body) as { routed?: unknown }).routed === true;
  } catch {
    return false;
  }
}

/** Helpers for this folder's tests: subscription specs, CloudEvent messages, transport + fake sidecar pairs. */
import { randomUUID } from 'node:crypto';
import type { SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler, OutgoingMessage } from '../../transport.ts';
import { FakeSidecar, type FakeSidecarOptions } from '../../../harness/testing/dapr-sidecar/sidecar.ts';
import { CLOUDEVENTS_CONTENT_TYPE } from './protocol.ts';
import { createDaprTransport, type DaprTransport, type DaprTransportOptions } from './transport.ts';

export function daprSpec(
  name: string,
  topic: string,
  overrides: Partial<SubscriptionSpec> = {},
): SubscriptionSpec {
  return {
    operation: `consume-${name}`,
    service: 'orders',
    name,
    route: `/events/${name}`,
    source: { kind: 'topic', pubsub: 'pubsub', topic },
    eventTypes: ['order.placed'],
    retry: {
      maxRetries: 3,
      backoff: 'exponential',
      initialIntervalMs: 10,
      maxIntervalMs: 100,
      multiplier: 2,
      delaysMs: [],
    },
    deadLetter: { address: `dlq.${name}` },
    idempotency: { key: '$message.header#/event_id', ttlMs: 60_000, store: 'memory' },
    handlerTimeoutMs: 5_000,
    concurrency: 8,
    ...overrides,
  };
}

/** A CloudEvent message as the runtime hands it to the transport (built by hand: bodies are opaque here). */
export function cloudEventMessage(
  topic: string,
  data: unknown,
  options: { type?: string; orderingKey?: string } = {},
) {
  const eventId = randomUUID();
  const message: OutgoingMessage = {
    destination: { kind: 'topic', pubsub: 'pubsub', topic },
    eventId,
    eventType: options.type ?? 'order.placed',
    body: Buffer.from(
      JSON.stringify({
        specversion: '1.0',
        id: eventId,
        source: 'orders',
        type: options.type ?? 'order.placed',
        datacontenttype: 'application/json',
        data,
      }),
    ),
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
  };
  return message;
}

/** A message exactly as the runtime's publishEvent builds it: envelope JSON, content type application/json. */
export function envelopeMessage(topic: string, data: unknown): OutgoingMessage {
  const eventId = randomUUID();
  const envelope = {
    event_id: eventId,
    event_type: 'order.placed',
    timestamp: new Date().toISOString(),
    version: '1.0',
    data,
    metadata: {
      correlation_id: 'corr-1',
      service: 'orders',
      version: '2.3.0',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
  };
  return {
    destination: { kind: 'topic', pubsub: 'pubsub', topic },
    eventId,
    eventType: 'order.placed',
    body: Buffer.from(JSON.stringify(envelope)),
    contentType: 'application/json',
    headers: { event_id: eventId, event_type: 'order.placed', correlation_id: 'corr-1' },
  };
}

export function dataOf(body: Buffer): unknown {
  return (JSON.parse(body.toString()) as { data?: unknown }).data;
}

export interface DaprPair {
  readonly sidecar: FakeSidecar;
  readonly transport: DaprTransport;
  /** Opens the app port and lets the sidecar read /dapr/subscribe, as daprd does at start-up. */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export async function daprPair(
  subscriptions: readonly [SubscriptionSpec, DeliveryHandler][],
  options: { sidecar?: FakeSidecarOptions; transport?: DaprTransportOptions } = {},
): Promise<DaprPair> {
  const sidecar = await FakeSidecar.start({ retry: { maxRetries: 5, durationMs: 10 }, ...options.sidecar });
  const transport = createDaprTransport({
    httpPort: sidecar.port,
    appPort: 0,
    listen: 'manual',
    logger: { warn: () => undefined },
    sidecarRetryIntervalMs: 10,
    ...options.transport,
  });
  for (const [spec, handler] of subscriptions) await transport.subscribe(spec, handler);
  return {
    sidecar,
    transport,
    async connect() {
      const port = await transport.listen();
      await sidecar.connectApp(`http://127.0.0.1:${port}`);
    },
    async close() {
      await transport.close();
      await sidecar.close();
    },
  };
}

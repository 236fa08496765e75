/**
 * What the raw client baselines send: the stream entry the runtime's Redis Streams transport writes for one
 * `orders.order.created` (its CloudEvent as `data`, its headers as `metadata`, the Dapr layout), encoded once.
 * The raw loop then asks Redis for the same work per event as the publisher does, and the comparison isolates
 * the client side: validation, envelope and encodings per event against none.
 */
import { publications, validateOrdersOrderCreated } from '../../generated/order/index.ts';
import { MemoryIdempotencyStore, type Runtime, type Transport } from '../../runtime/index.ts';
import { prepareEvent } from '../../runtime/publish.ts';
import { asCloudEventMessage } from '../../runtime/transports/dapr/cloudevent-body.ts';
import { entryFields } from '../../runtime/transports/redis-streams/layout.ts';

export function rawEntryFields(data: unknown): (string | Buffer)[] {
  const runtime: Runtime = {
    service: { name: 'order', version: '1.0.0' },
    transport: { kind: 'memory' } as Transport,
    idempotency: new MemoryIdempotencyStore(),
  };
  const spec = publications.publishOrdersOrderCreated;
  const [message] = prepareEvent(runtime, spec, validateOrdersOrderCreated, data).messages;
  const cloudEvent = asCloudEventMessage(message!);
  return entryFields(cloudEvent.body, cloudEvent.headers);
}

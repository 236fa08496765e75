/** Running one delivery on a consumer and handing its outcome (or an injected crash) back to the transport. */
import { errorMessage } from '../errors.ts';
import type { SubscriptionSpec } from '../spec.ts';
import type { Delivery, DeliveryHandler, Outcome } from '../transport.ts';
import type { TimerId } from '../clock.ts';
import type { DeliveryQueue, PendingDelivery } from './memory-queue.ts';
import type { MemoryTransport } from './memory.ts';

export interface Consumer {
  readonly handler: DeliveryHandler;
  readonly concurrency: number;
  readonly inFlight: Set<Promise<void>>;
}

export interface Group {
  readonly name: string;
  readonly spec: SubscriptionSpec;
  consumers: Consumer[];
  readonly queue: DeliveryQueue;
  nextConsumer: number;
  timer?: TimerId | undefined;
  timerDue?: number | undefined;
}

export function dispatchDelivery(
  transport: MemoryTransport,
  group: Group,
  consumer: Consumer,
  pending: PendingDelivery,
): void {
  const { message, id } = pending.stored;
  const delivery: Delivery = {
    id,
    body: message.body,
    headers: pending.headers ?? message.headers,
    attempt: pending.attempt,
    source: group.spec.source,
    address:
      message.destination.kind === 'topic' ? message.destination.topic : message.destination.routingKey,
  };
  const execute = async (): Promise<Outcome> => {
    try {
      return await consumer.handler(delivery);
    } catch (error) {
      // A throwing handler is a crashed consumer: the broker redelivers.
      return { kind: 'retry', delayMs: transport.redeliveryDelayMs(), error: errorMessage(error) };
    }
  };
  // Settle from a `then` callback: it always runs after `run` is assigned, even if the handler throws at once.
  const run: Promise<void> = execute().then((outcome) => {
    const fault = transport.faults?.ack?.(delivery, group.name, outcome, transport.faultContext());
    consumer.inFlight.delete(run);
    transport.settle(group, pending, outcome, fault?.kind === 'crash-before-ack');
  });
  consumer.inFlight.add(run);
}

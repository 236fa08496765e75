/**
 * Two delivery chains of one CloudEvent id at once (a publisher retry is a second stream entry with the same id;
 * pubsub.redis reclaims an entry while daprd still retries it): each must be numbered without the other's
 * delivery still running, or a chain is numbered past the budget and a healthy event is dead-lettered early.
 */
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../transport.ts';
import { memoryAttemptTracker } from './attempts.ts';
import { type DeliverContext, deliverEvent } from './deliver.ts';
import { RouteBinding } from './route-binding.ts';
import { daprSpec } from './test-support.ts';

describe('Dapr app: concurrent delivery chains of one event', () => {
  it('numbers each delivery without the deliveries of the same event still running in the app', async () => {
    const spec = daprSpec('chains', 'orders.chains');
    const attempts = memoryAttemptTracker();
    const context: DeliverContext = {
      attempts,
      deadLetterMode: 'sidecar',
      publishDeadLetter: async () => undefined,
      onError: () => undefined,
      appId: 'orders',
      sidecarRetryIntervalMs: 0,
      parked: new Map(),
    };
    // Three earlier deliveries of the event ended without an outcome (a consumer crashed): the next is attempt 4.
    const key = `orders:${spec.name}:evt-1`;
    for (let i = 0; i < 3; i++) await attempts.next(key);
    const seen: number[] = [];
    let arrive: () => void = () => undefined;
    const bothArrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const binding = new RouteBinding(
      spec,
      async (delivery): Promise<Outcome> => {
        seen.push(delivery.attempt);
        if (seen.length === 2) arrive();
        await bothArrived;
        return { kind: 'ack' };
      },
      2,
    );
    const body = Buffer.from(
      JSON.stringify({ id: 'evt-1', specversion: '1.0', type: 'order.placed', data: {} }),
    );
    const answers = await Promise.all([
      deliverEvent(context, binding, body, {}),
      deliverEvent(context, binding, body, {}),
    ]);
    expect(answers).toEqual(['SUCCESS', 'SUCCESS']);
    // Before: [4, 5], and with maxRetries 3 the second chain was past the budget.
    expect(seen).toEqual([4, 4]);
  });
});

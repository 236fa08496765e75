/**
 * The Dapr app side under the attempt model and personal-data rules every transport follows: a wait (another
 * consumer's claim) is answered RETRY without spending an attempt, and a dead letter the app publishes carries
 * the payload with its personal data masked, as the pipeline decided.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../transport.ts';
import { DEAD_LETTER_ATTRIBUTES } from './deliver.ts';
import { cloudEventMessage, type DaprPair, daprPair, daprSpec } from './test-support.ts';

let pair: DaprPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('Dapr transport: waits and personal data', () => {
  it('answers a wait with RETRY and the next delivery has the same attempt', async () => {
    const attempts: number[] = [];
    pair = await daprPair([
      [
        daprSpec('claimed', 'orders.claimed'),
        async (delivery): Promise<Outcome> => {
          attempts.push(delivery.attempt);
          if (attempts.length <= 3)
            return { kind: 'retry', delayMs: 10, error: 'claimed elsewhere', wait: true };
          return attempts.length === 4 ? { kind: 'retry', delayMs: 10, error: 'transient' } : { kind: 'ack' };
        },
      ],
    ]);
    await pair.connect();
    const message = cloudEventMessage('orders.claimed', {});
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.outcomes.length === 1);
    // Three waits at attempt 1, then a failure at 1, then the retry at 2.
    expect(attempts).toEqual([1, 1, 1, 1, 2]);
  });

  it('publishes the masked copy the pipeline made as the dead letter', async () => {
    const masked = { recipient: '***', template: 'otp' };
    pair = await daprPair([
      [
        daprSpec('otp', 'notifications.otp'),
        async (delivery): Promise<Outcome> => {
          const cloudEvent = JSON.parse(delivery.body.toString()) as Record<string, unknown>;
          const body = Buffer.from(JSON.stringify({ ...cloudEvent, data: masked }));
          return {
            kind: 'dead-letter',
            reason: 'retries-exhausted',
            error: 'mailbox *** unavailable',
            masked: { body, fields: ['/recipient'] },
          };
        },
      ],
    ]);
    await pair.connect();
    const message = cloudEventMessage('notifications.otp', {
      recipient: 'race.person@example.com',
      template: 'otp',
    });
    await pair.transport.publish([message]);
    await pair.sidecar.waitFor(() => pair!.sidecar.publishedTo('dlq.otp').length === 1);
    const [deadLetter] = pair.sidecar.publishedTo('dlq.otp');
    expect(deadLetter!.cloudEvent).toMatchObject({
      id: message.eventId,
      data: masked,
      [DEAD_LETTER_ATTRIBUTES.reason]: 'retries-exhausted',
    });
    expect(JSON.stringify(deadLetter!.cloudEvent)).not.toContain('race.person');
  });
});

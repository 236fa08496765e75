/**
 * Carries out the pipeline's decision for one delivery on the channel it arrived on. The original is acknowledged
 * only after the copy (to a delay queue or the dead-letter exchange) is confirmed, so a crash in between yields a
 * duplicate, never a loss.
 */
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { SubscriptionSpec } from '../../spec.ts';
import type { Outcome } from '../../transport.ts';
import { attemptOf, deadLetterProperties, retryCopyProperties } from './delivery.ts';
import type { SubscriptionPlan } from './plan.ts';
import { chooseRetryLevel, levelForRetry } from './retry-plan.ts';

export interface OutcomeContext {
  readonly channel: ConfirmChannel;
  readonly message: ConsumeMessage;
  readonly plan: SubscriptionPlan;
  readonly spec: Pick<SubscriptionSpec, 'name' | 'retry'>;
}

type Handlers = {
  readonly [K in Outcome['kind']]: (
    ctx: OutcomeContext,
    outcome: Extract<Outcome, { kind: K }>,
  ) => Promise<void>;
};

const HANDLERS: Handlers = {
  ack: async ({ channel, message }) => channel.ack(message),
  retry: async (ctx, outcome) => {
    const { channel, message, plan, spec } = ctx;
    const level = chooseRetryLevel(spec.retry, plan.retryLevels, attemptOf(message), outcome.delayMs);
    if (!level) {
      // No retries configured for this subscription: the message has nowhere to wait, so it is dead-lettered.
      return HANDLERS['dead-letter'](ctx, {
        kind: 'dead-letter',
        reason: 'retries-exhausted',
        error: outcome.error,
      });
    }
    await publishConfirmed(
      channel,
      plan.retryExchange,
      level.queue,
      message,
      retryCopyProperties(message, outcome.error),
    );
    channel.ack(message);
  },
  'dead-letter': async ({ channel, message, plan, spec }, outcome) => {
    const props = deadLetterProperties(message, spec.name, outcome.reason, outcome.error);
    await publishConfirmed(channel, plan.deadLetterExchange, plan.deadLetterRoutingKey, message, props);
    channel.ack(message);
  },
};

export function applyOutcome(ctx: OutcomeContext, outcome: Outcome): Promise<void> {
  const handler = HANDLERS[outcome.kind] as (ctx: OutcomeContext, outcome: Outcome) => Promise<void>;
  return handler(ctx, outcome);
}

/** A handler that throws is a bug in the pipeline; it is retried like a failure so the message is not lost. */
export function fallbackOutcome(ctx: Omit<OutcomeContext, 'channel'>, error: unknown): Outcome {
  const text = error instanceof Error ? error.message : String(error);
  const attempt = attemptOf(ctx.message);
  if (attempt > ctx.spec.retry.maxRetries || ctx.plan.retryLevels.length === 0) {
    return { kind: 'dead-letter', reason: 'retries-exhausted', error: text };
  }
  return {
    kind: 'retry',
    delayMs: levelForRetry(ctx.spec.retry, ctx.plan.retryLevels, attempt).delayMs,
    error: text,
  };
}

function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  message: ConsumeMessage,
  props: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, message.content, props, (err) => (err ? reject(err) : resolve()));
  });
}

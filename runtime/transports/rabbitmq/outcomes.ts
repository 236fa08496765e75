/**
 * Carries out the pipeline's decision for one delivery on the channel it arrived on. The original is acknowledged
 * only after the copy (to a delay queue or the dead-letter exchange) is confirmed, so a crash in between yields a
 * duplicate, never a loss.
 *
 * When the copy cannot be made, the message still reaches an end: a copy amqplib cannot encode is the message's
 * own fault, so the original is rejected without requeue and the broker dead-letters it, unchanged, through the
 * queue's dead-letter exchange (`x-death` says `rejected`). A copy the broker did not confirm (it is unreachable,
 * the target refuses) is requeued after a pause, and after REDELIVERY_LIMIT broker redeliveries rejected the
 * same way; the queue's `x-delivery-limit` is the broker's own backstop.
 */
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { SubscriptionSpec } from '../../spec.ts';
import type { Outcome } from '../../transport.ts';
import { attemptOf, deadLetterCopy, redeliveries, retryCopyProperties } from './delivery.ts';
import type { SubscriptionPlan } from './plan.ts';
import { chooseRetryLevel, levelForRetry } from './retry-plan.ts';

export interface OutcomeContext {
  readonly channel: ConfirmChannel;
  readonly message: ConsumeMessage;
  readonly plan: SubscriptionPlan;
  readonly spec: Pick<SubscriptionSpec, 'name' | 'retry'>;
}

/** Broker redeliveries of one copy after which a copy that cannot be confirmed is rejected to the DLX. */
export const REDELIVERY_LIMIT = 5;

/** The copy could not be encoded (amqplib threw before sending anything): retrying the same copy cannot help. */
export class CopyEncodingError extends Error {
  constructor(cause: unknown) {
    super(`the copy cannot be encoded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CopyEncodingError';
  }
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
    const attempt = attemptOf(message, plan);
    const level = chooseRetryLevel(spec.retry, plan.retryLevels, attempt, outcome.delayMs);
    if (!level) {
      // No retries configured for this subscription: the message has nowhere to wait, so it is dead-lettered.
      return HANDLERS['dead-letter'](ctx, {
        kind: 'dead-letter',
        reason: 'retries-exhausted',
        error: outcome.error,
      });
    }
    const properties = retryCopyProperties(message, plan, outcome);
    await publishConfirmed(channel, plan.retryExchange, level.queue, message.content, properties);
    channel.ack(message);
  },
  'dead-letter': async ({ channel, message, plan, spec }, outcome) => {
    const copy = deadLetterCopy(message, plan, spec.name, outcome);
    await publishConfirmed(
      channel,
      plan.deadLetterExchange,
      plan.deadLetterRoutingKey,
      copy.body,
      copy.properties,
    );
    channel.ack(message);
  },
};

export function applyOutcome(ctx: OutcomeContext, outcome: Outcome): Promise<void> {
  const handler = HANDLERS[outcome.kind] as (ctx: OutcomeContext, outcome: Outcome) => Promise<void>;
  return handler(ctx, outcome);
}

/**
 * What to do with the original when its outcome could not be carried out: 'reject' (to the broker's dead-letter
 * exchange) when retrying cannot help or the copy has been redelivered too often, else 'requeue'.
 */
export function afterFailedOutcome(message: ConsumeMessage, error: unknown): 'reject' | 'requeue' {
  if (error instanceof CopyEncodingError) return 'reject';
  return redeliveries(message) >= REDELIVERY_LIMIT ? 'reject' : 'requeue';
}

/** A handler that throws is a bug in the pipeline; it is retried like a failure so the message is not lost. */
export function fallbackOutcome(ctx: Omit<OutcomeContext, 'channel'>, error: unknown): Outcome {
  const text = error instanceof Error ? error.message : String(error);
  const attempt = attemptOf(ctx.message, ctx.plan);
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
  body: Buffer,
  props: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, body, props, (err) => (err ? reject(err) : resolve()));
    } catch (error) {
      // amqplib encodes before it writes: a throw here (other than a closed channel) sent nothing.
      reject(
        error instanceof Error && error.name === 'IllegalOperationError'
          ? error
          : new CopyEncodingError(error),
      );
    }
  });
}

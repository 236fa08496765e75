/**
 * The delivery policy of a receive operation, with every default filled in, so emitters and the runtime never
 * guess. `declared` keeps whether retry and dead letter were written, for the linter to ask for them.
 */
import { parseDuration } from './duration.ts';
import type { BuildContext } from './build-context.ts';
import type { ChannelDraft } from './build-channels.ts';
import { kebabCase } from './names.ts';
import type { AmqpQueue, BulkSubscribe, DeliveryPolicy, RetryPolicy, SourceRef } from './types.ts';

export const DELIVERY_DEFAULTS = {
  maxRetries: 3,
  backoff: 'exponential',
  initialInterval: 1_000,
  maxInterval: 30_000,
  multiplier: 2,
  idempotencyKey: '$message.header#/event_id',
  idempotencyTtl: 24 * 3_600_000,
  idempotencyStore: 'redis',
  handlerTimeout: 30_000,
  concurrency: 1,
  bulkMaxMessages: 100,
  bulkMaxAwait: 1_000,
  queueType: 'quorum',
  prefetch: 50,
} as const;

interface SubscriptionExtension {
  name: string;
  route?: string;
  concurrency?: number;
  handlerTimeout?: string;
  bulk?: { maxMessagesCount?: number; maxAwaitDuration?: string };
}
interface RetryExtension {
  maxRetries: number;
  backoff?: RetryPolicy['backoff'];
  initialInterval?: string;
  maxInterval?: string;
  multiplier?: number;
  delays?: string[];
}
interface QueueExtension {
  name: string;
  type?: AmqpQueue['type'];
  durable?: boolean;
  deliveryLimit?: number;
  prefetch?: number;
}

const ms = (text: string | undefined, fallback: number) =>
  text === undefined ? fallback : (parseDuration(text) ?? fallback);

/** The delay before each retry: explicit for fixed-delays, computed from the backoff otherwise. */
export function retryDelays(policy: Omit<RetryPolicy, 'delays'>, explicit?: readonly number[]): number[] {
  if (explicit) return [...explicit];
  return Array.from({ length: policy.maxRetries }, (_, attempt) =>
    policy.backoff === 'exponential'
      ? Math.min(policy.initialInterval * policy.multiplier ** attempt, policy.maxInterval)
      : policy.initialInterval,
  );
}

function retryPolicy(ctx: BuildContext, retry: RetryExtension | undefined, source: SourceRef): RetryPolicy {
  const base = {
    maxRetries: retry?.maxRetries ?? DELIVERY_DEFAULTS.maxRetries,
    backoff: retry?.backoff ?? DELIVERY_DEFAULTS.backoff,
    initialInterval: ms(retry?.initialInterval, DELIVERY_DEFAULTS.initialInterval),
    maxInterval: ms(retry?.maxInterval, DELIVERY_DEFAULTS.maxInterval),
    multiplier: retry?.multiplier ?? DELIVERY_DEFAULTS.multiplier,
  };
  const explicit = retry?.delays?.map((delay) => ms(delay, 0));
  if (base.backoff === 'fixed-delays' && !explicit) {
    ctx.report(
      'error',
      'invalid-extension',
      'x-eventwire-retry: backoff "fixed-delays" needs "delays"',
      source,
      'list the delay before each retry, e.g. delays: [1s, 10s, 1m]',
    );
  } else if (explicit && explicit.length !== base.maxRetries) {
    ctx.report(
      'warning',
      'retry-delays-mismatch',
      `x-eventwire-retry: ${explicit.length} delays for ${base.maxRetries} retries`,
      source,
      'give one delay per retry',
    );
  }
  return { ...base, delays: retryDelays(base, explicit) };
}

export interface DeliveryInput {
  readonly operation: Record<string, unknown>;
  readonly channel: ChannelDraft;
  readonly service: string;
  readonly source: SourceRef;
}

export function buildDelivery(
  ctx: BuildContext,
  { operation, channel, service, source }: DeliveryInput,
): DeliveryPolicy {
  const subscription = ctx.extension<SubscriptionExtension>(operation, 'x-eventwire-subscription');
  const retry = ctx.extension<RetryExtension>(operation, 'x-eventwire-retry');
  const deadLetter = ctx.extension<{ address: string; exchange?: string }>(
    operation,
    'x-eventwire-dead-letter',
  );
  const idempotency = ctx.extension<{
    key?: string;
    ttl?: string;
    store?: DeliveryPolicy['idempotency']['store'];
  }>(operation, 'x-eventwire-idempotency');
  const queue = ctx.extension<QueueExtension>(operation, 'x-eventwire-queue');
  const name = subscription?.name ?? (kebabCase(channel.address) || kebabCase(channel.id));
  const amqp = channel.binding.kind === 'amqp';
  // On the default exchange the routing key is the queue name (AMQP binding `is: queue`).
  const boundQueue =
    channel.binding.kind === 'amqp' && channel.binding.exchange.name === ''
      ? channel.binding.routingKey
      : undefined;
  const queueName = queue?.name ?? boundQueue ?? `${service}.${name}`;
  const bulk: BulkSubscribe | undefined = subscription?.bulk && {
    maxMessagesCount: subscription.bulk.maxMessagesCount ?? DELIVERY_DEFAULTS.bulkMaxMessages,
    maxAwaitDuration: ms(subscription.bulk.maxAwaitDuration, DELIVERY_DEFAULTS.bulkMaxAwait),
  };
  const deadLetterExchange = deadLetter?.exchange ?? (amqp ? `${queueName}.dlx` : undefined);
  return {
    subscription: name,
    route: subscription?.route ?? `/events/${name}`,
    retry: retryPolicy(ctx, retry, source),
    deadLetter: {
      address: deadLetter?.address ?? `dlq.${name}`,
      ...(deadLetterExchange ? { exchange: deadLetterExchange } : {}),
    },
    idempotency: {
      key: idempotency?.key ?? DELIVERY_DEFAULTS.idempotencyKey,
      ttl: ms(idempotency?.ttl, DELIVERY_DEFAULTS.idempotencyTtl),
      store: idempotency?.store ?? DELIVERY_DEFAULTS.idempotencyStore,
    },
    handlerTimeout: ms(subscription?.handlerTimeout, DELIVERY_DEFAULTS.handlerTimeout),
    concurrency: subscription?.concurrency ?? channel.component?.concurrency ?? DELIVERY_DEFAULTS.concurrency,
    ...(bulk ? { bulk } : {}),
    ...(amqp
      ? {
          queue: {
            name: queueName,
            type: queue?.type ?? DELIVERY_DEFAULTS.queueType,
            durable: queue?.durable ?? true,
            ...(queue?.deliveryLimit === undefined ? {} : { deliveryLimit: queue.deliveryLimit }),
            prefetch: queue?.prefetch ?? DELIVERY_DEFAULTS.prefetch,
          },
        }
      : {}),
    declared: { retry: retry !== undefined, deadLetter: deadLetter !== undefined },
  };
}

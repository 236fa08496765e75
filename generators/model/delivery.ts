/**
 * The delivery policy of a receive operation, with every default filled in, so emitters and the runtime never
 * guess. `declared` keeps whether retry and dead letter were written, for the linter to ask for them.
 */
import { childPointer } from '../parse/pointer.ts';
import { parseDuration } from './duration.ts';
import { INVALID_EXTENSION } from './extensions.ts';
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
      INVALID_EXTENSION,
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
  readonly id: string;
  readonly operation: Record<string, unknown>;
  readonly channel: ChannelDraft;
  readonly service: string;
  readonly source: SourceRef;
}

export function buildDelivery(
  ctx: BuildContext,
  { id, operation, channel, service, source }: DeliveryInput,
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
  if (boundQueue !== undefined) checkDefaultExchangeQueue(ctx, id, channel, boundQueue, queue?.name, source);
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

/**
 * The AMQP default exchange routes a message to the queue its routing key names, so a subscriber consumes that
 * very queue (its consumers compete: a work queue). Two things cannot work and are refused with the way out
 * instead of failing later in the RabbitMQ topology: receiving on a queue named only at run time (an RPC reply
 * queue `{queue}`), and a subscriber queue under another name than the routing key.
 */
function checkDefaultExchangeQueue(
  ctx: BuildContext,
  operationId: string,
  channel: ChannelDraft,
  routingKey: string,
  declaredQueue: string | undefined,
  source: SourceRef,
): void {
  if (/\{[^}]+\}/.test(routingKey)) {
    ctx.report(
      'error',
      'unsupported-amqp-binding',
      `operation "${operationId}" receives on channel "${channel.id}", a queue of the AMQP default exchange named at run time ("${routingKey}"), which eventwire cannot declare or consume ahead of time`,
      { ...channel.source, pointer: childPointer(channel.source.pointer, 'bindings', 'amqp') },
      'receive on a queue with a fixed name (bindings.amqp.queue.name), or on a named exchange with x-eventwire-queue',
    );
  } else if (declaredQueue !== undefined && declaredQueue !== routingKey) {
    ctx.report(
      'error',
      'unsupported-amqp-binding',
      `operation "${operationId}" consumes queue "${declaredQueue}" (x-eventwire-queue), but on the AMQP default exchange channel "${channel.id}" delivers only to queue "${routingKey}"`,
      { ...source, pointer: childPointer(source.pointer, 'x-eventwire-queue', 'name') },
      `drop x-eventwire-queue.name (the queue is "${routingKey}"), or bind the channel to a named exchange`,
    );
  }
}

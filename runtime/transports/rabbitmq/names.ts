/**
 * Naming conventions for the objects eventwire derives from one subscription queue, and the message headers it
 * owns. Kept in one place so the runtime, the definitions emitter and the docs spell them the same way.
 */

/** Direct exchange that feeds the per-attempt delay queues and, on expiry, the work queue again. */
export function retryExchangeName(queue: string): string {
  return `${queue}.retry`;
}

/** Delay queue for one retry level (1-based): `<queue>.retry.1`, `<queue>.retry.2`, ... */
export function retryQueueName(queue: string, level: number): string {
  return `${queue}.retry.${level}`;
}

/** Default dead-letter exchange when the contract names only the dead-letter queue. */
export function defaultDeadLetterExchangeName(queue: string): string {
  return `${queue}.dlx`;
}

/** Queue name when an AMQP subscription declares no `x-eventwire-queue`. */
export function defaultQueueName(service: string, subscription: string): string {
  return `${service}.${subscription}`;
}

/** Headers eventwire reads and writes on AMQP messages (`x-` prefixed, as RabbitMQ's own). */
export const HEADER = {
  /** Delivery attempt the next consumer sees: 2 on the first retry. */
  attempt: 'x-eventwire-attempt',
  /** Routing key and exchange of the original publication, kept across the retry loop. */
  originalRoutingKey: 'x-eventwire-original-routing-key',
  originalExchange: 'x-eventwire-original-exchange',
  lastError: 'x-eventwire-last-error',
  orderingKey: 'x-eventwire-ordering-key',
  deadLetterReason: 'x-eventwire-dead-letter-reason',
  deadLetterError: 'x-eventwire-dead-letter-error',
  deadLetterAttempts: 'x-eventwire-attempts',
  deadLetterSubscription: 'x-eventwire-subscription',
  deadLetteredAt: 'x-eventwire-dead-lettered-at',
  /** Original headers a copy could not carry (over amqplib's 64 KiB header table), comma-separated. */
  droppedHeaders: 'x-eventwire-dropped-headers',
} as const;

/** Headers RabbitMQ adds while a message moves between queues; dropped when eventwire re-publishes a copy. */
export const BROKER_HEADERS: readonly string[] = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
];

/**
 * The data the generated code hands to the runtime: plain, serialisable descriptions of each publication and
 * subscription, written by the generator from the contract model. The runtime holds all behaviour; generated code
 * only wires these specs to typed functions.
 */

/** Where a message goes or comes from. */
export type Destination =
  | { readonly kind: 'topic'; readonly pubsub: string; readonly topic: string }
  | {
      readonly kind: 'amqp';
      readonly exchange: string;
      readonly exchangeType: 'topic' | 'direct' | 'fanout' | 'headers';
      /** Routing key when publishing; binding pattern (`email.#`) when subscribing. */
      readonly routingKey: string;
      readonly vhost?: string;
      /** The exchange as the contract declares it; absent means durable and not auto-deleted. */
      readonly durable?: boolean;
      readonly autoDelete?: boolean;
    };

export interface RetrySpec {
  readonly maxRetries: number;
  readonly backoff: 'exponential' | 'constant' | 'fixed-delays';
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly multiplier: number;
  readonly delaysMs: readonly number[];
}

export interface DeadLetterSpec {
  /** Dead-letter topic, stream, or AMQP queue. */
  readonly address: string;
  readonly exchange?: string;
}

export interface IdempotencySpec {
  /** `$message.header#/event_id` (default) or `$message.payload#/<pointer>`. */
  readonly key: string;
  readonly ttlMs: number;
  readonly store: 'redis' | 'postgres' | 'memory';
}

export interface OrderingSpec {
  /** JSON pointers into the payload (`data`). */
  readonly keyPointer: string;
  readonly sequencePointer: string;
  readonly bufferTimeoutMs: number;
}

export interface QueueSpec {
  readonly name: string;
  readonly type: 'quorum' | 'classic';
  readonly durable: boolean;
  readonly deliveryLimit?: number;
  readonly prefetch: number;
}

export interface PublicationSpec {
  /** operationId in the contract. */
  readonly operation: string;
  readonly service: string;
  /** The event type stamped in `event_type` (the message name). */
  readonly eventType: string;
  readonly version: string;
  /** Address template; `{param}` placeholders are filled from the publish call's parameters. */
  readonly destination: Destination;
  readonly parameters: readonly string[];
  readonly dualPublish?: {
    readonly exchange: string;
    readonly exchangeType: 'fanout' | 'topic' | 'direct';
    readonly envSwitch: string;
    readonly defaultOn: boolean;
  };
  readonly orderingKeyPointer?: string;
  /** JSON pointers of the payload's personal data (`x-eventwire-pii`), for masking (runtime/pii.ts). */
  readonly pii?: readonly string[];
}

export interface SubscriptionSpec {
  readonly operation: string;
  readonly service: string;
  /** Subscription name: route `/events/<name>`, consumer group, dead letter `dlq.<name>`. */
  readonly name: string;
  readonly route: string;
  readonly source: Destination;
  /** Event types accepted on this subscription (`event_type` values). */
  readonly eventTypes: readonly string[];
  readonly retry: RetrySpec;
  readonly deadLetter: DeadLetterSpec;
  readonly idempotency: IdempotencySpec;
  readonly ordering?: OrderingSpec;
  readonly handlerTimeoutMs: number;
  readonly concurrency: number;
  readonly queue?: QueueSpec;
  readonly bulk?: { readonly maxMessagesCount: number; readonly maxAwaitDurationMs: number };
  /**
   * Per accepted event type with personal data, the JSON pointers of the marked payload fields
   * (`x-eventwire-pii`): masked in errors and dead-letter copies, hashed where they make a key (runtime/pii.ts).
   */
  readonly pii?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A compiled validator: ajv standalone code, generated at build time. `errors` follows ajv's ErrorObject shape
 * (instancePath, message, params) so error messages can name the failing field.
 */
export interface CompiledValidator<T> {
  (data: unknown): data is T;
  errors?: readonly ValidationIssue[] | null;
}

export interface ValidationIssue {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

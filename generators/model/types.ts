/**
 * The typed contract model: the one structure every emitter and every check reads.
 *
 * It is built once from the parsed AsyncAPI documents (see build.ts) and never from raw YAML elsewhere.
 * Every node carries a `source` (file + JSON pointer) so findings and errors can point back at the contract.
 * Node kinds are string-literal unions so `Record<Kind, handler>` dispatch tables fail to compile when a
 * new kind is added and a handler is missing.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** Where a node came from: the document file and a JSON pointer inside it (RFC 6901). */
export interface SourceRef {
  readonly file: string;
  readonly pointer: string;
}

/** A JSON Schema with every `$ref` resolved (it may still be recursive: cycles are kept as object identity). */
export type JsonSchema = { readonly [key: string]: unknown } | boolean;

/** Durations are kept in milliseconds; contracts write them as `500ms`, `1s`, `5m`, `24h`. */
export type Millis = number;

export interface ContractModel {
  /** Services sorted by name: output order never depends on file-system order. */
  readonly services: readonly Service[];
  /** Every channel of every service, keyed by `Channel.key` (same address + transport = same channel). */
  readonly channels: ReadonlyMap<string, Channel>;
  /** What the builder found wrong in readable contracts (stage `model`), sorted, located at line and column. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Service {
  /** Kebab-case service name (`catalog`, `common-operations`, `identity`): from `x-eventwire-service.name`. */
  readonly name: string;
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  /** Dapr application id and port of the worker that runs the consumers. */
  readonly appId: string;
  readonly appPort: number;
  readonly appProtocol: 'http' | 'grpc';
  readonly operations: readonly Operation[];
  readonly servers: readonly Server[];
  readonly source: SourceRef;
}

export type ServerKind = 'dapr-redis' | 'dapr-rabbitmq' | 'redis-streams' | 'amqp' | 'other';

export interface Server {
  readonly id: string;
  readonly kind: ServerKind;
  readonly protocol: string;
  readonly host: string;
  readonly protocolVersion?: string;
  /** Dapr pub/sub component settings (`x-eventwire-pubsub`), present for the dapr-* kinds. */
  readonly pubsub?: PubSubComponent;
  readonly source: SourceRef;
}

export interface PubSubComponent {
  /** Component name used in `pubsubname` and `/v1.0/publish/{pubsub}/{topic}`. */
  readonly name: string;
  readonly consumerId?: string;
  readonly redeliverInterval?: Millis;
  readonly processingTimeout?: Millis;
  readonly maxLenApprox?: number;
  readonly concurrency?: number;
}

/** How a channel is addressed on the wire. */
export type ChannelBinding =
  | { readonly kind: 'topic'; readonly pubsub: string }
  | {
      readonly kind: 'amqp';
      readonly exchange: AmqpExchange;
      /** For send channels the routing key; for receive channels the binding pattern (`email.#`). */
      readonly routingKey: string;
    };

export interface AmqpExchange {
  readonly name: string;
  readonly type: 'topic' | 'direct' | 'fanout' | 'headers';
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly vhost: string;
}

export interface Channel {
  /** `topic:<pubsub>:<address>` or `amqp:<vhost>:<exchange>:<routingKey>`: the identity used to join services. */
  readonly key: string;
  readonly id: string;
  readonly address: string;
  readonly parameters: readonly ChannelParameter[];
  readonly binding: ChannelBinding;
  readonly messages: readonly Message[];
  readonly ordering?: OrderingPolicy;
  readonly source: SourceRef;
}

export interface ChannelParameter {
  readonly name: string;
  readonly enum?: readonly string[];
  readonly description?: string;
}

export type OperationAction = 'send' | 'receive';

export interface Operation {
  readonly id: string;
  readonly action: OperationAction;
  readonly service: string;
  readonly channel: Channel;
  /** The messages this operation uses: a subset of the channel's messages (all of them when unspecified). */
  readonly messages: readonly Message[];
  /** Ids of its service's servers the operation's channel is on; absent (hand-built models): all of them. */
  readonly servers?: readonly string[];
  readonly summary?: string;
  readonly sla?: Sla;
  /** Receive operations only. */
  readonly delivery?: DeliveryPolicy;
  /** Send operations only: also publish to a legacy fanout exchange while a switch is on. */
  readonly dualPublish?: DualPublish;
  readonly source: SourceRef;
}

export interface Message {
  /** Stable key across documents: the message's `name`, which is also its `event_type` (`catalog.product.created`). */
  readonly name: string;
  /** PascalCase identifier used for generated types (`CatalogProductCreated`). */
  readonly typeName: string;
  readonly title?: string;
  readonly summary?: string;
  readonly contentType: string;
  /** Schema version stamped in the envelope's `version` field. */
  readonly version: string;
  readonly payload: JsonSchema;
  readonly schemaFormat: string;
  readonly headers?: JsonSchema;
  readonly examples: readonly MessageExample[];
  /**
   * JSON pointers into the payload data of the properties marked `x-eventwire-pii` (`/customer/email`);
   * a `*` segment stands for any array index or map key.
   */
  readonly piiFields: readonly string[];
  readonly idempotencyKey?: string;
  readonly source: SourceRef;
}

export interface MessageExample {
  readonly name?: string;
  readonly payload: unknown;
  readonly source: SourceRef;
}

export interface DeliveryPolicy {
  /** Subscription name: Dapr route `/events/<name>`, default dead letter `dlq.<name>`. */
  readonly subscription: string;
  readonly route: string;
  readonly retry: RetryPolicy;
  readonly deadLetter: DeadLetter;
  readonly idempotency: IdempotencyPolicy;
  readonly handlerTimeout: Millis;
  readonly concurrency: number;
  readonly bulk?: BulkSubscribe;
  /** AMQP receive operations: the queue the service consumes from. */
  readonly queue?: AmqpQueue;
  /** Whether the contract declared retry and dead-letter explicitly (lint reports defaults that were filled in). */
  readonly declared: { readonly retry: boolean; readonly deadLetter: boolean };
}

export type BackoffKind = 'exponential' | 'constant' | 'fixed-delays';

export interface RetryPolicy {
  /** Retries after the first attempt: 3 means at most 4 deliveries. */
  readonly maxRetries: number;
  readonly backoff: BackoffKind;
  readonly initialInterval: Millis;
  readonly maxInterval: Millis;
  readonly multiplier: number;
  /** For `fixed-delays` (and AMQP per-attempt delay queues): the delay before each retry. */
  readonly delays: readonly Millis[];
}

export interface DeadLetter {
  /** Topic (`dlq.product-created`) or, on AMQP, the dead-letter queue (`email.errors`). */
  readonly address: string;
  readonly exchange?: string;
}

export type IdempotencyStoreKind = 'redis' | 'postgres' | 'memory';

export interface IdempotencyPolicy {
  /** Runtime expression for the key; the envelope's event_id by default. */
  readonly key: string;
  readonly ttl: Millis;
  readonly store: IdempotencyStoreKind;
}

export interface OrderingPolicy {
  /** JSON pointer into the payload for the partition key (`/order_id`). */
  readonly key: string;
  /** JSON pointer into the payload for the monotonic sequence number (`/sequence`). */
  readonly sequence: string;
  readonly bufferTimeout: Millis;
}

export interface BulkSubscribe {
  readonly maxMessagesCount: number;
  readonly maxAwaitDuration: Millis;
}

export interface AmqpQueue {
  readonly name: string;
  readonly type: 'quorum' | 'classic';
  readonly durable: boolean;
  readonly deliveryLimit?: number;
  readonly prefetch: number;
}

export interface DualPublish {
  readonly exchange: string;
  readonly type: 'fanout' | 'topic' | 'direct';
  /** Environment variable that switches dual publishing on (`ENABLE_DUAL_PUBLISH`). */
  readonly envSwitch: string;
  readonly defaultOn: boolean;
}

export interface Sla {
  readonly publishP95?: Millis;
  readonly publishP99?: Millis;
  readonly processingP95?: Millis;
  /** Expected steady volume, events per hour (from the platform's capacity plan). */
  readonly eventsPerHour?: number;
  /** Peak throughput target, events per second. */
  readonly peakPerSecond?: number;
  readonly deliverySuccessRate?: number;
}

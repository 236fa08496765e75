/**
 * The surface generated code compiles against. Generated publishers call `publisherSend`, generated consumers
 * call `bind` and `startConsumer`; everything else in the runtime is reached through `Runtime`.
 * Keep this file small and stable: changing it changes every generated file.
 */
import type { CompiledValidator, PublicationSpec, SubscriptionSpec } from './spec.ts';
import type { Transport } from './transport.ts';

/** The platform's base envelope (event_id, event_type, timestamp, version, data, metadata). */
export interface EventEnvelope<T = unknown> {
  /** Unique and time-ordered (UUIDv7). */
  readonly event_id: string;
  /** `domain.entity.action`, the message name in the contract. */
  readonly event_type: string;
  /** ISO-8601 UTC creation time. */
  readonly timestamp: string;
  /** Schema version of `data` (`1.0`). */
  readonly version: string;
  readonly data: T;
  readonly metadata: EventMetadata;
}

export interface EventMetadata {
  readonly correlation_id: string;
  readonly causation_id?: string;
  /** Publishing service name and version. */
  readonly service: string;
  readonly version: string;
  /** W3C trace context. */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface PublishOptions {
  readonly correlationId?: string;
  /** The event that caused this one; its correlation and trace context are inherited when given. */
  readonly causedBy?: EventEnvelope<unknown>;
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Values for `{param}` placeholders of the channel address. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface EventContext {
  readonly subscription: string;
  /** 1 on first delivery. */
  readonly attempt: number;
  /** Aborted when the handler timeout elapses or the consumer shuts down. */
  readonly signal: AbortSignal;
  /** Publish options that make a follow-up event a child of this one (correlation, causation, trace). */
  readonly follow: PublishOptions;
}

export type EventHandler<T> = (event: EventEnvelope<T>, context: EventContext) => Promise<void>;

/** A subscription bound to its validators and handler, with the payload type erased for storage in a list. */
export interface ConsumerBinding {
  readonly spec: SubscriptionSpec;
  readonly validators: Readonly<Record<string, CompiledValidator<unknown>>>;
  readonly handle: EventHandler<unknown>;
}

export interface ConsumerHandle {
  /** Graceful shutdown of every subscription: stop fetching, finish in-flight work, acknowledge, close. */
  stop(): Promise<void>;
}

/** Everything a generated publisher or consumer needs at run time. */
export interface Runtime {
  readonly service: { readonly name: string; readonly version: string };
  readonly transport: Transport;
  readonly idempotency: import('./idempotency/store.ts').IdempotencyStore;
  readonly ordering?: import('./ordering/store.ts').OrderingStore;
  readonly metrics?: import('./metrics.ts').EventMetrics;
  /** Structured log lines of consumers (retries, dead letters); see logging.ts. None when absent. */
  readonly logger?: import('./logging.ts').EventLogger;
  /** Envelopes larger than this are refused before sending and dead-lettered `too-large` on receipt (256 KiB). */
  readonly maxEnvelopeBytes?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type PublishFn = <T>(
  runtime: Runtime,
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  data: T,
  options?: PublishOptions,
) => Promise<EventEnvelope<T>>;

/**
 * eventwire runtime: the public surface for generated code (`eventwire/runtime`) and for services.
 * One block per module, blocks sorted by module path; transports add their own block under `transports/`.
 */

export type {
  ConsumerBinding,
  ConsumerHandle,
  EventContext,
  EventEnvelope,
  EventHandler,
  EventMetadata,
  PublishFn,
  PublishOptions,
  Runtime,
} from './api.ts';
export { type Clock, sleep, systemClock, type TimerId, VirtualClock } from './clock.ts';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  type CloudEvent,
  fromCloudEvent,
  isCloudEvent,
  toCloudEvent,
} from './cloudevents.ts';
export { bind } from './consume/bind.ts';
export { type ConsumerOptions, startConsumer } from './consume/consumer.ts';
export { type DecodedBody, decodeDelivery, decodeDeliveryBody } from './consume/decode.ts';
export { type PipelineDeps, processDelivery } from './consume/pipeline.ts';
export {
  PIPELINE_STAGES,
  type PipelinePoint,
  type PipelineProbe,
  type PipelineStage,
} from './consume/probe.ts';
export { currentDelivery, type DeliveryScope } from './consume/scope.ts';
export { destinationAddress, destinationLabel, resolveDestination } from './destination.ts';
export {
  createEnvelope,
  decodeEnvelope,
  type EnvelopeSource,
  encodeEnvelope,
  parseEnvelope,
} from './envelope.ts';
export {
  BatchPublishError,
  ConfigurationError,
  EnvelopeDecodeError,
  EnvelopeFieldError,
  EnvelopeTooLargeError,
  EventwireError,
  type EventwireErrorCode,
  formatIssues,
  HandlerTimeoutError,
  IdempotencyKeyError,
  LeaseLostError,
  MissingParameterError,
  PayloadValidationError,
} from './errors.ts';
export {
  type CreateRuntimeOptions,
  createRuntime,
  type ServiceContract,
  type ServiceRuntime,
} from './create-runtime.ts';
export {
  createDeadLetterMetrics,
  DLQ_METRIC_NAMES,
  type DeadLetterDepth,
  type DeadLetterReader,
} from './dlq-metrics.ts';
export { rabbitMqDeadLetters, redisDeadLetters } from './dlq-readers.ts';
export { DEAD_LETTER_HEADER, envelopeHeaders, HEADER } from './headers.ts';
export {
  checkHealth,
  type HealthCheck,
  type HealthReport,
  type HealthResult,
  postgresHealth,
  rabbitMqHealth,
  redisHealth,
} from './health.ts';
export { MemoryIdempotencyStore } from './idempotency/memory.ts';
export {
  PostgresIdempotencyStore,
  type PostgresIdempotencyOptions,
  type TransactionalHandler,
  type TransactionResult,
} from './idempotency/postgres.ts';
export { type RedisIdempotencyOptions, RedisIdempotencyStore } from './idempotency/redis.ts';
export {
  type ClaimResult,
  type CommitResult,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  type IdempotencyStore,
  type IdempotencyStoreKind,
} from './idempotency/store.ts';
export { identifierProblem, keyTextProblem, LIMITS, truncateText } from './limits.ts';
export {
  createLogger,
  type EventLogger,
  type LoggerOptions,
  silentLogger,
  traceIdOf,
  transportLogger,
} from './logging.ts';
export {
  createEventMetrics,
  type EventMetrics,
  isDeadLetterTopic,
  METRIC_NAMES,
  type TopicMetrics,
} from './metrics.ts';
export {
  type OpsServer,
  type OpsServerOptions,
  type ShutdownOptions,
  type Stoppable,
  shutdownOnSignals,
  startOpsServer,
} from './ops-server.ts';
export { OrderingGuard, type OrderingGuardOptions } from './ordering/guard.ts';
export { MemoryOrderingStore } from './ordering/memory.ts';
export { type RedisOrderingOptions, RedisOrderingStore } from './ordering/redis.ts';
export type { OrderingStore } from './ordering/store.ts';
export { type EnqueueOptions, enqueue, enqueueEvent, migrateOutbox } from './outbox/enqueue.ts';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/relay.ts';
export type { OutboxTableOptions } from './outbox/sql.ts';
export {
  type MarkResult,
  type Progress,
  ProgressNotFoundError,
  type ProgressOptions,
  type ProgressStatus,
  ProgressTracker,
  type ProgressTracking,
} from './progress.ts';
export {
  hashKeyPart,
  isPii,
  maskPii,
  PII_MASK,
  piiValues,
  presentPii,
  redactor,
  redactText,
} from './pii.ts';
export { MemoryProgressTracker } from './progress-memory.ts';
export { createPublishBatcher, type PublishBatcher, type PublishBatcherOptions } from './publish-batcher.ts';
export { type PublishManyOptions, publishMany } from './publish-many.ts';
export {
  DEFAULT_MAX_ENVELOPE_BYTES,
  dualPublishEnabled,
  ENVELOPE_CONTENT_TYPE,
  type PreparedEvent,
  prepareEvent,
  publishEvent,
} from './publish.ts';
export { type PublisherSettings, publisherSend, type SendEvent } from './publisher-send.ts';
export { type Random, seededRandom } from './random.ts';
export { type Jitter, retryDelayMs, shouldRetry } from './retry.ts';
export type {
  CompiledValidator,
  DeadLetterSpec,
  Destination,
  IdempotencySpec,
  OrderingSpec,
  PublicationSpec,
  QueueSpec,
  RetrySpec,
  SubscriptionSpec,
  ValidationIssue,
} from './spec.ts';
export {
  isValidTraceparent,
  newTraceparent,
  normalizeTraceparent,
  sanitizeTraceContext,
  sanitizeTracestate,
  type TraceContext,
} from './trace-context.ts';
export {
  type DeadLetterReason,
  type Delivery,
  type DeliveryHandler,
  deadLetterBody,
  type MaskedBody,
  type Outcome,
  type OutgoingMessage,
  type SubscriptionHandle,
  type Transport,
  type TransportKind,
} from './transport.ts';
export {
  createDaprTransport,
  DaprSidecarError,
  type DaprTransport,
  type DaprTransportOptions,
  daprSubscriptions,
  memoryAttemptTracker,
  redisAttemptTracker,
} from './transports/dapr/index.ts';
export {
  type AckFault,
  type FaultContext,
  type FaultInjector,
  type FaultRates,
  type FaultRecord,
  type PublishFault,
  type RouteFault,
  randomFaults,
} from './transports/memory-faults.ts';
export {
  type DeadLetterRecord,
  MemoryTransport,
  type MemoryTransportOptions,
  type OutcomeRecord,
} from './transports/memory.ts';
export {
  DEFAULT_AMQP_URL,
  declareTopology,
  PublishError as RabbitMqPublishError,
  type RabbitMqTransport,
  type RabbitMqTransportOptions,
  type RabbitTopology,
  type RabbitTransportEvent,
  type ReconnectOptions,
  createRabbitMqTransport,
  TopologyDeclarationError,
  topologyFromSpecs,
} from './transports/rabbitmq/index.ts';
export {
  createRedisStreamsTransport,
  RedisStreamsPublishError,
  type RedisStreamsTransport,
  type RedisStreamsTransportOptions,
} from './transports/redis-streams/index.ts';
export { isUuidV7, uuidv7, uuidv7Time } from './uuid.ts';

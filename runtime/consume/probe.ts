/**
 * An optional observer of the consumer pipeline, for test harnesses: it is called at four points of every
 * delivery and may hold the delivery there (return a promise that never settles) or end the process, which is
 * how `eventwire test` records a history independently of the runtime's own counters and crashes a consumer at
 * an exact point of the pipeline. Absent, the pipeline does not pay for it (one property check per point).
 *
 *   delivered        the transport handed the delivery over; nothing decoded or claimed yet
 *   before-handler   the idempotency claim is held and the ordering guard let the event through
 *   after-handler    the handler resolved (its effect is done); ordering not advanced, idempotency not committed
 *   after-commit     the idempotency key is committed; the outcome (ack) is not yet handed to the transport
 */
import type { EventEnvelope } from '../api.ts';
import type { SubscriptionSpec } from '../spec.ts';
import type { Delivery } from '../transport.ts';

export type PipelineStage = 'delivered' | 'before-handler' | 'after-handler' | 'after-commit';

export const PIPELINE_STAGES: readonly PipelineStage[] = [
  'delivered',
  'before-handler',
  'after-handler',
  'after-commit',
];

export interface PipelinePoint {
  readonly stage: PipelineStage;
  readonly spec: SubscriptionSpec;
  readonly delivery: Delivery;
  /** Decoded envelope; absent at `delivered`. */
  readonly envelope?: EventEnvelope<unknown>;
  /** The idempotency key the pipeline claims; absent at `delivered`. */
  readonly idempotencyKey?: string;
}

/**
 * Called at each stage, awaited before the pipeline goes on. It must not throw: an exception is treated as
 * an infrastructure error of the delivery (retried). To simulate a crash in-process, return a promise that
 * never settles and stop the consumer's transport from carrying out anything for it.
 */
export type PipelineProbe = (point: PipelinePoint) => void | Promise<void>;

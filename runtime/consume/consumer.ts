/**
 * Starting and stopping a service's consumers: every binding is subscribed through the runtime's transport
 * and runs the pipeline. `stop()` is graceful: held events are handed back at once (not acknowledged, so the
 * broker redelivers them), the transport stops fetching and waits for in-flight deliveries to finish and be
 * acknowledged; handlers still running after `shutdownGraceMs` see their signal abort.
 */
import type { ConsumerBinding, ConsumerHandle, Runtime } from '../api.ts';
import { type Clock, systemClock } from '../clock.ts';
import { ConfigurationError, errorMessage } from '../errors.ts';
import type { IdempotencyStore, IdempotencyStoreKind } from '../idempotency/store.ts';
import { OrderingGuard } from '../ordering/guard.ts';
import type { Jitter } from '../retry.ts';
import type { PipelineProbe } from './probe.ts';
import type { SubscriptionHandle } from '../transport.ts';
import { type PipelineDeps, processDelivery } from './pipeline.ts';

export interface ConsumerOptions {
  readonly clock?: Clock;
  readonly jitter?: Jitter;
  /** Stores per contract `idempotency.store`; subscriptions whose kind is absent use `runtime.idempotency`. */
  readonly idempotencyStores?: Partial<Record<IdempotencyStoreKind, IdempotencyStore>>;
  /** How long `stop()` lets handlers run before aborting their signal (default 30 s). */
  readonly shutdownGraceMs?: number;
  readonly orderingPollIntervalMs?: number;
  readonly leaseMs?: number;
  /** Personal data in dead-letter copies: masked (default) or kept as delivered; see PipelineDeps. */
  readonly deadLetterPii?: 'mask' | 'keep';
  /**
   * Called with every error the pipeline meets and the stage it met it in: `handler` (a failed attempt, before
   * the retry or dead letter), `pipeline` (an idempotency or ordering store unreachable), and `commit`, `release`,
   * `ordering-advance` (bookkeeping after a handler, which never changes the outcome). The error is as thrown;
   * the log lines (runtime.logger) carry the masked text. An exception thrown by the hook is logged and ignored.
   */
  readonly onError?: (error: unknown, stage: string) => void;
  /** Observer of every delivery's pipeline stages, for test harnesses (see consume/probe.ts). */
  readonly probe?: PipelineProbe;
}

export async function startConsumer(
  runtime: Runtime,
  bindings: readonly ConsumerBinding[],
  options: ConsumerOptions = {},
): Promise<ConsumerHandle> {
  const clock = options.clock ?? systemClock;
  const stopping = new AbortController();
  const abortHandlers = new AbortController();
  const depsFor = (binding: ConsumerBinding): PipelineDeps => ({
    idempotency: options.idempotencyStores?.[binding.spec.idempotency.store] ?? runtime.idempotency,
    ...orderingFor(runtime, binding, clock, options),
    ...(runtime.metrics ? { metrics: runtime.metrics } : {}),
    clock,
    ...(options.jitter ? { jitter: options.jitter } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(runtime.maxEnvelopeBytes !== undefined ? { maxEnvelopeBytes: runtime.maxEnvelopeBytes } : {}),
    ...(options.deadLetterPii ? { deadLetterPii: options.deadLetterPii } : {}),
    ...errorReporting(runtime, options),
    ...(options.probe ? { probe: options.probe } : {}),
    signal: abortHandlers.signal,
    stopping: stopping.signal,
  });

  // Configuration errors surface before anything is subscribed.
  const prepared = bindings.map((binding) => ({ binding, deps: depsFor(binding) }));
  const handles: SubscriptionHandle[] = [];
  try {
    for (const { binding, deps } of prepared) {
      handles.push(
        await runtime.transport.subscribe(binding.spec, (delivery) =>
          processDelivery(delivery, binding, deps),
        ),
      );
    }
  } catch (error) {
    await Promise.allSettled(handles.map((handle) => handle.stop()));
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopping.abort(new Error('consumer stopping'));
    const grace = clock.setTimer(
      () => abortHandlers.abort(new Error('consumer shutdown grace period elapsed')),
      options.shutdownGraceMs ?? 30_000,
    );
    try {
      await Promise.all(handles.map((handle) => handle.stop()));
    } finally {
      clock.clearTimer(grace);
    }
  };
  return {
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** The pipeline's error hook: the caller's, guarded, and a log line for bookkeeping errors no outcome shows. */
function errorReporting(
  runtime: Runtime,
  options: ConsumerOptions,
): Pick<PipelineDeps, 'onError' | 'logger'> {
  const logger = runtime.logger;
  const hook = options.onError;
  if (!logger && !hook) return {};
  const onError = (error: unknown, stage: string) => {
    // Handler and pipeline failures get their line from the outcome (retry or dead letter), masked.
    if (logger && stage !== 'handler' && stage !== 'pipeline') {
      logger.error({ stage, error: errorMessage(error) }, `consumer ${stage} failed`);
    }
    try {
      hook?.(error, stage);
    } catch (thrown) {
      logger?.error({ stage, error: errorMessage(thrown) }, 'the onError hook threw');
    }
  };
  return { onError, ...(logger ? { logger } : {}) };
}

function orderingFor(
  runtime: Runtime,
  binding: ConsumerBinding,
  clock: Clock,
  options: ConsumerOptions,
): { ordering?: OrderingGuard } {
  const spec = binding.spec;
  if (!spec.ordering) return {};
  if (!runtime.ordering) {
    throw new ConfigurationError(
      `subscription ${spec.name} declares ordering (key ${spec.ordering.keyPointer}) but the runtime has no ` +
        'ordering store: set runtime.ordering (RedisOrderingStore, or MemoryOrderingStore for a single instance)',
    );
  }
  const guard = new OrderingGuard(runtime.ordering, {
    namespace: `${spec.service}:${spec.name}`,
    clock,
    bufferTimeoutMs: spec.ordering.bufferTimeoutMs,
    ...(options.orderingPollIntervalMs !== undefined
      ? { pollIntervalMs: options.orderingPollIntervalMs }
      : {}),
  });
  return { ordering: guard };
}

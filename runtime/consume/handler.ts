/** Runs a handler with its timeout: the AbortSignal fires on timeout or consumer shutdown. */
import { context as otelContext, propagation } from '@opentelemetry/api';
import type { EventContext, EventEnvelope, EventHandler } from '../api.ts';
import type { Clock, TimerId } from '../clock.ts';
import { HandlerTimeoutError } from '../errors.ts';

export interface HandlerRun {
  readonly handle: EventHandler<unknown>;
  readonly envelope: EventEnvelope<unknown>;
  readonly subscription: string;
  readonly attempt: number;
  /** 0 or less: no timeout. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly shutdown?: AbortSignal;
}

/**
 * Resolves when the handler resolves; rejects with its error, or with HandlerTimeoutError when it overruns.
 * A timed-out handler cannot be killed: it is told through the signal and must stop touching shared state.
 */
export async function runHandler(run: HandlerRun): Promise<void> {
  const controller = new AbortController();
  const shutdown = run.shutdown;
  const onShutdown = () => controller.abort(shutdown?.reason);
  if (shutdown?.aborted) onShutdown();
  else shutdown?.addEventListener('abort', onShutdown, { once: true });
  let timer: TimerId | undefined;
  const context: EventContext = {
    subscription: run.subscription,
    attempt: run.attempt,
    signal: controller.signal,
    follow: { causedBy: run.envelope },
  };
  try {
    const handled = withTraceContext(run.envelope, () => run.handle(run.envelope, context));
    if (run.timeoutMs <= 0) return await handled;
    const timedOut = new Promise<never>((_, reject) => {
      timer = run.clock.setTimer(() => {
        const error = new HandlerTimeoutError(run.timeoutMs);
        controller.abort(error);
        reject(error);
      }, run.timeoutMs);
    });
    await Promise.race([handled, timedOut]);
  } finally {
    if (timer !== undefined) run.clock.clearTimer(timer);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

/**
 * Run the handler inside the event's trace context, so spans an instrumented handler starts continue the
 * publisher's trace (a no-op unless an OpenTelemetry SDK with a W3C propagator is installed).
 */
function withTraceContext<R>(envelope: EventEnvelope<unknown>, fn: () => R): R {
  const { traceparent, tracestate } = envelope.metadata;
  if (traceparent === undefined) return fn();
  const carrier: Record<string, string> = tracestate ? { traceparent, tracestate } : { traceparent };
  return otelContext.with(propagation.extract(otelContext.active(), carrier), fn);
}

/** Runs a handler with its timeout: the AbortSignal fires on timeout or consumer shutdown. */
import { context as otelContext, propagation } from '@opentelemetry/api';
import type { EventContext, EventEnvelope, EventHandler, PublishOptions } from '../api.ts';
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
 * What a handler gets as its context. A class, not an object literal with a `signal` getter: V8 builds every such
 * literal on its slow path with a hidden class of its own (the publish side measured ~3 µs of CPU per event for
 * the same pattern, most of it garbage collection), and every delivery makes one. `signal` stays lazy: most
 * handlers never read it, and an AbortController costs more than the rest of the context.
 */
class HandlerContext implements EventContext {
  readonly subscription: string;
  readonly attempt: number;
  readonly follow: PublishOptions;
  readonly #signal: HandlerSignal;

  constructor(run: HandlerRun, signal: HandlerSignal) {
    this.subscription = run.subscription;
    this.attempt = run.attempt;
    this.follow = { causedBy: run.envelope };
    this.#signal = signal;
  }

  get signal(): AbortSignal {
    return this.#signal.get();
  }
}

/**
 * Resolves when the handler resolves; rejects with its error, or with HandlerTimeoutError when it overruns.
 * A timed-out handler cannot be killed: it is told through the signal and must stop touching shared state.
 *
 * Not an async function: the handler's promise is settled through one promise of ours, without an async frame
 * and a second promise around it on every delivery. A handler that throws synchronously rejects the same way.
 */
export function runHandler(run: HandlerRun): Promise<void> {
  const signal = new HandlerSignal(run.shutdown);
  const context = new HandlerContext(run, signal);
  let handled: Promise<void>;
  try {
    handled = withTraceContext(run.envelope, () => run.handle(run.envelope, context));
  } catch (error) {
    signal.dispose();
    return Promise.reject(error);
  }
  if (run.timeoutMs <= 0) {
    return Promise.resolve(handled).finally(() => signal.dispose());
  }
  return new Promise<void>((resolve, reject) => {
    const timer: TimerId = run.clock.setTimer(() => {
      const error = new HandlerTimeoutError(run.timeoutMs);
      signal.abort(error);
      signal.dispose();
      reject(error);
    }, run.timeoutMs);
    const settled = () => {
      run.clock.clearTimer(timer);
      signal.dispose();
    };
    try {
      handled.then(
        () => {
          settled();
          resolve();
        },
        (error: unknown) => {
          settled();
          reject(error);
        },
      );
    } catch (error) {
      // A handler that returned no promise (not what EventHandler allows): rejected as before, timer cleared.
      settled();
      reject(error);
    }
  });
}

/**
 * The handler's AbortSignal, made only when the handler reads `context.signal`: most handlers never do, and an
 * AbortController plus a listener on the consumer's shutdown signal for every delivery showed in the consumer's
 * profile. A signal read late is already aborted if the timeout or the shutdown came first, with the same reason,
 * so a handler cannot tell the difference.
 */
class HandlerSignal {
  readonly #shutdown: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #reason: { readonly value: unknown } | undefined;
  readonly #onShutdown = () => this.abort(this.#shutdown?.reason);

  constructor(shutdown: AbortSignal | undefined) {
    this.#shutdown = shutdown;
  }

  get(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      const shutdown = this.#shutdown;
      if (this.#reason) this.#controller.abort(this.#reason.value);
      else if (shutdown?.aborted) this.abort(shutdown.reason);
      else shutdown?.addEventListener('abort', this.#onShutdown, { once: true });
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#reason) return;
    // A shutdown that came before the timeout is the reason a late reader sees, as with an eager signal.
    const shutdown = this.#shutdown;
    this.#reason = { value: shutdown?.aborted && !this.#controller ? shutdown.reason : reason };
    this.#controller?.abort(this.#reason.value);
  }

  dispose(): void {
    if (this.#controller) this.#shutdown?.removeEventListener('abort', this.#onShutdown);
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

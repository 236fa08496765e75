import { getEventListeners } from 'node:events';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, systemClock, type TimerId } from '../clock.ts';
import { createEnvelope } from '../envelope.ts';
import { HandlerTimeoutError } from '../errors.ts';
import { installTestOpenTelemetry } from '../test/otel.ts';
import type { EventContext } from '../api.ts';
import { runHandler } from './handler.ts';

describe('runHandler trace context', () => {
  let uninstall: () => void;
  beforeAll(() => {
    uninstall = installTestOpenTelemetry();
  });
  afterAll(() => uninstall());

  it("runs the handler inside the event's trace, so its spans and follow-ups continue it", async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const envelope = createEnvelope(
      { eventType: 't', version: '1', service: { name: 's', version: '1' } },
      {},
      { traceparent },
    );
    let seen: string | undefined;
    let followUp: string | undefined;
    await runHandler({
      handle: async () => {
        seen = trace.getSpanContext(context.active())?.traceId;
        followUp = createEnvelope({ eventType: 't2', version: '1', service: { name: 's', version: '1' } }, {})
          .metadata.traceparent;
      },
      envelope,
      subscription: 'sub',
      attempt: 1,
      timeoutMs: 1000,
      clock: systemClock,
    });
    expect(seen).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(followUp).toBe(traceparent);
    expect(trace.getSpanContext(context.active())).toBeUndefined();
  });
});

describe('runHandler signal', () => {
  const envelope = createEnvelope({ eventType: 't', version: '1', service: { name: 's', version: '1' } }, {});
  const run = (
    handle: Parameters<typeof runHandler>[0]['handle'],
    timeoutMs: number,
    shutdown?: AbortSignal,
  ) =>
    runHandler({
      handle,
      envelope,
      subscription: 'sub',
      attempt: 1,
      timeoutMs,
      clock: systemClock,
      ...(shutdown ? { shutdown } : {}),
    });

  it('a signal first read after the consumer began stopping is aborted with the shutdown reason', async () => {
    const shutdown = new AbortController();
    let seen: AbortSignal | undefined;
    await run(
      async (_, context) => {
        shutdown.abort(new Error('consumer stopping'));
        await Promise.resolve();
        seen = context.signal;
      },
      1000,
      shutdown.signal,
    );
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toEqual(new Error('consumer stopping'));
  });

  it('a signal read before the shutdown is aborted by it while the handler runs', async () => {
    const shutdown = new AbortController();
    let abortedDuringHandler = false;
    await run(
      async (_, context) => {
        const signal = context.signal;
        shutdown.abort(new Error('consumer stopping'));
        abortedDuringHandler = signal.aborted;
      },
      1000,
      shutdown.signal,
    );
    expect(abortedDuringHandler).toBe(true);
  });

  it('a signal first read after the timeout is aborted with the timeout error', async () => {
    let late: AbortSignal | undefined;
    const { promise: readLate, resolve } = Promise.withResolvers<void>();
    const outcome = run(async (_, context) => {
      await new Promise((done) => setTimeout(done, 60));
      late = context.signal;
      resolve();
    }, 20);
    await expect(outcome).rejects.toBeInstanceOf(HandlerTimeoutError);
    await readLate;
    expect(late?.aborted).toBe(true);
    expect(late?.reason).toBeInstanceOf(HandlerTimeoutError);
  });
});

describe('runHandler cleanup', () => {
  const envelope = createEnvelope({ eventType: 't', version: '1', service: { name: 's', version: '1' } }, {});
  /** systemClock, counting the timers still armed. */
  const counting = () => {
    const armed = new Set<TimerId>();
    const clock: Clock = {
      now: systemClock.now,
      setTimer(callback, delayMs) {
        const id = systemClock.setTimer(() => {
          armed.delete(id);
          callback();
        }, delayMs);
        armed.add(id);
        return id;
      },
      clearTimer(id) {
        armed.delete(id);
        systemClock.clearTimer(id);
      },
    };
    return { clock, armed };
  };
  const run = (handle: Parameters<typeof runHandler>[0]['handle'], clock: Clock, shutdown: AbortSignal) =>
    runHandler({ handle, envelope, subscription: 'sub', attempt: 1, timeoutMs: 1000, clock, shutdown });

  it.each([
    ['resolves', async () => {}, undefined],
    ['rejects', async () => Promise.reject(new Error('boom')), 'boom'],
    [
      'throws synchronously',
      () => {
        throw new Error('sync boom');
      },
      'sync boom',
    ],
    ['returns no promise', (() => undefined) as never, 'then'],
  ])(
    'a handler that %s leaves no timer armed and no listener on the shutdown signal',
    async (_, handle, error) => {
      const { clock, armed } = counting();
      const shutdown = new AbortController();
      const outcome = run(
        (event, context) => {
          void context.signal; // the listener on the shutdown signal is added when the signal is read
          return (handle as (e: unknown) => Promise<void>)(event);
        },
        clock,
        shutdown.signal,
      );
      if (error === undefined) await expect(outcome).resolves.toBeUndefined();
      else await expect(outcome).rejects.toThrow(error);
      expect(armed.size).toBe(0);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    },
  );
});

describe('runHandler context', () => {
  const envelope = createEnvelope({ eventType: 't', version: '1', service: { name: 's', version: '1' } }, {});
  const contextOf = async (attempt: number) => {
    let seen: EventContext | undefined;
    await runHandler({
      handle: async (_event, handlerContext) => {
        seen = handlerContext;
      },
      envelope,
      subscription: 'orders',
      attempt,
      timeoutMs: 0,
      clock: systemClock,
    });
    return seen!;
  };

  it('gives the subscription, attempt, follow-up options and a lazy signal', async () => {
    const seen = await contextOf(3);
    expect(seen.subscription).toBe('orders');
    expect(seen.attempt).toBe(3);
    expect(seen.follow).toEqual({ causedBy: envelope });
    expect(seen.signal).toBeInstanceOf(AbortSignal);
    expect(seen.signal).toBe(seen.signal);
  });

  it('builds every context with one shared signal getter (no object literal with a getter per delivery)', async () => {
    const [a, b] = [await contextOf(1), await contextOf(2)];
    expect(Object.getOwnPropertyDescriptor(a, 'signal')).toBeUndefined();
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  });
});

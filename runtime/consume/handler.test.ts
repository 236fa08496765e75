import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { createEnvelope } from '../envelope.ts';
import { installTestOpenTelemetry } from '../test/otel.ts';
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

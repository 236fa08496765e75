/**
 * W3C Trace Context (traceparent / tracestate) for envelopes. The runtime does not start spans itself; it
 * carries the caller's context so traces continue across the broker.
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { randomHex } from './random-bytes.ts';

export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Whether a header value is a traceparent a W3C-compliant receiver would accept. */
export function isValidTraceparent(value: string | undefined): value is string {
  if (value === undefined) return false;
  const match = TRACEPARENT.exec(value);
  if (!match) return false;
  const [, version, traceId, spanId, , rest] = match;
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return false;
  // Version 00 has exactly four fields; later versions may append more after a dash.
  return version !== '00' || rest === undefined;
}

export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}

/**
 * A fresh root traceparent. Flagged sampled because the event starts a flow nobody has traced yet: with a
 * parent-based sampler downstream, an unsampled root would silently drop every consumer's spans.
 */
export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** The trace context of the active OpenTelemetry span, if an SDK is installed and a span is active. */
export function activeTraceContext(): TraceContext | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

interface TraceSources {
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly inherited?: { readonly traceparent?: string; readonly tracestate?: string };
}

/**
 * Pick the trace context for a new envelope: explicit options, else the active OpenTelemetry span, else the
 * causing event's context, else a new root. tracestate only ever travels with the traceparent it came with
 * (W3C: tracestate without its traceparent is meaningless); an invalid traceparent is ignored, as W3C asks.
 */
export function chooseTraceContext(sources: TraceSources): TraceContext {
  if (isValidTraceparent(sources.traceparent)) {
    return withState(sources.traceparent, sources.tracestate);
  }
  const active = activeTraceContext();
  if (active) return active;
  const inherited = sources.inherited;
  if (inherited && isValidTraceparent(inherited.traceparent)) {
    return withState(inherited.traceparent, inherited.tracestate);
  }
  return { traceparent: newTraceparent() };
}

function withState(traceparent: string, tracestate: string | undefined): TraceContext {
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/**
 * daprd's span for an API request (dapr pkg/diagnostics/tracing.go `TraceIDAndStateFromSpan`): with tracing on,
 * the HTTP middleware starts a span that is a child of the request's `traceparent` header (same trace id, a new
 * span id) or a new root without one; with tracing off there is no valid span and daprd uses ''.
 */
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function daprSpan(
  traceparent: string | undefined,
  tracestate: string | undefined,
  tracing: boolean,
): { traceparent: string; tracestate: string } {
  if (!tracing) return { traceparent: '', tracestate: '' };
  const parent = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const spanId = randomBytes(8).toString('hex');
  if (!parent) return { traceparent: `00-${randomBytes(16).toString('hex')}-${spanId}-01`, tracestate: '' };
  return { traceparent: `00-${parent[2]}-${spanId}-${parent[4]}`, tracestate: tracestate ?? '' };
}

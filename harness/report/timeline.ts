/**
 * A run's history as lines a person reads top to bottom: what the harness published, what each consumer did
 * with each delivery, crashes, restarts, dead letters. The human report prints it; the HTML page draws it.
 */
import type { HistoryEvent } from '../engine/types.ts';

export interface TimelineLine {
  readonly at: number;
  /** Who acted: the harness, the broker, or consumer N. */
  readonly actor: string;
  readonly text: string;
  /** For styling: fault, failure, effect, or plain. */
  readonly tone: 'fault' | 'failure' | 'effect' | 'plain';
}

const name = (entry: { event?: string; eventId?: string }) =>
  entry.event ?? `unexpected ${entry.eventId?.slice(0, 8)}`;

const LINE: {
  readonly [K in HistoryEvent['type']]: (
    entry: Extract<HistoryEvent, { type: K }>,
  ) => Omit<TimelineLine, 'at'>;
} = {
  published: (e) => ({
    actor: 'harness',
    text: `${e.copy === 0 ? 'published' : `published again (publisher retry ${e.copy})`} ${name(e)}: ${e.outcome}`,
    tone: e.outcome === 'confirmed' ? 'plain' : 'fault',
  }),
  delivered: (e) => ({
    actor: 'broker',
    text: `delivered ${name(e)} (attempt ${e.attempt}) to consumer ${e.consumer}`,
    tone: 'plain',
  }),
  'handler-started': (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `handler started on ${name(e)}`,
    tone: 'plain',
  }),
  'handler-finished': (e) =>
    e.ok
      ? { actor: `consumer ${e.consumer}`, text: `handler finished ${name(e)}: effect done`, tone: 'effect' }
      : {
          actor: `consumer ${e.consumer}`,
          text: `handler threw on ${name(e)}: ${e.error ?? ''}`,
          tone: 'failure',
        },
  committed: (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `idempotency key of ${name(e)} committed`,
    tone: 'plain',
  }),
  acked: (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `acked ${name(e)} (attempt ${e.attempt})`,
    tone: 'plain',
  }),
  retried: (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `retry ${name(e)} in ${e.delayMs} ms: ${e.error}`,
    tone: 'plain',
  }),
  'dead-lettered': (e) => ({
    actor: 'broker',
    text: `dead-lettered ${name(e)} to ${e.address} at attempt ${e.attempt}: ${e.reason || '(no reason)'}${e.error ? ` (${e.error})` : ''}`,
    tone: 'failure',
  }),
  crashed: (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `CRASHED at ${e.point} while on ${e.event ?? e.eventId}`,
    tone: 'fault',
  }),
  restarted: (e) => ({ actor: `consumer ${e.consumer}`, text: 'started (restart)', tone: 'plain' }),
  'connection-dropped': (e) => ({
    actor: `consumer ${e.consumer}`,
    text: 'connection dropped',
    tone: 'fault',
  }),
  'follow-up-published': (e) => ({
    actor: `consumer ${e.consumer}`,
    text: `published follow-up ${e.eventType}`,
    tone: 'effect',
  }),
  effect: (e) => ({ actor: 'probe', text: `effect of ${name(e)}: ${e.subject}`, tone: 'effect' }),
  'progress-marked': (e) => ({
    actor: 'tracker',
    text: `job ${e.job}: item ${e.item} -> ${e.outcome} (${e.completed + e.failed}/${e.total ?? '?'})`,
    tone: e.outcome === 'finished' ? 'effect' : 'plain',
  }),
  fault: (e) => ({
    actor: 'harness',
    text: `fault: ${e.fault}${e.event ? ` on ${e.event}` : ''}`,
    tone: 'fault',
  }),
};

export function timeline(history: readonly HistoryEvent[]): TimelineLine[] {
  return history.map((entry) => ({
    at: entry.at,
    ...(LINE[entry.type] as (entry: HistoryEvent) => Omit<TimelineLine, 'at'>)(entry),
  }));
}

/** `12.5 s`, `340 ms`, `2 min 5 s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

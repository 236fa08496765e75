/**
 * Records what a consumer's handler saw (envelope, context, time) so tests assert on real deliveries, and lets
 * a test script how the handler behaves per event (fail the first attempts, always fail, publish a follow-up).
 */
import type { EventContext, EventEnvelope, EventHandler } from 'eventwire/runtime';

export interface HandledCall<T> {
  readonly event: EventEnvelope<T>;
  readonly context: EventContext;
  /** `Date.now()` when the handler was called. */
  readonly at: number;
}

export type Behaviour<T> = (event: EventEnvelope<T>, context: EventContext) => void | Promise<void>;

export class HandlerLog<T> {
  readonly calls: HandledCall<T>[] = [];
  readonly #behaviours: {
    readonly match: (event: EventEnvelope<T>) => boolean;
    readonly run: Behaviour<T>;
  }[] = [];
  readonly #fallback: Behaviour<T> | undefined;

  constructor(fallback?: Behaviour<T>) {
    this.#fallback = fallback;
  }

  /** The handler to put in the generated handler map. */
  readonly handle: EventHandler<T> = async (event, context) => {
    this.calls.push({ event, context, at: Date.now() });
    const behaviour = this.#behaviours.find((candidate) => candidate.match(event))?.run ?? this.#fallback;
    await behaviour?.(event, context);
  };

  /**
   * Makes the handler behave differently for the events `match` selects. Match on the payload (an id the test
   * chose), not on `event_id`: the handler may run before the publish call has returned the id.
   */
  when(match: (event: EventEnvelope<T>) => boolean, behaviour: Behaviour<T>): void {
    this.#behaviours.push({ match, run: behaviour });
  }

  callsFor(eventId: string): HandledCall<T>[] {
    return this.calls.filter((call) => call.event.event_id === eventId);
  }

  attemptsFor(eventId: string): number[] {
    return this.callsFor(eventId).map((call) => call.context.attempt);
  }
}

/** A behaviour that throws on the first `failures` attempts and succeeds afterwards. */
export function failFirst<T>(failures: number, message = 'downstream unavailable'): Behaviour<T> {
  return (_event, context) => {
    if (context.attempt <= failures) throw new Error(`${message} (attempt ${context.attempt})`);
  };
}

/** A behaviour that always throws. */
export function alwaysFail<T>(message = 'permanently broken'): Behaviour<T> {
  return (_event, context) => {
    throw new Error(`${message} (attempt ${context.attempt})`);
  };
}

/** For handler-map entries a test does not exercise: any call is a wiring bug the test should surface. */
export function unexpected<T>(name: string): EventHandler<T> {
  return async (event) => {
    throw new Error(`${name} received ${event.event_type} ${event.event_id} but the test publishes none`);
  };
}

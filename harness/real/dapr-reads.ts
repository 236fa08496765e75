/**
 * What the harness does and sees at the fake daprd's pub/sub component (`--transport dapr`): the entries its
 * workers take, first reads and processingTimeout reclaims alike (the sidecar's `holdInQueue` hook sees each).
 *
 * `slow e1` is the redelivery of dapr/components-contrib#4599. The app cannot renew daprd's processingTimeout,
 * and pubsub.redis counts it from the moment the entry was read, so time in daprd's internal queue counts too: an
 * entry that waited there and whose handler then runs a while is claimed again and delivered a second time while
 * its first handler is still running (dapr/dapr#3481). With the generated timings the handler alone never
 * outlasts processingTimeout (it is sized above the whole retry chain), so the queue is where the time goes:
 * e1's first read waits in the component's queue until a quarter of the scaled handler timeout is left of
 * processingTimeout, its handler then runs (the consumer host holds it, under the handler timeout, until the
 * redelivered copy has had its answer), and the component claims the entry again. The reclaim loop runs every
 * redeliverInterval at a phase of its own; a pass exactly when processingTimeout has elapsed is one of the
 * moments it can fall on, and the one that lands inside the handler on a loaded machine too, so one is run then
 * (the loop keeps running as well).
 *
 * Any other reclaim is the broker redelivering on its own: an entry whose delivery chain outlived
 * processingTimeout (daprd retrying a consumer that crashed, until its replacement listens) is delivered by a
 * second chain while the first goes on. The run records it as a `redelivery` of the event, so the checker does
 * not hold the two chains' interleaved attempts to one backoff sequence.
 */
import type { FakeSidecar, FakeSidecarOptions } from 'eventwire/testing';

type QueuedEvent = Parameters<NonNullable<FakeSidecarOptions['holdInQueue']>>[0];

/** The processingTimeout left when e1's first read leaves the queue: this share of the scaled handler timeout. */
const LEFT_FOR_THE_HANDLER = 0.25;

export class DaprReads {
  readonly #processingTimeoutMs: number;
  readonly #handlerTimeoutMs: number;
  /** Event ids whose first read is still to be held. */
  readonly #slow = new Set<string>();
  /** Event ids the schedule made slow: their reclaim is the one arranged, not a redelivery of the broker's own. */
  readonly #arranged = new Set<string>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #sidecar: FakeSidecar | undefined;
  /** Told of every reclaimed entry's event id but the arranged ones. */
  onRedelivery: ((eventId: string) => void) | undefined;

  /** Both in wall-clock milliseconds: the sidecar's processingTimeout and the contract's handler timeout, scaled. */
  constructor(processingTimeoutMs: number, handlerTimeoutMs: number) {
    this.#processingTimeoutMs = processingTimeoutMs;
    this.#handlerTimeoutMs = handlerTimeoutMs;
  }

  /** The sidecar whose component is reclaimed when a held read's processingTimeout has elapsed. */
  attach(sidecar: FakeSidecar): void {
    this.#sidecar = sidecar;
  }

  /** The schedule says `slow <event>`: its first read is held in daprd's queue. */
  slow(eventId: string): void {
    this.#slow.add(eventId);
    this.#arranged.add(eventId);
  }

  /** The sidecar's `holdInQueue` fault hook, called as a worker takes an entry. */
  readonly holdInQueue = (event: QueuedEvent): number | undefined => {
    if (event.redelivery > 1) {
      if (!this.#arranged.has(event.eventId)) this.onRedelivery?.(event.eventId);
      return undefined;
    }
    if (!this.#slow.delete(event.eventId)) return undefined;
    const hold = Math.max(
      0,
      Math.round(this.#processingTimeoutMs - this.#handlerTimeoutMs * LEFT_FOR_THE_HANDLER),
    );
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#sidecar?.reclaimPending();
    }, this.#processingTimeoutMs + 5);
    timer.unref();
    this.#timers.add(timer);
    return hold;
  };

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#sidecar = undefined;
    this.onRedelivery = undefined;
  }
}

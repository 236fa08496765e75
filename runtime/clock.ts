/**
 * Time as a dependency. Production code uses `systemClock`; tests of timeouts, retries and ordering buffers
 * use `VirtualClock`, which only moves when told to, so a five-minute buffer timeout is tested in a few ms.
 */

export type TimerId = number;

export interface Clock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerId;
  clearTimer(id: TimerId): void;
}

const realTimers = new Map<TimerId, ReturnType<typeof setTimeout>>();
let nextRealTimer = 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const id = nextRealTimer++;
    const handle = setTimeout(() => {
      realTimers.delete(id);
      callback();
    }, delayMs);
    realTimers.set(id, handle);
    return id;
  },
  clearTimer(id) {
    const handle = realTimers.get(id);
    if (handle !== undefined) clearTimeout(handle);
    realTimers.delete(id);
  },
};

/** Resolves after `delayMs` on `clock`; rejects with the signal's reason if it aborts first. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clock.clearTimer(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface VirtualTimer {
  readonly id: TimerId;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets pending promise chains (handlers, store calls on in-memory stores) run to completion. */
export async function flushAsync(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A manually advanced clock; timers fire in (due time, creation) order, deterministically. */
export class VirtualClock implements Clock {
  #now: number;
  #timers: VirtualTimer[] = [];
  #nextId = 1;

  constructor(startMs = Date.UTC(2030, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerId {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, delayMs), callback };
    // Keep sorted by due time; equal due times keep creation order.
    const index = this.#timers.findIndex((other) => other.due > timer.due);
    if (index === -1) this.#timers.push(timer);
    else this.#timers.splice(index, 0, timer);
    return timer.id;
  }

  clearTimer(id: TimerId): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== id);
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  nextDue(): number | undefined {
    return this.#timers[0]?.due;
  }

  /** Move time forward by `ms`, firing due timers one at a time and letting their effects settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushAsync();
    for (let timer = this.#timers[0]; timer && timer.due <= target; timer = this.#timers[0]) {
      this.#timers.shift();
      this.#now = timer.due;
      timer.callback();
      await flushAsync();
    }
    this.#now = target;
    await flushAsync();
  }

  /** Fire the next timer, whenever it is due. Returns false when no timer is pending. */
  async advanceToNext(): Promise<boolean> {
    const due = this.nextDue();
    if (due === undefined) return false;
    await this.advance(due - this.#now);
    return true;
  }
}

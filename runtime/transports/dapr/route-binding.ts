/**
 * A subscription bound to its route on the app server: the handler, a concurrency limit (Dapr may POST many
 * events at once, bulk entries included) and the bookkeeping for a graceful stop.
 */
import type { SubscriptionSpec } from '../../spec.ts';
import type { DeliveryHandler } from '../../transport.ts';

export class RouteBinding {
  readonly spec: SubscriptionSpec;
  readonly handler: DeliveryHandler;
  readonly #limit: number;
  #running = 0;
  #waiting: (() => void)[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];
  stopping = false;

  constructor(spec: SubscriptionSpec, handler: DeliveryHandler, concurrency?: number) {
    this.spec = spec;
    this.handler = handler;
    this.#limit = Math.max(1, concurrency ?? spec.concurrency);
  }

  /** Tracks a request from arrival to response, so stop() can wait for answers already promised. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Runs `work` once one of the `concurrency` handler slots is free. */
  async limit<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}

/**
 * Readiness by asking the broker itself, from the host, through the port Docker mapped: the broker is ready
 * when a client of its own protocol gets an answer. Unlike Docker health checks (a `docker exec` every few
 * hundred milliseconds for the container's whole life) it costs nothing once the broker is up, and unlike a
 * log line it cannot be missed or mistaken for a previous process's.
 */
import type { BoundPorts, WaitStrategy } from 'testcontainers';
import type { Address } from './fault-proxy.ts';

/** How often a probe that failed is tried again. */
const PROBE_INTERVAL_MS = 100;

export type Probe = (address: Address) => Promise<void>;

export class ProbeWaitStrategy implements WaitStrategy {
  #timeoutMs = 60_000;
  #timeoutSet = false;

  readonly #port: number;
  readonly #probe: Probe;
  readonly #what: string;

  /** `probe` rejects until the broker on `port` (inside the container) answers; `what` names it in errors. */
  constructor(port: number, probe: Probe, what: string) {
    this.#port = port;
    this.#probe = probe;
    this.#what = what;
  }

  async waitUntilReady(_container: unknown, boundPorts: BoundPorts): Promise<void> {
    const address = { host: '127.0.0.1', port: boundPorts.getBinding(this.#port) };
    const deadline = Date.now() + this.#timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        await this.#probe(address);
        return;
      } catch (e) {
        last = e;
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
    const reason = last instanceof Error ? last.message : String(last);
    throw new Error(`${this.#what} did not answer within ${this.#timeoutMs} ms (last: ${reason})`);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

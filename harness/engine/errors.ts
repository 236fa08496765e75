/**
 * Errors that mean "this cannot be tested as asked" (exit 2 in the CLI, a clear message, no stack trace), as
 * opposed to an invariant that broke (exit 1).
 */

/** A broker the chosen mode needs does not answer. */
export class BrokerUnavailableError extends Error {
  override readonly name = 'BrokerUnavailableError';
  readonly broker: string;
  readonly url: string;

  /** `fix` says what to do: start the broker, or point REDIS_URL / AMQP_URL / DATABASE_URL elsewhere. */
  constructor(broker: string, url: string, failure: string, fix: string) {
    super(`${broker} at ${url} does not answer: ${failure}. ${fix}`);
    this.broker = broker;
    this.url = url;
  }
}

/** A broker mode this installation does not have, or one that cannot inject a fault that was asked for. */
export class ModeUnavailableError extends Error {
  override readonly name = 'ModeUnavailableError';
}

/** A `--path` that names no run of the suite (printed for another suite, seed, `--faults` or version). */
export class ReplayPathError extends Error {
  override readonly name = 'ReplayPathError';
}

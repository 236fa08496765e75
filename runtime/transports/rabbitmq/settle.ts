/** Small helpers the RabbitMQ subscription and its queue check share for channels that may close under them. */

/**
 * Runs a channel call (ack, nack) that throws once the channel is closed: then the broker returns the message
 * to its queue itself, so there is nothing left to do.
 */
export function safely(action: () => void): void {
  try {
    action();
  } catch {
    // the channel is already closed: the broker requeues the message itself
  }
}

/** `promise`'s value, or undefined once `ms` passed first (the promise is left running). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

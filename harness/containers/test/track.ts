/** A promise and when it settled (0 until then): to prove a call waited out a fault instead of trusting it did. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly settledAt: number;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked = { promise, settledAt: 0 };
  const mark = () => {
    tracked.settledAt = Date.now();
  };
  promise.then(mark, mark);
  return tracked;
}

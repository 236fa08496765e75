/**
 * A killed process stops at its next await. In one JavaScript process the code of a "killed" consumer cannot be
 * stopped, but everything it awaits that the world hands it (stores, the transport, the probe) can stop
 * answering: a frozen call never settles, so nothing after it runs, exactly as after a real kill.
 */

const NEVER: Promise<never> = new Promise<never>(() => {});

export function never<T>(): Promise<T> {
  return NEVER;
}

/** Wrap every method of `target` so that calls made, or answered, after `dead()` never settle. */
export function frozenWhenDead<T extends object>(target: T, dead: () => boolean): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead()) return NEVER;
        const result: unknown = value.apply(object, args);
        if (!(result instanceof Promise)) return result;
        return result.then((answer: unknown) => (dead() ? NEVER : answer));
      };
    },
  });
}

/**
 * The one place the model → files path keeps work between runs. Every emitter step that is worth keeping (a
 * service's output per emitter, a compiled validator, an assembled module, a rendered YAML document) is a pure
 * function of one input value, and goes through `memo`:
 *
 *   memo(name, input, compute)    compute(input), kept by `name` and the content of `input` (content-key.ts)
 *
 * `compute` is handed the input and nothing else, so what the key covers and what the computation reads are the
 * same value: a changed input can never find the output of the old one. (An emitter that wants a narrower key,
 * so that an edit elsewhere does not run it again, builds a narrower input and computes from that alone.)
 *
 * Kept in memory for the process (a `--watch` session re-renders only what an edit changed), bounded; a step
 * that names a `store` is also kept in the cache folder for the next process, salted with the code and library
 * versions that produce it. A failure is never kept: the next run reports it again.
 */
import { BoundedMap } from './bounded-map.ts';
import { contentKey } from './content-key.ts';

/** Outputs kept across processes: `salt` names everything besides the input the output depends on. */
export interface MemoStore {
  readonly salt: () => string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface MemoOptions<O> {
  /** Also keep the output here, for the next process. */
  readonly store?: MemoStore;
  /** Whether a stored value is an output (a damaged or older cache file reads as a miss). */
  readonly accept?: (stored: unknown) => stored is O;
  /** Turns what `compute` returned into what the store keeps (JSON), and back. */
  readonly toStored?: (output: O) => unknown;
  readonly fromStored?: (stored: unknown) => O | undefined;
}

/** Outputs of the last two runs' worth of steps: enough for a watch session. */
const MAX_KEPT = 8192;
const kept = new BoundedMap<string, unknown>(MAX_KEPT);
/** Content keys by input object: an input met again in the same run (a service, by every emitter) is hashed once. */
let keys = new WeakMap<object, string>();
let bypassed = false;

function keyOf(name: string, input: unknown): string {
  if (typeof input !== 'object' || input === null) return `${name}\u0000${contentKey(input)}`;
  let key = keys.get(input);
  if (key === undefined) {
    key = contentKey(input);
    keys.set(input, key);
  }
  return `${name}\u0000${key}`;
}

function fromStore<O>(options: MemoOptions<O>, storedKey: string): O | undefined {
  const stored = options.store?.get(storedKey);
  if (stored === undefined) return undefined;
  if (options.fromStored) return options.fromStored(stored);
  return options.accept?.(stored) ? stored : undefined;
}

const storedKeyOf = (store: MemoStore, key: string): string => contentKey([store.salt(), key]);

export function memo<I, O>(
  name: string,
  input: I,
  compute: (input: I) => O,
  options: MemoOptions<O> = {},
): O {
  if (bypassed) return compute(input);
  const key = keyOf(name, input);
  const earlier = kept.get(key) as O | undefined;
  if (earlier !== undefined && !(earlier instanceof Promise)) return kept.set(key, earlier) as O;
  const storedKey = options.store && storedKeyOf(options.store, key);
  const stored = storedKey === undefined ? undefined : fromStore(options, storedKey);
  if (stored !== undefined) return kept.set(key, stored) as O;
  const output = compute(input);
  if (storedKey !== undefined) options.store?.set(storedKey, options.toStored?.(output) ?? output);
  return kept.set(key, output) as O;
}

/** `memo` for a computation that resolves later; callers asking while it runs share it. */
export function memoAsync<I, O>(
  name: string,
  input: I,
  compute: (input: I) => Promise<O>,
  options: MemoOptions<O> = {},
): Promise<O> {
  if (bypassed) return compute(input);
  const key = keyOf(name, input);
  const earlier = kept.get(key);
  if (earlier !== undefined) return kept.set(key, Promise.resolve(earlier as O | Promise<O>)) as Promise<O>;
  const storedKey = options.store && storedKeyOf(options.store, key);
  const stored = storedKey === undefined ? undefined : fromStore(options, storedKey);
  if (stored !== undefined) return kept.set(key, Promise.resolve(stored)) as Promise<O>;
  const output = compute(input).then(
    (value) => {
      if (storedKey !== undefined) options.store?.set(storedKey, options.toStored?.(value) ?? value);
      return value;
    },
    (error: unknown) => {
      kept.delete(key);
      throw error;
    },
  );
  return kept.set(key, output) as Promise<O>;
}

/**
 * `memoAsync` for a computation whose inputs are found as it runs (the files a `$ref` crawl reaches, which the
 * files read so far decide). `compute` reads every input through `observe` and nothing else; its output is
 * kept by `name`, `scope` and what each observed input held (`contentOf` its observation: a file's content
 * hash, or the problem reading it gave), and the list of inputs it observed is kept beside it. The next call
 * observes that list again first: when each input holds what it held, the output is the one kept; when any
 * differs (a changed file, a file that appeared), `compute` runs again. An input the computation did not read
 * cannot have decided its output, so an edit anywhere else is rightly ignored.
 */
export async function memoTraced<O, T>(
  name: string,
  scope: unknown,
  observe: (input: string) => Promise<T>,
  contentOf: (observation: T) => unknown,
  compute: (observe: (input: string) => Promise<T>) => Promise<O>,
): Promise<O> {
  if (bypassed) return compute(observe);
  const inputsKey = keyOf(`${name}\u0000inputs`, scope);
  const inputs = kept.get(inputsKey) as readonly string[] | undefined;
  const keyFor = (names: readonly string[], contents: readonly unknown[]) =>
    `${name}\u0000${contentKey([scope, names, contents])}`;
  if (inputs) {
    const contents = (await Promise.all(inputs.map(observe))).map(contentOf);
    const key = keyFor(inputs, contents);
    const earlier = kept.get(key) as O | undefined;
    if (earlier !== undefined) return kept.set(key, earlier) as O;
  }
  const observed = new Map<string, unknown>();
  const output = await compute(async (input) => {
    const observation = await observe(input);
    if (!observed.has(input)) observed.set(input, contentOf(observation));
    return observation;
  });
  const names = [...observed.keys()];
  kept.set(inputsKey, names);
  return kept.set(keyFor(names, [...observed.values()]), output) as O;
}

/** Drops what this process kept (the stores stay), as a new process would start. */
export function forgetMemo(): void {
  kept.clear();
  keys = new WeakMap();
}

/** Runs `render` with every memo step computed afresh and nothing kept: the reference a memoised run must equal. */
export async function withoutMemo<T>(render: () => Promise<T>): Promise<T> {
  bypassed = true;
  try {
    return await render();
  } finally {
    bypassed = false;
  }
}

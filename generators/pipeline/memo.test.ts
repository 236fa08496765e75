import { afterEach, describe, expect, it } from 'vitest';
import { forgetMemo, type MemoStore, memo, memoAsync, memoTraced, withoutMemo } from './memo.ts';

function memoryStore(): MemoStore & { readonly values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    salt: () => 'test',
    get: (key) => values.get(key),
    set: (key, value) => values.set(key, value),
    values,
  };
}

function counted<I, O>(compute: (input: I) => O) {
  const inputs: I[] = [];
  return {
    inputs,
    compute: (input: I) => {
      inputs.push(input);
      return compute(input);
    },
  };
}

afterEach(() => forgetMemo());

describe('memo', () => {
  it('computes once per content, whatever the objects, and again for a change deep inside', () => {
    const { inputs, compute } = counted((input: { a: { b: number[] } }) => input.a.b.join('+'));
    expect(memo('sum', { a: { b: [1, 2] } }, compute)).toBe('1+2');
    expect(memo('sum', { a: { b: [1, 2] } }, compute)).toBe('1+2');
    expect(memo('sum', { a: { b: [1, 3] } }, compute)).toBe('1+3');
    expect(inputs).toHaveLength(2);
  });

  it('keeps steps apart by name', () => {
    const { inputs, compute } = counted((input: string) => input.length);
    memo('one', 'abc', compute);
    memo('two', 'abc', compute);
    expect(inputs).toEqual(['abc', 'abc']);
  });

  it('finds a stored output in a new process, converted back from what the store keeps', () => {
    const store = memoryStore();
    const options = {
      store,
      toStored: (set: Set<string>) => [...set],
      fromStored: (stored: unknown) => (Array.isArray(stored) ? new Set(stored as string[]) : undefined),
    };
    const { inputs, compute } = counted((input: string) => new Set(input.split('')));
    memo('letters', 'aab', compute, options);
    forgetMemo();
    expect(memo('letters', 'aab', compute, options)).toEqual(new Set(['a', 'b']));
    expect([inputs.length, [...store.values.values()]]).toEqual([1, [['a', 'b']]]);
  });

  it('reads a damaged stored value as a miss', () => {
    const store = memoryStore();
    const options = { store, accept: (v: unknown): v is number => typeof v === 'number' };
    memo('double', 2, (n: number) => n * 2, options);
    for (const key of store.values.keys()) store.values.set(key, 'damaged');
    forgetMemo();
    expect(memo('double', 2, (n: number) => n * 2, options)).toBe(4);
  });

  it('shares a running computation and never keeps a failure', async () => {
    let calls = 0;
    const compute = async (input: string) => {
      calls++;
      if (input === 'bad') throw new Error('cannot');
      return input.toUpperCase();
    };
    const [a, b] = await Promise.all([memoAsync('up', 'x', compute), memoAsync('up', 'x', compute)]);
    expect([a, b, calls]).toEqual(['X', 'X', 1]);
    await expect(memoAsync('up', 'bad', compute)).rejects.toThrow('cannot');
    await expect(memoAsync('up', 'bad', compute)).rejects.toThrow('cannot');
    expect(calls).toBe(3);
  });

  it('computes everything afresh inside withoutMemo and keeps nothing from it', async () => {
    const { inputs, compute } = counted((input: number) => input + 1);
    memo('inc', 1, compute);
    await withoutMemo(async () => memo('inc', 1, compute) + memo('inc', 5, compute));
    memo('inc', 5, compute);
    expect(inputs).toEqual([1, 1, 5, 5]);
  });

  it('keeps a computation that finds its inputs as it runs by what each input it read held', async () => {
    // A tiny file system: "a" names the next file to read, as a `$ref` names a file.
    const disk = new Map<string, string>([['a', 'b']]);
    let runs = 0;
    const chain = () =>
      memoTraced(
        'chain',
        'a',
        async (name: string) => disk.get(name),
        (text) => text ?? 'missing',
        async (read) => {
          runs++;
          const next = await read('a');
          return [next, next === undefined ? undefined : await read(next)];
        },
      );
    expect(await chain()).toEqual(['b', undefined]);
    expect(await chain()).toEqual(['b', undefined]);
    disk.set('b', 'B');
    expect(await chain()).toEqual(['b', 'B']);
    disk.set('unread', 'x');
    expect(await chain()).toEqual(['b', 'B']);
    disk.set('a', 'c');
    expect(await chain()).toEqual(['c', undefined]);
    expect(runs).toBe(3);
  });
});

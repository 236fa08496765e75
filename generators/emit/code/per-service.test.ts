import { describe, expect, it } from 'vitest';
import type { ContractModel, Service } from '../../model/types.ts';
import type { GeneratedFile } from '../../pipeline/plugin.ts';
import { forgetMemo, type MemoStore } from '../../pipeline/memo.ts';
import { emitPerService, emitPerServiceAsync } from './per-service.ts';

/** A store for one test: what the next process would find. */
function memoryStore(): MemoStore & { readonly size: () => number } {
  const values = new Map<string, unknown>();
  return {
    salt: () => 'test',
    get: (key) => values.get(key),
    set: (key, value) => values.set(key, value),
    size: () => values.size,
  };
}

const service = (name: string, title: string) => ({ name, title, operations: [] }) as unknown as Service;
const modelOf = (...services: Service[]) => ({ services }) as unknown as ContractModel;

function counting(prefix: string) {
  const calls: string[] = [];
  const emit = (s: Service): GeneratedFile[] => {
    calls.push(s.name);
    return [{ path: `${s.name}/${prefix}.ts`, contents: s.title, ownership: 'generated' }];
  };
  return { calls, emit };
}

describe('per-service output', () => {
  it('is found by the next process in the store, by content', () => {
    const store = memoryStore();
    const { calls, emit } = counting('s');
    emitPerService(modelOf(service('s1', 'S')), 'test-store', emit, store);
    forgetMemo(); // as a new process starts
    const again = emitPerService(modelOf(service('s1', 'S')), 'test-store', emit, store);
    emitPerService(modelOf(service('s2', 'S')), 'test-store', emit, store);
    expect(again.map((f) => [f.path, f.contents])).toEqual([['s1/s.ts', 'S']]);
    expect([calls, store.size()]).toEqual([['s1', 's2'], 2]);
  });

  it('renders again only the services whose part of the model changed', () => {
    const { calls, emit } = counting('a');
    const first = emitPerService(
      modelOf(service('x', 'X'), service('y', 'Y')),
      'test-a',
      emit,
      memoryStore(),
    );
    // A new model, as the next run builds: equal content for x, a new title for y.
    const second = emitPerService(
      modelOf(service('x', 'X'), service('y', 'Y2')),
      'test-a',
      emit,
      memoryStore(),
    );
    expect(calls).toEqual(['x', 'y', 'y']);
    expect(second.map((f) => f.contents)).toEqual(['X', 'Y2']);
    expect(second[0]).toBe(first[0]);
  });

  it('keeps outputs apart per emitter', () => {
    const a = counting('a');
    const b = counting('b');
    emitPerService(modelOf(service('z', 'Z')), 'test-c', a.emit, memoryStore());
    emitPerService(modelOf(service('z', 'Z')), 'test-d', b.emit, memoryStore());
    expect([a.calls, b.calls]).toEqual([['z'], ['z']]);
  });

  it('keys an emitter by the narrower input it is given, and never keeps a failure', async () => {
    let calls = 0;
    const emit = async (input: { name: string; title?: string }): Promise<GeneratedFile[]> => {
      calls++;
      if (input.title === 'bad') throw new Error('cannot emit');
      return [{ path: `${input.name}/t.ts`, contents: input.name, ownership: 'generated' }];
    };
    const byName = (s: Service) => ({ name: s.name });
    const whole = (s: Service) => ({ name: s.name, title: s.title });
    const store = memoryStore();
    await emitPerServiceAsync(modelOf(service('w', 'W')), 'test-e', byName, emit, store);
    await emitPerServiceAsync(modelOf(service('w', 'W2')), 'test-e', byName, emit, store);
    expect(calls).toBe(1);
    const bad = () => emitPerServiceAsync(modelOf(service('v', 'bad')), 'test-f', whole, emit, store);
    await expect(bad()).rejects.toThrow('cannot emit');
    await expect(bad()).rejects.toThrow('cannot emit');
    expect([calls, store.size()]).toEqual([3, 1]);
  });
});

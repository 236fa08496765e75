import { describe, expect, it } from 'vitest';
import {
  contractModel,
  example,
  message,
  receive,
  delivery,
  send,
  service,
  topic,
} from '../docs/__fixtures__/builders.ts';
import { harnessModule, k6Plugin } from './plugin.ts';

describe('harnessModule', () => {
  it.each([
    ['generated', '../../loadtest/lib/index.ts'],
    ['build/generated', '../../../loadtest/lib/index.ts'],
    ['build\\generated', '../../../loadtest/lib/index.ts'],
  ])('scripts in %s/loadtest import %s', (outDir, expected) => {
    expect(harnessModule(outDir)).toBe(expected);
  });
});

describe('k6Plugin', () => {
  it('names operations without an example in the script, and writes no script when none has one', async () => {
    const withExample = message('a.b.created', { type: 'object' }, { examples: [example({ id: 1 })] });
    const without = message('a.b.deleted', { type: 'object' });
    const model = contractModel(
      service('a', [
        send('pubCreated', topic('a.b.created', [withExample])),
        send('pubDeleted', topic('a.b.deleted', [without])),
      ]),
      service('b', [
        send('pubDeleted', topic('a.b.deleted', [without])),
        receive('on', topic('a.b.created', [withExample]), delivery('on')),
      ]),
    );
    const files = await k6Plugin.emit(model, { outDir: 'generated' });
    expect(files.map((f) => f.path)).toEqual(['loadtest/a.k6.ts']);
    expect(files[0]?.contents).toContain('Not load-tested, the contract has no example for: pubDeleted.');
    expect(files[0]?.contents).not.toContain('function pubDeleted');
  });
});

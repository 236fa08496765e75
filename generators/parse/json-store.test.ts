import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonStore, writeStoresSoon } from './cache.ts';

let folder: string;
const configured = process.env.EVENTWIRE_CACHE_DIR;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'eventwire-json-store-'));
  process.env.EVENTWIRE_CACHE_DIR = folder;
});

afterEach(async () => {
  if (configured === undefined) delete process.env.EVENTWIRE_CACHE_DIR;
  else process.env.EVENTWIRE_CACHE_DIR = configured;
  await rm(folder, { recursive: true, force: true });
});

describe('jsonStore written soon (generate, while the output is written)', () => {
  it('writes what the exit would have, readable by the next process, and leaves nothing for the exit', async () => {
    const store = jsonStore('soon', () => 'salt-1');
    store.set('a', { files: ['x.ts'], text: 'quote " and \\u2028' });
    store.set('7', [1, 2]);
    await writeStoresSoon();
    const written = await readFile(join(folder, 'soon.json'), 'utf8');
    expect(JSON.parse(written)).toEqual({
      salt: 'salt-1',
      entries: { a: { files: ['x.ts'], text: 'quote " and \\u2028' }, 7: [1, 2] },
    });
    expect(process.listeners('beforeExit').length).toBe(0);
    // A later process with the same salt finds the values.
    expect(jsonStore('soon', () => 'salt-1').get('a')).toEqual({
      files: ['x.ts'],
      text: 'quote " and \\u2028',
    });
    expect(jsonStore('soon', () => 'salt-2').get('a')).toBeUndefined();
  });

  it('writes a store again when it changes after being written', async () => {
    const store = jsonStore('again', () => 's');
    store.set('a', 1);
    await writeStoresSoon();
    store.set('b', 2);
    await writeStoresSoon();
    expect(JSON.parse(await readFile(join(folder, 'again.json'), 'utf8')).entries).toEqual({ a: 1, b: 2 });
  });
});

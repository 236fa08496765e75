/**
 * Golden files: the k6 scripts for the shop fixture, stored as __golden__/<path>.golden (the suffix keeps them
 * out of the type-check). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run generators/emit/k6/golden.test.ts` and review the diff like code.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopModel } from '../docs/__fixtures__/shop-model.ts';
import { k6Plugin } from './plugin.ts';

const GOLDEN = join(import.meta.dirname, '__golden__');
const SUFFIX = '.golden';
const update = process.env.UPDATE_GOLDEN === '1';

function stored(dir = GOLDEN): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? stored(join(dir, e.name))
      : [relative(GOLDEN, join(dir, e.name)).slice(0, -SUFFIX.length)],
  );
}

describe('k6 emitter golden files (UPDATE_GOLDEN=1 to refresh)', async () => {
  const files = await k6Plugin.emit(shopModel(), { outDir: 'generated' });
  if (update) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(GOLDEN, file.path)), { recursive: true });
      writeFileSync(join(GOLDEN, file.path + SUFFIX), file.contents);
    }
  }

  it('writes one script per publishing service, and none for a service that only subscribes', () => {
    expect(files.map((f) => f.path).sort()).toEqual(stored().sort());
    expect(files.map((f) => f.path).sort()).toEqual([
      'loadtest/catalog.k6.ts',
      'loadtest/notification.k6.ts',
    ]);
  });

  it.each(files.map((f) => [f.path, f] as const))('%s matches its golden file', (path, file) => {
    expect(file.contents, `${path} differs; run with UPDATE_GOLDEN=1 if intended`).toBe(
      readFileSync(join(GOLDEN, path + SUFFIX), 'utf8'),
    );
    expect(file.sources).toEqual([`asyncapi/${path.slice('loadtest/'.length, -'.k6.ts'.length)}.yaml`]);
  });

  it('is byte-identical on a second run over a freshly built model', async () => {
    expect(await k6Plugin.emit(shopModel(), { outDir: 'generated' })).toEqual(files);
  });
});

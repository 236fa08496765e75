/**
 * Golden files: the complete docs output for the shop fixture, stored under __golden__/<path> (Markdown is
 * out of the type-check and lint by location). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run generators/emit/docs/golden.test.ts` and review the diff like code.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopModel } from './__fixtures__/shop-model.ts';
import { docsPlugin } from './plugin.ts';

const GOLDEN = join(import.meta.dirname, '__golden__');
const update = process.env.UPDATE_GOLDEN === '1';

function stored(dir = GOLDEN): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? stored(join(dir, e.name)) : [relative(GOLDEN, join(dir, e.name))],
  );
}

describe('docs emitter golden files (UPDATE_GOLDEN=1 to refresh)', async () => {
  const files = await docsPlugin.emit(shopModel(), { outDir: 'generated' });
  if (update) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(GOLDEN, file.path)), { recursive: true });
      writeFileSync(join(GOLDEN, file.path), file.contents);
    }
  }

  it('writes exactly the golden set of files', () => {
    expect(files.map((f) => f.path).sort()).toEqual(stored().sort());
  });

  it.each(files.map((f) => [f.path, f] as const))('%s matches its golden file', (path, file) => {
    expect(file.contents, `${path} differs; run with UPDATE_GOLDEN=1 if intended`).toBe(
      readFileSync(join(GOLDEN, path), 'utf8'),
    );
    expect(file.ownership).toBe('generated');
  });

  it('is byte-identical on a second run over a freshly built model', async () => {
    const again = await docsPlugin.emit(shopModel(), { outDir: 'generated' });
    expect(again).toEqual(files);
  });
});

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitDapr } from './__fixtures__/emit.ts';
import { platformModel } from './__fixtures__/platform.ts';

const GOLDEN = fileURLToPath(new URL('./__golden__/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

function listGolden(dir = GOLDEN): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listGolden(join(dir, entry.name)) : [relative(GOLDEN, join(dir, entry.name))],
  );
}

describe('Dapr emitters against golden files (UPDATE_GOLDEN=1 to refresh)', async () => {
  const files = await emitDapr(platformModel());

  if (update) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const file of files.values()) {
      mkdirSync(dirname(join(GOLDEN, file.path)), { recursive: true });
      writeFileSync(join(GOLDEN, file.path), file.contents);
    }
  }

  it('writes exactly the golden set of files', () => {
    expect([...files.keys()].sort()).toEqual(listGolden().sort());
  });

  for (const file of files.values()) {
    it(`${file.path} matches its golden file`, () => {
      expect(file.contents).toBe(readFileSync(join(GOLDEN, file.path), 'utf8'));
      expect(file.ownership).toBe('generated');
    });
  }

  it('is byte-identical on a second run over a freshly built model', async () => {
    const again = await emitDapr(platformModel());
    expect([...again.values()].map((f) => [f.path, f.contents])).toEqual(
      [...files.values()].map((f) => [f.path, f.contents]),
    );
  });
});

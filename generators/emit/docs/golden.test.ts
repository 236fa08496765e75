/**
 * Golden files: the complete docs output for the shop fixture, stored under __golden__/<path> (Markdown is
 * out of the type-check and lint by location). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run generators/emit/docs/golden.test.ts`.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { describeGolden } from '../golden.ts';
import { shopModel } from './__fixtures__/shop-model.ts';
import { docsPlugin } from './plugin.ts';

await describeGolden('docs emitter golden files', {
  dir: join(import.meta.dirname, '__golden__'),
  render: () => docsPlugin.emit(shopModel(), { outDir: 'generated' }),
  eachFile: (file) => expect(file.ownership).toBe('generated'),
});

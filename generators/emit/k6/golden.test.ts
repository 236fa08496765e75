/**
 * Golden files: the k6 scripts for the shop fixture, stored as __golden__/<path>.golden (the suffix keeps them
 * out of the type-check). Regenerate after an intended change with
 * `UPDATE_GOLDEN=1 npx vitest run generators/emit/k6/golden.test.ts`.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shopModel } from '../docs/__fixtures__/shop-model.ts';
import { describeGolden } from '../golden.ts';
import { k6Plugin } from './plugin.ts';

const files = await describeGolden('k6 emitter golden files', {
  dir: join(import.meta.dirname, '__golden__'),
  suffix: '.golden',
  // The scripts; the library written beside them is loadtest/lib as it is (plugin.test.ts).
  render: async () =>
    (await k6Plugin.emit(shopModel(), { outDir: 'generated' })).filter(
      (file) => !file.path.startsWith('loadtest/lib/'),
    ),
  eachFile: (file) =>
    expect(file.sources).toEqual([`asyncapi/${file.path.slice('loadtest/'.length, -'.k6.ts'.length)}.yaml`]),
});

it('writes one script per publishing service, and none for a service that only subscribes', () => {
  expect(files.map((f) => f.path).sort()).toEqual(['loadtest/catalog.k6.ts', 'loadtest/notification.k6.ts']);
});

/**
 * Golden files: the complete output of every code plugin for each focused test model, stored under
 * __golden__/<model>/<path>.golden (the suffix keeps them out of the project's type-check and lint).
 * Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run generators/emit/code/golden.test.ts`.
 */
import { join } from 'node:path';
import { describeGolden } from '../golden.ts';
import { emitAll } from './emit-all.ts';
import { TEST_MODELS } from './test-models.ts';

for (const [name, makeModel] of Object.entries(TEST_MODELS)) {
  await describeGolden(`golden output: ${name}`, {
    dir: join(import.meta.dirname, '__golden__', name),
    suffix: '.golden',
    render: () => emitAll(makeModel()),
  });
}

/**
 * Golden files: every Dapr file for the platform fixture, stored under __golden__/<path>. Regenerate after an
 * intended change with `UPDATE_GOLDEN=1 npx vitest run generators/emit/dapr/golden.test.ts`.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { describeGolden } from '../golden.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { platformModel } from './__fixtures__/platform.ts';

await describeGolden('Dapr emitters against golden files', {
  dir: fileURLToPath(new URL('./__golden__/', import.meta.url)),
  render: async () => [...(await emitDapr(platformModel())).values()],
  eachFile: (file) => expect(file.ownership).toBe('generated'),
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnosticLine, loadModel } from './index.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('the contracts in asyncapi/', () => {
  it('build a model without errors, one service per document', async () => {
    const { model, errors, refused } = await loadModel([path.join(repoRoot, 'asyncapi')], { root: repoRoot });
    expect(errors.map(formatDiagnosticLine)).toEqual([]);
    expect(refused).toEqual([]);
    expect(model.services.length).toBeGreaterThanOrEqual(21);
    for (const service of model.services) expect(service.source.file).toMatch(/^asyncapi\/[^/]+\.ya?ml$/);
  }, 60_000);
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedValidatorFiles } from './precompile.ts';
import { PRECOMPILED_FOLDER } from './structure-validators.ts';

describe('shipped AsyncAPI structure validators', () => {
  it('match the schemas of the installed parser, ajv and ajv-formats', () => {
    // When this fails after an upgrade, every run compiles the AsyncAPI schema again (about a second each):
    // run `node generators/parse/precompile.ts` and commit generators/parse/precompiled/.
    const missing = expectedValidatorFiles().filter(
      (name) => !existsSync(path.join(PRECOMPILED_FOLDER, name)),
    );
    expect(missing).toEqual([]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedManifest, expectedValidatorFiles, SHIPPED_VERSIONS, validatorSource } from './precompile.ts';
import { MANIFEST_FILE, PRECOMPILED_FOLDER, shippedValidators } from './shipped-validators.ts';
import { structureSchemas } from './structure-rule.ts';

// When these fail after an upgrade of @asyncapi/specs, @asyncapi/parser, ajv or ajv-formats, run
// `node generators/parse/precompile.ts` and commit generators/parse/precompiled/. Until then every AsyncAPI 3
// document goes to the parser (slow, same verdicts).
describe('shipped AsyncAPI structure validators', () => {
  it('exist under the names the installed schemas, ajv and ajv-formats call for', () => {
    const missing = expectedValidatorFiles().filter(
      (name) => !existsSync(path.join(PRECOMPILED_FOLDER, name)),
    );
    expect(missing).toEqual([]);
  });

  it('are listed in the manifest with the installed package versions', () => {
    const shipped = JSON.parse(readFileSync(path.join(PRECOMPILED_FOLDER, MANIFEST_FILE), 'utf8')) as unknown;
    expect(shipped).toEqual(expectedManifest());
    for (const version of SHIPPED_VERSIONS) expect(shippedValidators(version)).toBeDefined();
  });

  it.each(SHIPPED_VERSIONS)(
    'are, for AsyncAPI %s, the code ajv compiles now from the installed @asyncapi/specs',
    { timeout: 120_000 },
    (version) => {
      const schemas = structureSchemas(version);
      const files = expectedManifest().versions[version];
      expect(schemas && files).toBeTruthy();
      if (!schemas || !files) return;
      for (const variant of ['resolved', 'unresolved'] as const) {
        const shipped = readFileSync(path.join(PRECOMPILED_FOLDER, files[variant]), 'utf8');
        expect(shipped === validatorSource(schemas[variant])).toBe(true);
      }
    },
  );
});

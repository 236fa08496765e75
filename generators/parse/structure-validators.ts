/**
 * Compiled validators of the AsyncAPI JSON Schemas (one per version and resolved/unresolved variant). Compiling
 * the 180 KB schema takes ajv about a second, so a validator is compiled at most once per machine:
 *   1. validators shipped with eventwire in precompiled/ (built by `node generators/parse/precompile.ts` for the
 *      AsyncAPI versions eventwire's contracts use), found by a key over the schema, ajv's version and the
 *      options, so a parser or ajv upgrade can never load a validator of another schema;
 *   2. otherwise the cache folder (node_modules/.cache/eventwire or EVENTWIRE_CACHE_DIR);
 *   3. otherwise compiled now and written to the cache.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { defaultCacheDirectory, hashOf, packageVersion } from './cache.ts';
import { PRECOMPILED_FOLDER } from './shipped-validators.ts';
import { rememberValidObjects } from './validator-memo.ts';

const require = createRequire(import.meta.url);
/** Bump when the generated code would change for the same schema and options. */
const CODE_FORMAT = 2;

/** Options as the parser's own validation uses them; the schema comes from @asyncapi/specs and is trusted. */
const OPTIONS: Options = {
  allErrors: true,
  strict: false,
  allowUnionTypes: true,
  unicodeRegExp: false,
  validateSchema: false,
  logger: false,
  code: { source: true },
};

export { PRECOMPILED_FOLDER };

export function validatorFileName(schema: object): string {
  const key = hashOf(CODE_FORMAT, packageVersion('ajv'), packageVersion('ajv-formats'), OPTIONS, schema);
  return `asyncapi-structure-${key}.cjs`;
}

function loadFrom(file: string): ValidateFunction | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const loaded: unknown = require(file);
    return typeof loaded === 'function' ? (loaded as ValidateFunction) : undefined;
  } catch {
    // A damaged file is compiled again.
    return undefined;
  }
}

/**
 * ajv standalone CommonJS code of the validator. `absoluteRequires` names ajv's runtime helpers by absolute path,
 * for files outside node_modules' reach (a cache under EVENTWIRE_CACHE_DIR); shipped files use package names.
 */
export function compileStructureValidator(schema: object, absoluteRequires: boolean) {
  const ajv = new Ajv(OPTIONS);
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const code = () => {
    const source = rememberValidObjects(standaloneCode.default(ajv, validate));
    return absoluteRequires
      ? source.replace(
          /require\("([^"]+)"\)/g,
          (_, name: string) => `require(${JSON.stringify(require.resolve(name))})`,
        )
      : source;
  };
  return { validate, code };
}

export function structureValidator(schema: object): ValidateFunction {
  const name = validatorFileName(schema);
  const cached = path.join(defaultCacheDirectory(), name);
  const found = loadFrom(path.join(PRECOMPILED_FOLDER, name)) ?? loadFrom(cached);
  if (found) return found;
  const { validate, code } = compileStructureValidator(schema, true);
  try {
    mkdirSync(path.dirname(cached), { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, code());
    renameSync(temporary, cached);
  } catch {
    // No writable cache (read-only install): the validator compiled in memory still works.
  }
  return validate;
}

/**
 * Compiles payload schemas to ajv standalone code (ESM) at generate time, so no schema is compiled at run time.
 *
 * Each message is compiled on its own ajv instance and wrapped in a function scope, so ajv's numbered names
 * (`validate10`, `schema11`) never clash inside a file, a message's code is the same in every service that uses
 * it, and it is compiled once per run however many services consume it.
 *
 * ajv's ESM output still reaches its runtime helpers with `require("ajv/dist/runtime/ucs2length")` and
 * `require("ajv-formats/dist/formats")`, which does not exist in an ES module. Each such call becomes a local
 * bound once per module with a `require` made by `createRequire` from eventwire's own package.json: that yields
 * the CommonJS `module.exports` under every loader, and the ajv eventwire compiled against, whatever ajv the
 * project has itself (an ajv 6 at its top level is common) and however the package manager lays out
 * node_modules (pnpm does not hoist eventwire's dependencies). A default import would not: Node hands it `module.exports`, but vitest,
 * bundlers and TypeScript's esModuleInterop hand it `exports.default` for modules marked `__esModule` (all of
 * ajv's helpers), so `ucs2length.default` was undefined in a vitest run.
 */
import { _, Ajv, type Options } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import { safeIdentifier } from '../../model/names.ts';
import type { JsonSchema } from '../../model/types.ts';
import { useGuardedLengthLimits } from './length-limits.ts';

export type Draft = 'draft-07' | 'draft-2019-09' | 'draft-2020-12';

const OPTIONS: Options = {
  // `optimize: false` makes compiling three times faster; the cost is a few unused locals in the output,
  // which V8 drops when it compiles the function.
  //
  // `formats` is what addFormats would set, but built with this ajv's own code template: when the project has an
  // ajv of its own at the top of node_modules, ajv-formats brings another copy of ajv 8, whose template this
  // ajv does not recognise as code and would write into the output as a JSON object.
  code: {
    source: true,
    esm: true,
    lines: true,
    optimize: false,
    formats: _`require("ajv-formats/dist/formats").fullFormats`,
  },
  allErrors: true,
  strict: false,
  // `strict: false` also turns strictNumbers off, and then Infinity and NaN pass `type: number` and `integer`:
  // a payload `{"amount": 1e400}` parses as Infinity and would satisfy `type: integer, minimum: 0`.
  strictNumbers: true,
  // Warnings (unknown formats, ignored keywords) are the linter's business, not noise during generation.
  logger: false,
  // Checked once per run with a shared instance (see schemaProblems): compiling the meta-schema into every
  // instance would cost more than compiling the payloads.
  validateSchema: false,
};

/**
 * The meta-schema checker's options: the same checks, without the standalone source, which only compiling a
 * payload needs (keeping the source and line breaks of the meta-schema's code makes compiling it ~40% slower).
 */
const CHECK_OPTIONS: Options = { ...OPTIONS, code: { optimize: false } };

function createAjv(draft: Draft, options = OPTIONS): Ajv {
  const ajv =
    draft === 'draft-2020-12'
      ? new Ajv2020(options)
      : draft === 'draft-2019-09'
        ? new Ajv2019(options)
        : new Ajv(options);
  addFormats.default(ajv);
  useGuardedLengthLimits(ajv);
  return ajv;
}

/** AsyncAPI schema formats name their JSON Schema dialect; the AsyncAPI Schema Object is a draft-07 superset. */
export function draftOf(schemaFormat: string): Draft {
  if (schemaFormat.includes('2020-12')) return 'draft-2020-12';
  if (schemaFormat.includes('2019-09')) return 'draft-2019-09';
  return 'draft-07';
}

/** One compiled validator, ready to be placed in a module next to others. */
export interface ValidatorChunk {
  /** Module specifier -> the local name its default import must have. */
  readonly imports: ReadonlyMap<string, string>;
  /** `export const <name> = (() => { ... return validateN; })();` */
  readonly code: string;
}

/** Compiles `$defs[root]` of a bundle into a chunk exporting `exportName`. */
export function compileValidator(
  draft: Draft,
  defs: Readonly<Record<string, JsonSchema>>,
  root: string,
  exportName: string,
): ValidatorChunk {
  const ajv = createAjv(draft);
  const id = 'eventwire:payload';
  ajv.addSchema({ $id: id, $defs: defs });
  // The CommonJS module is the function itself; `.default` is the same function and what the typings declare.
  const source = standaloneCode.default(ajv, { [exportName]: `${id}#/$defs/${root}` });
  const exportLine = new RegExp(`^export const ${exportName.replace(/\$/g, '\\$')} = (\\w+);\\n`, 'm');
  const match = exportLine.exec(source);
  if (!match) throw new Error(`unexpected ajv standalone output: no export of ${exportName}`);
  const body = source.replace(exportLine, '').replace(/^"use strict";\n?/, '');
  const { code, imports } = requireToImports(body);
  return {
    imports,
    code: `export const ${exportName} = (() => {\n${code.trimEnd()}\nreturn ${match[1]};\n})();\n`,
  };
}

/** Helper modules first (sorted by specifier), then the chunks in the given order, one blank line apart. */
export function assembleModule(
  chunks: readonly { readonly comment: string; readonly chunk: ValidatorChunk }[],
): string {
  const imports = new Map<string, string>();
  for (const { chunk } of chunks)
    for (const [specifier, local] of chunk.imports) imports.set(specifier, local);
  const requireLines = [...imports]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([specifier, local]) => `const ${local} = ${REQUIRE}('${withJsExtension(specifier)}');\n`)
    .join('');
  const importLines = requireLines
    ? `import { createRequire } from 'node:module';\n\nconst ${REQUIRE} = createRequire(import.meta.resolve('eventwire/package.json'));\n${requireLines}`
    : '';
  const bodies = chunks.map(({ comment, chunk }) => `// ${comment}\n${chunk.code}`);
  return [...(importLines ? [importLines] : []), ...bodies].join('\n');
}

/** The module's own `require`, named so it cannot clash with ajv's identifiers. */
const REQUIRE = 'runtime$require';

/** ajv's own helper modules get short local names; anything else is named after its full path. */
const SHORT_NAME_PREFIXES = ['ajv/dist/runtime/', 'ajv-formats/dist/'];

function localName(specifier: string): string {
  const prefix = SHORT_NAME_PREFIXES.find((p) => specifier.startsWith(p));
  return `runtime$${safeIdentifier((prefix ? specifier.slice(prefix.length) : specifier).replace(/[^A-Za-z0-9]+/g, '_'))}`;
}

/**
 * Replaces `require("x")` in ajv's output with a local name per module (a function of the specifier alone, so
 * chunks compiled separately agree). A `require(` inside a string literal is always escaped (`require(\"`) in
 * ajv's output, so only real calls match.
 */
export function requireToImports(code: string): { code: string; imports: ReadonlyMap<string, string> } {
  const imports = new Map<string, string>();
  const replaced = code.replace(/require\("([^"\\]+)"\)/g, (_call, specifier: string) => {
    const local = localName(specifier);
    imports.set(specifier, local);
    return local;
  });
  return { code: replaced, imports };
}

/** `ajv/dist/runtime/equal` -> `ajv/dist/runtime/equal.js`; bare package names stay as they are. */
function withJsExtension(specifier: string): string {
  const packageParts = specifier.startsWith('@') ? 2 : 1;
  const isSubpath = specifier.split('/').length > packageParts;
  return isSubpath && !/\.[cm]?js$/.test(specifier) ? `${specifier}.js` : specifier;
}

const checkers = new Map<Draft, Ajv>();

export interface SchemaProblem {
  /** The `$defs` entry the first problem is in. */
  readonly definition: string | undefined;
  readonly text: string;
}

/**
 * Checks every definition against the dialect's meta-schema (undefined when all are valid). Draft-07's
 * meta-schema only looks into `definitions`, so the definitions are placed there for the check.
 */
export function schemaProblems(
  draft: Draft,
  defs: Readonly<Record<string, JsonSchema>>,
): SchemaProblem | undefined {
  let checker = checkers.get(draft);
  if (!checker) {
    checker = createAjv(draft, CHECK_OPTIONS);
    checkers.set(draft, checker);
  }
  const container = draft === 'draft-07' ? 'definitions' : '$defs';
  if (checker.validateSchema({ [container]: defs })) return undefined;
  const errors = checker.errors ?? [];
  const [, , definition] = (errors[0]?.instancePath ?? '').split('/');
  return { definition, text: checker.errorsText(errors, { dataVar: 'schema' }) };
}

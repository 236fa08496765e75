/**
 * `<service>/validators.js` + `<service>/validators.d.ts`: one ajv standalone validator per message the service
 * sends or receives (`validate<TypeName>`), compiled now so nothing compiles at run time, and typed as
 * `CompiledValidator<TypeName>` so a successful check narrows `unknown` to the payload type.
 *
 * Each validator's code lives once in `_validators/<TypeName>.<hash>.js`, named by its contents, and every
 * service using it re-exports it: a message that five services consume is compiled once (compiling is the
 * expensive part of generation) and written once. Content-named files keep each service's output a function
 * of that service alone: two services that emit the same module emit the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashOf, jsonStore, packageVersion } from '../../parse/cache.ts';
import type { Message, Service } from '../../model/types.ts';
import { memo } from '../../pipeline/memo.ts';
import { siblingModule } from '../../sibling-module.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import {
  assembleModule,
  compileValidator,
  type Draft,
  draftOf,
  schemaProblems,
  type ValidatorChunk,
} from './ajv-standalone.ts';
import { at, CodeEmitError } from './errors.ts';
import {
  exportModifier,
  importDeclaration,
  imports,
  printGroups,
  RUNTIME_MODULE,
  typeRef,
  withDoc,
} from './print.ts';
import { bundleSchemas } from './schema-bundle.ts';
import { serviceView, validatorName } from './service-view.ts';
import { emitPerService } from './per-service.ts';
import * as S from './syntax.ts';

/** Folder of the validator modules services share. Service names are kebab-case: none starts with `_`. */
export const SHARED_VALIDATORS_DIR = '_validators';

export const validatorsPlugin: EmitterPlugin = {
  name: 'code-validators',
  description:
    'Precompiled ajv payload validators: one module per payload (_validators/), re-exported per service (<service>/validators.js + .d.ts)',
  emit(model) {
    const files = emitPerService(model, 'code-validators', (service) => {
      const view = serviceView(service);
      if (view.messages.length === 0) return [];
      const modules = view.messages.map(validatorModule);
      const reExports = modules.map(
        ({ message, path }) =>
          `// Payload of ${message.name} (${message.typeName})\nexport { ${validatorName(message)} } from '../${path}';\n`,
      );
      return [
        {
          path: `${service.name}/validators.js`,
          contents: reExports.join(''),
          ownership: 'generated',
          sources: view.sources,
        },
        validatorsDts(service, view.messages),
        ...modules.map((module) => module.file),
      ];
    });
    return mergeSharedModules(files);
  },
};

/** One payload's validator in a module of its own, named by the payload's type and the module's contents. */
function validatorModule(message: Message): { message: Message; path: string; file: GeneratedFile } {
  const comment = `Payload of ${message.name} (${message.typeName})`;
  const contents = assembleModule([{ comment, chunk: messageValidator(message) }]);
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 10);
  const path = `${SHARED_VALIDATORS_DIR}/${message.typeName}.${hash}.js`;
  const file: GeneratedFile = { path, contents, ownership: 'generated', sources: [message.source.file] };
  return { message, path, file };
}

/** A module several services emitted is written once, its header naming every contract behind it. */
function mergeSharedModules(files: readonly GeneratedFile[]): GeneratedFile[] {
  const byPath = new Map<string, GeneratedFile>();
  for (const file of files) {
    const earlier = byPath.get(file.path);
    if (!earlier) {
      byPath.set(file.path, file);
      continue;
    }
    if (earlier.contents !== file.contents) {
      throw new CodeEmitError(`two different validator modules would be written to ${file.path}`);
    }
    const sources = [...new Set([...(earlier.sources ?? []), ...(file.sources ?? [])])].sort();
    byPath.set(file.path, { ...earlier, sources });
  }
  return [...byPath.values()];
}

/**
 * A compiled validator is a pure function of this: compiling is most of what generation costs, so it goes through
 * the memo, in memory (a message five services use, or a `--watch` run, compiles once) and in the cache folder.
 * The contract location is left out (errors are reported by the caller): equal schemas of two contracts share it.
 */
interface ValidatorInput {
  readonly draft: Draft;
  readonly typeName: string;
  readonly validatorName: string;
  readonly defs: ReturnType<typeof bundleSchemas>;
}

/** A payload schema that is not valid JSON Schema of its draft. */
class InvalidSchema extends Error {}

function compileChunk({ draft, typeName, validatorName, defs }: ValidatorInput): ValidatorChunk {
  const problem = schemaProblems(draft, defs);
  if (problem) throw new InvalidSchema(problem.text);
  return compileValidator(draft, defs, typeName, validatorName);
}

/** Stored chunks are salted with ajv's versions and the code that compiles them (ajv-standalone.ts and its keywords). */
let compiler: string | undefined;
const chunks = jsonStore('validators', () => {
  compiler ??= hashOf(
    'validator',
    2,
    [packageVersion('ajv'), packageVersion('ajv-formats')],
    readFileSync(siblingModule('./ajv-standalone.ts', import.meta.url), 'utf8'),
    readFileSync(siblingModule('./length-limits.ts', import.meta.url), 'utf8'),
  );
  return compiler;
});

const chunkStore = {
  store: { ...chunks, salt: () => 'validators' },
  toStored: (chunk: ValidatorChunk) => ({ imports: [...chunk.imports], code: chunk.code }),
  fromStored: (stored: unknown): ValidatorChunk | undefined => {
    const { imports, code } = (stored ?? {}) as { imports?: unknown; code?: unknown };
    if (typeof code !== 'string' || !Array.isArray(imports)) return undefined;
    return { imports: new Map(imports as [string, string][]), code };
  },
};

function messageValidator(message: Message): ValidatorChunk {
  const draft = draftOf(message.schemaFormat);
  const defs = bundleSchemas([{ name: message.typeName, schema: message.payload }], {
    reservedNames: new Set([message.typeName]),
    adapt: (schema) => adaptForAjv(schema, message),
  });
  const input = { draft, typeName: message.typeName, validatorName: validatorName(message), defs };
  try {
    return memo('code-validators/chunk', input, compileChunk, chunkStore);
  } catch (error) {
    if (error instanceof InvalidSchema) {
      throw new CodeEmitError(
        `${at(message.source)}: the payload schema of "${message.name}" is not valid ${draft} JSON Schema: ` +
          `${error.message}. Fix the schema under "payload".`,
      );
    }
    throw new CodeEmitError(
      `${at(message.source)}: cannot compile a validator for the payload of "${message.name}": ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function validatorsDts(service: Service, messages: readonly Message[]): GeneratedFile {
  const declarations = messages.map((message) =>
    withDoc(
      S.constStatement(
        [exportModifier(), 'declare'],
        [{ name: validatorName(message), type: typeRef('CompiledValidator', typeRef(message.typeName)) }],
      ),
      `Checks a \`${message.name}\` payload against its contract schema; on failure \`errors\` lists every problem.`,
    ),
  );
  const header = imports(
    importDeclaration(['CompiledValidator'], RUNTIME_MODULE, true),
    importDeclaration(
      messages.map((m) => m.typeName),
      './types.ts',
      true,
    ),
  );
  return {
    path: `${service.name}/validators.d.ts`,
    contents: printGroups([header, declarations]),
    ownership: 'generated',
    sources: serviceView(service).sources,
  };
}

/** Keywords that never change whether a value is valid; ajv would still copy them into the generated file. */
const ANNOTATIONS = [
  'title',
  'description',
  '$comment',
  'examples',
  'example',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
];

/**
 * Nested `$id`s would move the base URI of the bundle's `#/$defs/...` refs and `$schema` is fixed per file.
 * Annotations and `x-` extensions go too: ajv embeds schema objects in its output for error parameters, and
 * contract descriptions would make the files several times larger for nothing.
 */
function adaptForAjv(schema: Record<string, unknown>, message: Message): void {
  if (typeof schema.$ref === 'string') {
    throw new CodeEmitError(
      `${at(message.source)}: the payload schema of "${message.name}" still contains "$ref": "${schema.$ref}"; ` +
        'the contract model should have resolved it. Check that the referenced file and pointer exist.',
    );
  }
  for (const keyword of Object.keys(schema)) {
    if (
      keyword === '$id' ||
      keyword === '$schema' ||
      ANNOTATIONS.includes(keyword) ||
      keyword.startsWith('x-')
    ) {
      delete schema[keyword];
    }
  }
}

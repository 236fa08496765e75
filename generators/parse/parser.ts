/**
 * One AsyncAPI parser per process. `@asyncapi/parser` takes a few hundred milliseconds to import, so it is
 * imported on first use (commands that never read contracts do not pay for it) and the instance is reused.
 */
import type { Parser } from '@asyncapi/parser';

/**
 * Schema parsers for payloads that are not JSON Schema, registered when installed. The Avro one is a dependency;
 * a format whose parser is missing is refused with an "unsupported schemaFormat" error saying what to install.
 */
const OPTIONAL_SCHEMA_PARSERS = [
  { module: '@asyncapi/avro-schema-parser', factory: 'AvroSchemaParser' },
] as const;

export interface ParserHandle {
  readonly parser: Parser;
  /** Whether a schema parser is registered for this `schemaFormat`. */
  supportsSchemaFormat(format: string): boolean;
  /** Time spent importing and constructing the parser. */
  readonly setupMs: number;
}

let handle: Promise<ParserHandle> | undefined;
let documentHandle: Promise<ParserHandle> | undefined;

export function asyncApiParser(): Promise<ParserHandle> {
  handle ??= createHandle();
  return handle;
}

/**
 * The parser with its rulesets off: for the Document API of AsyncAPI 3 documents that eventwire validated
 * itself (validate-v3.ts) and whose payloads a schema parser converts (Avro). It still resolves, parses the
 * payload schemas and reports what fails there.
 */
export function documentParser(): Promise<ParserHandle> {
  documentHandle ??= (async () => {
    const started = performance.now();
    const { Parser } = await import('@asyncapi/parser');
    const parser = new Parser({ ruleset: { core: false, recommended: false } });
    await registerOptionalSchemaParsers(parser);
    return {
      parser,
      supportsSchemaFormat: (format) => parser.parserRegistry.has(format),
      setupMs: performance.now() - started,
    };
  })();
  return documentHandle;
}

async function registerOptionalSchemaParsers(parser: Parser): Promise<void> {
  for (const { module, factory } of OPTIONAL_SCHEMA_PARSERS) {
    try {
      // A variable specifier: the module is optional and has no types here.
      const specifier: string = module;
      const loaded = (await import(specifier)) as Record<string, unknown>;
      const create = loaded[factory] ?? (loaded.default as Record<string, unknown> | undefined)?.[factory];
      if (typeof create === 'function') parser.registerSchemaParser(create());
    } catch {
      // Not installed: documents in that format get an "unsupported schemaFormat" error.
    }
  }
}

async function createHandle(): Promise<ParserHandle> {
  const started = performance.now();
  const { Parser } = await import('@asyncapi/parser');
  const { createStructureRules } = await import('./structure-rule.ts');
  const rules = {
    // An info-level nudge to move to the newest AsyncAPI version, and a schema compile per document to say it.
    'asyncapi-latest-version': 'off',
    ...createStructureRules(),
  };
  const parser = new Parser({ ruleset: { rules } as never });
  await registerOptionalSchemaParsers(parser);
  return {
    parser,
    supportsSchemaFormat: (format) => parser.parserRegistry.has(format),
    setupMs: performance.now() - started,
  };
}

interface ResolverCache {
  _data?: Record<string, unknown>;
  purge?: () => void;
}

function decoded(key: string): string {
  try {
    return decodeURIComponent(key.replace(/^file:\/\//, ''));
  } catch {
    return key;
  }
}

/**
 * Makes the parser read these files again. Its `$ref` resolver keeps every file it read (and every document it
 * validated, by path) for the life of the parser, which is right within one load and wrong across the loads of
 * a `--watch` session, where files change.
 */
export function forgetFiles(parser: Parser, absPaths: Iterable<string>): void {
  const paths = new Set(absPaths);
  if (paths.size === 0) return;
  const internals = parser as unknown as { spectral?: { _resolver?: { uriCache?: ResolverCache } } };
  const cache = internals.spectral?._resolver?.uriCache;
  if (!cache) return;
  if (typeof cache._data !== 'object' || cache._data === null) {
    cache.purge?.();
    return;
  }
  for (const key of Object.keys(cache._data)) if (paths.has(decoded(key))) delete cache._data[key];
}

/** forgetFiles on this thread's parsers, if they were loaded. */
export function forgetFilesInThisThread(absPaths: readonly string[]): void {
  if (absPaths.length === 0) return;
  for (const loading of [handle, documentHandle])
    void loading?.then((loaded) => forgetFiles(loaded.parser, absPaths));
}

/** Formats whose schemas are JSON Schema as written (the model copies them from the files directly). */
export function isJsonSchemaFormat(format: string): boolean {
  return /^application\/(vnd\.aai\.asyncapi|schema)(\+(json|yaml))?(;|$)/.test(format.replace(/\s/g, ''));
}

/**
 * On-disk caches under node_modules/.cache/eventwire (or EVENTWIRE_CACHE_DIR): compiled validators of the
 * AsyncAPI schema, the data of YAML files by the hash of their text, and the parser's verdict on documents
 * that validated. A verdict is keyed by the text of the
 * document and of every file it references, the parser's version and the load root, so any change to any of
 * them validates again. Only successes are kept: a broken document is always checked by the parser.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DataCache } from './read.ts';
import type { ContractError } from './types.ts';

const require = createRequire(import.meta.url);
/** Bump when what is cached, or how a verdict is reached, changes. */
const VERDICT_FORMAT = 1;
/** The modules whose behaviour a verdict records. */
const VALIDATION_MODULES = [
  './parser.ts',
  './structure-rule.ts',
  './parse-document.ts',
  './diagnostics.ts',
  './ajv-messages.ts',
  './legacy.ts',
];

export function defaultCacheDirectory(): string {
  const configured = process.env.EVENTWIRE_CACHE_DIR;
  if (configured) return path.resolve(configured);
  return path.join(path.dirname(path.dirname(require.resolve('ajv/package.json'))), '.cache', 'eventwire');
}

export function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

export function hashOf(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export interface Verdict {
  readonly warnings: readonly ContractError[];
}

let environment: string[] | undefined;

export class VerdictCache {
  readonly #folder: JsonFolder;

  /** `false` turns the cache off. */
  constructor(directory: string | false | undefined) {
    this.#folder = new JsonFolder(
      directory === false ? undefined : path.join(directory ?? defaultCacheDirectory(), 'verdicts'),
    );
  }

  /**
   * What decides a verdict besides the files' text: the validator packages and eventwire's own validation code
   * (an edit to it must not replay verdicts it would no longer give).
   */
  static environment(): string[] {
    if (environment) return environment;
    const packages = ['@asyncapi/parser', '@asyncapi/converter', '@asyncapi/avro-schema-parser'];
    const code = VALIDATION_MODULES.map((name) => {
      try {
        return readFileSync(new URL(name, import.meta.url), 'utf8');
      } catch {
        return name;
      }
    });
    return [
      `verdict:${VERDICT_FORMAT}`,
      ...packages.map((name) => `${name}@${packageVersion(name)}`),
      hashOf(code),
    ];
  }

  read(key: string): Verdict | undefined {
    return this.#folder.read(key) as Verdict | undefined;
  }

  write(key: string, verdict: Verdict): void {
    this.#folder.write(key, verdict);
  }
}

/** One JSON file per key in a folder; every failure reads as a miss, so a damaged cache only costs time. */
class JsonFolder {
  readonly #folder: string | undefined;

  constructor(folder: string | undefined) {
    this.#folder = folder;
  }

  read(key: string): unknown {
    if (!this.#folder) return undefined;
    try {
      return JSON.parse(readFileSync(path.join(this.#folder, `${key}.json`), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  write(key: string, value: unknown): void {
    if (!this.#folder) return;
    try {
      mkdirSync(this.#folder, { recursive: true });
      const file = path.join(this.#folder, `${key}.json`);
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(value));
      renameSync(temporary, file);
    } catch {
      // A read-only install works without the cache.
    }
  }
}

/** Parsed YAML data, by the hash of the text it came from. */
export function dataCache(directory: string | false | undefined): DataCache | undefined {
  if (directory === false) return undefined;
  const folder = new JsonFolder(path.join(directory ?? defaultCacheDirectory(), 'data'));
  return { get: (key) => folder.read(key), set: (key, data) => folder.write(key, data) };
}

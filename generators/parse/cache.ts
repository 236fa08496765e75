/**
 * On-disk caches under node_modules/.cache/eventwire (or EVENTWIRE_CACHE_DIR): compiled validators of the
 * AsyncAPI schema and of payloads, the data of YAML files by the hash of their text, and the parser's verdict
 * on documents that validated. A verdict is keyed by the text of the document and every node it references in other files
 * (verdict-key.ts), the parser's version and the load root, so any change to any of them validates again.
 * Only successes are kept: a broken document is always checked by the parser.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, opendirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { memo } from '../pipeline/memo.ts';
import type { DataCache } from './read.ts';
import { siblingModule } from '../sibling-module.ts';
import type { Diagnostic } from './types.ts';

const require = createRequire(import.meta.url);
/** Bump when what is cached, or how a verdict is reached, changes. */
const VERDICT_FORMAT = 2;
/** The modules whose behaviour a verdict records. */
const VALIDATION_MODULES = [
  './parser.ts',
  './structure-rule.ts',
  './structure-validators.ts',
  './parse-document.ts',
  './diagnostics.ts',
  './ajv-messages.ts',
  './legacy.ts',
  './verdict-key.ts',
  './validate-v3.ts',
  './v3-rules.ts',
  './schema-error-selection.ts',
  './shipped-validators.ts',
  './validator-memo.ts',
  './precompiled/manifest.json',
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
  readonly warnings: readonly Diagnostic[];
}

let environment: string[] | undefined;

export class VerdictCache {
  readonly #path: string | undefined;
  readonly #folder: JsonFolder;

  /** `false` turns the cache off. */
  constructor(directory: string | false | undefined) {
    this.#path =
      directory === false ? undefined : path.join(directory ?? defaultCacheDirectory(), 'verdicts');
    this.#folder = new JsonFolder(this.#path);
  }

  /**
   * What decides a verdict besides the files' text: the validator packages and eventwire's own validation code
   * (an edit to it must not replay verdicts it would no longer give).
   */
  static environment(): string[] {
    // Computed once per process: every document's verdict key asks (21 times per `generate` of asyncapi/,
    // each reading the ~14 validation modules again until this was kept).
    environment ??= VerdictCache.#computeEnvironment();
    return environment;
  }

  static #computeEnvironment(): string[] {
    const packages = ['@asyncapi/parser', '@asyncapi/converter', '@asyncapi/avro-schema-parser'];
    const code = VALIDATION_MODULES.map((name) => {
      try {
        return readFileSync(siblingModule(name, import.meta.url), 'utf8');
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

  /** Kept in this process by folder and key once read (a `--watch` session asks for the same ones). */
  read(key: string): Verdict | undefined {
    if (!this.#path) return undefined;
    return memo('parse:verdict', [this.#path, key], () => this.#folder.read(key) as Verdict | undefined);
  }

  /** No verdict kept (or no cache): the parser is going to be needed. */
  isEmpty(): boolean {
    return this.#folder.isEmpty();
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

  isEmpty(): boolean {
    if (!this.#folder) return true;
    try {
      const dir = opendirSync(this.#folder);
      try {
        return dir.readSync() === null;
      } finally {
        dir.closeSync();
      }
    } catch {
      return true;
    }
  }

  write(key: string, value: unknown): void {
    if (!this.#folder) return;
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      return; // Not storable: a miss next time, as any cache failure.
    }
    atomicWrite(path.join(this.#folder, `${key}.json`), text);
  }
}

export interface JsonStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Keep a store's file written this long after its last change, for processes that stay (`--watch`). */
const FLUSH_AFTER_MS = 2000;

/**
 * Values by key in one JSON file under the cache directory (`<name>.json`), for any pure computation of many
 * small results: one read when first asked, one write when the process is done (hundreds of small files cost
 * more to write than the work they save on a slow disk). The file holds what this process used, so it stays
 * the size of one project's outputs. `salt` names what the values depend on besides their keys (code and
 * library versions): a file with another salt reads as empty.
 */
export function jsonStore(name: string, salt: () => string): JsonStore {
  const file = path.join(defaultCacheDirectory(), `${name}.json`);
  let entries: Map<string, unknown> | undefined;
  const used = new Map<string, unknown>();
  let timer: NodeJS.Timeout | undefined;
  const load = (): Map<string, unknown> => {
    if (!entries) {
      entries = new Map();
      try {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as { salt?: unknown; entries?: unknown };
        if (stored.salt === salt() && typeof stored.entries === 'object' && stored.entries !== null)
          entries = new Map(Object.entries(stored.entries));
      } catch {
        // Missing or damaged: every key misses.
      }
    }
    return entries;
  };
  /** The changes are being written: neither the timer nor the exit needs to write them again. */
  const taken = () => {
    clearTimeout(timer);
    timer = undefined;
    process.off('beforeExit', flush);
    unwritten.delete(writeNow);
  };
  const flush = () => {
    taken();
    atomicWrite(file, JSON.stringify({ salt: salt(), entries: Object.fromEntries(used) }));
  };
  const writeNow = async () => {
    taken();
    await atomicWriteSoon(file, await serializeSoon(salt(), [...used]));
  };
  return {
    get(key) {
      const value = load().get(key);
      if (value !== undefined && !used.has(key)) used.set(key, value);
      return value;
    },
    set(key, value) {
      load().set(key, value);
      used.set(key, value);
      if (timer === undefined) process.once('beforeExit', flush);
      unwritten.add(writeNow);
      clearTimeout(timer);
      timer = setTimeout(flush, FLUSH_AFTER_MS).unref();
    },
  };
}

/** The stores holding changes not yet written (`writeStoresSoon`, a timer or the exit will). */
const unwritten = new Set<() => Promise<void>>();

/**
 * Writes every store's changes now, without the exit's blocking write: `generate` calls it while the thread pool
 * writes the output files, so the main thread serializes the caches in the time it would otherwise wait for
 * the pool, and the cache files are written with the output instead of after it.
 */
export async function writeStoresSoon(): Promise<void> {
  await Promise.all([...unwritten].map((write) => write()));
}

/**
 * The JSON `flush` writes, `{"salt":…,"entries":{…}}`, an entry at a time, letting the event loop run between
 * entries (the thread pool's completions keep the output's writes going meanwhile).
 */
async function serializeSoon(
  salt: string,
  entries: readonly (readonly [string, unknown])[],
): Promise<string> {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    await new Promise((resolve) => setImmediate(resolve));
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{"salt":${JSON.stringify(salt)},"entries":{${parts.join(',')}}}`;
}

let temporaries = 0;

/**
 * A temporary file of its own per write: a store written soon (thread pool) and again at exit or by its timer
 * (main thread) must not share one, or the rename could publish a mix of the two.
 */
function temporaryFor(file: string): string {
  return `${file}.${process.pid}.${++temporaries}.tmp`;
}

async function atomicWriteSoon(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = temporaryFor(file);
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch {
    // A read-only install works without the cache.
  }
}

function atomicWrite(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = temporaryFor(file);
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // A read-only install works without the cache.
  }
}

/** Parsed YAML data, by the hash of the text it came from. */
export function dataCache(directory: string | false | undefined): DataCache | undefined {
  if (directory === false) return undefined;
  const folder = new JsonFolder(path.join(directory ?? defaultCacheDirectory(), 'data'));
  return { get: (key) => folder.read(key), set: (key, data) => folder.write(key, data) };
}

/**
 * Reads one contract file as text and YAML, catching what would otherwise surface as a parser stack trace:
 * empty files, binary files, and YAML syntax errors (with line and column).
 *
 * Data comes from the fast reader (fast-yaml.ts) when it can read the text the way `yaml` does; otherwise from
 * `yaml` (loaded only then), whose data is kept (as JSON, by the hash of its text) in the data cache. Positions
 * for messages are found later, from the text, only when a message needs one (see locate.ts).
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { memo } from '../pipeline/memo.ts';
import { hashOf, packageVersion } from './cache.ts';
import { fastYamlData } from './fast-yaml.ts';
import { yamlLibrary } from './yaml-library.ts';

export interface ReadFile {
  readonly ok: true;
  readonly text: string;
  readonly data: unknown;
  /** A hash of the bytes read: what every step kept by this file's content is keyed by (parse-memo.ts). */
  readonly hash: string;
}

/** Parsed data by content hash; `undefined` from `get` means "parse it". */
export interface DataCache {
  get(key: string): unknown;
  set(key: string, data: unknown): void;
}

/** YAML options shared by reading and locating, so both see the same document. */
export const YAML_OPTIONS = { uniqueKeys: true, merge: true, prettyErrors: true } as const;

export interface ReadProblem {
  readonly ok: false;
  readonly code:
    | 'file-not-found'
    | 'not-a-file'
    | 'file-too-large'
    | 'empty-file'
    | 'binary-file'
    | 'yaml-syntax';
  readonly message: string;
  readonly hint?: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * The largest contract file read, in bytes. Contracts are hand-written: the largest public AsyncAPI document in
 * the corpus is 135 KB. A bigger file is refused before it is read (README.md, "Security": what a size costs).
 */
export const MAX_CONTRACT_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The most read in one load, all files together: 8.4 MB of small schemas (8 documents) took 33 s and 840 MB to generate
 * on a loaded 2-core machine (README.md, "Security"); the repository's 22 services are 0.4 MB.
 */
export const MAX_CONTRACT_SET_BYTES = 8 * 1024 * 1024;

function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe, FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

const NOT_A_FILE_HINT = 'contracts and the files they $ref must be regular files: reference the file itself';

/**
 * The file's bytes, read only if it is a regular file of at most MAX_CONTRACT_FILE_BYTES. It is opened without
 * blocking (a FIFO with no writer would wait forever) and checked on the open descriptor, then read up to one
 * byte past the limit: a file that grows while it is read (or a device that never ends) cannot take memory.
 */
export async function readBoundedFile(absPath: string): Promise<Buffer | ReadProblem> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENXIO')
      return {
        ok: false,
        code: 'not-a-file',
        message: 'not a regular file (a socket)',
        hint: NOT_A_FILE_HINT,
      };
    const message = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`;
    return { ok: false, code: 'file-not-found', message };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      return {
        ok: false,
        code: 'not-a-file',
        message: `not a regular file (${fileKind(info)})`,
        hint: NOT_A_FILE_HINT,
      };
    const tooLarge: ReadProblem = {
      ok: false,
      code: 'file-too-large',
      message: `file is larger than ${MAX_CONTRACT_FILE_BYTES / 1024 / 1024} MiB, the largest contract file eventwire reads`,
      hint: 'split the file: move schemas and messages into files of their own and reference them with $ref',
    };
    if (info.size > MAX_CONTRACT_FILE_BYTES) return tooLarge;
    const buffer = Buffer.allocUnsafe(Math.min(info.size, MAX_CONTRACT_FILE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > MAX_CONTRACT_FILE_BYTES) return tooLarge;
        // The file grew since it was measured: room for what is left up to the limit.
        const grown = Buffer.allocUnsafe(MAX_CONTRACT_FILE_BYTES + 1);
        buffer.copy(grown);
        return await readRest(handle, grown, length, tooLarge);
      }
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function readRest(
  handle: import('node:fs/promises').FileHandle,
  buffer: Buffer,
  from: number,
  tooLarge: ReadProblem,
): Promise<Buffer | ReadProblem> {
  let length = from;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
    if (length > MAX_CONTRACT_FILE_BYTES) return tooLarge;
  }
}

export async function readContractFile(absPath: string, cache?: DataCache): Promise<ReadFile | ReadProblem> {
  const bytes = await readBoundedFile(absPath);
  if (!Buffer.isBuffer(bytes)) return bytes;
  // Kept by the bytes (a `--watch` session reads every file on each run, and most have not changed): an
  // unchanged file gives the very same data object, never modified by anyone (resolving copies it).
  return memo('contract-file', bytes, (read) => parseContractText(read, cache));
}

export function parseContractText(bytes: Buffer, cache?: DataCache): ReadFile | ReadProblem {
  const read = parseText(bytes, cache);
  return read.ok ? { ...read, hash: createHash('sha256').update(bytes).digest('base64url') } : read;
}

function parseText(bytes: Buffer, cache?: DataCache): Omit<ReadFile, 'hash'> | ReadProblem {
  if (bytes.includes(0)) {
    return {
      ok: false,
      code: 'binary-file',
      message: 'file is binary (it contains NUL bytes), not YAML or JSON text',
      hint: 'contracts must be UTF-8 YAML or JSON; remove the file or give it another extension',
    };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const empty: ReadProblem = {
    ok: false,
    code: 'empty-file',
    message: 'file is empty',
    hint: 'write an AsyncAPI 3.0 document (starting with `asyncapi: 3.0.0`) or delete the file',
  };
  if (text.trim() === '') return empty;
  const fast = fastYamlData(text);
  if (fast !== undefined) return { ok: true, text, data: fast };
  const key = cache && hashOf('yaml', packageVersion('yaml'), YAML_OPTIONS, text);
  const cached = key === undefined ? undefined : cache?.get(key);
  if (cached !== undefined) return { ok: true, text, data: cached };
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  const yaml = parseDocument(text, { lineCounter: lines, ...YAML_OPTIONS });
  const [first] = yaml.errors;
  if (first) {
    const position = first.linePos?.[0];
    return {
      ok: false,
      code: 'yaml-syntax',
      // prettyErrors appends " at line L, column C:" and a source excerpt: line/column are reported separately.
      message: `YAML syntax error: ${first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      hint: 'check indentation, quoting and duplicate keys around this position',
      ...(position ? { line: position.line, column: position.col } : {}),
    };
  }
  if (yaml.contents === null) return empty;
  try {
    const data: unknown = yaml.toJS({ maxAliasCount: 10_000 });
    if (key !== undefined) cache?.set(key, data);
    return { ok: true, text, data };
  } catch (error) {
    return { ok: false, code: 'yaml-syntax', message: `YAML syntax error: ${(error as Error).message}` };
  }
}

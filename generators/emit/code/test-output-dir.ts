/**
 * Test helper: writes emitted files into a fresh directory under the repo's `.tmp/` (gitignored), so Node and
 * the TypeScript compiler resolve `ajv`, `ajv-formats` and `eventwire/runtime` exactly as a project would.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { GeneratedFile } from '../../pipeline/plugin.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export async function freshOutputDir(label: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = join(REPO_ROOT, '.tmp', `emit-code-${label}-${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(dir: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
  }
}

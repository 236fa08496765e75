/**
 * The contracts as they were at a git revision: every file under the given paths at REF is written with
 * `git show REF:path` into a fresh directory under the repository's .tmp/, keeping the layout relative to the
 * repository root, so relative `$ref`s between contract files resolve exactly as they did at REF.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CONTRACT_FILE = /\.(ya?ml|json)$/i;

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

export interface Snapshot {
  /** The working-tree directory as it maps into the snapshot (load roots and paths are rebased onto it). */
  readonly rebase: (absolutePath: string) => string;
  /** Files written (repository-relative). */
  readonly files: readonly string[];
  dispose(): Promise<void>;
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

export async function snapshotAt(ref: string, paths: readonly string[], cwd: string): Promise<Snapshot> {
  let repoRoot: string;
  try {
    repoRoot = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    throw new SnapshotError(
      `${cwd} is not inside a git repository, so --against cannot read older contracts`,
    );
  }
  try {
    await git(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new SnapshotError(
      `unknown git revision "${ref}" (fetch it first, e.g. git fetch origin ${ref.replace(/^origin\//, '')})`,
    );
  }
  const relative = paths.map((p) => path.relative(repoRoot, p).split(path.sep).join('/') || '.');
  if (relative.some((p) => p.startsWith('..')))
    throw new SnapshotError('--against only compares contracts inside the repository');
  const listed = (await git(repoRoot, ['ls-tree', '-r', '--name-only', '-z', ref, '--', ...relative]))
    .split('\0')
    .filter((f) => f !== '' && CONTRACT_FILE.test(f));
  const dir = path.join(repoRoot, '.tmp', `eventwire-diff-${process.pid}-${Date.now().toString(36)}`);
  try {
    for (const file of listed) {
      const { stdout } = await run('git', ['show', `${ref}:${file}`], {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
      });
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, stdout);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    rebase: (p) => path.join(dir, path.relative(repoRoot, p)),
    files: listed,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

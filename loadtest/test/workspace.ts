/**
 * A throw-away project root for generated output: `generated/loadtest/*.k6.ts` and the k6 library written beside
 * them (`generated/loadtest/lib/`), and nothing of this repository's sources: the scripts must run from what
 * `generate` writes, as in a team's project, without writing into the repo's own `generated/`.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFile } from '../../generators/pipeline/plugin.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Workspace {
  readonly root: string;
  /** Absolute paths of the written scripts (not the library), by generated path (`loadtest/order.k6.ts`). */
  readonly scripts: ReadonlyMap<string, string>;
  remove(): Promise<void>;
}

export async function scriptWorkspace(files: readonly GeneratedFile[]): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'eventwire-k6-'));
  // node_modules as a team's project has it (@types/k6 for the type-check): no source of this repository.
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  const scripts = new Map<string, string>();
  for (const file of files) {
    const path = join(root, 'generated', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
    if (file.path.endsWith('.k6.ts')) scripts.set(file.path, path);
  }
  return { root, scripts, remove: () => rm(root, { recursive: true, force: true }) };
}

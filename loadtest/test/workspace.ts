/**
 * A throw-away project root for generated scripts: `generated/loadtest/*.k6.ts` next to links to the real
 * `loadtest/`, `runtime/` and `node_modules/`, so the scripts' relative imports resolve exactly as in the repo
 * without writing into the repo's own `generated/` (which belongs to `eventwire generate`).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFile } from '../../generators/pipeline/plugin.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Workspace {
  readonly root: string;
  /** Absolute paths of the written scripts, by generated path (`loadtest/order.k6.ts`). */
  readonly scripts: ReadonlyMap<string, string>;
  remove(): Promise<void>;
}

export async function scriptWorkspace(files: readonly GeneratedFile[]): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'eventwire-k6-'));
  for (const name of ['loadtest', 'runtime', 'node_modules'])
    await symlink(join(REPO_ROOT, name), join(root, name));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  const scripts = new Map<string, string>();
  for (const file of files) {
    const path = join(root, 'generated', file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
    scripts.set(file.path, path);
  }
  return { root, scripts, remove: () => rm(root, { recursive: true, force: true }) };
}

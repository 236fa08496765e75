/**
 * Suite targets of this repository's own services for the harness's tests, loaded once per test file from
 * asyncapi/ and generated/ exactly as `eventwire test` loads them.
 */
import { resolve } from 'node:path';
import { loadModel } from '../../generators/model/index.ts';
import type { ContractModel } from '../../generators/model/types.ts';
import type { SuiteTarget } from '../engine/types.ts';
import { loadTargets } from '../targets/load.ts';

const root = resolve(import.meta.dirname, '../..');
let model: Promise<ContractModel> | undefined;

export function platformModel(): Promise<ContractModel> {
  model ??= loadModel([resolve(root, 'asyncapi')]).then((loaded) => loaded.model);
  return model;
}

/** The target of `service/operation`, with payloads generated from `seed`. */
export async function platformTarget(selector: string, seed = 1): Promise<SuiteTarget> {
  const { targets } = await loadTargets({
    model: await platformModel(),
    generatedDir: resolve(root, 'generated'),
    select: [selector],
    seed,
  });
  return targets[0]!;
}

export const REPO_ROOT = root;

/**
 * Loading contracts for check and diff. Loader errors (unreadable YAML, unresolved $refs, invalid AsyncAPI)
 * are bad input: the command stops with exit code 2. Problems the model builder found in readable contracts
 * (model diagnostics, e.g. an invalid x-eventwire extension) are findings, reported by the check rules.
 */
import { type ContractError, formatProblem, loadModel } from '../../../generators/model/index.ts';
import type { ContractModel } from '../../../generators/model/types.ts';

export type Loaded =
  | { readonly ok: true; readonly model: ContractModel; readonly warnings: readonly ContractError[] }
  | { readonly ok: false; readonly message: string };

export const EMPTY_MODEL: ContractModel = { services: [], channels: new Map(), diagnostics: [] };

export async function loadContracts(
  paths: readonly string[],
  root: string,
  label = '',
  options: { readonly allowNoDocuments?: boolean; readonly refsRoot?: string } = {},
): Promise<Loaded> {
  let result: Awaited<ReturnType<typeof loadModel>>;
  try {
    result = await loadModel(paths, { root, ...options });
  } catch (error) {
    return {
      ok: false,
      message: `${label}cannot load the contracts: ${error instanceof Error ? error.message : String(error)}\n`,
    };
  }
  const fatal = result.errors.filter((e) => e.stage !== 'model');
  if (fatal.length > 0) {
    const lines = fatal.map((e) => formatProblem(e, { label }));
    return {
      ok: false,
      message: `${lines.join('\n')}\n${fatal.length} error(s) in the contracts: fix them before checking.\n`,
    };
  }
  return {
    ok: true,
    model: result.model,
    warnings: result.warnings.filter((w) => w.stage !== 'model'),
  };
}

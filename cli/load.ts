/**
 * Loads contracts into the model for a command and prints every problem the way a user can act on it:
 * formatProblem's layout. Returns undefined when the contracts cannot be used (exit 2).
 */
import { formatProblem, type LoadedModel, loadModel } from '../generators/model/index.ts';
import type { ContractModel } from '../generators/model/types.ts';
import type { CliIo } from './io.ts';

export async function loadContracts(
  inputs: readonly string[],
  io: CliIo,
  options: { readonly quiet?: boolean } = {},
): Promise<ContractModel | undefined> {
  const loaded = await loadModel([...inputs]);
  return reportProblems(loaded, io, options) ? loaded.model : undefined;
}

/** Prints warnings (unless quiet) and errors; true when the contracts can be used. */
export function reportProblems(
  loaded: LoadedModel,
  io: CliIo,
  options: { readonly quiet?: boolean } = {},
): boolean {
  const { errors, warnings } = loaded;
  // Warnings never stop generation, but a user must learn that, say, a 2.x document was converted in memory.
  if (!options.quiet && warnings.length > 0) {
    io.stderr(`${warnings.map((w) => formatProblem(w, { cwd: io.cwd, severity: 'warning' })).join('\n')}\n`);
  }
  if (errors.length === 0) return true;
  io.stderr(`${errors.map((p) => formatProblem(p, { cwd: io.cwd })).join('\n')}\n`);
  io.stderr(`${errors.length} error(s) in the contracts; nothing was generated.\n`);
  return false;
}

/**
 * Loads contracts into the model for a command and prints every problem the way a user can act on it: the
 * diagnostic layout of every command (generators/diagnostics/format.ts). Returns undefined when the contracts
 * cannot be used (exit 2).
 */
import { colorWanted } from '../generators/diagnostics/style.ts';
import { formatDiagnostics, type LoadedModel, loadModel } from '../generators/model/index.ts';
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

/** Colour on stderr when it is a terminal, unless NO_COLOR is set. */
export function stderrColor(io: CliIo): boolean {
  return colorWanted(io.env, Boolean(process.stderr.isTTY));
}

/**
 * Prints the diagnostics, in order, errors and warnings together (all but errors are left out when quiet);
 * true when the contracts can be used: no diagnostic of severity error, whoever found it.
 */
export function reportProblems(
  loaded: LoadedModel,
  io: CliIo,
  options: { readonly quiet?: boolean } = {},
): boolean {
  // Warnings never stop generation, but a user must learn that, say, a 2.x document was converted in memory.
  const shown = options.quiet ? loaded.errors : loaded.diagnostics;
  if (shown.length > 0) io.stderr(formatDiagnostics(shown, { cwd: io.cwd, color: stderrColor(io) }));
  if (loaded.errors.length === 0) return true;
  io.stderr(`${loaded.errors.length} error(s) in the contracts; nothing was generated.\n`);
  return false;
}

/**
 * Loading contracts for check and diff, in two steps that report differently. Reading (stage `parse`:
 * unreadable YAML, unresolved $refs, invalid AsyncAPI) fails on bad input: the command stops with exit code 2.
 * Building the model from the documents that could be read records what breaks eventwire's rules in
 * `model.diagnostics`, which `check` reports as findings (check/model-diagnostics.ts).
 */
import { type Diagnostic, isError } from '../../../generators/diagnostics/diagnostic.ts';
import { formatDiagnostics } from '../../../generators/diagnostics/format.ts';
import { buildModel } from '../../../generators/model/build.ts';
import type { ContractModel } from '../../../generators/model/types.ts';
import { loadDocuments } from '../../../generators/parse/load.ts';

export type Loaded =
  | {
      readonly ok: true;
      readonly model: ContractModel;
      /** Warnings of reading (a 1.x/2.x document converted in memory): findings for check. */
      readonly warnings: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly message: string };

export const EMPTY_MODEL: ContractModel = { services: [], channels: new Map(), diagnostics: [] };

export async function loadContracts(
  paths: readonly string[],
  root: string,
  label = '',
  options: { readonly allowNoDocuments?: boolean; readonly refsRoot?: string } = {},
): Promise<Loaded> {
  let read: Awaited<ReturnType<typeof loadDocuments>>;
  try {
    read = await loadDocuments(paths, { root, ...options });
  } catch (error) {
    return {
      ok: false,
      message: `${label}cannot load the contracts: ${error instanceof Error ? error.message : String(error)}\n`,
    };
  }
  const fatal = read.errors.filter(isError);
  if (fatal.length > 0) {
    return {
      ok: false,
      message: `${formatDiagnostics(fatal, { label })}${fatal.length} error(s) in the contracts: fix them before checking.\n`,
    };
  }
  return { ok: true, model: buildModel(read.documents), warnings: read.warnings };
}

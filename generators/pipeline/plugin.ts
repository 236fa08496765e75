/**
 * Emitters are plugins: plain objects with a name and an `emit` function from the contract model to files.
 * The pipeline runs them, stamps headers, sorts output and writes only what changed.
 */
import type { ContractModel } from '../model/types.ts';

export interface GeneratedFile {
  /** POSIX path relative to the output directory (`catalog/publisher.ts`). */
  readonly path: string;
  /** File contents without the generated-file header: the pipeline adds the header for the file's type. */
  readonly contents: string;
  /**
   * `generated`: owned by eventwire, rewritten on every run and covered by `--check`.
   * `scaffold`: owned by the user, written once when missing and never overwritten or checked.
   */
  readonly ownership: 'generated' | 'scaffold';
  /** Contract files the output came from, named in the header. */
  readonly sources?: readonly string[];
}

export interface EmitContext {
  /** Path from the output directory's files back to the project root, for documentation only. */
  readonly outDir: string;
}

export interface EmitterPlugin {
  readonly name: string;
  readonly description: string;
  emit(
    model: ContractModel,
    context: EmitContext,
  ): readonly GeneratedFile[] | Promise<readonly GeneratedFile[]>;
}

/**
 * Errors the code emitters raise for contracts they cannot turn into code. The message names the contract
 * location (file#pointer), what is wrong and how to fix it; the CLI prints it without a stack trace.
 */
import type { SourceRef } from '../../model/types.ts';

export class CodeEmitError extends Error {
  override readonly name = 'CodeEmitError';
}

export function at(source: SourceRef): string {
  return `${source.file}#${source.pointer}`;
}

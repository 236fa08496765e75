/**
 * One payload's validator chunk, compiled from the bundled schema alone: what the validators emitter memoises,
 * and what its worker thread (validator-thread.ts) compiles. Needs ajv and nothing of TypeScript, so a worker
 * that imports it does not load the compiler again.
 */
import { compileValidator, type Draft, schemaProblems, type ValidatorChunk } from './ajv-standalone.ts';
import type { JsonSchema } from '../../model/types.ts';

/**
 * A compiled validator is a pure function of this. The contract location is left out (errors are reported by
 * the caller): equal schemas of two contracts share it.
 */
export interface ValidatorInput {
  readonly draft: Draft;
  readonly typeName: string;
  readonly validatorName: string;
  readonly defs: Readonly<Record<string, JsonSchema>>;
}

/** A payload schema that is not valid JSON Schema of its draft. */
export class InvalidSchema extends Error {}

export function compileChunk({ draft, typeName, validatorName, defs }: ValidatorInput): ValidatorChunk {
  const problem = schemaProblems(draft, defs);
  if (problem) throw new InvalidSchema(problem.text);
  return compileValidator(draft, defs, typeName, validatorName);
}

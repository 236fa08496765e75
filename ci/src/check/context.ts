/** What every check rule receives, and what it returns before severity settings and ignores are applied. */
import type { ContractModel, Operation } from '../../../generators/model/types.ts';
import type { Finding, Severity } from '../types.ts';

export interface CheckContext {
  readonly model: ContractModel;
  /** Rule options from the config (`{"lint/naming": {"severity": "error", "options": {...}}}`). */
  readonly options: (rule: string) => Readonly<Record<string, unknown>>;
}

/** A finding before configuration: the severity is the rule's default unless the rule sets its own. */
export type RawFinding = Omit<Finding, 'severity'> & { readonly severity?: Severity };

export interface CheckRule {
  /** The rule ids this module reports. */
  readonly ids: readonly string[];
  run(context: CheckContext): RawFinding[];
}

export function allOperations(model: ContractModel): Operation[] {
  return model.services.flatMap((s) => s.operations);
}

export function describeOperation(op: Operation): string {
  return `${op.service}'s \`${op.id}\``;
}

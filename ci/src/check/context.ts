/** What every check rule receives, and what it returns before severity settings and ignores are applied. */
import type { ContractModel, Operation } from '../../../generators/model/types.ts';
import type { Diagnostic, Severity, Stage } from '../../../generators/diagnostics/diagnostic.ts';

export interface CheckContext {
  readonly model: ContractModel;
  /** Rule options from the config (`{"lint/naming": {"severity": "error", "options": {...}}}`). */
  readonly options: (rule: string) => Readonly<Record<string, unknown>>;
}

/**
 * A finding before configuration: the severity is the rule's default unless the rule sets its own, and the
 * stage is `check` unless it was found earlier (a model diagnostic passed on).
 */
export type RawFinding = Omit<Diagnostic, 'severity' | 'stage'> & {
  readonly severity?: Severity;
  readonly stage?: Stage;
};

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

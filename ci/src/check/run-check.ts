/**
 * `runCheck(model, config)`: every check rule over one contract model, then the configuration (severities,
 * ignores). Rules only read the model; each builds what it needs once (topology index, compiled validators,
 * memoised schema comparisons), so a check over a few dozen documents stays in the milliseconds.
 */
import type { ContractModel } from '../../../generators/model/types.ts';
import { applyConfig, ruleOfRaw } from '../config/apply.ts';
import { type CheckConfig, emptyConfig } from '../config/config.ts';
import { compareDiagnostics, type Diagnostic } from '../../../generators/diagnostics/diagnostic.ts';
import type { CheckContext, CheckRule, RawFinding } from './context.ts';
import { deliveryRules } from './lint-delivery.ts';
import { examplesRule } from './lint-examples.ts';
import { namingRule } from './lint-naming.ts';
import { piiKeyRule } from './lint-pii-key.ts';
import { modelDiagnosticsRule } from './model-diagnostics.ts';
import { payloadRules } from './payload-rules.ts';
import { topologyRules } from './topology-rules.ts';

export const CHECKS: readonly CheckRule[] = [
  topologyRules,
  payloadRules,
  namingRule,
  deliveryRules,
  examplesRule,
  piiKeyRule,
  modelDiagnosticsRule,
];

function modelFiles(model: ContractModel): Set<string> {
  const files = new Set<string>();
  for (const s of model.services) {
    files.add(s.source.file);
    for (const op of s.operations) files.add(op.source.file);
  }
  for (const c of model.channels.values()) files.add(c.source.file);
  return files;
}

/** Findings in the order every diagnostic is printed: file, line, pointer, rule. */
export const compareFindings = compareDiagnostics;

export interface RunCheckOptions {
  /** Directory the model's file paths are relative to (default: the current directory). */
  readonly cwd?: string;
  /** Extra findings to run through the configuration with the rest (e.g. from the loader). */
  readonly extra?: readonly RawFinding[];
}

export function runCheck(
  model: ContractModel,
  config?: CheckConfig,
  options: RunCheckOptions = {},
): Diagnostic[] {
  const cwd = options.cwd ?? process.cwd();
  const effective = config ?? emptyConfig(cwd);
  const context: CheckContext = {
    model,
    options: (rule) => effective.rules.get(rule)?.options ?? {},
  };
  const raw: RawFinding[] = [...(options.extra ?? [])];
  for (const check of CHECKS) {
    const enabled =
      check.ids.some((id) => effective.rules.get(id)?.severity !== 'off') || check === modelDiagnosticsRule;
    if (enabled) raw.push(...check.run(context));
  }
  return applyConfig(dedupe(raw), { config: effective, cwd, checkedFiles: modelFiles(model) }).sort(
    compareFindings,
  );
}

function dedupe(raw: readonly RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return raw.filter((f) => {
    const key = `${ruleOfRaw(f)}|${f.file}|${f.pointer}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

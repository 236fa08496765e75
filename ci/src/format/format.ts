/** One entry per output format: a format missing here fails to compile. */
import { type Diagnostic, ruleOf } from '../../../generators/diagnostics/diagnostic.ts';
import type { Change, OutputFormat } from '../types.ts';
import { githubChanges, githubFindings } from './github.ts';
import { humanChanges, humanFindings } from './human.ts';
import { sarifChanges, sarifFindings } from './sarif.ts';

export interface FormatOptions {
  readonly color: boolean;
  readonly cwd: string;
}

type Formatter<T> = (items: readonly T[], options: FormatOptions) => string;

/**
 * A finding as ci/schemas/check-output.schema.json publishes it: the rule id as `rule`, the fix as `suggestion`
 * (names CI scripts already read), in a fixed key order.
 */
function jsonFinding(d: Diagnostic) {
  return {
    rule: ruleOf(d),
    severity: d.severity,
    stage: d.stage,
    file: d.file,
    pointer: d.pointer,
    ...(d.line !== undefined ? { line: d.line } : {}),
    ...(d.column !== undefined ? { column: d.column } : {}),
    ...(d.address !== undefined ? { address: d.address } : {}),
    message: d.message,
    ...(d.expected !== undefined ? { expected: d.expected } : {}),
    ...(d.hint !== undefined ? { suggestion: d.hint } : {}),
  };
}

export const FINDING_FORMATS: Readonly<Record<OutputFormat, Formatter<Diagnostic>>> = {
  human: (findings, o) => humanFindings(findings, o.color),
  json: (findings) => `${JSON.stringify({ findings: findings.map(jsonFinding) }, null, 2)}\n`,
  github: (findings) => githubFindings(findings),
  sarif: (findings, o) => sarifFindings(findings, o.cwd),
};

export const CHANGE_FORMATS: Readonly<Record<OutputFormat, Formatter<Change>>> = {
  human: (changes, o) => humanChanges(changes, o.color),
  json: (changes) =>
    `${JSON.stringify({ breaking: changes.filter((c) => c.classification === 'breaking').length, changes }, null, 2)}\n`,
  github: (changes) => githubChanges(changes),
  sarif: (changes, o) => sarifChanges(changes, o.cwd),
};

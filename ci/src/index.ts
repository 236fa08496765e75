/** The public surface of eventwire's contract checks (ci/README.md documents it). */
export { runCheck } from './check/run-check.ts';
export { type CheckArgs, type CommandResult, checkCommand, runCheckCommand } from './commands/check.ts';
export { type DiffArgs, diffCommand, runDiffCommand } from './commands/diff.ts';
export { type CheckConfig, loadConfig, parseConfig } from './config/config.ts';
export { runDiff } from './diff/run-diff.ts';
export { CHANGE_FORMATS, FINDING_FORMATS } from './format/format.ts';
export { CHECK_RULES, DIFF_RULES, type RuleInfo } from './rules.ts';
export type { SubsetIssue, SubsetResult, Verdict } from './schema/issues.ts';
export { isSubset } from './schema/schema-subset.ts';
export type { Change, Classification, Diagnostic, OutputFormat, Severity } from './types.ts';

/**
 * Applies the configuration to raw findings: severity overrides (`off` drops the rule), then ignore entries.
 * An ignore entry without a reason is not applied and is reported itself; an entry that suppressed nothing
 * is reported as unused, so stale suppressions do not pile up.
 */
import path from 'node:path';
import type { RawFinding } from '../check/context.ts';
import { checkRule } from '../rules.ts';
import { type Diagnostic, ruleOf } from '../../../generators/diagnostics/diagnostic.ts';
import type { Severity } from '../types.ts';
import type { CheckConfig, IgnoreEntry } from './config.ts';

function globRegex(glob: string, separator: '/' | ''): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') source += separator ? '[^/]*' : '.*';
    else if (c === '?') source += separator ? '[^/]' : '.';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export interface ApplyContext {
  readonly config: CheckConfig;
  /** Directory the findings' file paths are relative to. */
  readonly cwd: string;
  /** Files that were checked: unused-ignore is only reported for entries about these files. */
  readonly checkedFiles: ReadonlySet<string>;
}

/** The rule id a finding is configured and ignored by (`model/<code>` for the builder's own codes). */
export const ruleOfRaw = (raw: RawFinding): string => ruleOf({ stage: raw.stage ?? 'check', code: raw.code });

function matches(entry: IgnoreEntry, finding: Diagnostic, context: ApplyContext): boolean {
  if (!globRegex(entry.rule, '').test(ruleOf(finding))) return false;
  if (entry.file !== undefined) {
    const relative = path
      .relative(context.config.root, path.resolve(context.cwd, finding.file))
      .split(path.sep)
      .join('/');
    if (!globRegex(entry.file, '/').test(relative)) return false;
  }
  if (
    entry.pointer !== undefined &&
    finding.pointer !== entry.pointer &&
    !finding.pointer.startsWith(`${entry.pointer}/`)
  )
    return false;
  if (
    entry.address !== undefined &&
    (finding.address === undefined || !globRegex(entry.address, '').test(finding.address))
  )
    return false;
  return true;
}

function severityOf(raw: RawFinding, config: CheckConfig) {
  return (
    config.rules.get(ruleOfRaw(raw))?.severity ??
    raw.severity ??
    checkRule(ruleOfRaw(raw))?.defaultSeverity ??
    'warning'
  );
}

function configFinding(code: string, entry: IgnoreEntry, message: string, context: ApplyContext): RawFinding {
  const file = context.config.file
    ? path.relative(context.cwd, context.config.file).split(path.sep).join('/')
    : 'eventwire.config.json';
  return { code, file, pointer: `/check/ignore/${entry.index}`, message };
}

export function applyConfig(raw: readonly RawFinding[], context: ApplyContext): Diagnostic[] {
  const { config } = context;
  const usable = config.ignore.filter((e) => e.reason !== undefined && e.reason.trim() !== '');
  const used = new Set<IgnoreEntry>();
  const kept: Diagnostic[] = [];
  for (const r of raw) {
    const severity = severityOf(r, config);
    if (severity === 'off') continue;
    const finding: Diagnostic = { stage: 'check', ...r, severity };
    const suppressor = usable.find((e) => matches(e, finding, context));
    if (suppressor) used.add(suppressor);
    else kept.push(finding);
  }
  const extra: RawFinding[] = [];
  for (const entry of config.ignore) {
    if (!usable.includes(entry)) {
      extra.push(
        configFinding(
          'config/ignore-without-reason',
          entry,
          `ignore entry for \`${entry.rule}\` has no reason; it is not applied until it says why the finding is acceptable`,
          context,
        ),
      );
      continue;
    }
    if (used.has(entry)) continue;
    const fileChecked =
      entry.file === undefined ||
      [...context.checkedFiles].some((f) =>
        globRegex(entry.file as string, '/').test(
          path.relative(config.root, path.resolve(context.cwd, f)).split(path.sep).join('/'),
        ),
      );
    if (fileChecked)
      extra.push(
        configFinding(
          'config/unused-ignore',
          entry,
          `ignore entry for \`${entry.rule}\` matches no finding: remove it`,
          context,
        ),
      );
  }
  for (const r of extra) {
    const severity = severityOf(r, config);
    if (severity !== 'off') kept.push({ stage: 'check', ...r, severity: severity as Severity });
  }
  return kept;
}

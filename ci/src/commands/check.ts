/**
 * `eventwire check`: load the contracts, run every rule, apply the configuration, print in the requested
 * format. Exit 0 without error-level findings, 1 with at least one, 2 for bad input (unloadable contracts,
 * invalid configuration, unknown format).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { compareFindings, runCheck } from '../check/run-check.ts';
import { loadConfig } from '../config/config.ts';
import { FINDING_FORMATS } from '../format/format.ts';
import { withPositions } from '../format/locate.ts';
import { colorWanted } from '../../../generators/diagnostics/style.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../types.ts';
import { loadContracts } from './load.ts';

export interface CheckArgs {
  /** Contract files or folders (default `asyncapi`), relative to `cwd` or absolute. */
  readonly paths: readonly string[];
  readonly format: string;
  /** Config file; by default `eventwire.config.json` / `.eventwire.yaml` is looked up from `cwd`. */
  readonly config?: string;
  readonly cwd?: string;
  /** The folder every `$ref` must stay inside (default: the folders of `paths`). */
  readonly refsRoot?: string;
  /** Colour in the human format (default: stdout is a TTY and NO_COLOR is unset). */
  readonly color?: boolean;
}

export interface CommandResult {
  readonly exitCode: 0 | 1 | 2;
  readonly output: string;
}

export function isOutputFormat(format: string): format is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(format);
}

export async function checkCommand(args: CheckArgs): Promise<CommandResult> {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  if (!isOutputFormat(args.format)) {
    return {
      exitCode: 2,
      output: `eventwire check: unknown format "${args.format}" (use ${OUTPUT_FORMATS.join(', ')})\n`,
    };
  }
  const config = loadConfig(cwd, args.config);
  if (!config.ok) return { exitCode: 2, output: `eventwire check: ${config.error}\n` };
  const paths = (args.paths.length > 0 ? args.paths : ['asyncapi']).map((p) => path.resolve(cwd, p));
  const context = await loadInContext(paths, cwd, args.refsRoot ? { refsRoot: args.refsRoot } : {});
  if (!context.loaded.ok) return { exitCode: 2, output: context.loaded.message };
  const loaded = context.loaded;
  const found = runCheck(loaded.model, config.config, { cwd, extra: loaded.warnings });
  // Diagnostics of reading and building were located through the load's files (which follow $refs and know
  // converted 1.x/2.x layouts); only the check rules' findings still need their line.
  const located = [
    ...found.filter((f) => f.stage !== 'check'),
    ...withPositions(
      found.filter((f) => f.stage === 'check'),
      cwd,
    ),
  ];
  const findings = located
    .filter((finding) => context.reported === undefined || context.reported.has(finding.file))
    .sort(compareFindings);
  const output = FINDING_FORMATS[args.format](findings, { color: args.color ?? colorWanted(), cwd });
  return { exitCode: findings.some((f) => f.severity === 'error') ? 1 : 0, output };
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
const display = (cwd: string, p: string) => path.relative(cwd, p).split(path.sep).join('/');

/**
 * `check some/file.yaml` checks that file in the context of the contracts beside it: topology needs the other
 * side of every channel, so the files' folders are loaded too, and only the named files' findings are
 * reported (`reported`; undefined: everything loaded is reported). When a contract beside it cannot be loaded,
 * the named files are checked alone.
 */
async function loadInContext(
  paths: readonly string[],
  cwd: string,
  options: { readonly refsRoot?: string },
): Promise<{ loaded: Awaited<ReturnType<typeof loadContracts>>; reported?: ReadonlySet<string> }> {
  const files = paths.filter(isFile);
  if (files.length === 0) return { loaded: await loadContracts(paths, cwd, '', options) };
  const folders = [...new Set(files.map((file) => path.dirname(file)))];
  const withContext = await loadContracts([...new Set([...paths, ...folders])], cwd, '', options);
  const reported = new Set(files.map((file) => display(cwd, file)));
  if (withContext.ok) return { loaded: withContext, reported };
  return { loaded: await loadContracts(paths, cwd, '', options), reported };
}

/** The name the CLI shell imports. */
export const runCheckCommand = checkCommand;

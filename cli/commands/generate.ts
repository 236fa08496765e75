/**
 * `eventwire generate [PATHS...] [--out DIR] [--force] [--check] [--watch]`
 * Contracts in, code and configuration out. `--check` changes nothing and exits 1 when anything is stale.
 * Writes and deletes only inside `--out`, and only when that folder is eventwire's (pipeline/out-dir.ts).
 */
import { relative, resolve } from 'node:path';
import { formatDiagnostic } from '../../generators/diagnostics/format.ts';
import { allPlugins } from '../../generators/emit/index.ts';
import { stageModel } from '../../generators/model/index.ts';
import { writeStoresSoon } from '../../generators/parse/cache.ts';
import { warmUpValidation } from '../../generators/parse/load.ts';
import { validationPool } from '../../generators/parse/validation-pool.ts';
import type { ContractModel } from '../../generators/model/types.ts';
import { renderFiles } from '../../generators/pipeline/render.ts';
import { checkOutputFolder } from '../../generators/pipeline/out-dir.ts';
import { OutputRefused } from '../../generators/pipeline/output-refused.ts';
import { applySync, planSync, type SyncReport } from '../../generators/pipeline/sync.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo, type ExitCode, UsageError } from '../io.ts';
import { reportProblems, stderrColor } from '../load.ts';
import { settled, unwrap, writeEarly } from '../speculative.ts';
import { watchContracts } from '../watch.ts';

export const generateHelp = `Usage: eventwire generate [PATHS...] [--out DIR] [--force] [--refs-root DIR] [--check] [--watch] [--quiet]

Generate typed publishers, consumers, validators, Dapr and RabbitMQ configuration from AsyncAPI 3 contracts.

Arguments:
  PATHS            contract files or folders (default: asyncapi/)

Options:
  --out DIR        output folder (default: generated/); it must be new, empty or hold eventwire's manifest,
                   and is never /, a home folder, a repository root or a folder holding the contracts
  --force          write into a non-empty --out that holds no eventwire manifest (its other files are left
                   alone; files at the paths eventwire generates are overwritten)
  --refs-root DIR  the folder every $ref must stay inside (default: the folders given in PATHS, and the
                   folder of each file given); a $ref that leads out of it is refused
  --check          change nothing; list every stale, missing or orphaned file and exit 1 if there is any
  --watch          regenerate whenever a contract changes (Ctrl-C to stop)
  --quiet          print only errors
  -h, --help       show this help

Exit codes: 0 success, 1 --check found stale files, 2 bad input or usage.`;

export async function generateCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('generate', argv, {
    out: { type: 'string' },
    force: { type: 'boolean' },
    'refs-root': { type: 'string' },
    check: { type: 'boolean' },
    watch: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${generateHelp}\n`);
    return EXIT.ok;
  }
  if (values.check && values.watch)
    throw new UsageError('eventwire generate: --check and --watch cannot be combined.');
  const inputs = (positionals.length > 0 ? positionals : ['asyncapi']).map((p) => resolve(io.cwd, p));
  const outDir = resolve(io.cwd, values.out ?? 'generated');
  const refsRoot = values['refs-root'] === undefined ? undefined : resolve(io.cwd, values['refs-root']);
  const options = {
    check: Boolean(values.check),
    quiet: Boolean(values.quiet),
    optimistic: false,
    watching: Boolean(values.watch),
    ...(refsRoot ? { refsRoot } : {}),
  };
  const shown = shownPath(io.cwd, outDir);
  const refused = await refusal(
    () => checkOutputFolder(outDir, { shown, contracts: inputs, force: Boolean(values.force) }),
    io,
  );
  if (refused !== undefined) return refused;
  const code = (await refusal(() => generateOnce(inputs, outDir, options, io), io)) ?? EXIT.ok;
  if (!values.watch) return code;
  void warmUpValidation(inputs);
  // One quiet pass over the unchanged contracts runs the path every edit takes (cached verdicts and outputs,
  // the model, the emitters that render the whole platform, the comparison with the output folder) once
  // before the first edit, which would otherwise pay for compiling it. It writes nothing: nothing changed.
  if (code === EXIT.ok)
    await refusal(() => generateOnce(inputs, outDir, { ...options, quiet: true, optimistic: true }, io), io);
  // After an edit, the output is written as soon as it is rendered, validated after, and taken back if validation
  // refuses the edit: the edit's output waits for nothing it does not need.
  const again = () => refusal(() => generateOnce(inputs, outDir, { ...options, optimistic: true }, io), io);
  await watchContracts(inputs, again, io);
  // Ctrl-C: validation still running for nobody (the warm-up) must not hold the process.
  await validationPool().close();
  return EXIT.ok;
}

/** A folder as messages name it: relative to the working folder when inside it, else absolute. */
function shownPath(cwd: string, folder: string): string {
  const near = relative(cwd, folder);
  return near === '' ? '.' : near.startsWith('..') ? folder : near;
}

/**
 * Runs `step`; when it refuses to touch the output folder, prints why and how to fix it and returns exit 2.
 * Returns the step's own exit code otherwise (undefined for a step that has none).
 */
async function refusal(step: () => Promise<unknown>, io: CliIo): Promise<ExitCode | undefined> {
  try {
    const code = await step();
    return typeof code === 'number' ? (code as ExitCode) : undefined;
  } catch (error) {
    if (!(error instanceof OutputRefused)) throw error;
    const problem = {
      stage: 'emit',
      code: 'output-refused',
      severity: 'error',
      pointer: '',
      ...error.problem,
    } as const;
    io.stderr(`${formatDiagnostic(problem, { color: stderrColor(io) })}\nNothing was written or deleted.\n`);
    return EXIT.badInput;
  }
}

interface RunOptions {
  readonly check: boolean;
  readonly quiet: boolean;
  /** Write the output rendered before validation ends, and restore the previous output if validation fails. */
  readonly optimistic: boolean;
  /** Later runs in this process will sync the same folder (`--watch`): worth remembering what was written. */
  readonly watching: boolean;
  readonly refsRoot?: string;
}

async function generateOnce(
  inputs: string[],
  outDir: string,
  { check, quiet, optimistic, watching, refsRoot }: RunOptions,
  io: CliIo,
): Promise<ExitCode> {
  const started = performance.now();
  const context = { outDir: relative(io.cwd, outDir) || '.' };
  // Renders and compares with the output folder; nothing is written yet.
  const plan = async (model: ContractModel) =>
    planSync(outDir, await renderFiles(model, allPlugins, context), shownPath(io.cwd, outDir));
  const writesEarly = optimistic && !check;
  // Written early, the output of an edit does not wait for this thread to validate it: that waits for the write.
  const written = Promise.withResolvers<void>();
  const staged = await stageModel(inputs, {
    ...(refsRoot ? { refsRoot } : {}),
    ...(writesEarly ? { validateAfter: written.promise } : {}),
  });
  // Rendering starts while the parser validates on worker threads; its output is used only if the contracts
  // turn out valid, and its errors only matter then.
  const speculative = staged.provisional && settled(plan(staged.provisional));
  let early: Awaited<ReturnType<typeof writeEarly>>;
  try {
    early = writesEarly && speculative ? await writeEarly(speculative, staged.final) : undefined;
  } finally {
    written.resolve();
  }
  const earlyMs = Math.round(performance.now() - started);
  const loaded = await staged.final;
  // Restored before the errors are printed: whoever reads them finds the output as it was.
  const refused = loaded.errors.length > 0;
  if (refused && early) await early.undo.restore();
  if (!reportProblems(loaded, io, { quiet })) {
    if (early) io.stderr('The output written before the edit was validated was restored.\n');
    return EXIT.badInput;
  }
  const sameModel = loaded.model === staged.provisional;
  if (early && sameModel) {
    const confirmedMs = Math.round(performance.now() - started);
    return reportWrite(early.plan.report, outDir, `${earlyMs} ms, confirmed in ${confirmedMs} ms`, quiet, io);
  }
  // The parser's document changed the model (a schema another parser converts): start from the old output.
  if (early) await early.undo.restore();
  const planned = speculative && sameModel ? unwrap(await speculative) : await plan(loaded.model);
  if (!check) {
    const applied = applySync(planned, { remember: watching });
    // A run that ends here writes its caches while the thread pool writes the output, not after it at exit.
    // `--watch` keeps them for its timer: each edit would rewrite them.
    await Promise.all([applied, watching ? undefined : writeStoresSoon()]);
  }
  const { report } = planned;
  const elapsed = `${Math.round(performance.now() - started)} ms`;
  return check ? reportCheck(report, outDir, io) : reportWrite(report, outDir, elapsed, quiet, io);
}

function reportCheck(report: SyncReport, outDir: string, io: CliIo): ExitCode {
  const where = relative(io.cwd, outDir) || '.';
  const missing = new Set(report.missing);
  const lines = [
    ...report.changed.map((p) => `  ${missing.has(p) ? 'missing' : 'stale  '}  ${where}/${p}`),
    ...report.orphaned.map((p) => `  orphan   ${where}/${p} (no longer generated)`),
  ];
  if (lines.length === 0) {
    io.stdout(`${where}/ is up to date (${report.unchanged.length} files).\n`);
    return EXIT.ok;
  }
  io.stderr(
    `${lines.length} generated file(s) out of date:\n${lines.join('\n')}\nRun "eventwire generate" and commit the result.\n`,
  );
  return EXIT.findings;
}

function reportWrite(report: SyncReport, outDir: string, took: string, quiet: boolean, io: CliIo): ExitCode {
  if (quiet) return EXIT.ok;
  const where = relative(io.cwd, outDir) || '.';
  const parts = [
    `${report.changed.length} written`,
    `${report.unchanged.length} unchanged`,
    report.orphaned.length > 0 ? `${report.orphaned.length} removed` : '',
    report.scaffolded.length > 0 ? `${report.scaffolded.length} handler scaffold(s) created` : '',
  ].filter(Boolean);
  io.stdout(`Generated ${where}/: ${parts.join(', ')} in ${took}.\n`);
  return EXIT.ok;
}

/**
 * `eventwire diff OLD NEW` and `eventwire diff --against REF [PATHS]`: classify every change between two
 * versions of the contracts. Exit 0 without breaking changes, 1 with at least one, 2 for bad input.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContractModel } from '../../../generators/model/types.ts';
import { runDiff } from '../diff/run-diff.ts';
import { CHANGE_FORMATS } from '../format/format.ts';
import { Locator } from '../format/locate.ts';
import { colorWanted } from '../../../generators/diagnostics/style.ts';
import { type Change, OUTPUT_FORMATS } from '../types.ts';
import { type CommandResult, isOutputFormat } from './check.ts';
import { SnapshotError, snapshotAt } from './git-snapshot.ts';
import { EMPTY_MODEL, loadContracts } from './load.ts';

export interface DiffArgs {
  /** Two contract files or two folders. */
  readonly old?: string;
  readonly new?: string;
  /** Compare the working tree with this git revision instead. */
  readonly against?: string;
  /** With `against`: the contracts to compare (default `asyncapi`). */
  readonly paths?: readonly string[];
  readonly format: string;
  readonly cwd?: string;
  readonly color?: boolean;
  /** The folder every `$ref` must stay inside (default: the folders of the inputs); rebased for --against. */
  readonly refsRoot?: string;
}

const bad = (message: string): CommandResult => ({ exitCode: 2, output: `eventwire diff: ${message}\n` });

/** Loading root for one side: a folder is its own root; a single file is shown relative to the working directory. */
function rootOf(input: string, cwd: string): string {
  return statSync(input).isDirectory() ? input : cwd;
}

export async function diffCommand(args: DiffArgs): Promise<CommandResult> {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  if (!isOutputFormat(args.format))
    return bad(`unknown format "${args.format}" (use ${OUTPUT_FORMATS.join(', ')})`);
  let oldModel: ContractModel;
  let newModel: ContractModel;
  let oldCwd = cwd;
  let dispose = async () => {};
  const refsRoot = args.refsRoot ? { refsRoot: path.resolve(cwd, args.refsRoot) } : {};
  try {
    if (args.against !== undefined) {
      if (args.old !== undefined || args.new !== undefined)
        return bad('give either OLD and NEW, or --against REF, not both');
      const paths = (args.paths?.length ? args.paths : ['asyncapi']).map((p) => path.resolve(cwd, p));
      const missing = paths.find((p) => !existsSync(p));
      if (missing) return bad(`${path.relative(cwd, missing) || missing} does not exist`);
      let snapshot: Awaited<ReturnType<typeof snapshotAt>>;
      try {
        snapshot = await snapshotAt(args.against, paths, cwd);
      } catch (error) {
        return bad(
          error instanceof SnapshotError ? error.message : `cannot read ${args.against}: ${String(error)}`,
        );
      }
      dispose = snapshot.dispose;
      oldCwd = snapshot.rebase(cwd);
      const oldPaths = paths.map(snapshot.rebase).filter((p) => existsSync(p));
      const before =
        oldPaths.length === 0
          ? { ok: true as const, model: EMPTY_MODEL }
          : await loadContracts(oldPaths, oldCwd, `${args.against}: `, {
              allowNoDocuments: true,
              ...(args.refsRoot ? { refsRoot: snapshot.rebase(path.resolve(cwd, args.refsRoot)) } : {}),
            });
      if (!before.ok) return { exitCode: 2, output: before.message };
      const after = await loadContracts(paths, cwd, '', refsRoot);
      if (!after.ok) return { exitCode: 2, output: after.message };
      oldModel = before.model;
      newModel = after.model;
    } else {
      if (args.old === undefined || args.new === undefined)
        return bad('give OLD and NEW (two files or two folders), or --against REF');
      const [oldInput, newInput] = [path.resolve(cwd, args.old), path.resolve(cwd, args.new)];
      for (const input of [oldInput, newInput])
        if (!existsSync(input)) return bad(`${path.relative(cwd, input) || input} does not exist`);
      if (statSync(oldInput).isDirectory() !== statSync(newInput).isDirectory())
        return bad('OLD and NEW must both be files or both be folders');
      const before = await loadContracts([oldInput], rootOf(oldInput, cwd), '', refsRoot);
      if (!before.ok) return { exitCode: 2, output: before.message };
      const after = await loadContracts([newInput], rootOf(newInput, cwd), '', refsRoot);
      if (!after.ok) return { exitCode: 2, output: after.message };
      oldModel = before.model;
      newModel = after.model;
      oldCwd = rootOf(oldInput, cwd);
      const newCwd = rootOf(newInput, cwd);
      return finish(runDiff(oldModel, newModel), args, oldCwd, newCwd, cwd, true);
    }
    return finish(runDiff(oldModel, newModel), args, oldCwd, cwd, cwd, false);
  } finally {
    await dispose();
  }
}

/**
 * Positions and display paths. Files of a removed operation only exist on the old side; everything else is
 * located in the new files. In OLD/NEW mode paths are shown relative to the working directory; with --against
 * both sides already use the working tree's relative paths.
 */
function finish(
  changes: readonly Change[],
  args: DiffArgs,
  oldRoot: string,
  newRoot: string,
  cwd: string,
  rebasePaths: boolean,
): CommandResult {
  const locators = { old: new Locator(oldRoot), new: new Locator(newRoot) };
  const located = changes.map((c) => {
    const side = c.rule === 'diff/operation-removed' ? 'old' : 'new';
    const position = locators[side].position(c.file, c.pointer);
    const root = side === 'old' ? oldRoot : newRoot;
    const file = rebasePaths
      ? path.relative(cwd, path.resolve(root, c.file)).split(path.sep).join('/')
      : c.file;
    return { ...c, file, ...(position ?? {}) };
  });
  const output = CHANGE_FORMATS[args.format as keyof typeof CHANGE_FORMATS](located, {
    color: args.color ?? colorWanted(),
    cwd,
  });
  return { exitCode: located.some((c) => c.classification === 'breaking') ? 1 : 0, output };
}

/** The name the CLI shell imports. */
export const runDiffCommand = diffCommand;

/**
 * `eventwire diff OLD NEW` / `eventwire diff --against REF [PATHS...]`: the CLI face of ci/'s breaking-change
 * classification.
 */
import { resolve } from 'node:path';
import { oneOf, parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../io.ts';

export const diffHelp = `Usage: eventwire diff OLD NEW [--format F] [--refs-root DIR]
       eventwire diff --against GIT_REF [PATHS...] [--format F] [--refs-root DIR]

Classify every contract change as breaking, non-breaking or undecidable, with the rule and the services it
affects. The direction matters: for a channel a service sends on, accepting more is breaking; for a channel it
receives, accepting less is.

Arguments:
  OLD NEW          two contract files, or two folders of contracts
  PATHS            with --against: the contracts to compare (default: asyncapi/)

Options:
  --against REF    compare the working tree with the contracts at this git revision
  --format F       human (default), json, github (workflow annotations) or sarif
  --refs-root DIR  the folder every $ref must stay inside, on both sides (default: the folders given, and the
                   folder of each file given); a $ref that leads out of it is refused
  -h, --help       show this help

Exit codes: 0 no breaking change, 1 at least one breaking change, 2 bad input or usage.`;

const FORMATS = ['human', 'json', 'github', 'sarif'] as const;

export async function diffCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('diff', argv, {
    against: { type: 'string' },
    format: { type: 'string' },
    'refs-root': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${diffHelp}\n`);
    return EXIT.ok;
  }
  const format = oneOf('diff', 'format', values.format, FORMATS, 'human');
  const absolute = positionals.map((p) => resolve(io.cwd, p));
  if (values.against === undefined && absolute.length !== 2) {
    throw new UsageError(
      'eventwire diff: give OLD and NEW (two files or two folders), or --against GIT_REF.',
    );
  }
  const { runDiffCommand } = await import('../../ci/src/commands/diff.ts');
  const refsRoot =
    values['refs-root'] === undefined ? {} : { refsRoot: resolve(io.cwd, values['refs-root']) };
  const result = await runDiffCommand(
    values.against !== undefined
      ? {
          against: values.against,
          paths: absolute.length > 0 ? absolute : [resolve(io.cwd, 'asyncapi')],
          format,
          cwd: io.cwd,
          ...refsRoot,
        }
      : { old: absolute[0]!, new: absolute[1]!, format, cwd: io.cwd, ...refsRoot },
  );
  if (result.output) (result.exitCode === EXIT.badInput ? io.stderr : io.stdout)(result.output);
  return result.exitCode;
}

/**
 * `eventwire check [PATHS...] [--format F] [--config FILE]`: the CLI face of ci/'s lint and topology checks.
 */
import { resolve } from 'node:path';
import { oneOf, parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

export const checkHelp = `Usage: eventwire check [PATHS...] [--format human|json|github|sarif] [--config FILE] [--refs-root DIR]

Lint every contract and check the topology across all of them together: subscriptions nobody publishes,
publications nobody reads, payloads a subscriber would reject, naming, missing retry and dead-letter policies,
invalid examples and extensions.

Arguments:
  PATHS            contract files or folders (default: asyncapi/)

Options:
  --format F       human (default), json, github (workflow annotations) or sarif
  --config FILE    rule severities and ignores (default: eventwire.config.json at the project root, if present)
  --refs-root DIR  the folder every $ref must stay inside (default: the folders given in PATHS, and the folder
                   of each file given); a $ref that leads out of it is refused
  -h, --help       show this help

Exit codes: 0 no error-level finding (warnings allowed), 1 at least one error-level finding, 2 bad input or usage.`;

const FORMATS = ['human', 'json', 'github', 'sarif'] as const;

export async function checkCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    format: { type: 'string' },
    config: { type: 'string' },
    'refs-root': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(`${checkHelp}\n`);
    return EXIT.ok;
  }
  const format = oneOf('check', 'format', values.format, FORMATS, 'human');
  const paths = (positionals.length > 0 ? positionals : ['asyncapi']).map((p) => resolve(io.cwd, p));
  const { runCheckCommand } = await import('../../ci/src/commands/check.ts');
  const result = await runCheckCommand({
    paths,
    format,
    cwd: io.cwd,
    ...(values.config !== undefined ? { config: resolve(io.cwd, values.config) } : {}),
    ...(values['refs-root'] !== undefined ? { refsRoot: resolve(io.cwd, values['refs-root']) } : {}),
    color: io.env.NO_COLOR === undefined && process.stdout.isTTY === true,
  });
  if (result.output) (result.exitCode === EXIT.badInput ? io.stderr : io.stdout)(result.output);
  return result.exitCode;
}

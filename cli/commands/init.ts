/**
 * `eventwire init [DIR]`: a new project's contract folder, config and npm scripts, so `npm run generate` and
 * `npm test` work there as they do in this repository. Never overwrites: an existing file is left as it is and
 * reported; an existing package.json only gains the scripts it does not have yet.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import {
  EXAMPLE_SERVICE,
  exampleConfig,
  exampleContract,
  NPM_SCRIPTS,
  packageJson,
  tsconfigJson,
} from '../init/template.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode, UsageError } from '../io.ts';

export const initHelp = `Usage: eventwire init [DIR]

Start a project: asyncapi/${EXAMPLE_SERVICE}.yaml (an example contract), eventwire.config.json, tsconfig.json and
the npm scripts "generate" and "test" in package.json. Existing files are never overwritten; an existing
package.json only gains the scripts it lacks.

Arguments:
  DIR             the project folder (default: the current folder)

Options:
  -h, --help      show this help

Then: npm install --save-dev eventwire && npm run generate && npm test

Exit codes: 0 success, 2 bad input or usage (a file init would write exists already, or DIR is a file).`;

interface Planned {
  readonly path: string;
  readonly contents: string;
}

export async function initCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('init', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(`${initHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('eventwire init: expected at most one folder.');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const files: Planned[] = [
    { path: join(dir, 'asyncapi', `${EXAMPLE_SERVICE}.yaml`), contents: exampleContract() },
    { path: join(dir, 'eventwire.config.json'), contents: exampleConfig() },
    { path: join(dir, 'tsconfig.json'), contents: tsconfigJson() },
  ];
  const existing = files.filter((file) => existsSync(file.path));
  if (existing.length > 0) {
    const names = existing.map((file) => shown(io.cwd, file.path)).join(', ');
    io.stderr(
      `eventwire init: ${names} already exist${existing.length === 1 ? 's' : ''}; nothing was written.\n` +
        '  fix: run init in a new folder (eventwire init DIR), or move those files away first.\n',
    );
    return EXIT.badInput;
  }
  const scripts = planScripts(join(dir, 'package.json'), basename(dir));
  for (const file of [...files, ...(scripts.file ? [scripts.file] : [])]) {
    mkdirSync(resolve(file.path, '..'), { recursive: true });
    writeFileSync(file.path, file.contents, { flag: file === scripts.file ? 'w' : 'wx' });
    const verb = file === scripts.file && scripts.existed ? 'added npm scripts to' : 'created';
    io.stdout(`${verb} ${shown(io.cwd, file.path)}\n`);
  }
  for (const name of scripts.kept) {
    io.stdout(
      `package.json already has a "${name}" script; left as it is (eventwire's: ${NPM_SCRIPTS[name]})\n`,
    );
  }
  io.stdout(
    '\nNext: npm install --save-dev eventwire typescript @types/k6 (if not installed yet), then npm run generate && npm test.\n' +
      '(typescript type-checks the generated code with tsc, which eventwire does not install; @types/k6 lets it\n' +
      'check the k6 load-test scripts generate writes under generated/loadtest.)\n',
  );
  return EXIT.ok;
}

/** A new package.json, or the existing one with the scripts it lacks; scripts it has already are kept. */
function planScripts(path: string, name: string): { file?: Planned; kept: string[]; existed: boolean } {
  if (!existsSync(path)) {
    return { file: { path, contents: packageJson(packageName(name)) }, kept: [], existed: false };
  }
  const text = readFileSync(path, 'utf8');
  let manifest: { scripts?: Record<string, string> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    throw new UsageError(`eventwire init: ${path} is not valid JSON (${(error as Error).message}).`);
  }
  const scripts = { ...manifest.scripts };
  const kept = Object.keys(NPM_SCRIPTS).filter((script) => script in scripts);
  const added = Object.entries(NPM_SCRIPTS).filter(([script]) => !(script in scripts));
  if (added.length === 0) return { kept, existed: true };
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  const updated = { ...manifest, scripts: { ...scripts, ...Object.fromEntries(added) } };
  return { file: { path, contents: `${JSON.stringify(updated, null, indent)}\n` }, kept, existed: true };
}

/** Paths inside the working folder relative to it, others absolute. */
function shown(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') ? inside : path;
}

/** npm package names are lower case, without spaces. */
function packageName(folder: string): string {
  return (
    folder
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[._-]+/, '') || 'my-service'
  );
}

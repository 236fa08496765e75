/**
 * Command dispatch. Every command is an entry of one Record, so `--help` lists exactly what exists and a new
 * command cannot be forgotten in the usage text. Any error a command did not turn into an exit code is reported
 * in one line; the stack is shown only with EVENTWIRE_DEBUG=1.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type CliIo, EXIT, type ExitCode, UsageError } from './io.ts';

type Run = (argv: readonly string[], io: CliIo) => Promise<ExitCode>;

interface Command {
  readonly summary: string;
  /** Loaded on demand: `generate` should not pay for loading the diff engine, nor the reverse. */
  load(): Promise<Run>;
}

const COMMANDS: Readonly<Record<'init' | 'generate' | 'check' | 'diff' | 'test' | 'load', Command>> = {
  init: {
    summary: 'start a project: an example contract, config and npm scripts',
    load: async () => (await import('./commands/init.ts')).initCommand,
  },
  generate: {
    summary: 'generate code and configuration from contracts',
    load: async () => (await import('./commands/generate.ts')).generateCommand,
  },
  check: {
    summary: 'lint contracts and check the topology across services',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  diff: {
    summary: 'classify contract changes as breaking or not',
    load: async () => (await import('./commands/diff.ts')).diffCommand,
  },
  test: {
    summary: "fault-test services' own handlers against what their contracts promise",
    load: async () => (await import('./commands/test.ts')).testCommand,
  },
  load: {
    summary: 'run SLA load tests end to end from the contracts (Node engine or k6)',
    load: async () => (await import('./commands/load.ts')).loadCommand,
  },
};

export const mainHelp = `Usage: eventwire <command> [options]

Contract-first code generation and checks for event-driven services (AsyncAPI 3).

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run "eventwire <command> --help" for a command's options.
Exit codes: 0 success, 1 findings (stale files, error-level findings, breaking changes, broken invariants), 2 bad\ninput or usage.`;

/** The version in eventwire's package.json: this repository's, or the installed package's. */
function packageVersion(): string {
  const manifest = createRequire(import.meta.url)(
    fileURLToPath(import.meta.resolve('eventwire/package.json')),
  );
  return (manifest as { version: string }).version;
}

function isCommand(name: string | undefined): name is keyof typeof COMMANDS {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${mainHelp}\n`);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`eventwire ${packageVersion()}\n`);
    return EXIT.ok;
  }
  try {
    if (!isCommand(name))
      throw new UsageError(`eventwire: unknown command "${name}". Run "eventwire --help".`);
    return await (await COMMANDS[name].load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return EXIT.badInput;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`eventwire: ${message}\n`);
    if (io.env.EVENTWIRE_DEBUG === '1' && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT.badInput;
  }
}

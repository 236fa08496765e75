/** Every command's usage line names every option its help lists, so `--help` never hides one. */
import { describe, expect, it } from 'vitest';
import { checkHelp } from './commands/check.ts';
import { diffHelp } from './commands/diff.ts';
import { generateHelp } from './commands/generate.ts';
import { loadHelp } from './commands/load.ts';
import { testHelp } from './commands/test.ts';

const HELP: Readonly<Record<string, string>> = {
  generate: generateHelp,
  check: checkHelp,
  diff: diffHelp,
  test: testHelp,
  load: loadHelp,
};

describe('command help', () => {
  it('generate documents what keeps it inside its output and the contracts inside their root', () => {
    expect(generateHelp).toMatch(/--force\s+write into a non-empty --out that holds no eventwire manifest/);
    expect(generateHelp).toMatch(
      /never \/, a home folder, a repository root or a folder holding the contracts/,
    );
    expect(generateHelp).toMatch(/--refs-root DIR\s+the folder every \$ref must stay inside/);
    expect(checkHelp).toMatch(/--refs-root DIR\s+the folder every \$ref must stay inside/);
  });

  it.each(Object.entries(HELP))('%s: the usage line names every listed option', (_, help) => {
    // The usage block runs to the first blank line; options are listed further down, one per line.
    const usage = help.split('\n\n')[0] ?? '';
    const listed = help
      .split('\n')
      .filter((line) => /^\s+--[a-z]/.test(line))
      .map((line) => /--[a-z-]+/.exec(line)?.[0] ?? '')
      .filter((flag) => flag !== '--help');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((flag) => !usage.includes(flag))).toEqual([]);
  });
});

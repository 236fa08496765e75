/**
 * `bin/eventwire.js` on a Node older than package.json's engines says what is needed and exits 2, instead of the
 * build failing inside with a SyntaxError and a stack trace (seen on Node 20 with the installed package).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/eventwire.js', import.meta.url));
const ENGINES = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

/** Runs the executable with `process.versions.node` reading `version`, set before any module of it loads. */
async function runAs(version: string, ...args: string[]) {
  const pretend = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:${JSON.stringify(version)}})`;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      '--import',
      pretend,
      BIN,
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the eventwire executable on an older Node', () => {
  it('names the Node it needs and the one it runs on, and exits 2 with no stack trace', async () => {
    const run = await runAs('20.20.2', '--version');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`eventwire: Node ${ENGINES} is needed, this is Node 20.20.2`);
    expect(run.stderr).toMatch(/fix: run it with Node 22 LTS or 24 LTS/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs on the lowest Node the engines allow', async () => {
    const lowest = /(\d+\.\d+\.\d+)/.exec(ENGINES)?.[1] ?? '';
    const run = await runAs(lowest, '--version');
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^eventwire \d/) });
  });
});

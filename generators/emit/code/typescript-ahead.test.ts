import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../../../cli/test-process.ts';
import { spareCoreForTypeScript } from './typescript-ahead.ts';

const run = promisify(execFile);
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Loads TypeScript in a fresh process (this one may have loaded it, or run with a compile cache). */
const PROBE = `
const ahead = await import(${JSON.stringify(join(REPO, 'generators/emit/code/typescript-ahead.ts'))});
if (process.argv[1] !== 'plain') ahead.compileTypeScriptAhead();
if (process.argv[1] === 'needed at once') ahead.needTypeScriptNow();
const ts = await ahead.loadTypeScript();
const file = ts.createSourceFile('a.ts', 'export interface A { readonly id: string }', ts.ScriptTarget.ES2024, false, ts.ScriptKind.TS);
const printed = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(file);
const required = (await import('node:module')).createRequire(import.meta.url)('typescript');
console.log(JSON.stringify({ by: ahead.typeScriptLoadedBy, same: ts.version === required.version, printed }));
`;

async function load(mode: 'ahead' | 'plain' | 'needed at once', compileCache?: string) {
  const { NODE_COMPILE_CACHE: _ignored, ...env } = process.env;
  const { stdout } = await run(
    join(REPO, 'node_modules/.bin/node'),
    ['--input-type=module', '--eval', PROBE, mode],
    { cwd: REPO, env: { ...env, ...(compileCache ? { NODE_COMPILE_CACHE: compileCache } : {}) } },
  );
  return JSON.parse(stdout) as { by: string; same: boolean; printed: string };
}

describe('TypeScript compiled ahead on a worker thread', () => {
  it("is built from the worker's code cache, and is the same compiler as require gives", async () => {
    const loaded = await load('ahead');
    expect(loaded).toEqual({
      by: 'code cache',
      same: true,
      printed: 'export interface A {\n    readonly id: string;\n}\n',
    });
  });

  it('is compiled here, not waited for, when needed before the worker is done (a busy machine)', async () => {
    expect(await load('needed at once')).toMatchObject({ by: 'require', same: true });
  });

  it('is a plain require when nothing compiled it ahead', async () => {
    expect((await load('plain')).by).toBe('require');
  });

  it("is a plain require when Node's compile cache is on (it makes require cheap)", async () => {
    const cache = await mkdtemp(join(tmpdir(), 'eventwire-ts-ahead-'));
    folders.push(cache);
    expect((await load('ahead', cache)).by).toBe('require');
  });
});

describe('a core to spare for it', () => {
  it('is what EVENTWIRE_TYPESCRIPT_AHEAD says when set (benchmarks compare both)', () => {
    expect(spareCoreForTypeScript({ EVENTWIRE_TYPESCRIPT_AHEAD: '1' })).toBe(true);
    expect(spareCoreForTypeScript({ EVENTWIRE_TYPESCRIPT_AHEAD: '0' })).toBe(false);
  });
});

/**
 * `generate --watch` as a real process: an edit regenerates the output; an edit the parser refuses leaves the
 * output as it was (whatever `--watch` wrote before the parser's verdict is restored); Ctrl-C ends it with 0.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const node = join(repo, 'node_modules/.bin/node');
const bin = join(repo, 'cli/bin.ts');
let work: string;

beforeAll(async () => {
  await mkdir(join(repo, '.tmp'), { recursive: true });
  work = await mkdtemp(join(repo, '.tmp/watch-'));
  await cp(join(import.meta.dirname, '__fixtures__/shop'), join(work, 'asyncapi'), { recursive: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Collects a stream's text and resolves when it has grown to contain `text` (counting from `from`). */
class Output {
  text = '';
  #waiters: Array<() => void> = [];
  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer) => {
      this.text += chunk.toString();
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }
  async waitFor(pattern: RegExp, from: number): Promise<void> {
    while (!pattern.test(this.text.slice(from))) {
      await new Promise<void>((wake, fail) => {
        this.#waiters.push(wake);
        setTimeout(() => fail(new Error(`no ${pattern} in: ${this.text.slice(from)}`)), 20_000).unref();
      });
    }
  }
}

describe('eventwire generate --watch', () => {
  it('regenerates on an edit, keeps the output when the parser refuses one, and stops on Ctrl-C', async () => {
    const contract = join(work, 'asyncapi/shop.yaml');
    const page = join(work, 'generated/docs/services/shop.md');
    const original = await readFile(contract, 'utf8');
    const child: ChildProcessWithoutNullStreams = spawn(node, [bin, 'generate', '--watch'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', EVENTWIRE_CACHE_DIR: join(work, 'cache') },
    });
    const stdout = new Output(child.stdout);
    const stderr = new Output(child.stderr);
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    try {
      await stdout.waitFor(/Generated/, 0);
      await stderr.waitFor(/Watching/, 0);

      let mark = stdout.text.length;
      await writeFile(contract, original.replace('title: Shop', 'title: Shop renamed'));
      await stdout.waitFor(/Generated generated\/: 1 written/, mark);
      const renamed = await readFile(page, 'utf8');
      expect(renamed).toContain('Shop renamed');

      // Passes every check made before the parser (YAML, references, the model), so the new title is
      // rendered, maybe written; the parser refuses the unknown `info.owner`.
      mark = stderr.text.length;
      const refused = original.replace('title: Shop', 'title: Shop refused\n  owner: team-a');
      await writeFile(contract, refused);
      await stderr.waitFor(/1 error\(s\) in the contracts/, mark);
      expect(stderr.text.slice(mark)).toMatch(/shop\.yaml:\d+:\d+ \/info\/owner\n {2}error: .*owner/);
      expect(await readFile(page, 'utf8')).toBe(renamed);

      mark = stdout.text.length;
      await writeFile(contract, original);
      await stdout.waitFor(/Generated/, mark);
      expect(await readFile(page, 'utf8')).not.toContain('Shop renamed');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('keeps watching across saves made by rename (vim, sed -i), new files and deleted files', async () => {
    const folder = join(work, 'asyncapi');
    const contract = join(folder, 'shop.yaml');
    const page = join(work, 'generated/docs/services/shop.md');
    const original = await readFile(contract, 'utf8');
    /** How vim and `sed -i` save: write a temporary file beside it, then rename it over the original. */
    const saveByRename = async (text: string) => {
      const temporary = join(folder, '.shop.yaml.swp-new');
      await writeFile(temporary, text);
      await rename(temporary, contract);
    };
    const child: ChildProcessWithoutNullStreams = spawn(node, [bin, 'generate', '--watch'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', EVENTWIRE_CACHE_DIR: join(work, 'cache-rename') },
    });
    const stdout = new Output(child.stdout);
    const stderr = new Output(child.stderr);
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    try {
      await stdout.waitFor(/Generated/, 0);
      await stderr.waitFor(/Watching/, 0);
      for (const title of ['Shop one', 'Shop two', 'Shop three']) {
        const mark = stdout.text.length;
        await saveByRename(original.replace('title: Shop', `title: ${title}`));
        await stdout.waitFor(/Generated/, mark);
        expect(await readFile(page, 'utf8')).toContain(title);
      }
      // A new contract in a new sub-folder, then deleted again.
      let mark = stdout.text.length;
      await mkdir(join(folder, 'more'), { recursive: true });
      const extra = original
        .replace(/name: shop\b/, 'name: shop-extra')
        .replace('title: Shop', 'title: Extra');
      await writeFile(join(folder, 'more/extra.yaml'), extra);
      await stdout.waitFor(/Generated/, mark);
      mark = stdout.text.length;
      await unlink(join(folder, 'more/extra.yaml'));
      await stdout.waitFor(/Generated/, mark);
      mark = stdout.text.length;
      await saveByRename(original);
      await stdout.waitFor(/Generated/, mark);
      expect(await readFile(page, 'utf8')).not.toContain('Shop three');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});

/**
 * `eventwire generate` and `check` against hostile input, run as a real process the way CI runs them on a pull
 * request's contracts: with a memory cap (256 MB of heap) and a hard timeout, in a temporary folder. Every case
 * asserts the refusal (exit 2, a message that names the file, the place and the fix, no stack trace) and that
 * nothing outside the output folder was touched. A hang or an out-of-memory crash fails the test.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './test-process.ts';

let work: string;
/** The contract every case starts from. */
let shop: string;

const CAPPED = { nodeFlags: ['--max-old-space-size=256'], timeoutMs: 30_000 };
const eventwire = (args: string[], cwd = work) => runCli(args, cwd, CAPPED);

/** A project folder of its own: asyncapi/shop.yaml with `payload` replaced by `payloadYaml`. */
async function project(name: string, payloadYaml?: string): Promise<string> {
  const folder = join(work, name);
  await mkdir(join(folder, 'asyncapi'), { recursive: true });
  const contract = payloadYaml
    ? shop.replace(/ {6}payload:\n(?: {8}.*\n)+/, `      payload:\n${payloadYaml}`)
    : shop;
  await writeFile(join(folder, 'asyncapi/shop.yaml'), contract);
  return folder;
}

function expectRefusal(result: { code: number; stdout: string; stderr: string }, ...said: string[]): void {
  expect(result.code, result.stderr).toBe(2);
  for (const text of said) expect(result.stderr).toContain(text);
  expect(result.stderr + result.stdout).not.toMatch(/\n\s+at |node:internal/);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  work = await mkdtemp(join(REPO, '.tmp/hostile-'));
  shop = await readFile(join(import.meta.dirname, '__fixtures__/shop/shop.yaml'), 'utf8');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('generate never touches files outside its output', () => {
  it('refuses a manifest that lists ../victim.txt, and deletes nothing', async () => {
    const folder = await project('victim');
    await writeFile(join(folder, 'victim.txt'), 'precious\n');
    expect((await eventwire(['generate', '--out', 'out'], folder)).code).toBe(0);
    const manifestPath = join(folder, 'out/.eventwire-manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: string[] };
    manifest.files.push('../victim.txt');
    await writeFile(manifestPath, JSON.stringify(manifest));
    await rm(join(folder, 'out/shop/publisher.ts'));

    const result = await eventwire(['generate', '--out', 'out'], folder);
    expectRefusal(
      result,
      'out/.eventwire-manifest.json',
      '"../victim.txt"',
      'Nothing was written or deleted',
    );
    expect(result.stderr).toMatch(/\/files\/\d+/);
    expect(await readFile(join(folder, 'victim.txt'), 'utf8')).toBe('precious\n');
    // Refused as a whole: not even the missing file was written back.
    expect(await exists(join(folder, 'out/shop/publisher.ts'))).toBe(false);
    expectRefusal(await eventwire(['generate', '--out', 'out', '--check'], folder), '"../victim.txt"');
  }, 90_000);

  it('never writes into / nor a home folder, even with --force', async () => {
    const folder = await project('root');
    expectRefusal(await eventwire(['generate', '--out', '/', '--force'], folder), 'filesystem root');
    const home = join(folder, 'home');
    await mkdir(home);
    const result = await runCli(['generate', '--out', home, '--force'], folder, {
      ...CAPPED,
      env: { HOME: home },
    });
    expectRefusal(result, 'home folder');
    expectRefusal(await eventwire(['generate', '--out', '.'], folder), 'holds the contracts');
  }, 90_000);

  it('refuses a non-empty folder it does not own unless --force, and then leaves the other files alone', async () => {
    const folder = await project('foreign');
    await mkdir(join(folder, 'site/docs'), { recursive: true });
    await writeFile(join(folder, 'site/docs/index.md'), 'my own page\n');
    await writeFile(join(folder, 'site/notes.txt'), 'mine\n');
    const refused = await eventwire(['generate', '--out', 'site'], folder);
    expectRefusal(refused, 'site', 'no .eventwire-manifest.json', '--force');
    expect(await readFile(join(folder, 'site/docs/index.md'), 'utf8')).toBe('my own page\n');
    expect(await exists(join(folder, 'site/shop'))).toBe(false);

    const forced = await eventwire(['generate', '--out', 'site', '--force'], folder);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(folder, 'site/notes.txt'), 'utf8')).toBe('mine\n');
    expect(await exists(join(folder, 'site/.eventwire-manifest.json'))).toBe(true);
    // Owned from now on: no --force needed.
    expect((await eventwire(['generate', '--out', 'site'], folder)).code).toBe(0);
  }, 90_000);
});

describe('contracts cannot reach out, hang or exhaust the machine', () => {
  it('refuses a $ref that climbs out of the contracts folder, without reading it', async () => {
    const folder = await project('escape', "        $ref: '../../escape/secrets/creds.yaml'\n");
    await mkdir(join(folder, 'secrets'));
    await writeFile(join(folder, 'secrets/creds.yaml'), 'type: object\ndescription: TOKEN-0123456789\n');
    const result = await eventwire(['generate', '--out', 'out'], folder);
    expectRefusal(
      result,
      'asyncapi/shop.yaml',
      '/components/messages/ShopOrderPlaced/payload/$ref',
      'outside the refs root (asyncapi/)',
      '--refs-root',
    );
    expect(result.stderr).not.toContain('TOKEN-0123456789');
    expect(await exists(join(folder, 'out'))).toBe(false);
    expectRefusal(await eventwire(['check'], folder), 'outside the refs root');

    // Named on purpose, the wider root is accepted.
    const widened = await eventwire(['generate', '--out', 'out', '--refs-root', '.'], folder);
    expect(widened.code, widened.stderr).toBe(0);
    expect(await readFile(join(folder, 'out/shop/types.ts'), 'utf8')).toContain('TOKEN-0123456789');
  }, 90_000);

  it('diff confines $refs the same way, and takes --refs-root for a shared folder', async () => {
    const folder = await project('diff', "        $ref: '../common/payload.yaml'\n");
    await mkdir(join(folder, 'common'));
    await writeFile(join(folder, 'common/payload.yaml'), 'type: object\n');
    await mkdir(join(folder, 'old'));
    const contract = await readFile(join(folder, 'asyncapi/shop.yaml'), 'utf8');
    await writeFile(join(folder, 'old/shop.yaml'), contract);
    const args = ['diff', 'old/shop.yaml', 'asyncapi/shop.yaml'];
    expectRefusal(await eventwire(args, folder), 'outside the refs root');
    const widened = await eventwire([...args, '--refs-root', '.'], folder);
    expect(widened.code, widened.stderr).toBe(0);
  }, 90_000);

  it('refuses a $ref to a FIFO at once instead of waiting for a writer', async () => {
    const folder = await project('fifo', "        $ref: './pipe.yaml'\n");
    execFileSync('mkfifo', [join(folder, 'asyncapi/pipe.yaml')]);
    const result = await eventwire(['generate', '--out', 'out'], folder);
    expect(result.code, 'killed by the timeout: the FIFO blocked the read').not.toBeNull();
    expectRefusal(result, 'asyncapi/pipe.yaml', 'not a regular file (a named pipe, FIFO)');
  }, 60_000);

  it('refuses /dev/zero, as a $ref and as a contract path, within the memory cap', async () => {
    const folder = await project('zero', "        $ref: '/dev/zero'\n");
    const referenced = await eventwire(['generate', '--out', 'out', '--refs-root', '/'], folder);
    expectRefusal(referenced, 'not a regular file (a device)', '$ref "/dev/zero"');
    expectRefusal(await eventwire(['generate', '/dev/zero', '--out', 'out'], folder), 'not a regular file');
  }, 60_000);

  it('refuses a 4 KB contract whose $refs fan out to millions of nodes, before the parser runs', async () => {
    const levels = [0, 1, 2, 3, 4, 5].map((level) => {
      const properties = Array.from({ length: 10 }, (_, i) =>
        level < 5
          ? `        p${i}:\n          $ref: '#/components/schemas/L${level + 1}'\n`
          : `        q${i}: { type: string }\n`,
      ).join('');
      return `    L${level}:\n      type: object\n      properties:\n${properties}`;
    });
    const folder = await project('fan-out', "        $ref: '#/components/schemas/L0'\n");
    const contract = await readFile(join(folder, 'asyncapi/shop.yaml'), 'utf8');
    await writeFile(join(folder, 'asyncapi/shop.yaml'), `${contract}  schemas:\n${levels.join('')}`);
    expect(contract.length).toBeLessThan(8_000);
    const result = await eventwire(['generate', '--out', 'out'], folder);
    expect(result.code, 'crashed or killed: the expansion was not bounded').not.toBeNull();
    expectRefusal(result, 'asyncapi/shop.yaml', 'once every $ref is copied in, over the limit of 200,000');
    expect(await exists(join(folder, 'out'))).toBe(false);
  }, 60_000);

  it('refuses a contract file over 4 MiB before reading it', async () => {
    const folder = await project('large');
    const padding = `# ${'x'.repeat(1022)}\n`.repeat(4 * 1024 + 1);
    await writeFile(join(folder, 'asyncapi/shop.yaml'), shop + padding);
    expectRefusal(
      await eventwire(['generate', '--out', 'out'], folder),
      'asyncapi/shop.yaml',
      'larger than 4 MiB',
    );
  }, 60_000);
});

describe('check', () => {
  it('warns when a PII field is an idempotency or ordering key', async () => {
    const folder = await project(
      'pii',
      [
        '        type: object',
        '        required: [order_id, email]',
        '        properties:',
        '          order_id: { type: string }',
        '          email: { type: string, x-eventwire-pii: email }',
        '',
      ].join('\n'),
    );
    const contract = await readFile(join(folder, 'asyncapi/shop.yaml'), 'utf8');
    await writeFile(
      join(folder, 'asyncapi/shop.yaml'),
      contract.replace(
        '    x-eventwire-retry:',
        '    x-eventwire-idempotency:\n      key: $message.payload#/email\n    x-eventwire-retry:',
      ),
    );
    const result = await eventwire(['check', '--format', 'json'], folder);
    const { findings } = JSON.parse(result.stdout) as { findings: { rule: string; message: string }[] };
    const pii = findings.filter((f) => f.rule === 'lint/pii-key');
    expect(pii, result.stdout).toHaveLength(1);
    expect(pii[0]?.message).toContain('email');
  }, 60_000);
});

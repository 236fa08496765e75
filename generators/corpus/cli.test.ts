/**
 * `eventwire generate` as a real process on corpus documents, the way a user meets them: a multi-file AsyncAPI
 * 3 document with relative `$ref`s, an AsyncAPI 2 document, an Avro document (read with the Avro schema parser),
 * an RPC server on the AMQP default exchange and its client, which receives on a queue named at run time.
 * Exit codes, what is printed, what is written — and never a stack trace.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusAvailable, corpusFolder, REPO_ROOT } from './documents.ts';

const run = promisify(execFile);
const node = path.join(REPO_ROOT, 'node_modules/.bin/node');
const bin = path.join(REPO_ROOT, 'cli/bin.ts');
const corpus = corpusFolder();
const available = corpusAvailable(corpus);
const title = available
  ? 'eventwire generate on public corpus documents'
  : `eventwire generate on public corpus documents — skipped: ${corpus} not found (set EVENTWIRE_SHARED to the shared folder)`;

const DOCS = {
  multiFile: 'asyncapi__spec/examples/social-media/backend/asyncapi.yaml',
  legacy: 'asyncapi__spec/examples/streetlights-kafka.yml',
  avro: 'asyncapi__generator/packages/templates/clients/kafka/test/__fixtures__/asyncapi-adeo.yml',
  defaultExchange: 'asyncapi__spec/examples/rpc-server-asyncapi.yml',
  runtimeQueue: 'asyncapi__spec/examples/rpc-client-asyncapi.yml',
} as const;
type Doc = keyof typeof DOCS;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
const results = new Map<Doc, Result>();

async function eventwire(args: readonly string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(node, [bin, ...args], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', EVENTWIRE_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The document as the CLI names it in messages: relative to the working folder. */
const shown = (doc: Doc) => path.relative(work, path.join(corpus, DOCS[doc]));
/** Where the document's `$ref`s may lead: social-media's services share `../common/`, as `--refs-root` says. */
const refsRoot = (doc: Doc) => path.join(corpus, path.dirname(path.dirname(DOCS[doc])));
const generate = (doc: Doc) =>
  eventwire(['generate', path.join(corpus, DOCS[doc]), '--out', `out-${doc}`, '--refs-root', refsRoot(doc)]);
const result = (doc: Doc): Result => {
  const found = results.get(doc);
  if (!found) throw new Error(`${doc} did not run`);
  return found;
};

/** `file:line:column pointer` at the start of a line: the shape editors and CI logs turn into links. */
function located(doc: Doc, pointer: string): RegExp {
  const file = shown(doc).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${file}:[1-9]\\d*:[1-9]\\d* ${pointer}$`, 'm');
}

function expectNoStackTrace(output: Result): void {
  expect(output.stderr + output.stdout).not.toMatch(/\n\s+at |node:internal|\.ts:\d+:\d+\)/);
}

describe.skipIf(!available)(title, () => {
  beforeAll(async () => {
    work = path.join(REPO_ROOT, '.tmp', `corpus-cli-${process.pid}-${Date.now().toString(36)}`);
    await mkdir(work, { recursive: true });
    const docs = Object.keys(DOCS) as Doc[];
    await Promise.all(docs.map(async (doc) => results.set(doc, await generate(doc))));
  }, 180_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  it('refuses $refs that reach ../common/ without --refs-root: they leave the folder the document was given in', async () => {
    const refused = await eventwire([
      'generate',
      path.join(corpus, DOCS.multiFile),
      '--out',
      'out-unconfined',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('outside the refs root');
    expect(refused.stderr).toContain('--refs-root');
    expectNoStackTrace(refused);
  }, 60_000);

  it('generates a multi-file AsyncAPI 3 document whose relative $refs reach ../common/, and --check agrees', async () => {
    const output = result('multiFile');
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(
      /^Generated out-multiFile\/: \d+ written, 0 unchanged, 1 handler scaffold\(s\) created/,
    );
    const service = path.join(work, 'out-multiFile', 'website-backend');
    expect((await readdir(service)).sort()).toEqual(
      expect.arrayContaining(['consumer.ts', 'contract.ts', 'publisher.ts', 'types.ts', 'validators.js']),
    );
    // The payload types come from the shared messages file, and the header says so.
    const types = await readFile(path.join(service, 'types.ts'), 'utf8');
    expect(types.split('\n')[0]).toContain('social-media/common/messages.yaml');

    const check = await eventwire([
      'generate',
      path.join(corpus, DOCS.multiFile),
      '--out',
      'out-multiFile',
      '--refs-root',
      refsRoot('multiFile'),
      '--check',
    ]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/out-multiFile\/ is up to date/);
  }, 60_000);

  it('generates an AsyncAPI 2.6 document through in-memory conversion', async () => {
    const output = result('legacy');
    // The conversion is announced as a warning, with the command that converts the file for good.
    expect(output.stderr).toMatch(/warning: AsyncAPI 2\.6\.0 document converted to 3\.0\.0 in memory/);
    expect(output.stderr).toContain('--target-version=3.0.0');
    expect(output.stderr).not.toMatch(/\n\s+at /);
    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(/^Generated out-legacy\/: \d+ written/);
    const publisher = await readFile(
      path.join(work, 'out-legacy/streetlights-kafka-api/publisher.ts'),
      'utf8',
    );
    expect(publisher.split('\n')[0]).toContain(`from ${shown('legacy')}.`);
  });

  it('generates an Avro document: types and validators from the Avro records, field docs kept', async () => {
    const output = result('avro');
    expect(output.stderr).toBe('');
    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(/^Generated out-avro\/: \d+ written/);
    const types = await readFile(path.join(work, 'out-avro/adeo-async-api-case-study/types.ts'), 'utf8');
    expect(types).toMatch(
      /export interface CostingRequestV1 \{\n {2}\/\*\* Product identifier\. \*\/\n {2}ProductId: string;/,
    );
    expect(types).toMatch(/ContainerType\?: \('FT20' \| 'FT40' \| 'FT40HC' \| 'TRUCK'\) \| null;/);
    const validators = await readdir(path.join(work, 'out-avro/_validators'));
    expect(validators.sort()).toEqual([
      expect.stringMatching(/^CostingRequestV1\.[0-9a-f]{10}\.js$/),
      expect.stringMatching(/^CostingResponse\.[0-9a-f]{10}\.js$/),
    ]);
  });

  it('generates an RPC server on the AMQP default exchange: its queue declared, nothing bound, replies by key', async () => {
    const output = result('defaultExchange');
    expect(output.code).toBe(0);
    expectNoStackTrace(output);
    const definitions = JSON.parse(
      await readFile(path.join(work, 'out-defaultExchange/rabbitmq/%2F/definitions.json'), 'utf8'),
    ) as { queues: { name: string }[]; bindings: { source: string; destination: string }[] };
    expect(definitions.queues.map((q) => q.name)).toContain('rpc_queue');
    // Every queue is bound to the default exchange by its own name: nothing may be bound to it.
    expect(definitions.bindings.filter((b) => b.source === '')).toEqual([]);
    const contract = await readFile(
      path.join(work, 'out-defaultExchange/rpc-server-example/contract.ts'),
      'utf8',
    );
    expect(contract).toMatch(/exchange: '',\n\s+exchangeType: 'direct',\n\s+routingKey: '\{queue\}'/);
  });

  it('refuses to receive on a queue named at run time (an RPC reply queue), with exit 2 and a way out', () => {
    const output = result('runtimeQueue');
    expect(output.code).toBe(2);
    expect(output.stderr).toMatch(located('runtimeQueue', '/channels/queue/bindings/amqp'));
    expect(output.stderr).toMatch(
      /error: operation "receiveSumResult" receives on channel "queue", a queue of the AMQP default exchange named at run time \("\{queue\}"\)/,
    );
    expect(output.stderr).toMatch(/fix: receive on a queue with a fixed name/);
    expectNoStackTrace(output);
    expect(existsSync(path.join(work, 'out-runtimeQueue'))).toBe(false);
  });
});

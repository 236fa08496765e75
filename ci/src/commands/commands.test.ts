import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from './check.ts';
import { diffCommand } from './diff.ts';

const schemas = path.join(import.meta.dirname, '../../schemas');
const corpus = path.join(import.meta.dirname, '../diff/__corpus__');
const ajv = new Ajv({ allErrors: true });
const validateCheck = ajv.compile(
  JSON.parse(readFileSync(path.join(schemas, 'check-output.schema.json'), 'utf8')),
);
const validateDiff = ajv.compile(
  JSON.parse(readFileSync(path.join(schemas, 'diff-output.schema.json'), 'utf8')),
);

const catalog = `asyncapi: 3.0.0
info:
  title: Catalog
  version: 1.0.0
  x-eventwire-service: { name: catalog }
servers:
  pubsub: { host: 'localhost:6379', protocol: redis, x-eventwire-pubsub: { name: pubsub } }
channels:
  productCreated:
    address: catalog.product.created
    messages:
      ProductCreated: { $ref: '#/components/messages/ProductCreated' }
operations:
  publishProductCreated:
    action: send
    channel: { $ref: '#/channels/productCreated' }
components:
  messages:
    ProductCreated:
      name: catalog.product.created
      payload:
        type: object
        required: [product_id]
        properties:
          product_id: { type: string }
      examples:
        - name: bad
          payload: { product_id: 42 }
`;

const search = (address: string) => `asyncapi: 3.0.0
info:
  title: Search
  version: 1.0.0
  x-eventwire-service: { name: search }
servers:
  pubsub: { host: 'localhost:6379', protocol: redis, x-eventwire-pubsub: { name: pubsub } }
channels:
  productCreated:
    address: ${address}
    messages:
      ProductCreated: { $ref: './catalog.yaml#/components/messages/ProductCreated' }
operations:
  onProductCreated:
    action: receive
    channel: { $ref: '#/channels/productCreated' }
    x-eventwire-subscription: { name: product-created }
    x-eventwire-retry: { maxRetries: 3 }
    x-eventwire-dead-letter: { address: dlq.product-created }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'eventwire-ci-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('checkCommand', () => {
  it('checks one named file in the context of the contracts beside it, and reports only its findings', async () => {
    const cwd = project('check-one-file', {
      'asyncapi/catalog.yaml': catalog,
      'asyncapi/search.yaml': search('catalog.product.created'),
    });
    const one = await checkCommand({ paths: ['asyncapi/search.yaml'], format: 'json', cwd, color: false });
    const rules = (JSON.parse(one.output) as { findings: { rule: string; file: string }[] }).findings;
    expect(rules.filter((f) => f.rule.startsWith('topology/'))).toEqual([]);
    expect(rules.every((f) => f.file === 'asyncapi/search.yaml')).toBe(true);
    // catalog's own findings (its invalid example) are not search's.
    const all = await checkCommand({ paths: ['asyncapi'], format: 'json', cwd, color: false });
    expect(all.output).toContain('lint/invalid-example');
    expect(one.output).not.toContain('lint/invalid-example');
  });

  it('reports findings with positions, exits 1 on errors, and its JSON matches the documented schema', async () => {
    const cwd = project('check-json', {
      'asyncapi/catalog.yaml': catalog,
      'asyncapi/search.yaml': search('product.created'),
    });
    const result = await checkCommand({ paths: ['asyncapi'], format: 'json', cwd });
    expect(result.exitCode).toBe(1);
    const output = JSON.parse(result.output);
    expect(validateCheck(output), JSON.stringify(validateCheck.errors)).toBe(true);
    const unmatched = output.findings.find(
      (f: { rule: string }) => f.rule === 'topology/unmatched-subscription',
    );
    expect(unmatched).toMatchObject({
      file: 'asyncapi/search.yaml',
      pointer: '/operations/onProductCreated',
      line: 14,
    });
    expect(unmatched.suggestion).toContain('catalog.product.created');
    expect(output.findings.map((f: { rule: string }) => f.rule)).toContain('lint/invalid-example');
  });

  it('exits 0 once the findings are fixed or ignored with a reason', async () => {
    const cwd = project('check-clean', {
      'asyncapi/catalog.yaml': catalog.replace('product_id: 42', "product_id: 'p-42'"),
      'asyncapi/search.yaml': search('catalog.product.created'),
      'eventwire.config.json': JSON.stringify({ check: { ignore: [] } }),
    });
    const result = await checkCommand({ paths: [], format: 'json', cwd });
    expect(JSON.parse(result.output)).toEqual({ findings: [] });
    expect(result.exitCode).toBe(0);
  });

  it('github, sarif and human formats', async () => {
    const cwd = project('check-formats', {
      'asyncapi/catalog.yaml': catalog,
      'asyncapi/search.yaml': search('product.created'),
    });
    const github = await checkCommand({ paths: ['asyncapi'], format: 'github', cwd });
    expect(github.output).toMatch(
      /^::error file=asyncapi\/search.yaml,line=14,col=\d+,title=topology\/unmatched-subscription::/m,
    );
    const sarif = JSON.parse((await checkCommand({ paths: ['asyncapi'], format: 'sarif', cwd })).output);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    const result = run.results.find(
      (r: { ruleId: string }) => r.ruleId === 'topology/unmatched-subscription',
    );
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('topology/unmatched-subscription');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'asyncapi/search.yaml' },
      region: { startLine: 14 },
    });
    const plain = await checkCommand({ paths: ['asyncapi'], format: 'human', cwd, color: false });
    // The layout of every diagnostic: place first (a link in editors and CI logs), then message and rule.
    expect(plain.output).toMatch(
      /^asyncapi\/search\.yaml:14:\d+ \/operations\/\S+\n {2}error: .* {2}\[topology\/unmatched-subscription\]$/m,
    );
    expect(plain.output).not.toContain('\u001b[');
    expect(plain.output).toMatch(/fix: did you mean `catalog.product.created`/);
    const colored = await checkCommand({ paths: ['asyncapi'], format: 'human', cwd, color: true });
    expect(colored.output).toContain('\u001b[31m');
  });

  it('bad input exits 2: unknown format, unreadable contracts, invalid config', async () => {
    const cwd = project('check-bad', { 'asyncapi/broken.yaml': 'asyncapi: 3.0.0\ninfo: [\n' });
    expect((await checkCommand({ paths: ['asyncapi'], format: 'xml', cwd })).exitCode).toBe(2);
    const broken = await checkCommand({ paths: ['asyncapi'], format: 'json', cwd });
    expect(broken.exitCode).toBe(2);
    expect(broken.output).toContain('broken.yaml');
    const badConfig = project('check-bad-config', {
      'asyncapi/catalog.yaml': catalog,
      'eventwire.config.json': '{"check": {"rules": {"lint/nope": "error"}}}',
    });
    const r = await checkCommand({ paths: ['asyncapi'], format: 'json', cwd: badConfig });
    expect(r).toMatchObject({ exitCode: 2 });
    expect(r.output).toContain('unknown rule `lint/nope`');
  });
});

describe('diffCommand', () => {
  it("resolves each file's relative $refs from its own folder, both folders outside the working directory", async () => {
    const releases = project('diff-outside-cwd', {
      'v1/catalog.yaml': catalog,
      'v1/search.yaml': search('catalog.product.created'),
      'v2/catalog.yaml': catalog.replace('required: [product_id]', 'required: []'),
      'v2/search.yaml': search('catalog.product.created'),
      'work/README.md': 'the working directory holds no contract',
    });
    const result = await diffCommand({
      old: '../v1/search.yaml',
      new: '../v2/search.yaml',
      format: 'json',
      cwd: path.join(releases, 'work'),
      color: false,
    });
    expect(result.exitCode, result.output).toBe(0);
    const { changes } = JSON.parse(result.output) as { changes: { rule: string; classification: string }[] };
    expect(changes.map((c) => [c.rule, c.classification])).toEqual([
      ['schema/required-removed', 'non-breaking'],
    ]);
  });

  it('compares two files and two folders; exit 1 on a breaking change; JSON matches the documented schema', async () => {
    const pair = path.join(corpus, '05-send-enum-value-added');
    const files = await diffCommand({
      old: path.join(pair, 'old.yaml'),
      new: path.join(pair, 'new.yaml'),
      format: 'json',
      cwd: pair,
    });
    expect(files.exitCode).toBe(1);
    const output = JSON.parse(files.output);
    expect(validateDiff(output), JSON.stringify(validateDiff.errors)).toBe(true);
    expect(output.breaking).toBe(1);
    expect(output.changes[0]).toMatchObject({
      rule: 'schema/enum-value-added',
      file: 'new.yaml',
      line: expect.any(Number),
    });

    const shared = path.join(corpus, '49-shared-message-affects-both-sides');
    const folders = JSON.parse(
      (await diffCommand({ old: 'old', new: 'new', format: 'json', cwd: shared })).output,
    );
    expect(validateDiff(folders)).toBe(true);
    expect(folders.changes.map((c: { file: string; affects: string[] }) => [c.file, c.affects])).toEqual([
      ['new/order.yaml', ['billing']],
      ['new/order.yaml', ['order']],
    ]);
  });

  it('exit 0 without breaking changes; 2 for bad input', async () => {
    const pair = path.join(corpus, '06-send-enum-value-removed');
    expect(
      (await diffCommand({ old: 'old.yaml', new: 'new.yaml', format: 'human', cwd: pair, color: false }))
        .exitCode,
    ).toBe(0);
    expect((await diffCommand({ old: 'old.yaml', format: 'json', cwd: pair })).exitCode).toBe(2);
    expect(
      (await diffCommand({ old: 'old.yaml', new: 'missing.yaml', format: 'json', cwd: pair })).exitCode,
    ).toBe(2);
    expect(
      (await diffCommand({ old: 'old.yaml', new: 'new.yaml', format: 'yaml', cwd: pair })).exitCode,
    ).toBe(2);
  });

  it('--against REF compares the working tree with the contracts at a git revision', async () => {
    const repo = project('git-repo', {
      'asyncapi/catalog.yaml': catalog,
      'asyncapi/search.yaml': search('catalog.product.created'),
      'package.json': '{}',
    });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
        cwd: repo,
        stdio: 'pipe',
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'contracts v1');
    // In the working tree the publisher stops requiring product_id.
    writeFileSync(
      path.join(repo, 'asyncapi/catalog.yaml'),
      catalog.replace('required: [product_id]', 'required: []'),
    );
    const result = await diffCommand({ against: 'main', paths: ['asyncapi'], format: 'json', cwd: repo });
    expect(result.exitCode).toBe(1);
    const output = JSON.parse(result.output);
    expect(validateDiff(output)).toBe(true);
    const breaking = output.changes.find((c: { classification: string }) => c.classification === 'breaking');
    expect(breaking).toMatchObject({
      rule: 'schema/required-removed',
      file: 'asyncapi/catalog.yaml',
      affects: ['search'],
    });
    expect(existsSync(path.join(repo, '.tmp')) ? readdirSync(path.join(repo, '.tmp')) : []).toEqual([]);

    const unknown = await diffCommand({
      against: 'no-such-branch',
      paths: ['asyncapi'],
      format: 'json',
      cwd: repo,
    });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.output).toContain('unknown git revision');
    const clean = project('git-repo-same', {});
    cpSync(repo, clean, { recursive: true });
    execFileSync('git', ['checkout', '-q', '--', '.'], { cwd: clean });
    expect(
      (await diffCommand({ against: 'main', paths: ['asyncapi'], format: 'json', cwd: clean })).output,
    ).toBe('{\n  "breaking": 0,\n  "changes": []\n}\n');
  });
});

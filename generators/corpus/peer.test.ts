/**
 * The peer corpus (documents and pairs from the test suites of @asyncapi/parser and @asyncapi/diff, with the
 * verdicts those tests assert): every valid document generates — and its TypeScript type-checks — or is refused
 * as not supported with a clear message; every invalid one is refused with clear errors, for the asserted reason
 * where the peer's test names one; every before/after pair gets the peer's verdict, or the reason eventwire
 * differs on purpose is written below.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Diagnostic, formatDiagnosticLine } from '../model/index.ts';
import { REPO_ROOT } from './documents.ts';
import { generateDocument, type Outcome } from './generate.ts';
import {
  diffVerdict,
  peerAvailable,
  peerDocuments,
  peerFolder,
  peerPairs,
  type PeerVerdict,
} from './peer.ts';
import { typeCheckFolders } from './typecheck.ts';

/** Valid AsyncAPI that eventwire refuses as not supported, and the error code that says so. */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  // Operations without any message: every publisher method and handler is typed by its message.
  '010-v2-apply-traits-v2-should-apply-traits-to-operations.json': 'operation-without-message',
  '013-v3-apply-traits-v3-should-apply-traits-to-operations.json': 'operation-without-message',
  // Payloads in a schema format eventwire cannot turn into types and validators (only JSON Schema and Avro).
  '021-v2-parse-schema-v2-should-skip-parsing-unknown-schema-format-and-still-re.json':
    'unsupported-schema-format',
  '024-v3-parse-schema-v3-should-skip-parsing-unknown-schema-format-and-still-re.json':
    'unsupported-schema-format',
  '025-v3-parse-schema-v3-should-allow-custom-schemaformat-application-octet-str.json':
    'unsupported-schema-format',
  '064-v2-asyncapi2-schemas-valid-case-with-non-supported-schema-format.json': 'unsupported-schema-format',
};

/** Where eventwire words the asserted reason differently from the peer's rule (same place, same cause). */
const REWORDED: Readonly<Record<string, string>> = {
  '"info" property must have required property "version"': 'missing required property "version"',
  'Referencing in this place is not allowed': 'a $ref is not allowed here',
  'This is not an AsyncAPI document. The "asyncapi" field as string is missing.': 'not an AsyncAPI document',
};

/** Pairs where eventwire's verdict differs from the peer's on purpose, with eventwire's verdict and why. */
const DIFFERS_ON_PURPOSE: Readonly<Record<string, { readonly ours: PeerVerdict; readonly why: string }>> = {
  'd06-remove-channel-message': {
    ours: false,
    why: 'the removed message is declared on the channel but no operation carries it: nobody sends or receives it',
  },
  'd08-info-version': { ours: false, why: 'info.version is metadata: nothing on the wire changes' },
  'p08-v2-info-version': { ours: false, why: 'info.version is metadata: nothing on the wire changes' },
  'd20-add-default-content-type': {
    ours: false,
    why: 'both messages already say application/json, which is also the default: no content type changes',
  },
};

/** Pairs whose new side @asyncapi/parser 3.6.3 itself refuses (address `users.{userid}`, parameter `userId`). */
const REFUSED_SIDE = new Set(['p01-v3-whole-pair', 'p05-v3-channel-address-param-case']);

const folder = peerFolder();
const available = peerAvailable(folder);
const title = (what: string) =>
  available ? what : `${what} — skipped: ${folder} not found (set EVENTWIRE_SHARED to the shared folder)`;

/** Clear: names its file, says what and (for a refusal of ours) how to fix it; no internal error text. */
function expectClear(error: Diagnostic): void {
  const shown = formatDiagnosticLine(error);
  expect(error.file, shown).not.toBe('');
  expect(error.message.length, shown).toBeGreaterThan(5);
  expect(shown).not.toMatch(
    /\n\s+at |\b(TypeError|ReferenceError|RangeError|SyntaxError|CodeEmitError)\b|\bundefined\b|Cannot (use|read)/,
  );
}

const valid = available ? peerDocuments('valid', folder) : [];
const invalid = available ? peerDocuments('invalid', folder) : [];
const pairs = available ? peerPairs(folder) : [];

describe.skipIf(!available)(title('peer corpus: valid documents'), () => {
  const outcomes = new Map<string, { outcome: Outcome; outDir: string }>();
  let typeErrors: ReadonlyMap<string, readonly string[]> = new Map();
  let work: string;

  beforeAll(async () => {
    work = path.join(REPO_ROOT, '.tmp', `peer-${process.pid}-${Date.now().toString(36)}`);
    await mkdir(work, { recursive: true });
    for (const document of valid) {
      const outDir = path.join(work, document.file.replace(/\W+/g, '_'));
      const corpusDocument = { file: document.file, absPath: document.absPath, version: document.asyncapi };
      outcomes.set(document.file, {
        outcome: await generateDocument(corpusDocument, path.dirname(document.absPath), outDir),
        outDir,
      });
    }
    const generated = [...outcomes.values()].filter((o) => o.outcome.kind === 'generated');
    const checked = await typeCheckFolders(generated.map((o) => o.outDir));
    typeErrors = checked.byFolder;
  }, 300_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  it('holds the 70 valid documents the peer corpus lists; every not-supported entry is one of them', () => {
    expect(valid.length).toBe(70);
    const files = new Set(valid.map((d) => d.file));
    expect(Object.keys(NOT_SUPPORTED).filter((file) => !files.has(file))).toEqual([]);
  });

  it.each(valid.map((d) => [d.file]))('%s', (file) => {
    const { outcome, outDir } = outcomes.get(file) ?? expect.fail(`${file} was not run`);
    if (outcome.kind === 'crashed') expect.fail(`the generator crashed:\n${outcome.error}`);
    const notSupported = NOT_SUPPORTED[file];
    if (outcome.kind === 'generated') {
      expect(
        notSupported,
        `generated now: remove it from NOT_SUPPORTED (was "${notSupported}")`,
      ).toBeUndefined();
      expect(typeErrors.get(outDir) ?? [], 'compiler errors in the generated code').toEqual([]);
      return;
    }
    const shown = outcome.errors.map(formatDiagnosticLine).join('\n');
    expect(notSupported, `refused a valid document:\n${shown}`).toBeDefined();
    expect(outcome.errors.map((e) => e.code)).toContain(notSupported);
    for (const error of outcome.errors) expectClear(error);
    for (const error of outcome.errors) expect(error.hint ?? '', formatDiagnosticLine(error)).not.toBe('');
  });
});

describe.skipIf(!available)(title('peer corpus: invalid documents'), () => {
  it('holds the 139 invalid documents the peer corpus lists', () => {
    expect(invalid.length).toBe(139);
  });

  it.each(invalid.map((d) => [d.file]))('%s', async (file) => {
    const document = invalid.find((d) => d.file === file) ?? expect.fail(`${file} is not listed`);
    const corpusDocument = { file, absPath: document.absPath, version: document.asyncapi };
    const outcome = await generateDocument(corpusDocument, path.dirname(document.absPath), '/nonexistent');
    if (outcome.kind === 'crashed') expect.fail(`the generator crashed:\n${outcome.error}`);
    expect(outcome.kind, 'an invalid document was generated').toBe('refused');
    if (outcome.kind !== 'refused') return;
    for (const error of outcome.errors) expectClear(error);
    if (!document.onlyAssertedRuleFails) return;
    // The peer's parser rejects this document for one rule only: eventwire must reject it for that reason.
    const messages = outcome.errors.map((e) => e.message).join('\n');
    for (const asserted of document.assertedErrors)
      expect(messages).toContain(REWORDED[asserted] ?? asserted);
  });
});

describe.skipIf(!available)(title('peer corpus: before/after pairs (eventwire diff)'), () => {
  it('holds 29 pairs; every exception is one of them', () => {
    expect(pairs.length).toBe(29);
    const names = new Set(pairs.map((p) => p.name));
    const exceptions = [...Object.keys(DIFFERS_ON_PURPOSE), ...REFUSED_SIDE];
    expect(exceptions.filter((name) => !names.has(name))).toEqual([]);
  });

  it.each(pairs.map((p) => [p.name, p.change]))('%s (%s)', async (name) => {
    const pair = pairs.find((p) => p.name === name) ?? expect.fail(`${name} is not listed`);
    const verdict = await diffVerdict(pair);
    if (REFUSED_SIDE.has(name)) {
      expect(verdict.kind).toBe('refused');
      if (verdict.kind === 'refused')
        expect(verdict.output).toMatch(/new\.yaml:\d+:\d+ \/channels\/user\/parameters/);
      return;
    }
    if (verdict.kind === 'refused') expect.fail(`a side was refused:\n${verdict.output}`);
    const onPurpose = DIFFERS_ON_PURPOSE[name];
    if (onPurpose) {
      expect(pair.breaking, 'the peer agrees now: remove the exception').not.toBe(onPurpose.ours);
      expect(verdict.breaking, onPurpose.why).toBe(onPurpose.ours);
    } else if (pair.breaking !== null) {
      expect(verdict.breaking, `rules reported: ${verdict.rules.join(', ') || 'none'}`).toBe(pair.breaking);
    }
  });
});

describe.skipIf(!available)(title('peer corpus through the CLI process'), () => {
  const node = path.join(REPO_ROOT, 'node_modules/.bin/node');
  const bin = path.join(REPO_ROOT, 'cli/bin.ts');
  const run = (...args: string[]) => spawnSync(node, [bin, ...args], { encoding: 'utf8', cwd: REPO_ROOT });

  it("refuses a 2.x document without info with the missing property, not the converter's internal text", () => {
    const file = invalid.find((d) => d.file.startsWith('086-'))?.absPath ?? expect.fail('086 not found');
    const result = run('generate', file, '--out', '.tmp/peer-cli-unused', '--quiet');
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('missing required property "info"');
    expect(result.stderr).not.toMatch(/Cannot use 'in' operator|undefined/);
  });

  it('gives one verdict for an operation with no message: generate and check both refuse it, same message', () => {
    const file = valid.find((d) => d.file.startsWith('013-'))?.absPath ?? expect.fail('013 not found');
    const generated = run('generate', file, '--out', '.tmp/peer-cli-unused');
    const checked = run('check', file, '--format', 'json');
    expect(generated.status, generated.stderr).toBe(2);
    expect(generated.stderr).not.toMatch(/CodeEmitError/);
    expect(generated.stderr).toContain('operation "someOperation1" has no message');
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('operation \\"someOperation1\\" has no message');
  });
});

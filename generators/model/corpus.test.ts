import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../diagnostics/format.ts';
import { type CorpusReport, checkCorpus, formatCorpusReport } from './corpus.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shared = process.env.EVENTWIRE_SHARED ?? path.resolve(repoRoot, '../shared');
const corpus = path.join(shared, 'corpus', 'asyncapi-real');
const available = existsSync(corpus);
const title = available
  ? 'real-world AsyncAPI corpus'
  : `real-world AsyncAPI corpus — skipped: ${corpus} not found (set EVENTWIRE_SHARED to the shared folder)`;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

/**
 * A channel on the AMQP default exchange whose queue is named at run time (`is: queue` with a `{parameter}`
 * address, as an RPC reply queue): eventwire cannot consume such a queue ahead of time.
 */
function usesRuntimeQueue(channels: unknown): boolean {
  if (typeof channels !== 'object' || channels === null) return false;
  return Object.values(channels as Record<string, unknown>).some((channel) => {
    const record = (channel ?? {}) as Record<string, unknown>;
    const amqp = (record.bindings as Record<string, unknown> | undefined)?.amqp as
      | Record<string, unknown>
      | undefined;
    return amqp?.is === 'queue' && /\{[^}]+\}/.test(String(record.address ?? ''));
  });
}

/** The documents of the corpus (files with a top-level asyncapi key) and what they contain. */
function documents() {
  return filesUnder(corpus).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const data = parse(text) as Record<string, unknown> | null;
    if (!data || typeof data !== 'object' || !('asyncapi' in data)) return [];
    return [
      {
        file: path.relative(corpus, file).split(path.sep).join('/'),
        version: String(data.asyncapi),
        // What eventwire cannot read by design: payloads neither JSON Schema nor Avro, and references to the
        // network.
        foreignFormat: /schemaFormat['"]?\s*:\s*['"]?application\/xml/.test(text),
        remoteRef: /\$ref['"]?\s*:\s*['"]?https?:/.test(text),
        runtimeQueue: usesRuntimeQueue(data.channels),
      },
    ];
  });
}

describe.skipIf(!available)(title, () => {
  let report: CorpusReport;
  beforeAll(async () => {
    report = await checkCorpus(corpus);
    console.info(formatCorpusReport(report));
    console.info(`corpus timings: ${JSON.stringify(report.timings)}`);
  }, 120_000);

  it('accounts for every document: built or refused with a reason, never a crash', () => {
    expect(report.entries.map((e) => e.file).sort()).toEqual(
      documents()
        .map((d) => d.file)
        .sort(),
    );
    for (const entry of report.entries.filter((e) => e.status === 'refused')) {
      expect(entry.reasons.length, entry.file).toBeGreaterThan(0);
      for (const reason of entry.reasons) {
        expect(reason.message, entry.file).not.toBe('');
        expect(formatDiagnosticLine(reason), entry.file).not.toMatch(
          /\n\s+at |TypeError|ReferenceError|undefined/,
        );
      }
    }
  });

  it('builds every 3.0 document that uses JSON Schema or Avro payloads, local references and fixed AMQP queues', () => {
    const readable = documents().filter(
      (d) => d.version.startsWith('3.') && !d.foreignFormat && !d.remoteRef && !d.runtimeQueue,
    );
    const refused = report.entries.filter((e) => e.status === 'refused').map((e) => e.file);
    expect(refused.filter((file) => readable.some((d) => d.file === file))).toEqual([]);
    expect(readable.length).toBeGreaterThanOrEqual(30);
  });

  it('builds most of the corpus, 2.x documents through conversion', () => {
    expect(report.built / report.entries.length).toBeGreaterThanOrEqual(0.8);
    expect(
      report.entries.filter((e) => e.status === 'built' && e.convertedFrom).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('refuses only for reasons it names: foreign formats, remote references, AMQP queues named at run time', () => {
    const byDocument = new Map(documents().map((d) => [d.file, d]));
    const named = new Set(['unsupported-schema-format', 'remote-ref', 'unsupported-amqp-binding']);
    for (const entry of report.entries.filter((e) => e.status === 'refused')) {
      const doc = byDocument.get(entry.file);
      expect(doc?.foreignFormat || doc?.remoteRef || doc?.runtimeQueue, entry.file).toBe(true);
      expect(
        entry.reasons.filter((reason) => !named.has(reason.code)),
        entry.file,
      ).toEqual([]);
    }
  });

  it('gives consistent models: operations on joined channels, unique type names, sources in real files', () => {
    for (const entry of report.entries) {
      const { model } = entry;
      if (!model) continue;
      for (const operation of model.services.flatMap((s) => s.operations)) {
        expect(model.channels.get(operation.channel.key), `${entry.file} ${operation.id}`).toBe(
          operation.channel,
        );
        for (const message of operation.messages) expect(operation.channel.messages).toContain(message);
      }
      const typeNames = [...model.channels.values()].flatMap((c) =>
        c.messages.map((m) => `${m.name}=${m.typeName}`),
      );
      const unique = new Set(typeNames.map((t) => t.split('=')[1]));
      expect(unique.size, entry.file).toBe(new Set(typeNames).size);
      for (const service of model.services)
        expect(existsSync(path.join(corpus, service.source.file)), entry.file).toBe(true);
    }
  });
});

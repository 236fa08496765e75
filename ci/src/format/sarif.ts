/**
 * SARIF 2.1.0 (the format GitHub code scanning and most IDEs import): one run, the rule catalogue as
 * `tool.driver.rules` (id, descriptions, help, default level), results with their physical location (file,
 * line, column) and the JSON pointer as a logical location. File URIs are relative to %SRCROOT%, the
 * directory the contracts were checked from.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { CHECK_RULES, DIFF_RULES, type RuleInfo } from '../rules.ts';
import { type Diagnostic, ruleOf } from '../../../generators/diagnostics/diagnostic.ts';
import type { Change } from '../types.ts';

type Level = 'error' | 'warning' | 'note' | 'none';

interface Located {
  readonly rule: string;
  readonly file: string;
  readonly pointer: string;
  readonly line?: number;
  readonly column?: number;
}

const LEVEL: Record<string, Level> = { error: 'error', warning: 'warning', info: 'note', off: 'none' };

function ruleDescriptor(rule: RuleInfo) {
  return {
    id: rule.id,
    name: rule.id.replace(/[/-](.)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: `${rule.summary} ${rule.help}` },
    help: { text: rule.help },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] ?? 'warning' },
    properties: { tags: [rule.id.split('/')[0] as string] },
  };
}

function location(item: Located) {
  return {
    physicalLocation: {
      artifactLocation: {
        uri: item.file.split('/').map(encodeURIComponent).join('/'),
        uriBaseId: '%SRCROOT%',
      },
      ...(item.line !== undefined
        ? {
            region: {
              startLine: item.line,
              ...(item.column !== undefined ? { startColumn: item.column } : {}),
            },
          }
        : {}),
    },
    logicalLocations: [{ fullyQualifiedName: `${item.file}#${item.pointer}`, kind: 'object' }],
  };
}

function fingerprint(item: Located & { readonly message: string }): string {
  return createHash('sha256')
    .update(`${item.rule}\u0000${item.file}\u0000${item.pointer}\u0000${item.message}`)
    .digest('hex')
    .slice(0, 32);
}

function sarifLog(
  catalogue: readonly RuleInfo[],
  items: readonly (Located & { message: string })[],
  results: (index: number) => object,
  cwd: string,
) {
  const rules = [...catalogue];
  for (const item of items) {
    if (!rules.some((r) => r.id === item.rule))
      rules.push({
        id: item.rule,
        defaultSeverity: 'warning',
        summary: item.rule,
        help: 'Reported by the contract model builder.',
      });
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'eventwire',
            informationUri: 'https://eventwire.dev',
            version: '0.1.0',
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        results: items.map((item, i) => ({
          ruleId: item.rule,
          ruleIndex: index.get(item.rule),
          ...results(i),
          locations: [location(item)],
          partialFingerprints: { 'eventwire/v1': fingerprint(item) },
        })),
      },
    ],
  };
}

export function sarifFindings(diagnostics: readonly Diagnostic[], cwd: string): string {
  const findings = diagnostics.map((d) => ({ ...d, rule: ruleOf(d) }));
  const log = sarifLog(
    CHECK_RULES,
    findings,
    (i) => {
      const f = findings[i] as (typeof findings)[number];
      return {
        level: LEVEL[f.severity],
        message: { text: f.hint ? `${f.message}. Fix: ${f.hint}` : f.message },
        properties: {
          pointer: f.pointer,
          ...(f.hint ? { suggestion: f.hint } : {}),
          ...(f.expected ? { expected: f.expected } : {}),
          ...(f.address ? { address: f.address } : {}),
        },
      };
    },
    cwd,
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}

const CHANGE_LEVEL: Record<Change['classification'], Level> = {
  breaking: 'error',
  undecidable: 'warning',
  'non-breaking': 'note',
};

export function sarifChanges(changes: readonly Change[], cwd: string): string {
  const log = sarifLog(
    DIFF_RULES,
    changes,
    (i) => {
      const c = changes[i] as Change;
      return {
        level: CHANGE_LEVEL[c.classification],
        message: {
          text: c.affects.length > 0 ? `${c.message} (affects ${c.affects.join(', ')})` : c.message,
        },
        properties: { classification: c.classification, affects: c.affects, pointer: c.pointer },
      };
    },
    cwd,
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}

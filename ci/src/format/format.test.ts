import { describe, expect, it } from 'vitest';
import { isSubset } from '../schema/schema-subset.ts';
import { compileSchema, toAjvSchema } from '../schema/ajv-cache.ts';
import type { Change, Diagnostic } from '../types.ts';
import { CHANGE_FORMATS, FINDING_FORMATS } from './format.ts';

const finding: Diagnostic = {
  stage: 'check',
  code: 'lint/naming',
  severity: 'warning',
  file: 'asyncapi/a,b.yaml',
  pointer: '/channels/x',
  line: 3,
  column: 5,
  message: '100% wrong:\nsecond line',
  hint: 'rename it',
};
const change: Change = {
  rule: 'schema/enum-value-added',
  classification: 'breaking',
  file: 'asyncapi/order.yaml',
  pointer: '/components/messages/OrderCreated/payload/properties/status',
  message: 'a new value',
  affects: ['billing'],
};
const options = { color: false, cwd: '/repo' };

describe('github format', () => {
  it('escapes data and properties like the Actions toolkit', () => {
    const out = FINDING_FORMATS.github([finding], options);
    expect(out.split('\n')[0]).toBe(
      '::warning file=asyncapi/a%2Cb.yaml,line=3,col=5,title=lint/naming::100%25 wrong:%0Asecond line%0Afix: rename it',
    );
  });
  it('maps classifications to levels', () => {
    expect(
      CHANGE_FORMATS.github(
        [change, { ...change, classification: 'undecidable' }, { ...change, classification: 'non-breaking' }],
        options,
      ),
    ).toMatch(/^::error .*\n::warning .*\n::notice .*\neventwire diff: 3 change\(s\), 1 breaking\n$/);
  });
});

describe('human format', () => {
  it('prints findings and changes in the block layout of every diagnostic', () => {
    expect(FINDING_FORMATS.human([finding], options)).toBe(
      [
        'asyncapi/a,b.yaml:3:5 /channels/x',
        '  warning: 100% wrong:\nsecond line  [lint/naming]',
        '    fix: rename it',
        '',
        '! 1 problem (0 errors, 1 warning, 0 info)',
        '',
      ].join('\n'),
    );
    expect(CHANGE_FORMATS.human([{ ...change, line: 7, column: 9 }], options)).toBe(
      [
        'asyncapi/order.yaml:7:9 /components/messages/OrderCreated/payload/properties/status',
        '  BREAKING: a new value  [schema/enum-value-added]',
        '    affects: billing',
        '',
        '✖ 1 breaking change, 0 undecidable, 0 non-breaking',
        '',
      ].join('\n'),
    );
  });
});

describe('json and sarif formats', () => {
  it('diff JSON counts breaking changes', () => {
    expect(
      JSON.parse(CHANGE_FORMATS.json([change, { ...change, classification: 'non-breaking' }], options))
        .breaking,
    ).toBe(1);
  });
  it('SARIF carries rule metadata, levels, regions and fingerprints', () => {
    const log = JSON.parse(
      FINDING_FORMATS.sarif(
        [finding, { ...finding, stage: 'model', code: 'custom-code', line: undefined, column: undefined }],
        options,
      ),
    );
    const run = log.runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/');
    const [first, second] = run.results;
    expect(run.tool.driver.rules[first.ruleIndex]).toMatchObject({
      id: 'lint/naming',
      defaultConfiguration: { level: 'error' },
    });
    expect(first).toMatchObject({
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'asyncapi/a%2Cb.yaml' },
            region: { startLine: 3, startColumn: 5 },
          },
        },
      ],
    });
    expect(first.partialFingerprints['eventwire/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(run.tool.driver.rules[second.ruleIndex].id).toBe('model/custom-code');
    expect(second.locations[0].physicalLocation.region).toBeUndefined();
  });
});

describe('ajv conversion of cyclic schemas', () => {
  it('turns shared and recursive nodes into $defs and validates like the graph', () => {
    const money = { type: 'number', minimum: 0 };
    const node: Record<string, unknown> = { type: 'object', properties: { price: money, total: money } };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    const tree = toAjvSchema(node) as { $defs: Record<string, unknown> };
    expect(Object.keys(tree.$defs)).toHaveLength(1);
    const compiled = compileSchema(node, '07');
    expect(compiled.ok && compiled.validate({ price: 1, children: [{ total: 2, children: [] }] })).toBe(true);
    expect(compiled.ok && compiled.validate({ price: 1, children: [{ total: -2 }] })).toBe(false);
    expect(compileSchema(node, '07')).toBe(compiled);
    expect(isSubset(node, node).verdict).toBe('yes');
  });
});

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { emitDapr, repoRoot } from './__fixtures__/emit.ts';
import { platformModel } from './__fixtures__/platform.ts';
import { daprFindings } from './checks.ts';
import { daprCrdDir, formatCrdIssue, loadDaprCrdValidator } from './crd-validate.ts';

const crdDir = daprCrdDir(repoRoot);
const present = existsSync(crdDir);
const skipped = present
  ? ''
  : ` [skipped: ${crdDir} not found; set EVENTWIRE_SHARED to the folder holding corpus/dapr-crds]`;
if (!present) console.warn(`Dapr CRD validation${skipped}`);

describe.skipIf(!present)(`generated Dapr YAML against Dapr's own CRDs${skipped}`, async () => {
  const validator = present ? loadDaprCrdValidator(crdDir) : undefined;
  const files = await emitDapr(platformModel());

  it('knows the Dapr resource kinds the emitters write', () => {
    expect(validator?.kinds).toEqual(
      expect.arrayContaining([
        'dapr.io/v2alpha1 Subscription',
        'dapr.io/v1alpha1 Component',
        'dapr.io/v1alpha1 Resiliency',
      ]),
    );
  });

  for (const file of files.values()) {
    it(`${file.path} is valid`, () => {
      expect(validator?.validateYaml(file.path, file.contents).map(formatCrdIssue)).toEqual([]);
    });
  }

  it('rejects a broken subscription with messages that say what is wrong and where', () => {
    const broken = stringify({
      apiVersion: 'dapr.io/v2alpha1',
      kind: 'Subscription',
      metadata: { name: 'Catalog_Worker' },
      spec: { pubsubname: 'pubsub', topic: 42, deadLetterTopc: 'dlq.x' },
      scopes: ['catalog-worker'],
    });
    const messages = validator?.validateYaml('catalog/dapr/subscription.yaml', broken).map(formatCrdIssue);
    expect(messages).toEqual([
      "catalog/dapr/subscription.yaml (document 1, Subscription/Catalog_Worker) /metadata/name: 'Catalog_Worker' is not a valid Kubernetes name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
      "catalog/dapr/subscription.yaml (document 1, Subscription/Catalog_Worker) /spec: missing required field 'routes'",
      "catalog/dapr/subscription.yaml (document 1, Subscription/Catalog_Worker) /spec: unknown field 'deadLetterTopc' (allowed: bulkSubscribe, deadLetterTopic, metadata, pubsubname, routes, topic); remove or rename it",
      'catalog/dapr/subscription.yaml (document 1, Subscription/Catalog_Worker) /spec/topic: must be string, got number (quote the value)',
    ]);
  });

  it('rejects a resiliency policy of the wrong shape and an unquoted annotation', () => {
    const text = [
      stringify({
        apiVersion: 'dapr.io/v1alpha1',
        kind: 'Resiliency',
        metadata: { name: 'r' },
        spec: { policies: { retries: { x: { maxRetries: 'three' } } } },
      }),
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'w' },
        spec: { template: { metadata: { annotations: { 'dapr.io/app-port': 8080 } } } },
      }),
    ].join('---\n');
    const issues = validator?.validateYaml('x.yaml', text) ?? [];
    expect(issues.map((i) => [i.document, i.pointer, i.message])).toEqual([
      [1, '/spec', "missing required field 'targets'"],
      [1, '/spec/policies/retries/x/maxRetries', 'must be integer, got string'],
      [
        2,
        '/spec/template/metadata/annotations/dapr.io~1app-port',
        'must be string, got number (quote the value)',
      ],
    ]);
  });

  it('turns schema violations into findings that point at the document and field', () => {
    const text = stringify({
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Resiliency',
      metadata: { name: 'r' },
      spec: { policies: {} },
    });
    const findings = daprFindings(
      platformModel(),
      [{ path: 'dapr/resiliency.yaml', contents: `---\n${text}` }],
      validator,
    );
    expect(findings).toEqual([
      {
        stage: 'emit',
        severity: 'error',
        code: 'dapr-crd-schema',
        message: "Resiliency/r: missing required field 'targets'",
        file: 'dapr/resiliency.yaml',
        pointer: '/0/spec',
      },
    ]);
  });

  it('names the kinds it knows when a document has an unknown kind, and reports bad YAML', () => {
    const [unknown] =
      validator?.validateYaml(
        'x.yaml',
        'apiVersion: dapr.io/v1alpha1\nkind: Subscriber\nmetadata: {name: a}\n',
      ) ?? [];
    expect(unknown?.message).toMatch(
      /^no schema for apiVersion 'dapr.io\/v1alpha1' kind 'Subscriber'; known: .*dapr.io\/v2alpha1 Subscription/,
    );
    const [yamlError] = validator?.validateYaml('x.yaml', 'spec: [\n') ?? [];
    expect(yamlError?.message).toMatch(/^invalid YAML: /);
  });
});

describe('CRD schema conversion (synthetic CRD, no shared folder needed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventwire-crd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.dev' },
    spec: {
      group: 'example.dev',
      names: { kind: 'Widget' },
      versions: [
        { name: 'v0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          served: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { 'x-kubernetes-int-or-string': true },
                    replicas: { type: 'integer', format: 'int32' },
                    note: { type: 'string', nullable: true, format: 'not-a-format' },
                    extra: {
                      type: 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                      properties: { a: { type: 'string' } },
                    },
                    anything: { 'x-kubernetes-preserve-unknown-fields': true },
                    tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
                    ports: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['name'],
                      items: {
                        type: 'object',
                        properties: { name: { type: 'string' }, port: { type: 'integer' } },
                      },
                    },
                    template: {
                      type: 'object',
                      'x-kubernetes-embedded-resource': true,
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  writeFileSync(join(dir, 'widgets.yaml'), `---\n${stringify(crd)}`);
  const validator = loadDaprCrdValidator(dir);
  const check = (spec: object) =>
    validator
      .validateResource('w.yaml', 1, {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec,
      })
      .map((i) => `${i.pointer}: ${i.message}`);

  it('serves only the served versions', () => {
    expect(validator.kinds).toEqual(['apps/v1 Deployment', 'example.dev/v1 Widget']);
  });

  it('accepts what Kubernetes accepts', () => {
    expect(
      check({
        size: '10Gi',
        replicas: 3,
        note: null,
        extra: { a: 'x', b: { free: true } },
        anything: [1, 'two'],
        tags: ['a', 'b'],
        ports: [
          { name: 'http', port: 80 },
          { name: 'grpc', port: 81 },
        ],
        template: { apiVersion: 'v1', kind: 'Pod', spec: {} },
      }),
    ).toEqual([]);
    expect(check({ size: 10 })).toEqual([]);
  });

  it('rejects what Kubernetes rejects or would silently prune', () => {
    expect(
      check({
        size: true,
        replicas: 2 ** 31,
        tags: ['a', 'a'],
        ports: [{ name: 'x' }, { name: 'x' }],
        template: {},
        typo: 1,
      }),
    ).toEqual(
      [
        ": unknown field 'typo' (allowed: anything, extra, note, ports, replicas, size, tags, template); remove or rename it",
        '/size: must be integer, got boolean',
        '/size: must be string, got boolean (quote the value)',
        '/replicas: must match format "int32"',
        '/tags: must NOT have duplicate items (items ## 1 and 0 are identical)',
        '/ports: two items share the same name (list keys must be unique)',
        "/template: missing required field 'apiVersion'",
        "/template: missing required field 'kind'",
      ].map((m) => `/spec${m}`),
    );
  });

  it('explains where the CRDs are expected when the folder is missing', () => {
    expect(() => loadDaprCrdValidator(join(dir, 'nope'))).toThrow(/EVENTWIRE_SHARED/);
    expect(daprCrdDir('/repo', { EVENTWIRE_SHARED: '/data/shared' })).toBe('/data/shared/corpus/dapr-crds');
    expect(daprCrdDir('/work/repo', {})).toBe('/work/shared/corpus/dapr-crds');
  });
});

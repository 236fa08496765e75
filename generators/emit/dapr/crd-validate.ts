/**
 * Validates Dapr resources (and the Deployment patches next to them) against the CustomResourceDefinitions Dapr
 * ships, the way the Kubernetes API server would: generated YAML is checked before anyone applies it, and
 * `eventwire check` can run the same validator over committed files. The CRDs are read from a folder (Dapr's
 * charts/dapr/crds), whose `openAPIV3Schema` per served version is converted by crd-schema.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { DEPLOYMENT_PATCH_SCHEMA, resourceSchema, type SchemaObject } from './crd-schema.ts';

export interface CrdIssue {
  readonly file: string;
  /** 1-based position of the document in the YAML stream. */
  readonly document: number;
  /** `Kind/name` when the document says. */
  readonly resource?: string;
  /** JSON pointer inside the document. */
  readonly pointer: string;
  readonly message: string;
}

export interface DaprResourceValidator {
  /** `apiVersion kind` pairs the validator knows, sorted. */
  readonly kinds: readonly string[];
  validateYaml(file: string, text: string): CrdIssue[];
  validateResource(file: string, document: number, resource: unknown): CrdIssue[];
}

/** The folder with Dapr's CRDs: `$EVENTWIRE_SHARED/corpus/dapr-crds` (default `<repo>/../shared`). */
export function daprCrdDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.EVENTWIRE_SHARED ?? resolve(repoRoot, '../shared'), 'corpus', 'dapr-crds');
}

export function formatCrdIssue(issue: CrdIssue): string {
  const what = issue.resource ? `, ${issue.resource}` : '';
  return `${issue.file} (document ${issue.document}${what}) ${issue.pointer || '/'}: ${issue.message}`;
}

type AjvPlugin = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS with a default export; under NodeNext the function sits on `.default` for types only.
const addFormats = ((addFormatsPlugin as unknown as { default?: AjvPlugin }).default ??
  (addFormatsPlugin as unknown as AjvPlugin)) as AjvPlugin;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-map-keys',
    type: 'array',
    schemaType: 'array',
    // A list-map may not hold two items with the same key fields (e.g. two metadata items named `redisHost`).
    validate: function listMapKeys(keys: readonly string[], items: readonly Record<string, unknown>[]) {
      const seen = new Set(items.map((item) => JSON.stringify(keys.map((k) => item?.[k]))));
      return seen.size === items.length;
    },
    errors: false,
  });
  return ajv;
}

export function loadDaprCrdValidator(crdDir: string): DaprResourceValidator {
  if (!existsSync(crdDir)) {
    throw new Error(
      `Dapr CRD folder ${crdDir} does not exist. Point EVENTWIRE_SHARED at the folder holding corpus/dapr-crds ` +
        "(Dapr's charts/dapr/crds), or pass the CRD folder explicitly.",
    );
  }
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(crdDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
      const crd = doc.toJS() as CustomResourceDefinition | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        if (version.served === false || !version.schema?.openAPIV3Schema) continue;
        const apiVersion = `${crd.spec.group}/${version.name}`;
        const schema = resourceSchema(version.schema.openAPIV3Schema, apiVersion, crd.spec.names.kind);
        validators.set(`${apiVersion} ${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  if (validators.size === 0) throw new Error(`no CustomResourceDefinition found in ${crdDir}`);
  validators.set('apps/v1 Deployment', ajv.compile(DEPLOYMENT_PATCH_SCHEMA));
  return makeValidator(validators);
}

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }[];
  };
}

function makeValidator(validators: ReadonlyMap<string, ValidateFunction>): DaprResourceValidator {
  const kinds = [...validators.keys()].sort();
  const validateResource = (file: string, document: number, resource: unknown): CrdIssue[] => {
    const r = (resource ?? {}) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
    const name = typeof r.metadata?.name === 'string' ? r.metadata.name : undefined;
    const where = {
      file,
      document,
      ...(typeof r.kind === 'string' ? { resource: `${r.kind}/${name ?? '?'}` } : {}),
    };
    const validate = validators.get(`${String(r.apiVersion)} ${String(r.kind)}`);
    if (!validate) {
      const message = `no schema for apiVersion '${String(r.apiVersion)}' kind '${String(r.kind)}'; known: ${kinds.join(', ')}`;
      return [{ ...where, pointer: '', message }];
    }
    if (validate(resource)) return [];
    return (validate.errors ?? [])
      .filter(isUseful)
      .map((error) => ({ ...where, pointer: error.instancePath, message: describe(error) }));
  };
  return {
    kinds,
    validateResource,
    validateYaml(file, text) {
      return parseAllDocuments(text).flatMap((doc, index) => {
        if (doc.errors.length > 0) {
          return doc.errors.map((e) => ({
            file,
            document: index + 1,
            pointer: '',
            message: `invalid YAML: ${e.message}`,
          }));
        }
        const value = doc.toJS() as unknown;
        return value === null ? [] : validateResource(file, index + 1, value);
      });
    },
  };
}

/** `anyOf` reports every failed branch and then itself; the branch errors already say what is wrong. */
const isUseful = (error: ErrorObject): boolean => error.keyword !== 'anyOf' && error.keyword !== 'oneOf';

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** One sentence per problem: what is wrong, what was expected and how to fix it. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as SchemaObject | undefined;
  switch (error.keyword) {
    case 'required':
      return `missing required field '${String(params.missingProperty)}'`;
    case 'additionalProperties': {
      const allowed = Object.keys((parent?.properties as object | undefined) ?? {}).sort();
      return `unknown field '${String(params.additionalProperty)}' (allowed: ${allowed.join(', ') || 'none'}); remove or rename it`;
    }
    case 'type':
      return `must be ${String(params.type)}, got ${jsonType(error.data)}${params.type === 'string' ? ' (quote the value)' : ''}`;
    case 'const':
      return `must be '${String(params.allowedValue)}', got '${String(error.data)}'`;
    case 'pattern':
      return error.instancePath.endsWith('/name')
        ? `'${String(error.data)}' is not a valid Kubernetes name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`
        : `'${String(error.data)}' does not match ${String(params.pattern)}`;
    case 'x-kubernetes-list-map-keys':
      return `two items share the same ${String(error.schema)} (list keys must be unique)`;
    default:
      return error.message ?? error.keyword;
  }
}

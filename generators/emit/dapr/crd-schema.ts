/**
 * Turns the OpenAPI v3 schema of a CustomResourceDefinition version into a JSON Schema ajv can validate with, with
 * the meaning the Kubernetes API server gives it:
 * - an object with `properties` and no `additionalProperties` is closed: the API server would silently prune an
 *   unknown field (and `kubectl apply --validate=strict` rejects it), which in generated config is always a bug;
 * - `x-kubernetes-preserve-unknown-fields: true` keeps an object open (and without `type`, accepts any value);
 * - `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource`, `x-kubernetes-list-type` and `nullable` become
 *   their JSON Schema equivalents; `x-kubernetes-list-map-keys` is checked by a custom keyword (see crd-validate.ts);
 * - `x-kubernetes-validations` (CEL rules) cannot be evaluated here and are left out;
 * - `metadata` at the root is the Kubernetes ObjectMeta, which the CRD leaves open: it gets its real rules here
 *   (required RFC 1123 `name`, string-valued labels and annotations).
 */
import { K8S_NAME_MAX, K8S_NAME_PATTERN } from './k8s-names.ts';

export type SchemaObject = { [keyword: string]: unknown };

/** Keywords copied unchanged (the structural subset Kubernetes allows). */
const PLAIN = [
  'type',
  'enum',
  'const',
  'required',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'description',
] as const;

/** Formats ajv-formats knows; Kubernetes ignores formats it does not know, so others are dropped. */
const KNOWN_FORMATS = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'date',
  'date-time',
  'uri',
  'email',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
  'password',
]);

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function openApiToJsonSchema(node: unknown): SchemaObject {
  if (!isObject(node)) return {};
  const out: SchemaObject = {};
  for (const keyword of PLAIN) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (typeof node.format === 'string' && KNOWN_FORMATS.has(node.format)) out.format = node.format;
  if (isObject(node.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([k, v]) => [k, openApiToJsonSchema(v)]),
    );
  }
  if (node.items !== undefined) out.items = openApiToJsonSchema(node.items);
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isObject(node.additionalProperties))
    out.additionalProperties = openApiToJsonSchema(node.additionalProperties);
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[combinator];
    if (Array.isArray(list)) out[combinator] = list.map(openApiToJsonSchema);
  }
  if (node.not !== undefined) out.not = openApiToJsonSchema(node.not);
  applyKubernetesExtensions(node, out);
  return out;
}

function applyKubernetesExtensions(node: SchemaObject, out: SchemaObject): void {
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    const properties = isObject(out.properties) ? out.properties : {};
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...properties,
    };
    out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), 'apiVersion', 'kind'])];
  }
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (node['x-kubernetes-list-type'] === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) {
    out['x-kubernetes-list-map-keys'] = node['x-kubernetes-list-map-keys'];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const closable =
    out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined;
  if (closable && !preserveUnknown) out.additionalProperties = false;
}

const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Kubernetes ObjectMeta as a client may write it (server-set fields allowed, unknown fields rejected). */
export function objectMetaSchema(nameRequired: boolean): SchemaObject {
  const open = {};
  return {
    type: 'object',
    ...(nameRequired ? { required: ['name'] } : {}),
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: K8S_NAME_MAX, pattern: K8S_NAME_PATTERN },
      generateName: { type: 'string' },
      namespace: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
      labels: {
        type: 'object',
        additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
      },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      ...Object.fromEntries(
        ['uid', 'resourceVersion', 'selfLink', 'creationTimestamp', 'deletionTimestamp'].map((k) => [
          k,
          { type: 'string' },
        ]),
      ),
      generation: { type: 'integer' },
      deletionGracePeriodSeconds: { type: 'integer' },
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: { type: 'array', items: open },
      managedFields: { type: 'array', items: open },
    },
  };
}

/** The schema a resource of `apiVersion`/`kind` must satisfy: the CRD version's schema plus identity and ObjectMeta. */
export function resourceSchema(openApi: unknown, apiVersion: string, kind: string): SchemaObject {
  const schema = openApiToJsonSchema(openApi);
  const properties = isObject(schema.properties) ? schema.properties : {};
  return {
    ...schema,
    type: 'object',
    required: [
      ...new Set([
        ...(Array.isArray(schema.required) ? schema.required : []),
        'apiVersion',
        'kind',
        'metadata',
      ]),
    ],
    properties: {
      ...properties,
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: objectMetaSchema(true),
    },
    additionalProperties: false,
  };
}

/**
 * Deployment patches (annotations.yaml) are not custom resources; this is the part of a Deployment they may set.
 * Annotation values must be strings: the API server rejects `dapr.io/app-port: 8080`.
 */
export const DEPLOYMENT_PATCH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'apps/v1' },
    kind: { const: 'Deployment' },
    metadata: objectMetaSchema(true),
    spec: {
      type: 'object',
      required: ['template'],
      properties: {
        template: {
          type: 'object',
          required: ['metadata'],
          properties: { metadata: objectMetaSchema(false) },
        },
      },
    },
  },
};

/**
 * Payload pools for a suite: contract-valid payloads (the contract's examples first, then payloads generated
 * from the schema with json-schema-faker, seeded) and invalid ones (a valid payload broken one way at a time:
 * a required field removed, a field of the wrong type, an unknown field where none is allowed, a value outside
 * its enum). Every payload is checked with the service's own compiled validator, so the pools agree with what
 * the consumer will accept.
 */
import { type CompiledValidator, formatIssues } from 'eventwire/runtime';
import { generateSync } from 'json-schema-faker';
import type { JsonSchema } from '../../generators/model/types.ts';

export interface PayloadPools {
  readonly payloads: unknown[];
  readonly invalidPayloads: { payload: unknown; violation: string }[];
}

export interface PoolOptions {
  readonly schema: JsonSchema;
  readonly examples: readonly unknown[];
  readonly validate: CompiledValidator<unknown>;
  readonly seed: number;
  /** Valid payloads wanted (default 8). */
  readonly size?: number;
}

export function payloadPools(options: PoolOptions): PayloadPools {
  const size = options.size ?? 8;
  const payloads: unknown[] = [];
  for (const example of options.examples) {
    if (payloads.length < size && options.validate(example)) payloads.push(structuredClone(example));
  }
  // A few attempts per slot: a generator may miss a rare constraint (formats, dependent fields).
  for (let attempt = 0; payloads.length < size && attempt < size * 4; attempt++) {
    const generated = generate(options.schema, options.seed * 1000 + attempt);
    if (generated !== undefined && options.validate(generated)) payloads.push(generated);
  }
  const base = payloads[0];
  return {
    payloads,
    invalidPayloads: base === undefined ? [] : breakings(base, options.schema, options.validate),
  };
}

function generate(schema: JsonSchema, seed: number): unknown {
  try {
    // Small payloads: a harness run is about delivery, and a 30 KB payload costs a JSON parse per delivery.
    return generateSync(
      schema as never,
      { seed, optionalsProbability: 0.5, maxDefaultItems: 2, maxItems: 3, maxLength: 40 } as never,
    );
  } catch {
    return undefined;
  }
}

type Mutation = (payload: Record<string, unknown>) => void;

/** One payload per way of breaking the schema at its top level, each refused by the validator. */
function breakings(
  base: unknown,
  schema: JsonSchema,
  validate: CompiledValidator<unknown>,
): { payload: unknown; violation: string }[] {
  if (base === null || typeof base !== 'object' || Array.isArray(base) || typeof schema !== 'object') {
    return [{ payload: { not: 'the contract payload' }, violation: 'not the contract payload' }].filter(
      (candidate) => !validate(candidate.payload),
    );
  }
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown[] }>;
  const required = (schema.required ?? []) as string[];
  const mutations: Mutation[] = [];
  const firstRequired = required[0];
  if (firstRequired !== undefined) mutations.push((payload) => delete payload[firstRequired]);
  for (const [name, property] of Object.entries(properties)) {
    if (!(name in (base as Record<string, unknown>))) continue;
    mutations.push((payload) => {
      payload[name] = property.type === 'string' || Array.isArray(property.enum) ? 12345 : 'not-a-number';
    });
    break;
  }
  if (schema.additionalProperties === false) mutations.push((payload) => (payload.x_unexpected_field = true));
  mutations.push((payload) => {
    for (const key of Object.keys(payload)) delete payload[key];
  });
  const invalid: { payload: unknown; violation: string }[] = [];
  for (const mutate of mutations) {
    const payload = structuredClone(base) as Record<string, unknown>;
    mutate(payload);
    if (validate(payload)) continue;
    invalid.push({ payload, violation: formatIssues(validate.errors ?? []) });
  }
  return invalid;
}

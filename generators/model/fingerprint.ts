/**
 * A canonical text for what a message means on the wire (payload, headers, content type, version, format):
 * two definitions with equal fingerprints are the same event. Prose (title, description, examples) does not
 * count, key order does not count, and a cycle is written as a back-reference so recursive schemas compare.
 */
import type { Message } from './types.ts';

const PROSE = new Set(['title', 'description', 'summary', 'examples', 'example', '$comment']);
/** Maps whose keys are names: a property called `title` is structure, not prose. */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);

function canonical(value: unknown, stack: object[], names = false): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  const depth = stack.indexOf(value);
  if (depth >= 0) return `{"$cycle":${stack.length - depth}}`;
  stack.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item) => canonical(item, stack)).join(',')}]`;
  } else {
    const keys = Object.keys(value)
      .filter((key) => names || (!PROSE.has(key) && !key.startsWith('x-parser-')))
      .sort();
    const record = value as Record<string, unknown>;
    const entry = (key: string) =>
      `${JSON.stringify(key)}:${canonical(record[key], stack, !names && NAME_MAPS.has(key))}`;
    out = `{${keys.map(entry).join(',')}}`;
  }
  stack.pop();
  return out;
}

export function fingerprint(
  message: Pick<Message, 'payload' | 'headers' | 'contentType' | 'version' | 'schemaFormat'>,
): string {
  const { payload, headers, contentType, version, schemaFormat } = message;
  return canonical({ payload, headers: headers ?? null, contentType, version, schemaFormat }, []);
}

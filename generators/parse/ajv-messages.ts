/** Turns ajv errors into short sentences for people: `"maxRetries" must be an integer`. */
import type { ErrorObject } from 'ajv';
import { escapeSegment, parsePointer } from './pointer.ts';

/** The pointer of the offending value: for an unknown property, the property itself. */
export function errorPointer(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapeSegment(String(error.params.additionalProperty))}`;
  }
  return error.instancePath;
}

function subject(error: ErrorObject): string {
  const last = parsePointer(error.instancePath).at(-1);
  if (last === undefined) return 'value';
  return /^\d+$/.test(last) ? `item ${last}` : `"${last}"`;
}

const list = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

export function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `property "${String(params.additionalProperty)}" is not allowed here`;
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'enum':
      return `${subject(error)} must be one of ${list(params.allowedValues as unknown[])}`;
    case 'const':
      return `${subject(error)} must be ${JSON.stringify(params.allowedValue)}`;
    case 'type': {
      const types = ([] as unknown[]).concat(params.type).map(String);
      return `${subject(error)} must be ${types.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(' or ')}`;
    }
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      const expected = description ? ` (${description.replace(/\.$/, '')})` : '';
      return `${subject(error)} must match ${String(params.pattern)}${expected}`;
    }
    case 'format':
      return `${subject(error)} must be a valid ${String(params.format)}`;
    case 'if':
      // The schema chose a form by a condition (a payload's schemaFormat): what is wrong is reported inside.
      return `${subject(error)} does not match the form required here: see the errors inside it`;
    case 'oneOf':
    case 'anyOf':
      return `${subject(error)} does not match any of the allowed forms`;
    default:
      return `${subject(error)} ${error.message ?? 'is not valid'}`;
  }
}

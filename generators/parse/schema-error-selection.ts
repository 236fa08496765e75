/**
 * Which ajv errors of the AsyncAPI JSON Schema validation are reported, and where: exactly the choice the
 * parser's `asyncapi-document-resolved` / `-unresolved` rules make (its `prepareResults`, then Spectral's
 * `schema` function, which keeps the errors `@stoplight/better-ajv-errors` keeps), so a document is refused at
 * the same JSON pointers whether the parser or eventwire validated it. The words are eventwire's (ajv-messages.ts).
 */
import betterAjvErrors from '@stoplight/better-ajv-errors';
import type { ErrorObject } from 'ajv';
import { describeAjvError } from './ajv-messages.ts';
import { parsePointer } from './pointer.ts';

export interface SelectedError {
  /** Path segments in the validated document (resolved or as written). */
  readonly path: readonly string[];
  readonly message: string;
}

/** How the parser words a `$ref` the unresolved schema does not allow, and how it tells such errors apart. */
const REF_ERROR = 'Property "$ref" is not expected to be here';

const isCombinator = (error: ErrorObject) => error.keyword === 'oneOf';
const isRefRequirement = (error: ErrorObject) =>
  error.keyword === 'required' && error.params.missingProperty === '$ref';

/**
 * The parser's prepareResults (ruleset/functions/documentStructure.js), applied to the resolved document's
 * errors only: an unknown property is reported at the property itself, the "required $ref" of reference
 * alternatives is dropped, and so are an error repeating the previous one's place and a `oneOf` whose branch
 * errors came just before it.
 */
function prepareResolved(errors: ErrorObject[]): void {
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as ErrorObject;
    if (error.keyword === 'additionalProperties') {
      error.instancePath = `${error.instancePath}/${String(error.params.additionalProperty)}`;
    } else if (isRefRequirement(error)) {
      errors.splice(i, 1);
      i--;
    }
  }
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as ErrorObject;
    const next = errors[i + 1];
    const previous = errors[i - 1];
    if (next && next.instancePath === error.instancePath) {
      errors.splice(i + 1, 1);
      i--;
    } else if (
      previous &&
      (isCombinator(error) || isRefRequirement(error)) &&
      previous.instancePath.startsWith(error.instancePath)
    ) {
      errors.splice(i, 1);
      i--;
    }
  }
}

/**
 * The errors the parser reports for one validation of the document `data`: `resolved` for the resolved
 * document (every error but misplaced `$ref`s), otherwise the document as written (only misplaced `$ref`s).
 */
export function selectErrors(
  ajvErrors: readonly ErrorObject[],
  data: unknown,
  resolved: boolean,
): SelectedError[] {
  // Copies: the selection edits errors in place, and ajv's own array belongs to the validator.
  const errors = ajvErrors.map((error) => ({ ...error }));
  if (resolved) prepareResolved(errors);
  const firstAt = new Map<string, ErrorObject>();
  for (const error of errors) if (!firstAt.has(error.instancePath)) firstAt.set(error.instancePath, error);
  const selected: SelectedError[] = [];
  for (const { error, path, suggestion } of betterAjvErrors({}, errors, {
    propertyPath: [],
    targetValue: data,
  })) {
    const parserMessage = suggestion === undefined ? error : `${error}. ${suggestion}`;
    if ((parserMessage === REF_ERROR) === resolved) continue;
    const segments = path === '' ? [] : parsePointer(path);
    if (!resolved) {
      selected.push({ path: segments, message: 'a $ref is not allowed here' });
      continue;
    }
    const source = firstAt.get(path);
    selected.push({ path: segments, message: source ? describeAjvError(source) : parserMessage });
  }
  return selected;
}

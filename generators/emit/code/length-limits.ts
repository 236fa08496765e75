/**
 * `maxLength` and `minLength` as ajv compiles them, with a cheap guard first. JSON Schema counts a string's
 * length in code points, so ajv calls its `ucs2length` helper, a loop over every UTF-16 unit, on every string
 * with a limit: a fifth of the validation CPU of a typical payload (profiled on orders.order.created). A string
 * of n UTF-16 units holds between ceil(n / 2) and n code points, so:
 *
 *   maxLength m: code points > m  only if  n > m         -> `n > m && ucs2length(s) > m`
 *   minLength m: code points < m  only if  n < 2m        -> `n < 2 * m && ucs2length(s) < m`
 *
 * The guard only skips the count where its result cannot fail the check: the verdicts, errors and their order
 * are ajv's own (the keywords keep their place among the string rules; the error objects are ajv's). The output
 * stays ajv standalone code calling ajv's own helper. Verdicts against stock ajv: length-limits.test.ts.
 */
import { _, type Ajv, type Code, type KeywordCxt } from 'ajv';
import { useFunc } from 'ajv/dist/compile/util.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';

// The CommonJS module under Node, the function itself under loaders that honour `__esModule` (see ajv-standalone.ts).
type Helper = typeof ucs2length & { readonly code: string };
const ucs2 = ((ucs2length as unknown as { default?: Helper }).default ?? ucs2length) as Helper;

function guardedLengthLimit(cxt: KeywordCxt): void {
  const { keyword, data, schemaCode, gen } = cxt;
  const codePoints = _`${useFunc(gen, ucs2)}(${data})`;
  cxt.fail$data(
    keyword === 'maxLength'
      ? _`${data}.length > ${schemaCode} && ${codePoints} > ${schemaCode}`
      : _`${data}.length < ${twice(cxt)} && ${codePoints} < ${schemaCode}`,
  );
}

/** 2m: a literal for a limit written in the schema, an expression for a `$data` reference. */
function twice(cxt: KeywordCxt): Code | number {
  return cxt.$data ? _`2 * ${cxt.schemaCode}` : 2 * (cxt.schema as number);
}

/** Replaces the code of this ajv instance's `maxLength` and `minLength` rules (the instance's own copies). */
export function useGuardedLengthLimits(ajv: Ajv): void {
  for (const keyword of ['maxLength', 'minLength']) {
    const rule = ajv.RULES.all[keyword];
    if (typeof rule !== 'object' || !('code' in rule.definition)) {
      throw new Error(`ajv has no ${keyword} rule to replace: its keyword layout changed`);
    }
    rule.definition.code = guardedLengthLimit;
  }
}

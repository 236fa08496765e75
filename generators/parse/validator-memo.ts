/**
 * Makes ajv standalone code remember, per function of the validator, the objects it found valid, and answer
 * "valid" at once when it meets one of them again. Validity under one schema function does not depend on
 * where the object sits (the context ajv passes only names places in errors; draft-07 has no evaluated-keyword
 * tracking), and only successes are kept, so the answers are the same. It pays because resolved AsyncAPI
 * documents share objects: a schema referenced from ten messages, the files every contract of a platform
 * references (validate-v3.ts shares those copies across the documents of one load).
 */

const MEMO = '__validObjects';
const MARK = '__rememberValid';

const ENTRY =
  /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;
const SUCCESS_EXIT = /(validate\d+)\.errors = vErrors;return errors === 0;\}/g;

export function rememberValidObjects(source: string): string {
  let entries = 0;
  let exits = 0;
  const checked = source.replace(ENTRY, (whole, name: string) => {
    entries++;
    return `${whole}if(typeof data==="object"&&data!==null&&${MEMO}.get(data)?.has(${name})){${name}.errors=null;return true;}`;
  });
  const marked = checked.replace(SUCCESS_EXIT, (_whole, name: string) => {
    exits++;
    return `${name}.errors = vErrors;if(errors===0&&typeof data==="object"&&data!==null)${MARK}(data,${name});return errors === 0;}`;
  });
  // ajv's code shape changed: better no memory than a wrong one.
  if (entries === 0 || entries !== exits || !marked.startsWith('"use strict";')) return source;
  const helpers = `const ${MEMO}=new WeakMap();function ${MARK}(d,f){let s=${MEMO}.get(d);if(s===undefined){s=new Set();${MEMO}.set(d,s);}s.add(f);}`;
  return `"use strict";${helpers}${marked.slice('"use strict";'.length)}`;
}

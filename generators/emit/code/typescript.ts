/**
 * The TypeScript compiler API, loaded with `require` or from the code cache of a worker that compiled it while
 * the contracts were read (typescript-ahead.ts). Imported as an ES module, Node would first scan the whole 9 MB
 * file for module syntax (the package.json has no "type") and then again for CommonJS export names, ~70 ms more
 * of every cold `generate`. Values come from here (`ts.factory`, `ts.SyntaxKind`), types from
 * `import type * as TS from 'typescript'` (type-only, erased). The top-level await is why `generate` imports the
 * emitters only once it has started that worker.
 */
import type * as TS from 'typescript';
import { loadTypeScript } from './typescript-ahead.ts';

const ts: typeof TS = await loadTypeScript();
export default ts;

/**
 * The TypeScript compiler API, loaded with `require`. Imported as an ES module, Node first scans the whole 9 MB
 * file for module syntax (the package.json has no "type") and then again for CommonJS export names; `require`
 * just runs it, which is ~70 ms less of every cold `generate`. Values come from here (`ts.factory`,
 * `ts.SyntaxKind`), types from `import type * as TS from 'typescript'` (type-only, erased).
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;
export default ts;

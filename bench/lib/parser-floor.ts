/**
 * The least a cold `eventwire generate` must do with the chosen parser: load @asyncapi/parser (with the same
 * rules eventwire gives it) and validate every document once, one after another, in one process, with nothing
 * else running. bench/generate.ts times this script as a whole process beside eventwire's cold run.
 *   node bench/lib/parser-floor.ts DOC...
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { asyncApiParser } from '../../generators/parse/parser.ts';

const { parser } = await asyncApiParser();
for (const file of process.argv.slice(2)) {
  const source = resolve(file);
  const diagnostics = await parser.validate(await readFile(source, 'utf8'), { source });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]?.message ?? 'invalid'}`);
}

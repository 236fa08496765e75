/**
 * The AsyncAPI parser with its default rulesets (`new Parser()`, with the Avro schema parser eventwire also
 * registers) loading and validating every document once, one after another, in one process with nothing
 * else running: what validation cost before eventwire shipped its own validators. bench/generate.ts and
 * bench/check.ts time this script as a whole process beside eventwire's cold runs.
 *   node bench/lib/parser-floor.ts DOC...
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { Parser } from '@asyncapi/parser';

const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
for (const file of process.argv.slice(2)) {
  const source = resolve(file);
  const diagnostics = await parser.validate(await readFile(source, 'utf8'), { source });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]?.message ?? 'invalid'}`);
}

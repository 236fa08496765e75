// Baseline: @asyncapi/modelina TypeScript models for every document given, in one process.
// Usage: node modelina.mjs OUT_DIR DOC...
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TypeScriptGenerator } from '@asyncapi/modelina';
import { Parser, fromFile } from '@asyncapi/parser';

const [out, ...docs] = process.argv.slice(2);
const parser = new Parser();
const generator = new TypeScriptGenerator({ modelType: 'interface' });
await mkdir(out, { recursive: true });
for (const doc of docs) {
  const { document, diagnostics } = await fromFile(parser, doc).parse();
  if (!document) throw new Error(`${doc}: ${diagnostics.filter((d) => d.severity === 0).map((d) => d.message).join('; ')}`);
  const models = await generator.generate(document);
  const text = models.map((m) => m.result).join('\n\n');
  await writeFile(join(out, `${basename(doc, '.yaml')}.ts`), text);
}


// Baseline: @asyncapi/generator with the markdown template for every document given, in one process.
// Usage: node generator.mjs OUT_DIR DOC...
import { basename, join } from 'node:path';
import Generator from '@asyncapi/generator';

const [out, ...docs] = process.argv.slice(2);
for (const doc of docs) {
  const generator = new Generator('@asyncapi/markdown-template', join(out, basename(doc, '.yaml')), {
    forceWrite: true,
    install: false,
  });
  await generator.generateFromFile(doc);
}

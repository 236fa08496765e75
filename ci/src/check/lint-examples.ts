/**
 * lint/invalid-example: every message example validates against its payload schema. Each schema is compiled
 * once (messages shared across documents through $ref are the same object and are checked once).
 */
import type { Message } from '../../../generators/model/types.ts';
import { compileSchema, describeAjvError, draftOf } from '../schema/ajv-cache.ts';
import { allOperations, type CheckContext, type CheckRule, type RawFinding } from './context.ts';

function messages(context: CheckContext): Message[] {
  const seen = new Set<Message>();
  for (const channel of context.model.channels.values()) for (const m of channel.messages) seen.add(m);
  for (const op of allOperations(context.model)) for (const m of op.messages) seen.add(m);
  // The same definition may reach the model as several objects; its source identifies it.
  const bySource = new Map<string, Message>();
  for (const m of seen) {
    const key = `${m.source.file}#${m.source.pointer}`;
    if (!bySource.has(key)) bySource.set(key, m);
  }
  return [...bySource.values()];
}

function run(context: CheckContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const message of messages(context)) {
    if (message.examples.length === 0) continue;
    const draft = draftOf(message.schemaFormat);
    if (draft === undefined) continue; // Avro, Protobuf, ...: not JSON Schema
    const compiled = compileSchema(message.payload, draft);
    if (!compiled.ok) continue; // an unusable schema is the model builder's error to report
    for (const [i, example] of message.examples.entries()) {
      if (compiled.validate(example.payload)) continue;
      const errors = (compiled.validate.errors ?? []).slice(0, 3).map(describeAjvError);
      const label = example.name ? `example \`${example.name}\`` : `example ${i + 1}`;
      findings.push({
        code: 'lint/invalid-example',
        file: example.source.file,
        pointer: example.source.pointer,
        message: `${label} of \`${message.name}\` does not match its payload schema: ${errors.join('; ')}`,
        hint: 'fix the example, or the schema if the example shows what is really sent',
      });
    }
  }
  return findings;
}

export const examplesRule: CheckRule = { ids: ['lint/invalid-example'], run };

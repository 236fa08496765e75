/**
 * A message's payload as a field table and its first example with personal data masked: the part of the docs
 * that producers and consumers read most, shared by the service and event pages.
 */
import type { Message } from '../../model/types.ts';
import { code, codeBlock, concat, type Md, prose, table, text } from './markdown.ts';
// Examples are often copied from real traffic: their personal data is masked as the runtime masks it.
import { maskPii } from '../../../runtime/pii.ts';
import { fieldRows } from './schema-fields.ts';

export function fieldsTable(message: Message): Md {
  const rows = fieldRows(message.payload, message.piiFields);
  if (rows.length === 0) return text('The payload has no declared fields.');
  return table(
    ['field', 'type', 'required', 'description', 'PII'],
    rows.map((row) => [
      code(row.path),
      code(row.type),
      text(row.required ? 'yes' : ''),
      prose(row.description ?? ''),
      text(row.pii ? 'yes (masked)' : ''),
    ]),
  );
}

/** The first example, PII masked, as a caption and a code block; nothing when the contract has none. */
export function exampleBlocks(message: Message): Md[] {
  const [example] = message.examples;
  if (!example) return [];
  const caption = example.name ? concat(text('Example '), code(example.name), text(':')) : text('Example:');
  const json = JSON.stringify(maskPii(example.payload, message.piiFields), null, 2) ?? 'null';
  return [caption, codeBlock('json', json)];
}

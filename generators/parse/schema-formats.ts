/**
 * Types and validators are generated from JSON Schema. A message whose payload or headers use another schema
 * format (Avro, XML, RAML, Protobuf...) without an installed schema parser is refused with an error that names
 * the format, instead of generating code that accepts anything.
 */
import { contractError } from './errors.ts';
import type { ContractFiles } from './files.ts';
import { childPointer, isRecord } from './pointer.ts';
import type { Diagnostic } from './types.ts';

/** AsyncAPI versions whose schema format the parser reads natively (with its JSON Schema draft-07). */
const NATIVE_ASYNCAPI_VERSIONS = [
  '2.0.0',
  '2.1.0',
  '2.2.0',
  '2.3.0',
  '2.4.0',
  '2.5.0',
  '2.6.0',
  '3.0.0',
  '3.1.0',
];

/**
 * The schema formats the AsyncAPI parser reads without a schema parser plugin, known without loading it
 * (schema-formats.test.ts compares them with the parser's registry).
 */
export const PARSER_NATIVE_FORMATS: ReadonlySet<string> = new Set([
  ...['', '+json', '+yaml'].map((suffix) => `application/schema${suffix};version=draft-07`),
  ...NATIVE_ASYNCAPI_VERSIONS.flatMap((version) =>
    ['', '+json', '+yaml'].map((suffix) => `application/vnd.aai.asyncapi${suffix};version=${version}`),
  ),
]);

interface MessageAt {
  readonly pointer: string;
  readonly message: Record<string, unknown>;
}

function messagesOf(resolved: Record<string, unknown>): MessageAt[] {
  const found: MessageAt[] = [];
  const collect = (messages: unknown, base: string) => {
    if (!isRecord(messages)) return;
    for (const [id, message] of Object.entries(messages)) {
      if (isRecord(message)) found.push({ pointer: childPointer(base, id), message });
    }
  };
  const channels = isRecord(resolved.channels) ? resolved.channels : {};
  for (const [id, channel] of Object.entries(channels)) {
    if (isRecord(channel)) collect(channel.messages, childPointer('/channels', id, 'messages'));
  }
  const components = isRecord(resolved.components) ? resolved.components : {};
  collect(components.messages, '/components/messages');
  return found;
}

/** The formats the messages declare for payloads and headers (AsyncAPI 3 Multi Format Schema Objects). */
export function schemaFormats(resolved: Record<string, unknown>): string[] {
  const formats = new Set<string>();
  for (const { message } of messagesOf(resolved)) {
    for (const part of [message.payload, message.headers]) {
      if (isRecord(part) && typeof part.schemaFormat === 'string' && 'schema' in part)
        formats.add(part.schemaFormat);
    }
  }
  return [...formats].sort();
}

function hintFor(format: string): string {
  if (/avro/i.test(format)) {
    return 'install @asyncapi/avro-schema-parser to read Avro payloads, or describe the payload with JSON Schema';
  }
  return 'describe the payload with an AsyncAPI or JSON Schema (draft-07) schema';
}

export function unsupportedSchemaFormats(
  files: ContractFiles,
  documentPath: string,
  resolved: Record<string, unknown>,
  supports: (format: string) => boolean,
): Diagnostic[] {
  const errors: Diagnostic[] = [];
  for (const { pointer, message } of messagesOf(resolved)) {
    for (const part of ['payload', 'headers'] as const) {
      const schema = message[part];
      // AsyncAPI 3 Multi Format Schema Object: { schemaFormat, schema }.
      if (!isRecord(schema) || typeof schema.schemaFormat !== 'string' || !('schema' in schema)) continue;
      if (supports(schema.schemaFormat)) continue;
      const name = typeof message.name === 'string' ? message.name : pointer.split('/').at(-1);
      const location = files.origin(documentPath, childPointer(pointer, part, 'schemaFormat'));
      errors.push(
        contractError(
          files,
          location,
          'unsupported-schema-format',
          `unsupported schemaFormat "${schema.schemaFormat}" in the ${part} of message "${name}"`,
          hintFor(schema.schemaFormat),
        ),
      );
    }
  }
  return errors;
}

/**
 * `<service>/types.ts`: one exported type per message the service sends or receives (named by the message's
 * typeName) and one `<Channel>Parameters` type per parameterised channel.
 *
 * Payload types come from json-schema-to-typescript, compiled once per service over a bundle of every payload
 * (see schema-bundle.ts) so a subschema shared by two messages is declared once. `format: false` skips
 * prettier (it costs more than everything else together); the output is re-printed instead (ts-source.ts,
 * without TypeScript's compiler), which makes it deterministic and consistent with the other generated files.
 */
import type { Options } from 'json-schema-to-typescript';
import type { Channel, Message, Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { at, CodeEmitError } from './errors.ts';
import { exportModifier, printNode, propertyName, str, unionOf, withDoc } from './print.ts';
import { bundleSchemas, DEFS_POINTER } from './schema-bundle.ts';
import { firstUnresolvedRef } from './schema-walk.ts';
import { type ParametersView, serviceView } from './service-view.ts';
import { type ParsedDeclaration, reprintDeclarations } from './ts-source.ts';
import { namedTypeSchema, typeSchemaAdapter } from './type-schema.ts';
import { emitPerServiceAsync } from './per-service.ts';
import * as S from './syntax.ts';

/** Name of the throw-away root type that makes the library emit every payload type in one pass. */
const ROOT_NAME = 'EventwireGeneratedTypesRoot';
const PLACEHOLDER = 'EventwireDefinition';
const PLACEHOLDER_END = 'X';

export const COMPILE_OPTIONS: Partial<Options> = {
  bannerComment: '',
  format: false,
  // Only properties the contract names: an index signature would switch off excess-property checks on
  // payload literals. Validation still follows the schema (extra properties pass unless the schema forbids them).
  additionalProperties: false,
  declareExternallyReferenced: true,
  strictIndexSignatures: true,
  unreachableDefinitions: false,
  unknownAny: true,
  // minItems/maxItems tuples make producer code fight the types (`[T, ...T[]]` from `.map`); the validator
  // enforces the bounds.
  ignoreMinAndMaxItems: true,
  // Everything is already resolved; never read files or the network while generating.
  $refOptions: { resolve: { external: false } },
};

export const typesPlugin: EmitterPlugin = {
  name: 'code-types',
  description: 'Payload and channel-parameter types per service (<service>/types.ts)',
  emit(model) {
    return emitPerServiceAsync(model, 'code-types', typesInput, async (input) => [
      await emitServiceTypes(input),
    ]);
  },
};

/** What a payload type is made of. */
type TypedMessage = Pick<
  Message,
  'typeName' | 'name' | 'version' | 'summary' | 'title' | 'payload' | 'source'
>;

/**
 * Everything a service's types are made of, and all the emitter is given: its output is kept by this value, so
 * a change elsewhere in the service (its title, an operation) does not compile its schemas again. Locations only
 * go into error messages.
 */
/** What a `<Channel>Parameters` type is made of. */
interface ParametersInput {
  readonly typeName: ParametersView['typeName'];
  readonly channel: Pick<Channel, 'address' | 'parameters'>;
}

interface TypesInput {
  readonly service: Pick<Service, 'name' | 'source'>;
  readonly messages: readonly TypedMessage[];
  readonly reservedNames: readonly string[];
  readonly parameterTypes: readonly ParametersInput[];
  readonly sources: readonly string[];
}

function typesInput(service: Service): TypesInput {
  const view = serviceView(service);
  return {
    service: { name: service.name, source: service.source },
    messages: view.messages.map(({ typeName, name, version, summary, title, payload, source }) => ({
      typeName,
      name,
      version,
      ...(summary === undefined ? {} : { summary }),
      ...(title === undefined ? {} : { title }),
      payload,
      source,
    })),
    reservedNames: [...view.reservedNames],
    parameterTypes: view.parameterTypes.map(({ typeName, channel: { address, parameters } }) => ({
      typeName,
      channel: { address, parameters },
    })),
    sources: view.sources,
  };
}

async function emitServiceTypes(input: TypesInput): Promise<GeneratedFile> {
  const { service, messages } = input;
  const payloadTypes =
    messages.length > 0 ? await payloadDeclarations(service, messages, new Set(input.reservedNames)) : [];
  const parameterTypes = input.parameterTypes.map((p) => printNode(parametersDeclaration(p)));
  const contents = [...payloadTypes, ...parameterTypes].join('\n\n');
  return {
    path: `${service.name}/types.ts`,
    contents: contents === '' ? 'export {};\n' : `${contents}\n`,
    ownership: 'generated',
    sources: input.sources,
  };
}

async function payloadDeclarations(
  service: TypesInput['service'],
  messages: readonly TypedMessage[],
  reserved: ReadonlySet<string>,
): Promise<string[]> {
  const source = await compilePayloadTypes(service, messages, reserved);
  let reprinted: ParsedDeclaration[];
  try {
    reprinted = reprintDeclarations(source);
  } catch (error) {
    throw new CodeEmitError(
      `${at(service.source)}: cannot re-print the payload types of service "${service.name}": ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const declarations = reprinted.filter((d) => d.name !== ROOT_NAME);
  const declared = new Set<string | undefined>();
  for (const { name } of declarations) {
    if (name !== undefined && declared.has(name)) {
      throw new CodeEmitError(
        `${at(service.source)}: two payload types of service "${service.name}" would be named ${name}; give ` +
          'one of the subschemas titled like that a different title',
      );
    }
    declared.add(name);
  }
  for (const message of messages) {
    if (!declared.has(message.typeName)) {
      throw new CodeEmitError(
        `${at(message.source)}: the payload type ${message.typeName} of "${message.name}" was not produced; ` +
          'a subschema title probably clashes with it, rename that title',
      );
    }
  }
  return declarations.map((d) => d.text);
}

/**
 * The library's TypeScript for a service's payloads (before re-printing), message types under their real
 * names. Exported for the tests and benchmarks that compare re-printers; undefined for a service without
 * messages.
 */
export async function payloadTypeSource(service: Service): Promise<string | undefined> {
  const input = typesInput(service);
  if (input.messages.length === 0) return undefined;
  return compilePayloadTypes(input.service, input.messages, new Set(input.reservedNames));
}

async function compilePayloadTypes(
  service: TypesInput['service'],
  messages: readonly TypedMessage[],
  reserved: ReadonlySet<string>,
): Promise<string> {
  for (const message of messages) {
    const ref = firstUnresolvedRef(message.payload);
    if (ref !== undefined) {
      throw new CodeEmitError(
        `${at(message.source)}: the payload schema of "${message.name}" still contains "$ref": "${ref}"; the ` +
          'contract model should have resolved it. Check that the referenced file and pointer exist.',
      );
    }
  }
  // The library re-spells the names it derives from titles and `$defs` keys (`_2faCodeIssued` ->
  // `_2FaCodeIssued`), so each message type goes in under a placeholder it keeps verbatim, swapped for the real
  // name in its output.
  const placeholders = messages.map((m, index) => ({
    message: m,
    placeholder: `${PLACEHOLDER}${index}${PLACEHOLDER_END}`,
  }));
  const byPlaceholder = new Map(placeholders.map((p) => [p.placeholder, p.message]));
  const defs = bundleSchemas(
    placeholders.map((p) => ({ name: p.placeholder, schema: p.message.payload })),
    {
      reservedNames: new Set([...reserved, ROOT_NAME]),
      adapt: typeSchemaAdapter(reserved, `${at(service.source)} (service "${service.name}")`),
      finishDefinition: (name, schema) => {
        const message = byPlaceholder.get(name);
        return namedTypeSchema(
          name,
          schema,
          message && ((existing) => messageDescription(message, existing)),
        );
      },
    },
  );
  const root = {
    title: ROOT_NAME,
    type: 'object',
    additionalProperties: false,
    required: placeholders.map((p) => p.placeholder),
    properties: Object.fromEntries(
      placeholders.map((p) => [p.placeholder, { $ref: DEFS_POINTER + p.placeholder }]),
    ),
    $defs: defs,
  };
  let output: string;
  try {
    // Loaded on first use: a run that finds every service's types kept needs no schema compiler. A CommonJS
    // package: its exports object is the default export, in Node and in the bundled CLI alike (package/bundle.ts).
    const { compile } = (await import('json-schema-to-typescript')).default;
    output = await compile(root as Parameters<typeof compile>[0], ROOT_NAME, COMPILE_OPTIONS);
  } catch (error) {
    throw new CodeEmitError(
      `${at(service.source)}: cannot turn the payload schemas of service "${service.name}" into TypeScript ` +
        `types: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // The library derives more names from a title by appending a number (`<title>1` for the object part of an
  // `allOf`), so a placeholder ends in a letter and any number after it is carried over to the real name.
  const named = output.replace(
    new RegExp(`\\b(${PLACEHOLDER}\\d+${PLACEHOLDER_END})(\\d*)\\b`, 'g'),
    (text, placeholder: string, suffix: string) => {
      const message = byPlaceholder.get(placeholder);
      return message === undefined ? text : `${message.typeName}${suffix}`;
    },
  );
  return named;
}

/** The message type's JSDoc: what the payload is, then which event and schema version it belongs to. */
function messageDescription(message: TypedMessage, payloadDescription: string | undefined): string {
  const what = payloadDescription ?? message.summary ?? message.title;
  const line = `Payload (\`data\`) of \`${message.name}\` events, schema version ${message.version}.`;
  return what ? `${what}\n\n${line}` : line;
}

/** `export type XParameters = { readonly region: 'eu' | 'us' }`: a type alias, so it fits `Record<string, string>`. */
function parametersDeclaration(view: ParametersInput): S.TypeAlias {
  const members = view.channel.parameters.map((parameter) =>
    withDoc(
      S.propertySignature(
        ['readonly'],
        propertyName(parameter.name),
        parameter.enum && parameter.enum.length > 0
          ? unionOf(parameter.enum.map((value) => S.literalType(str(value))))
          : S.keywordType('string'),
      ),
      parameter.description,
    ),
  );
  return withDoc(
    S.typeAlias([exportModifier()], view.typeName, S.typeLiteral(members)),
    `Values for the \`{placeholders}\` of channel \`${view.channel.address}\`.`,
  );
}

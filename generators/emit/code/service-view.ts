/**
 * The per-service facts every code emitter needs, computed once from the model: which messages the service
 * uses, the publisher methods and consumer handlers with their identifiers, and the parameter types.
 * Naming lives here so types.ts, validators, contract, publisher and consumer always agree on a name, and a
 * name clash is reported once, with both contract locations, instead of surfacing as a compile error later.
 */
import { camelCase, pascalCase } from '../../model/names.ts';
import type { Channel, Message, Operation, Service } from '../../model/types.ts';
import { at, CodeEmitError } from './errors.ts';
import { bundleSchemas } from './schema-bundle.ts';

export interface ParametersView {
  /** Exported type name in types.ts (`OrderRegionCreatedParameters`). */
  readonly typeName: string;
  readonly channel: Channel;
}

export interface PublicationView {
  /** Publisher method name and key in `publications`. */
  readonly key: string;
  readonly operation: Operation;
  readonly message: Message;
  /** Present when the channel address has `{param}` placeholders. */
  readonly parameters?: ParametersView;
}

export interface SubscriptionView {
  /** Handler name and key in `subscriptions`. */
  readonly key: string;
  readonly operation: Operation;
  readonly messages: readonly Message[];
}

export interface ServiceView {
  readonly service: Service;
  /** `CommonOperations` for `common-operations`. */
  readonly typePrefix: string;
  readonly api: {
    readonly publisher: string;
    readonly createPublisher: string;
    readonly handlers: string;
    readonly startConsumer: string;
  };
  /** Every message the service sends or receives, once, sorted by type name. */
  readonly messages: readonly Message[];
  readonly publications: readonly PublicationView[];
  readonly subscriptions: readonly SubscriptionView[];
  readonly parameterTypes: readonly ParametersView[];
  /** Every name types.ts may not use for a nested schema type (it would clash in the barrel). */
  readonly reservedNames: ReadonlySet<string>;
  /** Contract files this service's code comes from, for the generated-file header. */
  readonly sources: readonly string[];
}

export function validatorName(message: Message): string {
  return `validate${message.typeName}`;
}

const byKey = <T extends { readonly key: string }>(a: T, b: T): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

const cache = new WeakMap<Service, ServiceView>();

export function serviceView(service: Service): ServiceView {
  let view = cache.get(service);
  if (!view) {
    view = buildView(service);
    cache.set(service, view);
  }
  return view;
}

function buildView(service: Service): ServiceView {
  const typePrefix = pascalCase(service.name);
  const api = {
    publisher: `${typePrefix}Publisher`,
    createPublisher: `create${typePrefix}Publisher`,
    handlers: `${typePrefix}Handlers`,
    startConsumer: `start${typePrefix}Consumer`,
  };
  const messages = collectMessages(service);
  const parameterTypes = collectParameterTypes(service, new Set(messages.map((m) => m.typeName)));
  const paramsByChannel = new Map(parameterTypes.map((p) => [p.channel.key, p]));

  const publications: PublicationView[] = [];
  const subscriptions: SubscriptionView[] = [];
  for (const operation of service.operations) {
    const used = operationMessages(operation);
    if (operation.action === 'send') {
      for (const message of used) {
        const key =
          used.length === 1 ? camelCase(operation.id) : camelCase(`${operation.id} ${message.typeName}`);
        const parameters = paramsByChannel.get(operation.channel.key);
        publications.push({ key, operation, message, ...(parameters ? { parameters } : {}) });
      }
    } else {
      subscriptions.push({ key: camelCase(operation.id), operation, messages: used });
    }
  }
  refuseDuplicateKeys(publications, 'publisher method');
  refuseDuplicateKeys(subscriptions, 'consumer handler');

  const reservedNames = new Set([
    ...Object.values(api),
    ...messages.flatMap((m) => [m.typeName, validatorName(m)]),
    ...parameterTypes.map((p) => p.typeName),
  ]);
  const sources = new Set([service.source.file]);
  for (const operation of service.operations) {
    sources.add(operation.source.file).add(operation.channel.source.file);
    for (const message of operationMessages(operation)) sources.add(message.source.file);
  }
  return {
    service,
    typePrefix,
    api,
    messages,
    publications: publications.sort(byKey),
    subscriptions: subscriptions.sort(byKey),
    parameterTypes,
    reservedNames,
    sources: [...sources].sort(),
  };
}

/** The operation's messages, or the channel's when the operation names none; once per message name. */
function operationMessages(operation: Operation): readonly Message[] {
  const listed = operation.messages.length > 0 ? operation.messages : operation.channel.messages;
  if (listed.length === 0) {
    throw new CodeEmitError(
      `${at(operation.source)}: operation "${operation.id}" has no message; list the message it ${operation.action}s ` +
        `under "messages" (or on its channel) so eventwire knows the payload type`,
    );
  }
  const seen = new Map<string, Message>();
  for (const message of listed) if (!seen.has(message.name)) seen.set(message.name, message);
  return [...seen.values()];
}

function collectMessages(service: Service): Message[] {
  const byName = new Map<string, Message>();
  const byTypeName = new Map<string, Message>();
  for (const operation of service.operations) {
    for (const message of operationMessages(operation)) {
      const known = byName.get(message.name);
      if (known) {
        if (!samePayload(known, message)) {
          throw new CodeEmitError(
            `${at(message.source)}: message "${message.name}" has a different payload here than at ` +
              `${at(known.source)}; service "${service.name}" cannot have one type for both. Reference one ` +
              'definition with $ref.',
          );
        }
        continue;
      }
      const clash = byTypeName.get(message.typeName);
      if (clash) {
        throw new CodeEmitError(
          `${at(message.source)}: messages "${clash.name}" (${at(clash.source)}) and "${message.name}" both become ` +
            `type ${message.typeName} in service "${service.name}"; rename one of them`,
        );
      }
      byName.set(message.name, message);
      byTypeName.set(message.typeName, message);
    }
  }
  return [...byName.values()].sort((a, b) =>
    a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0,
  );
}

/** Two definitions of one message agree when their payloads are the same schema (object identity or content). */
function samePayload(a: Message, b: Message): boolean {
  if (a === b || a.payload === b.payload) return true;
  const canonical = (m: Message) =>
    JSON.stringify(bundleSchemas([{ name: 'P', schema: m.payload }], { reservedNames: new Set() }));
  return canonical(a) === canonical(b);
}

/** One `<Channel>Parameters` type per parameterised channel the service uses; clashing names get a number. */
function collectParameterTypes(service: Service, taken: ReadonlySet<string>): ParametersView[] {
  const channels = new Map<string, Channel>();
  for (const operation of service.operations) {
    if (operation.channel.parameters.length > 0) channels.set(operation.channel.key, operation.channel);
  }
  const used = new Set(taken);
  return [...channels.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((channel) => {
      const base = `${pascalCase(channel.id)}Parameters`;
      let typeName = base;
      for (let n = 2; used.has(typeName); n++) typeName = `${base}${n}`;
      used.add(typeName);
      return { typeName, channel };
    })
    .sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
}

function refuseDuplicateKeys(entries: readonly (PublicationView | SubscriptionView)[], what: string): void {
  const seen = new Map<string, Operation>();
  for (const entry of entries) {
    const other = seen.get(entry.key);
    if (other && other !== entry.operation) {
      throw new CodeEmitError(
        `${at(entry.operation.source)}: operations "${other.id}" (${at(other.source)}) and "${entry.operation.id}" ` +
          `both become the ${what} "${entry.key}"; rename one of the operationIds`,
      );
    }
    seen.set(entry.key, entry.operation);
  }
}

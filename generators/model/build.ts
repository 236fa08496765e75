/**
 * Builds the ContractModel from parsed AsyncAPI documents. Order of work: check extensions in every file,
 * register messages (one per name), join channels across documents, then operations and services. Everything
 * is sorted, so the same contracts give the same model whatever the file-system order.
 *
 * Documents written without eventwire's extensions (other tools, other protocols) still give a model: the
 * service is named after info.title, servers are of kind 'other', channels are topics on pub/sub 'default'.
 */
import { compareText } from '../parse/compare.ts';
import type { ParsedDocument } from '../parse/types.ts';
import { childPointer, isRecord } from '../parse/pointer.ts';
import { BuildContext, sortedEntries, text } from './build-context.ts';
import { buildChannelDrafts } from './build-channels.ts';
import { MessageRegistry } from './build-messages.ts';
import { buildOperations } from './build-operations.ts';
import { buildServers } from './build-servers.ts';
import { checkExtensions, INVALID_EXTENSION } from './extensions.ts';
import { joinChannels } from './join-channels.ts';
import { kebabCase } from './names.ts';
import type { ContractModel, Service } from './types.ts';

interface ServiceExtension {
  name: string;
  appId?: string;
  appPort?: number;
  appProtocol?: Service['appProtocol'];
}

/** Extensions are checked in each file once, shared parts included, wherever they are. */
function reportExtensionProblems(ctx: BuildContext, docs: readonly ParsedDocument[]): void {
  const checked = new Set<string>();
  for (const doc of docs) {
    for (const file of [
      doc.absPath,
      ...doc.dependencies.map((dependency) => doc.files.absolute(dependency)),
    ]) {
      if (checked.has(file)) continue;
      checked.add(file);
      for (const problem of checkExtensions(doc.files.entry(file)?.data)) {
        const source = { file: doc.files.display(file), pointer: problem.pointer };
        const hint = problem.hint ?? 'see asyncapi/extensions.schema.json for the allowed fields and values';
        ctx.report('error', INVALID_EXTENSION, problem.message, source, hint, problem.expected);
      }
    }
  }
}

function registerPublishedMessages(ctx: BuildContext, doc: ParsedDocument, registry: MessageRegistry): void {
  for (const [, operation] of sortedEntries(doc.resolved.operations)) {
    const channelId = isRecord(operation.channel)
      ? text(operation.channel['x-parser-unique-object-id'])
      : undefined;
    if (operation.action !== 'send' || channelId === undefined) continue;
    const listed = Array.isArray(operation.messages)
      ? new Set(
          operation.messages.map((message) =>
            isRecord(message) ? message['x-parser-unique-object-id'] : undefined,
          ),
        )
      : undefined;
    const channel = isRecord(doc.resolved.channels) ? doc.resolved.channels[channelId] : undefined;
    for (const [id, message] of sortedEntries(isRecord(channel) ? channel.messages : undefined)) {
      if (listed && !listed.has(id)) continue;
      registry.register(ctx, doc, childPointer('/channels', channelId, 'messages', id), message, id);
    }
  }
}

function serviceName(
  doc: ParsedDocument,
  extension: ServiceExtension | undefined,
  info: Record<string, unknown>,
) {
  const fallback = kebabCase(text(info.title) ?? '') || kebabCase(doc.file.replace(/\.[^.]+$/, ''));
  return extension?.name ?? fallback;
}

export function buildModel(parsed: readonly ParsedDocument[]): ContractModel {
  const ctx = new BuildContext();
  const docs = [...parsed].sort((a, b) => compareText(a.file, b.file));
  reportExtensionProblems(ctx, docs);
  const registry = new MessageRegistry();
  // Publishers register first: when two documents define one event differently, the publisher's definition is
  // the event and the copy is reported.
  for (const doc of docs) registerPublishedMessages(ctx, doc, registry);
  registry.publishersRegistered();
  const perDocument = docs.map((doc) => {
    const servers = buildServers(ctx, doc);
    return { doc, servers, drafts: buildChannelDrafts(ctx, doc, servers, registry) };
  });
  registry.assignTypeNames();
  const channels = joinChannels(ctx, perDocument);
  const services: Service[] = perDocument.map(({ doc, servers, drafts }) => {
    const info = (doc.resolved.info ?? {}) as Record<string, unknown>;
    const extension = ctx.extension<ServiceExtension>(info, 'x-eventwire-service');
    const name = serviceName(doc, extension, info);
    const description = text(info.description);
    return {
      name,
      title: text(info.title) ?? name,
      version: text(info.version) ?? '0.0.0',
      ...(description ? { description } : {}),
      appId: extension?.appId ?? `${name}-worker`,
      appPort: extension?.appPort ?? 8080,
      appProtocol: extension?.appProtocol ?? 'http',
      operations: buildOperations(ctx, doc, drafts, channels, name),
      servers: servers.map(({ server }) => server),
      source: ctx.source(doc, '/info'),
    };
  });
  services.sort((a, b) => compareText(a.name, b.name) || compareText(a.source.file, b.source.file));
  services.forEach((service, index) => {
    const previous = services[index - 1];
    if (previous?.name === service.name) {
      ctx.report(
        'error',
        'duplicate-service',
        `service "${service.name}" is also defined by ${previous.source.file}`,
        service.source,
        'give each document its own x-eventwire-service name',
      );
    }
  });
  return { services, channels, diagnostics: ctx.diagnostics(docs[0]?.files) };
}

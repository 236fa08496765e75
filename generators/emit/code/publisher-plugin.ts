/**
 * `<service>/publisher.ts`: `<Service>Publisher`, one typed method per event the service sends, and
 * `create<Service>Publisher(runtime, settings?)`. Each method is one call to the send function the runtime's
 * `publisherSend` returns (one broker call per event, or batched with concurrent calls when `settings.batch`),
 * with the publication spec and the precompiled validator; `options.parameters` is required exactly when the
 * channel address has placeholders, so a forgotten `{region}` is a compile error.
 */
import type { Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { describeDestination } from './describe.ts';
import {
  exportModifier,
  importDeclaration,
  imports,
  printGroups,
  RUNTIME_MODULE,
  typeRef,
  withDoc,
} from './print.ts';
import { type PublicationView, type ServiceView, serviceView, validatorName } from './service-view.ts';
import { emitPerService } from './per-service.ts';
import * as S from './syntax.ts';

const { id } = S;

export const publisherPlugin: EmitterPlugin = {
  name: 'code-publisher',
  description: 'Typed publisher per service (<service>/publisher.ts)',
  emit(model) {
    return emitPerService(model, 'code-publisher', (service) => {
      const view = serviceView(service);
      return view.publications.length === 0 ? [] : [emitPublisher(service, view)];
    });
  },
};

function emitPublisher(service: Service, view: ServiceView): GeneratedFile {
  const header = imports(
    importDeclaration(
      ['EventEnvelope', 'PublishOptions', 'PublisherSettings', 'Runtime'],
      RUNTIME_MODULE,
      true,
    ),
    importDeclaration(['publisherSend'], RUNTIME_MODULE, false),
    importDeclaration(['publications'], './contract.ts', false),
    importDeclaration(
      view.publications.flatMap((p) => [
        p.message.typeName,
        ...(p.parameters ? [p.parameters.typeName] : []),
      ]),
      './types.ts',
      true,
    ),
    importDeclaration(
      view.publications.map((p) => validatorName(p.message)),
      './validators.js',
      false,
    ),
  );
  return {
    path: `${service.name}/publisher.ts`,
    contents: printGroups([header, [publisherInterface(service, view)], [publisherFactory(service, view)]]),
    ownership: 'generated',
    sources: view.sources,
  };
}

function publisherInterface(service: Service, view: ServiceView): S.InterfaceDeclaration {
  const methods = view.publications.map((p) =>
    withDoc(
      S.methodSignature(
        p.key,
        [S.parameter('data', typeRef(p.message.typeName)), optionsParameter(p)],
        typeRef('Promise', typeRef('EventEnvelope', typeRef(p.message.typeName))),
      ),
      p.operation.summary ?? p.message.summary,
      `Publishes \`${p.message.name}\` (version ${p.message.version}) ${describeDestination(p.operation.channel)}. ` +
        'Validates `data` against the contract first and resolves with the envelope once the broker has it.',
    ),
  );
  return withDoc(
    S.interfaceDeclaration([exportModifier()], view.api.publisher, methods),
    `Typed publisher of the ${service.name} service: one method per event it publishes.`,
  );
}

/** `options?: PublishOptions`, or `options: PublishOptions & { readonly parameters: XParameters }`. */
function optionsParameter(p: PublicationView): S.Parameter {
  if (!p.parameters) return S.parameter('options', typeRef('PublishOptions'), true);
  const parameters = S.propertySignature(['readonly'], id('parameters'), typeRef(p.parameters.typeName));
  return S.parameter('options', S.intersection([typeRef('PublishOptions'), S.typeLiteral([parameters])]));
}

function publisherFactory(service: Service, view: ServiceView): S.FunctionDeclaration {
  const methods = view.publications.map((p) =>
    S.methodDeclaration(
      [],
      p.key,
      [S.parameter('data'), S.parameter('options')],
      S.block([
        S.returnStatement(
          S.call(id('send'), [
            S.propertyAccess(id('publications'), p.key),
            id(validatorName(p.message)),
            id('data'),
            id('options'),
          ]),
        ),
      ]),
    ),
  );
  return withDoc(
    S.functionDeclaration(
      [exportModifier()],
      view.api.createPublisher,
      [
        S.parameter('runtime', typeRef('Runtime')),
        S.parameter('settings', typeRef('PublisherSettings'), true),
      ],
      typeRef(view.api.publisher),
      S.block([
        S.constStatement(
          [],
          [{ name: 'send', initializer: S.call(id('publisherSend'), [id('runtime'), id('settings')]) }],
        ),
        S.returnStatement(S.objectLiteral(methods, true)),
      ]),
    ),
    `Creates the ${service.name} publisher on a runtime (transport, metrics, tracing come from \`runtime\`). ` +
      'With `settings.batch`, concurrent publishes share broker batches (each still resolves with its own envelope).',
  );
}

/**
 * `<service>/publisher.ts`: `<Service>Publisher`, one typed method per event the service sends, and
 * `create<Service>Publisher(runtime, settings?)`. Each method is one call to the send function the runtime's
 * `publisherSend` returns (one broker call per event, or batched with concurrent calls when `settings.batch`),
 * with the publication spec and the precompiled validator; `options.parameters` is required exactly when the
 * channel address has placeholders, so a forgotten `{region}` is a compile error.
 */
import type * as TS from 'typescript';
import ts from './typescript.ts';
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

const factory = ts.factory;
const id = (name: string) => factory.createIdentifier(name);

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

function publisherInterface(service: Service, view: ServiceView): TS.InterfaceDeclaration {
  const methods = view.publications.map((p) =>
    withDoc(
      factory.createMethodSignature(
        undefined,
        p.key,
        undefined,
        undefined,
        [
          factory.createParameterDeclaration(
            undefined,
            undefined,
            'data',
            undefined,
            typeRef(p.message.typeName),
          ),
          optionsParameter(p),
        ],
        typeRef('Promise', typeRef('EventEnvelope', typeRef(p.message.typeName))),
      ),
      p.operation.summary ?? p.message.summary,
      `Publishes \`${p.message.name}\` (version ${p.message.version}) ${describeDestination(p.operation.channel)}. ` +
        'Validates `data` against the contract first and resolves with the envelope once the broker has it.',
    ),
  );
  return withDoc(
    factory.createInterfaceDeclaration([exportModifier()], view.api.publisher, undefined, undefined, methods),
    `Typed publisher of the ${service.name} service: one method per event it publishes.`,
  );
}

/** `options?: PublishOptions`, or `options: PublishOptions & { readonly parameters: XParameters }`. */
function optionsParameter(p: PublicationView): TS.ParameterDeclaration {
  if (!p.parameters) {
    return factory.createParameterDeclaration(
      undefined,
      undefined,
      'options',
      factory.createToken(ts.SyntaxKind.QuestionToken),
      typeRef('PublishOptions'),
    );
  }
  const parameters = factory.createPropertySignature(
    [factory.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
    'parameters',
    undefined,
    typeRef(p.parameters.typeName),
  );
  return factory.createParameterDeclaration(
    undefined,
    undefined,
    'options',
    undefined,
    factory.createIntersectionTypeNode([
      typeRef('PublishOptions'),
      factory.createTypeLiteralNode([parameters]),
    ]),
  );
}

function publisherFactory(service: Service, view: ServiceView): TS.FunctionDeclaration {
  const methods = view.publications.map((p) =>
    factory.createMethodDeclaration(
      undefined,
      undefined,
      p.key,
      undefined,
      undefined,
      [
        factory.createParameterDeclaration(undefined, undefined, 'data'),
        factory.createParameterDeclaration(undefined, undefined, 'options'),
      ],
      undefined,
      factory.createBlock(
        [
          factory.createReturnStatement(
            factory.createCallExpression(id('send'), undefined, [
              factory.createPropertyAccessExpression(id('publications'), p.key),
              id(validatorName(p.message)),
              id('data'),
              id('options'),
            ]),
          ),
        ],
        true,
      ),
    ),
  );
  return withDoc(
    factory.createFunctionDeclaration(
      [exportModifier()],
      undefined,
      view.api.createPublisher,
      undefined,
      [
        factory.createParameterDeclaration(undefined, undefined, 'runtime', undefined, typeRef('Runtime')),
        factory.createParameterDeclaration(
          undefined,
          undefined,
          'settings',
          factory.createToken(ts.SyntaxKind.QuestionToken),
          typeRef('PublisherSettings'),
        ),
      ],
      typeRef(view.api.publisher),
      factory.createBlock(
        [
          factory.createVariableStatement(
            undefined,
            factory.createVariableDeclarationList(
              [
                factory.createVariableDeclaration(
                  'send',
                  undefined,
                  undefined,
                  factory.createCallExpression(id('publisherSend'), undefined, [
                    id('runtime'),
                    id('settings'),
                  ]),
                ),
              ],
              ts.NodeFlags.Const,
            ),
          ),
          factory.createReturnStatement(factory.createObjectLiteralExpression(methods, true)),
        ],
        true,
      ),
    ),
    `Creates the ${service.name} publisher on a runtime (transport, metrics, tracing come from \`runtime\`). ` +
      'With `settings.batch`, concurrent publishes share broker batches (each still resolves with its own envelope).',
  );
}

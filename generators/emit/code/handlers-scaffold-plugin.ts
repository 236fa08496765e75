/**
 * `<service>/handlers.ts` (ownership `scaffold`): a starting implementation of `<Service>Handlers` that the user
 * owns. The pipeline writes it only when it is missing, so edits are never overwritten. Every handler says what
 * to implement and throws until it is written, so an unimplemented handler fails loudly (and is retried and
 * dead-lettered) instead of acknowledging events it ignored.
 */
import ts from 'typescript';
import type { Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { handlerDoc } from './consumer-plugin.ts';
import {
  exportModifier,
  importDeclaration,
  imports,
  printGroups,
  str,
  typeRef,
  withDoc,
  withLineComments,
} from './print.ts';
import { type ServiceView, type SubscriptionView, serviceView } from './service-view.ts';
import { emitPerService } from './per-service.ts';

const factory = ts.factory;

export const handlersScaffoldPlugin: EmitterPlugin = {
  name: 'code-handlers-scaffold',
  description:
    'User-owned starting implementation of the consumer handlers (<service>/handlers.ts, written once)',
  emit(model) {
    return emitPerService(model, 'code-handlers-scaffold', (service) => {
      const view = serviceView(service);
      return view.subscriptions.length === 0 ? [] : [emitScaffold(service, view)];
    });
  },
};

function emitScaffold(service: Service, view: ServiceView): GeneratedFile {
  const handlers = factory.createVariableStatement(
    [exportModifier()],
    factory.createVariableDeclarationList(
      [
        factory.createVariableDeclaration(
          'handlers',
          undefined,
          typeRef(view.api.handlers),
          factory.createObjectLiteralExpression(view.subscriptions.map(handlerStub), true),
        ),
      ],
      ts.NodeFlags.Const,
    ),
  );
  return {
    path: `${service.name}/handlers.ts`,
    contents: printGroups([
      imports(importDeclaration([view.api.handlers], './consumer.ts', true)),
      [
        withDoc(
          handlers,
          `Event handlers of the ${service.name} service. Start them with \`${view.api.startConsumer}(runtime, handlers)\`.`,
          'eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds a ' +
            `receive operation, \`${view.api.handlers}\` gains a key and this object stops compiling until you add ` +
            'the handler.',
        ),
      ],
    ]),
    ownership: 'scaffold',
    sources: view.sources,
  };
}

function handlerStub(s: SubscriptionView): ts.MethodDeclaration {
  const payloads = s.messages.map((m) => m.typeName).join(' | ');
  const fail = factory.createThrowStatement(
    factory.createNewExpression(factory.createIdentifier('Error'), undefined, [
      str(`${s.key} is not implemented yet`),
    ]),
  );
  const summary = s.operation.summary?.trim().replace(/([^.!?])$/, '$1.');
  const todo = summary ?? `Handle ${s.messages.map((m) => `\`${m.name}\``).join(', ')} events.`;
  withLineComments(
    fail,
    `TODO: ${todo} \`_event.data\` is the ${payloads} payload` +
      (s.messages.length > 1 ? ' (`_event.event_type` tells which). ' : '. ') +
      '`_context` has the attempt number, an abort signal and `follow` (publish options that make an event you ' +
      'publish a child of this one). Return normally to acknowledge; throw to retry.',
  );
  return withDoc(
    factory.createMethodDeclaration(
      [factory.createModifier(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      s.key,
      undefined,
      undefined,
      [
        factory.createParameterDeclaration(undefined, undefined, '_event'),
        factory.createParameterDeclaration(undefined, undefined, '_context'),
      ],
      undefined,
      factory.createBlock([fail], true),
    ),
    handlerDoc(s),
  );
}

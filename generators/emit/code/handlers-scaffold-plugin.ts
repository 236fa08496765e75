/**
 * `<service>/handlers.ts` (ownership `scaffold`): a starting implementation of `<Service>Handlers` that the user
 * owns. The pipeline writes it only when it is missing, so edits are never overwritten. Every handler says what
 * to implement and throws until it is written, so an unimplemented handler fails loudly (and is retried and
 * dead-lettered) instead of acknowledging events it ignored.
 *
 * The handlers come from a factory, `createHandlers(deps)`, because handlers with real effects need things to
 * act on: the service's publisher (for services that publish) and whatever the user adds to
 * `<Service>HandlerDeps` (a database pool). The service's `main` and `eventwire test` both call the factory.
 */
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
import * as S from './syntax.ts';

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
  const depsName = `${view.typePrefix}HandlerDeps`;
  const publishes = view.publications.length > 0;
  const deps = withDoc(
    S.interfaceDeclaration(
      [exportModifier()],
      depsName,
      publishes
        ? [
            withDoc(
              S.propertySignature(['readonly'], S.id('publisher'), typeRef(view.api.publisher)),
              `Publishes the ${service.name} service's events: \`${view.api.createPublisher}(runtime)\`.`,
            ),
          ]
        : [],
    ),
    `What the ${service.name} service's handlers act on. Add your own dependencies here (a database pool, a ` +
      "client of another service): the service's `main` passes them to `createHandlers`, and `eventwire test` " +
      "gets them from this module's `createHarnessDeps` (see harness/README.md).",
  );
  const create = S.functionDeclaration(
    [exportModifier()],
    'createHandlers',
    [S.parameter('_deps', typeRef(depsName))],
    typeRef(view.api.handlers),
    S.block([S.returnStatement(S.objectLiteral(view.subscriptions.map(handlerStub), true))]),
  );
  const start = publishes
    ? `\`${view.api.startConsumer}(runtime, createHandlers({ publisher: ${view.api.createPublisher}(runtime) }))\``
    : `\`${view.api.startConsumer}(runtime, createHandlers({}))\``;
  return {
    path: `${service.name}/handlers.ts`,
    contents: printGroups([
      imports(
        importDeclaration([view.api.handlers], './consumer.ts', true),
        publishes ? importDeclaration([view.api.publisher], './publisher.ts', true) : undefined,
      ),
      [deps],
      [
        withDoc(
          create,
          `Event handlers of the ${service.name} service. Start them with ${start}; \`eventwire test\` runs the ` +
            'same factory under injected faults.',
          'eventwire created this file once and never overwrites it: it is yours to edit. When a contract adds a ' +
            `receive operation, \`${view.api.handlers}\` gains a key and this function stops compiling until you ` +
            'add the handler. Rename `_deps` to `deps` once a handler uses it.',
        ),
      ],
    ]),
    ownership: 'scaffold',
    sources: view.sources,
  };
}

function handlerStub(s: SubscriptionView): S.MethodDeclaration {
  const payloads = s.messages.map((m) => m.typeName).join(' | ');
  const fail = S.throwStatement(S.newExpression(S.id('Error'), [str(`${s.key} is not implemented yet`)]));
  const summary = s.operation.summary?.trim().replace(/([^.!?])$/, '$1.');
  const todo = summary ?? `Handle ${s.messages.map((m) => `\`${m.name}\``).join(', ')} events.`;
  const failWithTodo = withLineComments(
    fail,
    `TODO: ${todo} \`_event.data\` is the ${payloads} payload` +
      (s.messages.length > 1 ? ' (`_event.event_type` tells which). ' : '. ') +
      '`_context` has the attempt number, an abort signal and `follow` (publish options that make an event you ' +
      'publish a child of this one). Return normally to acknowledge; throw to retry.',
  );
  return withDoc(
    S.methodDeclaration(
      ['async'],
      s.key,
      [S.parameter('_event'), S.parameter('_context')],
      S.block([failWithTodo]),
    ),
    handlerDoc(s),
  );
}

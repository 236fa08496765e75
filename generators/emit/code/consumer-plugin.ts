/**
 * `<service>/consumer.ts`: `<Service>Handlers`, one REQUIRED handler per receive operation (a missing handler is
 * a compile error naming the key), and `start<Service>Consumer(runtime, handlers)`, which binds each
 * subscription spec to its validators (by event type) and handler and hands them to the runtime.
 */
import type { Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { describeSource } from './describe.ts';
import {
  exportModifier,
  importDeclaration,
  imports,
  printGroups,
  propertyName,
  RUNTIME_MODULE,
  typeRef,
  unionOf,
  withDoc,
} from './print.ts';
import { type ServiceView, type SubscriptionView, serviceView, validatorName } from './service-view.ts';
import { emitPerService } from './per-service.ts';
import * as S from './syntax.ts';

const { id } = S;

export const consumerPlugin: EmitterPlugin = {
  name: 'code-consumer',
  description: 'Typed consumer per service: handler map and start function (<service>/consumer.ts)',
  emit(model) {
    return emitPerService(model, 'code-consumer', (service) => {
      const view = serviceView(service);
      return view.subscriptions.length === 0 ? [] : [emitConsumer(service, view)];
    });
  },
};

/** `A | B` for the payload types a subscription accepts. */
export function payloadUnion(s: SubscriptionView): S.TypeNode {
  return unionOf(s.messages.map((m) => typeRef(m.typeName)));
}

/** What a handler receives and what happens when it throws, for JSDoc in the interface and the scaffold. */
export function handlerDoc(s: SubscriptionView): string {
  const delivery = s.operation.delivery;
  const events = s.messages.map((m) => `\`${m.name}\``).join(', ');
  const retry = delivery
    ? ` Throwing retries the event (up to ${delivery.retry.maxRetries} retries), then it goes to \`${delivery.deadLetter.address}\`.`
    : '';
  return `Handles ${events} ${describeSource(s.operation.channel)}.${retry}`;
}

function emitConsumer(service: Service, view: ServiceView): GeneratedFile {
  const header = imports(
    importDeclaration(['ConsumerHandle', 'ConsumerOptions', 'EventHandler', 'Runtime'], RUNTIME_MODULE, true),
    importDeclaration(['bind', 'startConsumer'], RUNTIME_MODULE, false),
    importDeclaration(['subscriptions'], './contract.ts', false),
    importDeclaration(
      view.subscriptions.flatMap((s) => s.messages.map((m) => m.typeName)),
      './types.ts',
      true,
    ),
    importDeclaration(
      view.subscriptions.flatMap((s) => s.messages.map(validatorName)),
      './validators.js',
      false,
    ),
  );
  return {
    path: `${service.name}/consumer.ts`,
    contents: printGroups([header, [handlersInterface(service, view)], [startFunction(service, view)]]),
    ownership: 'generated',
    sources: view.sources,
  };
}

function handlersInterface(service: Service, view: ServiceView): S.InterfaceDeclaration {
  const members = view.subscriptions.map((s) =>
    withDoc(
      S.propertySignature(['readonly'], id(s.key), typeRef('EventHandler', payloadUnion(s))),
      s.operation.summary,
      handlerDoc(s),
    ),
  );
  return withDoc(
    S.interfaceDeclaration([exportModifier()], view.api.handlers, members),
    `The ${service.name} service's event handlers, one per receive operation. Every key is required: a missing ` +
      'handler is a compile error, not an event that is silently never handled.',
  );
}

/** `bind<A | B>(subscriptions.x, { 'a.created': validateA, ... }, handlers.x)` */
function bindCall(s: SubscriptionView): S.Call {
  const validators = S.objectLiteral(
    s.messages.map((m) => S.propertyAssignment(propertyName(m.name), id(validatorName(m)))),
    s.messages.length > 1,
  );
  return S.call(
    id('bind'),
    [S.propertyAccess(id('subscriptions'), s.key), validators, S.propertyAccess(id('handlers'), s.key)],
    [payloadUnion(s)],
  );
}

function startFunction(service: Service, view: ServiceView): S.FunctionDeclaration {
  const call = S.call(id('startConsumer'), [
    id('runtime'),
    S.arrayLiteral(view.subscriptions.map(bindCall), true),
    id('options'),
  ]);
  return withDoc(
    S.functionDeclaration(
      [exportModifier()],
      view.api.startConsumer,
      [
        S.parameter('runtime', typeRef('Runtime')),
        S.parameter('handlers', typeRef(view.api.handlers)),
        // Per-subscription stores, clock, error hook and shutdown grace: the runtime's knobs, passed through.
        S.parameter('options', typeRef('ConsumerOptions'), true),
      ],
      typeRef('Promise', typeRef('ConsumerHandle')),
      S.block([S.returnStatement(call)]),
    ),
    `Starts every subscription of the ${service.name} service: each event is validated against its contract ` +
      'schema, de-duplicated and handed to its handler. `options` reaches the runtime (idempotency stores, clock, ' +
      'error hook). `stop()` on the returned handle drains in-flight events.',
  );
}

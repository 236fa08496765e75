/**
 * `<service>/contract.ts`: the service's publications and subscriptions as runtime specs (runtime/spec.ts),
 * `as const satisfies Record<string, PublicationSpec>` so the literal types stay precise and a spec that does not
 * fit the runtime fails to compile. Keys are the publisher method / handler names (see service-view.ts).
 */
import type { Service } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { literal } from './literal.ts';
import {
  exportModifier,
  importDeclaration,
  imports,
  printGroups,
  propertyName,
  RUNTIME_MODULE,
  typeRef,
  withDoc,
} from './print.ts';
import { publicationSpec, subscriptionSpec } from './runtime-specs.ts';
import { type PublicationView, type SubscriptionView, serviceView } from './service-view.ts';
import { emitPerService } from './per-service.ts';
import * as S from './syntax.ts';

export const contractPlugin: EmitterPlugin = {
  name: 'code-contract',
  description: 'Publication and subscription specs the runtime reads (<service>/contract.ts)',
  emit(model) {
    return emitPerService(model, 'code-contract', (service) => [emitContract(service)]);
  },
};

function emitContract(service: Service): GeneratedFile {
  const view = serviceView(service);
  const publications = view.publications.map((p) =>
    withDoc(
      S.propertyAssignment(propertyName(p.key), literal(publicationSpec(service, p))),
      ...publicationDoc(p),
    ),
  );
  const subscriptions = view.subscriptions.map((s) =>
    withDoc(
      S.propertyAssignment(propertyName(s.key), literal(subscriptionSpec(service, s))),
      ...subscriptionDoc(s),
    ),
  );
  const statements = [
    withDoc(
      specTable('publications', 'PublicationSpec', publications),
      `Everything the ${service.name} service publishes, one entry per event a publisher method sends.`,
    ),
    withDoc(
      specTable('subscriptions', 'SubscriptionSpec', subscriptions),
      `Everything the ${service.name} service consumes, one entry per receive operation.`,
    ),
  ];
  const header = imports(importDeclaration(['PublicationSpec', 'SubscriptionSpec'], RUNTIME_MODULE, true));
  return {
    path: `${service.name}/contract.ts`,
    contents: printGroups([header, ...statements.map((s) => [s])]),
    ownership: 'generated',
    sources: view.sources,
  };
}

/** `export const <name> = { ... } as const satisfies Record<string, <SpecType>>;` */
function specTable(
  name: string,
  specType: string,
  entries: readonly S.PropertyAssignment[],
): S.ConstStatement {
  const table = S.satisfiesExpression(
    S.asExpression(S.objectLiteral(entries, entries.length > 0), typeRef('const')),
    typeRef('Record', S.keywordType('string'), typeRef(specType)),
  );
  return S.constStatement([exportModifier()], [{ name, initializer: table }]);
}

function publicationDoc(p: PublicationView): string[] {
  const { operation, message } = p;
  return [
    operation.summary ?? message.summary ?? '',
    `Operation \`${operation.id}\`: sends \`${message.name}\`.`,
  ];
}

function subscriptionDoc(s: SubscriptionView): string[] {
  const { operation } = s;
  return [
    operation.summary ?? '',
    `Operation \`${operation.id}\`: receives ${s.messages.map((m) => `\`${m.name}\``).join(', ')}.`,
  ];
}

/**
 * Semantic checks of the Dapr configuration, beyond what the CRD schemas can say. They read the model (and, for
 * routes, the subscription files, so hand-edited or stale files are caught too) and return findings in the
 * model's diagnostic shape; `eventwire check` prints them like any other finding.
 *
 * Findings on files carry `source.file` = the file and `source.pointer` = `/<document index>/<path>`, the YAML
 * stream read as an array of documents.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { daprDiagnostic } from './diagnostic.ts';
import { parseAllDocuments } from 'yaml';
import type { ContractModel, Operation } from '../../model/types.ts';
import { daprComponentPlan } from './components.ts';
import type { CrdIssue, DaprResourceValidator } from './crd-validate.ts';
import { daprResiliencyPlan } from './resiliency.ts';
import { daprSubscriptionPlan } from './subscription.ts';
import { daprTopology } from './topology.ts';

export interface YamlFile {
  readonly path: string;
  readonly contents: string;
}

/** Every finding the Dapr emitters know about for this model (conflicts they had to resolve included). */
export function daprModelFindings(model: ContractModel): Diagnostic[] {
  return [
    ...daprTopology(model).findings,
    ...daprSubscriptionPlan(model).findings,
    ...daprComponentPlan(model).findings,
    ...daprResiliencyPlan(model).findings,
    ...checkDeadLetters(model),
  ];
}

/**
 * Everything `eventwire check` reports about Dapr: the model findings, routes of the given subscription files
 * without handlers and, with a validator, every schema violation in the given YAML files.
 */
export function daprFindings(
  model: ContractModel,
  files: readonly YamlFile[],
  validator?: DaprResourceValidator,
): Diagnostic[] {
  const schemaIssues = validator ? files.flatMap((f) => validator.validateYaml(f.path, f.contents)) : [];
  return [
    ...daprModelFindings(model),
    ...checkRoutesHaveHandlers(model, files),
    ...schemaIssues.map(crdFinding),
  ];
}

export function crdFinding(issue: CrdIssue): Diagnostic {
  const resource = issue.resource ? `${issue.resource}: ` : '';
  return daprDiagnostic({
    severity: 'error',
    code: 'dapr-crd-schema',
    message: `${resource}${issue.message}`,
    source: { file: issue.file, pointer: `/${issue.document - 1}${issue.pointer}` },
  });
}

const EVENT_TYPE_MATCH = /^event\.type\s*==\s*("(?:[^"\\]|\\.)*")$/;

/** The event type of a generated rule (`event.type == "x"`); undefined for any other CEL expression. */
function matchedEventType(match: string | undefined): string | undefined {
  const literal = EVENT_TYPE_MATCH.exec(match ?? '')?.[1];
  if (literal === undefined) return undefined;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/** Dapr receive operations per app id, keyed by `pubsub/topic`. */
function receiversByApp(model: ContractModel): Map<string, Map<string, Operation[]>> {
  const result = new Map<string, Map<string, Operation[]>>();
  for (const subscription of daprTopology(model).subscriptions) {
    const byTopic = result.get(subscription.service.appId) ?? new Map<string, Operation[]>();
    const key = `${subscription.component.name}/${subscription.topic}`;
    byTopic.set(key, [...(byTopic.get(key) ?? []), ...subscription.routes.map((r) => r.operation)]);
    result.set(subscription.service.appId, byTopic);
  }
  return result;
}

/**
 * Every route in a Subscription resource must reach a generated handler: a receive operation of a scoped app on
 * that pub/sub and topic with that route, and a rule's event type must be one of that operation's messages.
 */
export function checkRoutesHaveHandlers(model: ContractModel, files: readonly YamlFile[]): Diagnostic[] {
  const receivers = receiversByApp(model);
  const findings: Diagnostic[] = [];
  for (const file of files) {
    parseAllDocuments(file.contents).forEach((doc, index) => {
      const resource = doc.toJS() as SubscriptionResource | null;
      if (resource?.kind !== 'Subscription') return;
      const at = (pointer: string) => ({ file: file.path, pointer: `/${index}${pointer}` });
      const apps = resource.scopes ?? [];
      if (apps.length === 0) {
        findings.push(
          daprDiagnostic({
            severity: 'error',
            code: 'dapr-subscription-unscoped',
            message: `subscription '${resource.metadata?.name}' has no scopes, so every app would receive its events`,
            source: at('/scopes'),
          }),
        );
      }
      const spec = resource.spec ?? {};
      const routes = [
        ...(spec.routes?.default ? [{ path: spec.routes.default, pointer: '/spec/routes/default' }] : []),
        ...(spec.route ? [{ path: spec.route, pointer: '/spec/route' }] : []),
        ...(spec.routes?.rules ?? []).map((rule, i) => ({ ...rule, pointer: `/spec/routes/rules/${i}` })),
      ];
      for (const app of apps) {
        const operations = receivers.get(app)?.get(`${spec.pubsubname}/${spec.topic}`) ?? [];
        for (const route of routes) {
          const handler = operations.find((op) => op.delivery?.route === route.path);
          if (!handler) {
            findings.push(
              daprDiagnostic({
                severity: 'error',
                code: 'dapr-route-without-handler',
                message:
                  `route '${route.path}' of app '${app}' on ${spec.pubsubname}/${spec.topic} has no receive operation ` +
                  'in the contracts, so no handler is generated for it: the events would fail and be dead-lettered. ' +
                  'Regenerate the file, or add the receive operation to the contract.',
                source: at(route.pointer),
              }),
            );
            continue;
          }
          const eventType = 'match' in route ? matchedEventType(route.match) : undefined;
          if (eventType !== undefined && !handler.messages.some((m) => m.name === eventType)) {
            findings.push(
              daprDiagnostic({
                severity: 'error',
                code: 'dapr-rule-event-type',
                message: `rule '${route.match}' sends events to '${handler.id}', which does not receive that message`,
                source: at(route.pointer),
              }),
            );
          }
        }
      }
    });
  }
  return findings;
}

interface SubscriptionResource {
  kind?: string;
  metadata?: { name?: string };
  scopes?: string[];
  spec?: {
    pubsubname?: string;
    topic?: string;
    route?: string;
    routes?: { default?: string; rules?: { match?: string; path?: string }[] };
  };
}

/**
 * Every dead-letter topic must be declared as a channel on the same pub/sub and be read by some receive operation
 * (a replayer or a monitor), or failed events pile up unseen. The dead letters of operations that themselves read
 * a dead-letter topic (where a monitor parks what it cannot handle) need only be declared: requiring a reader for
 * them too would never end.
 */
export function checkDeadLetters(model: ContractModel): Diagnostic[] {
  const topology = daprTopology(model);
  const declared = new Set(
    [...model.channels.values()]
      .filter((c) => c.binding.kind === 'topic')
      .map((c) => `${c.binding.kind === 'topic' ? c.binding.pubsub : ''}/${c.address}`),
  );
  const read = new Set(topology.subscriptions.map((s) => `${s.component.name}/${s.topic}`));
  const deadLetters = new Set(
    topology.subscriptions.flatMap((s) =>
      s.routes.map((r) => `${s.component.name}/${r.delivery.deadLetter.address}`),
    ),
  );
  const findings: Diagnostic[] = [];
  for (const subscription of topology.subscriptions) {
    const readsDeadLetters = deadLetters.has(`${subscription.component.name}/${subscription.topic}`);
    for (const { operation, delivery } of subscription.routes) {
      const key = `${subscription.component.name}/${delivery.deadLetter.address}`;
      if (!declared.has(key)) {
        findings.push(
          daprDiagnostic({
            severity: 'error',
            code: 'dapr-dead-letter-undeclared',
            message:
              `dead-letter topic '${delivery.deadLetter.address}' of '${operation.id}' is not declared as a channel on ` +
              `pub/sub '${subscription.component.name}'. Declare it (with the operation that reads it) in a contract.`,
            source: operation.source,
          }),
        );
      } else if (!read.has(key) && !readsDeadLetters) {
        findings.push(
          daprDiagnostic({
            severity: 'warning',
            code: 'dapr-dead-letter-unread',
            message:
              `nothing receives dead-letter topic '${delivery.deadLetter.address}' of '${operation.id}': failed events ` +
              'would pile up unseen. Add a receive operation (replayer or monitor) for it.',
            source: operation.source,
          }),
        );
      }
    }
  }
  return findings;
}

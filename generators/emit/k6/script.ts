/**
 * One k6 script per publishing service, built as a syntax tree: the publications (destination, examples), the
 * contract's targets (volumes, SLAs, the subscriptions each operation reaches), the `options`, `setup` and
 * `teardown` the shared plan computes from them, and one exported function per operation that k6 runs as the
 * scenario's `exec`. Behaviour lives in the harness (loadtest/lib); the script is data.
 */
import type { OperationTarget } from '../../../loadtest/lib/plan.ts';
import type { ContractModel, Service } from '../../model/types.ts';
import { memo } from '../../pipeline/memo.ts';
import { literal } from '../code/literal.ts';
import { exportModifier, importDeclaration, printGroups, typeRef, withDoc } from '../code/print.ts';
import * as S from '../code/syntax.ts';
import { type Planned, plannedOperations, runInstructions } from './plan.ts';
import { publicationOf } from './publication.ts';
import { operationTarget } from './targets.ts';

const call = (name: string, ...args: S.Expression[]) => S.call(S.id(name), args);

const constStatement = (name: string, type: S.TypeNode, value: S.Expression, exported = false) =>
  S.constStatement(exported ? [exportModifier()] : [], [{ name, type, initializer: value }]);

const exportedFunction = (
  name: string,
  parameters: readonly S.Parameter[],
  returns: S.TypeNode,
  body: S.Expression,
  returnsValue: boolean,
) =>
  S.functionDeclaration(
    [exportModifier()],
    name,
    parameters,
    returns,
    S.block([returnsValue ? S.returnStatement(body) : S.expressionStatement(body)]),
  );

/** The contract's targets, then the k6 entry points computed from them by the shared plan. */
function planStatements(operationTargets: readonly OperationTarget[]): S.Statement[] {
  const targets = withDoc(
    constStatement('targets', S.arrayType(typeRef('OperationTarget')), literal(operationTargets)),
    "What the contract says: each operation's volumes and SLA, and every subscription its events reach.",
  );
  const options = withDoc(
    constStatement('options', typeRef('Options'), call('k6Options', S.id('targets')), true),
    'Scenarios and thresholds of the PROFILE (smoke, steady, peak, soak) from the targets: loadtest/README.md.',
  );
  const baseline = S.parameter('baseline', typeRef('Baseline'));
  const setup = withDoc(
    exportedFunction('setup', [], typeRef('Baseline'), call('loadSetup', S.id('targets')), true),
    "Reads the consumers' metrics (CONSUMER_METRICS) before the load.",
  );
  const teardown = withDoc(
    exportedFunction(
      'teardown',
      [baseline],
      S.keywordType('void'),
      call('loadTeardown', S.id('targets'), S.id('baseline')),
      false,
    ),
    'Judges processing p95 and delivery per subscription once the consumers have caught up.',
  );
  return [targets, options, setup, teardown];
}

function publicationStatement(service: Publisher, p: Planned): S.Statement {
  return constStatement(
    `${p.exec}Publication`,
    typeRef('Publication'),
    literal(publicationOf(service, p.operation)),
  );
}

function execFunction(p: Planned): S.Statement {
  const body = S.block([S.expressionStatement(call('publish', S.id(`${p.exec}Publication`)))]);
  const fn = S.functionDeclaration([exportModifier()], p.exec, [], S.keywordType('void'), body);
  return withDoc(fn, `One \`${p.operation.id}\` event per iteration.`, p.operation.summary);
}

/** The script's source, or undefined when the service publishes nothing that has an example. */
export function k6Script(model: ContractModel, service: Service, harnessModule: string): string | undefined {
  const { planned } = plannedOperations(service);
  if (planned.length === 0) return undefined;
  // What the script is made of: the service, and what the rest of the platform adds to it (the subscribers its
  // events reach, in the targets). Kept by the memo: a `--watch` edit renders only the scripts it changed.
  const targets = planned.map((p) => operationTarget(model, p));
  // Of the service, only what a script reads: what it receives does not run it again, nor weigh on the key.
  const publisher: Publisher = {
    name: service.name,
    version: service.version,
    source: { file: service.source.file },
    operations: service.operations.filter((op) => op.action === 'send'),
  };
  return memo('k6-script', { service: publisher, targets, harnessModule }, renderScript);
}

/** What a script is made of, of its service: its publications. */
interface Publisher extends Pick<Service, 'name' | 'version' | 'operations'> {
  readonly source: { readonly file: string };
}

interface ScriptInput {
  readonly service: Publisher;
  readonly targets: readonly OperationTarget[];
  readonly harnessModule: string;
}

function renderScript({ service, targets, harnessModule }: ScriptInput): string {
  const { planned, skipped } = plannedOperations(service);
  const helpers = ['k6Options', 'loadSetup', 'loadTeardown', 'publish'];
  const optionsImport = importDeclaration(['Options'], 'k6/options', true)!;
  const header = [
    withDoc(
      optionsImport,
      `Load test of the ${service.name} service's publications (${service.source.file}), generated from the contract.`,
      ...runInstructions(service.name, planned),
      skipped.length > 0
        ? `Not load-tested, the contract has no example for: ${skipped.map((op) => op.id).join(', ')}.`
        : undefined,
    ),
    importDeclaration(['Baseline', 'OperationTarget', 'Publication'], harnessModule, true)!,
    importDeclaration(helpers, harnessModule, false)!,
  ];
  return printGroups([
    header,
    planned.map((p) => publicationStatement(service, p)),
    planStatements(targets),
    planned.map(execFunction),
  ]);
}

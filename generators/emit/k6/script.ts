/**
 * One k6 script per publishing service, built as a syntax tree: the publications (destination, examples), the
 * `options` with scenarios and thresholds from the contract, and one exported function per operation that k6
 * runs as the scenario's `exec`. Behaviour lives in the harness (loadtest/lib); the script is data.
 */
import ts from 'typescript';
import type { Service } from '../../model/types.ts';
import { literal } from '../code/literal.ts';
import {
  exportModifier,
  importDeclaration,
  printGroups,
  propertyName,
  str,
  typeRef,
  withDoc,
} from '../code/print.ts';
import { type Planned, plannedOperations, runInstructions } from './plan.ts';
import { publicationOf } from './publication.ts';
import { type PlannedScenario, scenarioThresholds } from './thresholds.ts';

const factory = ts.factory;

const call = (name: string, ...args: ts.Expression[]) =>
  factory.createCallExpression(factory.createIdentifier(name), undefined, args);

function scenarioValue(exec: string, scenario: PlannedScenario, hasSteady: boolean): ts.Expression {
  if (scenario.kind === 'steady') return call('steady', str(exec), literal(scenario.rate));
  if (scenario.kind === 'peak') {
    const when = factory.createObjectLiteralExpression([
      factory.createPropertyAssignment(
        'afterSteady',
        hasSteady ? factory.createTrue() : factory.createFalse(),
      ),
    ]);
    return call('peak', str(exec), literal(scenario.rate), when);
  }
  return call('smoke', str(exec));
}

function optionsStatement(planned: readonly Planned[]): ts.Statement {
  const hasSteady = planned.some((p) => p.scenarios.some((s) => s.kind === 'steady'));
  const scenarios = planned.flatMap((p) =>
    p.scenarios.map((s) =>
      factory.createPropertyAssignment(propertyName(s.name), scenarioValue(p.exec, s, hasSteady)),
    ),
  );
  const thresholds = planned.flatMap((p) =>
    p.scenarios.flatMap((s) =>
      Object.entries(scenarioThresholds(s, p.operation.sla)).map(([metric, rules]) =>
        factory.createPropertyAssignment(str(metric), literal(rules)),
      ),
    ),
  );
  const value = factory.createObjectLiteralExpression(
    [
      factory.createPropertyAssignment('scenarios', factory.createObjectLiteralExpression(scenarios, true)),
      factory.createPropertyAssignment('thresholds', factory.createObjectLiteralExpression(thresholds, true)),
    ],
    true,
  );
  const declaration = factory.createVariableDeclaration('options', undefined, typeRef('Options'), value);
  return withDoc(
    factory.createVariableStatement(
      [exportModifier()],
      factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const),
    ),
    'Scenarios from the contract volumes, thresholds from its SLAs (see loadtest/README.md for the mapping).',
  );
}

function publicationStatement(service: Service, p: Planned): ts.Statement {
  const declaration = factory.createVariableDeclaration(
    `${p.exec}Publication`,
    undefined,
    typeRef('Publication'),
    literal(publicationOf(service, p.operation)),
  );
  return factory.createVariableStatement(
    undefined,
    factory.createVariableDeclarationList([declaration], ts.NodeFlags.Const),
  );
}

function execFunction(p: Planned): ts.Statement {
  const body = factory.createBlock(
    [factory.createExpressionStatement(call('publish', factory.createIdentifier(`${p.exec}Publication`)))],
    true,
  );
  const fn = factory.createFunctionDeclaration(
    [exportModifier()],
    undefined,
    p.exec,
    undefined,
    [],
    factory.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword),
    body,
  );
  return withDoc(fn, `One \`${p.operation.id}\` event per iteration.`, p.operation.summary);
}

/** The script's source, or undefined when the service publishes nothing that has an example. */
export function k6Script(service: Service, harnessModule: string): string | undefined {
  const { planned, skipped } = plannedOperations(service);
  if (planned.length === 0) return undefined;
  const kinds = new Set(planned.flatMap((p) => p.scenarios.map((s) => s.kind)));
  const helpers = ['publish', ...(['steady', 'peak', 'smoke'] as const).filter((k) => kinds.has(k))];
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
    importDeclaration(['Publication'], harnessModule, true)!,
    importDeclaration(helpers, harnessModule, false)!,
  ];
  return printGroups([
    header,
    planned.map((p) => publicationStatement(service, p)),
    [optionsStatement(planned)],
    planned.map(execFunction),
  ]);
}

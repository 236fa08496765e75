/**
 * printer.ts against its oracle, TypeScript's printer: the same tree rebuilt with `ts.factory`
 * (test-support/syntax-to-typescript.ts) must print to the same text, for every statement the emitters print for
 * the platform's contracts and for random trees (odd strings, numbers, nesting, comments anywhere).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { formatDiagnosticLine, loadModel } from '../../model/index.ts';
import { withoutMemo } from '../../pipeline/memo.ts';
import { k6Plugin } from '../k6/plugin.ts';
import { printWithTypeScript } from '../test-support/syntax-to-typescript.ts';
import { codePlugins } from './index.ts';
import { literal } from './literal.ts';
import { jsDocBody } from './print.ts';
import { printSyntax } from './printer.ts';
import * as S from './syntax.ts';
import { TEST_MODELS } from './test-models.ts';
import { platformModel } from './test-platform-model.ts';

/** Every tree the emitters hand to the printer (vi.mock is hoisted above the imports, hence vi.hoisted). */
const printed = vi.hoisted(() => [] as import('./syntax.ts').Node[]);
vi.mock('./printer.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./printer.ts')>();
  return {
    ...original,
    printSyntax: (node: S.Node) => {
      printed.push(node);
      return original.printSyntax(node);
    },
  };
});

const REPO_ROOT = join(import.meta.dirname, '../../..');

/** The kinds in a tree, to show the platform's output exercises the whole printer. */
function kindsOf(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) kindsOf(item, into);
  else if (typeof node === 'object' && node !== null) {
    const kind = (node as { kind?: unknown }).kind;
    if (typeof kind === 'string') into.add(kind);
    for (const value of Object.values(node)) kindsOf(value, into);
  }
  return into;
}

describe('printer.ts prints like TypeScript', () => {
  it('every statement the code and k6 emitters print for asyncapi/, the platform model and the test models', async () => {
    const loaded = await loadModel([join(REPO_ROOT, 'asyncapi')], { root: REPO_ROOT });
    expect(loaded.errors.map(formatDiagnosticLine)).toEqual([]);
    printed.length = 0;
    await withoutMemo(async () => {
      const models = [loaded.model, platformModel(), ...Object.values(TEST_MODELS).map((build) => build())];
      for (const model of models) {
        for (const plugin of [...codePlugins, k6Plugin]) await plugin.emit(model, { outDir: 'generated' });
      }
    });
    const statements = printed.splice(0);
    expect(statements.length).toBeGreaterThan(500);
    const mismatches = statements.filter((node) => printSyntax(node) !== printWithTypeScript(node));
    expect(mismatches.slice(0, 1).map((node) => [printSyntax(node), printWithTypeScript(node)])).toEqual([]);
    // Kinds the emitters never build for this platform stay covered by the random trees below.
    expect([...kindsOf(statements)].sort()).toEqual(
      expect.arrayContaining([
        'ArrayLiteral',
        'ArrayType',
        'As',
        'Block',
        'Call',
        'ConstStatement',
        'ExportAll',
        'ExpressionStatement',
        'FunctionDeclaration',
        'ImportDeclaration',
        'InterfaceDeclaration',
        'Intersection',
        'KeywordLiteral',
        'KeywordType',
        'MethodDeclaration',
        'MethodSignature',
        'New',
        'NumericLiteral',
        'ObjectLiteral',
        'Parameter',
        'PropertyAccess',
        'PropertyAssignment',
        'PropertySignature',
        'Return',
        'Satisfies',
        'StringLiteral',
        'Throw',
        'TypeLiteral',
        'TypeReference',
        'Union',
      ]),
    );
  }, 120_000);

  it('random trees: strings, numbers, nesting, comments', () => {
    fc.assert(
      fc.property(statementArbitrary(), (statement) => {
        expect(printSyntax(statement)).toBe(printWithTypeScript(statement));
      }),
      { numRuns: 3000 },
    );
  });
});

/** Text with what escaping and comment layout must get right: quotes, backslashes, controls, breaks, astral. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(
      "'",
      '"',
      '\\',
      '\n',
      '\r',
      '\t',
      '\0',
      '1',
      ' ',
      '*',
      '/',
      'a',
      'é',
      '\u2028',
      '\u0085',
      '\u00a0',
      '😀',
      '\ud800',
    ),
    maxLength: 16,
  }),
);
const identifier = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,6}$/);

/** Lines after breaks of every kind, indented by spaces and tabs: how comment layout shows in the output. */
const indentedLines = fc
  .array(
    fc.tuple(
      fc.constantFrom('\n', '\r\n', '\r', '\u2028'),
      fc.nat(9),
      fc.constantFrom('', '\t', ' \t'),
      text,
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((lines) =>
    lines.map(([end, spaces, tabs, line]) => `${end}${' '.repeat(spaces)}${tabs}${line}`).join(''),
  );

const comment: fc.Arbitrary<S.Comment> = fc.oneof(
  indentedLines.map((lines) => ({ kind: 'block' as const, text: `*${lines.replaceAll('*/', '')}\n ` })),
  indentedLines.map((lines) => ({ kind: 'line' as const, text: ` x${lines}` })),
  fc
    .array(fc.oneof(text, fc.lorem({ maxCount: 30 })), { maxLength: 3 })
    .map((paragraphs) => ({ kind: 'block' as const, text: jsDocBody(...paragraphs) ?? '* x ' })),
  text.map((t) => ({ kind: 'block' as const, text: t.replaceAll('*/', '') })),
  text.map((t) => ({ kind: 'line' as const, text: ` ${t}` })),
);

/** Adds leading comments to one node in four, so that trees stay readable when a test fails. */
function commented<T extends S.Node>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> {
  const comments = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(comment, { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(arbitrary, comments).map(([node, added]) => (added ? { ...node, comments: added } : node));
}

const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(86_400_000, 1e21, -1.5e-7, 10_000),
);
const json = fc.jsonValue({ maxDepth: 3 });

function statementArbitrary(): fc.Arbitrary<S.Statement> {
  const tree = fc.letrec<{
    expression: S.Expression;
    type: S.TypeNode;
    member: S.TypeMember;
    parameter: S.Parameter;
    block: S.Block;
    statement: S.Statement;
  }>((tie) => {
    const expression = tie('expression');
    const type = tie('type');
    const member = tie('member');
    const parameter = tie('parameter');
    const block = tie('block');
    const propertyName = fc.oneof(identifier.map(S.id), text.map(S.stringLiteral));
    const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
    const callee = fc.oneof(
      identifier.map(S.id),
      fc.tuple(identifier, identifier).map(([a, b]) => S.propertyAccess(S.id(a), b)),
    );
    const method = fc
      .tuple(fc.subarray(['async'] as const), identifier, list(parameter), block)
      .map(([modifiers, name, parameters, body]) => S.methodDeclaration(modifiers, name, parameters, body));
    const objectMember = commented(
      fc.oneof(
        fc.tuple(propertyName, expression).map(([name, value]) => S.propertyAssignment(name, value)),
        method,
      ),
    );
    const castable = fc.oneof(
      identifier.map(S.id),
      fc.tuple(list(objectMember), fc.boolean()).map(([members, multi]) => S.objectLiteral(members, multi)),
    );
    const literalType = fc.oneof(
      text.map(S.stringLiteral),
      fc.nat().map((n) => S.numericLiteral(String(n))),
      fc.constantFrom(S.trueLiteral(), S.falseLiteral(), S.nullLiteral()),
    );
    return {
      expression: commented(
        fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          identifier.map(S.id),
          text.map(S.stringLiteral),
          number.map(literal),
          number.map((n) => S.negative(literal(n))),
          json.map(literal),
          fc.constantFrom(S.trueLiteral(), S.falseLiteral(), S.nullLiteral()),
          fc
            .tuple(list(objectMember), fc.boolean())
            .map(([members, multi]) => S.objectLiteral(members, multi)),
          fc.tuple(list(expression), fc.boolean()).map(([items, multi]) => S.arrayLiteral(items, multi)),
          fc
            .tuple(callee, list(expression), fc.option(fc.array(type, { minLength: 1, maxLength: 2 })))
            .map(([fn, args, types]) => S.call(fn, args, types ?? undefined)),
          fc
            .tuple(identifier, fc.option(list(expression)))
            .map(([name, args]) => S.newExpression(S.id(name), args ?? undefined)),
          fc.tuple(identifier, identifier).map(([a, b]) => S.propertyAccess(S.id(a), b)),
          fc.tuple(castable, type).map(([e, t]) => S.asExpression(e, t)),
          fc.tuple(castable, type, type).map(([e, t, u]) => S.satisfiesExpression(S.asExpression(e, t), u)),
        ),
      ),
      type: commented(
        fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          fc
            .constantFrom('string', 'number', 'boolean', 'void', 'never', 'unknown' as const)
            .map(S.keywordType),
          fc
            .tuple(identifier, fc.option(fc.array(type, { minLength: 1, maxLength: 2 })))
            .map(([name, args]) => S.typeReference(name, args ?? undefined)),
          list(member).map(S.typeLiteral),
          fc.array(type, { minLength: 2, maxLength: 3 }).map(S.union),
          fc.array(type, { minLength: 2, maxLength: 3 }).map(S.intersection),
          literalType.map(S.literalType),
          type.map(S.arrayType),
        ),
      ),
      member: commented(
        fc.oneof(
          fc
            .tuple(fc.subarray(['readonly'] as const), propertyName, type, fc.boolean())
            .map(([modifiers, name, t, optional]) => S.propertySignature(modifiers, name, t, optional)),
          fc
            .tuple(identifier, list(parameter), type)
            .map(([name, parameters, returns]) => S.methodSignature(name, parameters, returns)),
        ),
      ),
      parameter: commented(
        fc
          .tuple(identifier, fc.option(type), fc.boolean())
          .map(([name, t, optional]) => S.parameter(name, t ?? undefined, optional)),
      ),
      // Uncommented: TypeScript's printer drops a function body's own comments (emitters never write any);
      // a block as a statement gets them from \`statement\`.
      block: fc
        .tuple(list(tie('statement')), fc.boolean())
        .map(([statements, multi]) => S.block(statements, multi)),
      statement: commented(
        fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          fc
            .tuple(
              fc.constantFrom<S.Modifier[]>([], ['export'], ['export', 'declare']),
              fc.array(
                fc.tuple(identifier, fc.option(type), fc.option(expression)).map(([name, t, value]) => ({
                  name,
                  ...(t ? { type: t } : {}),
                  ...(value ? { initializer: value } : {}),
                })),
                { minLength: 1, maxLength: 2 },
              ),
            )
            .map(([modifiers, declarations]) => S.constStatement(modifiers, declarations)),
          fc
            .tuple(
              fc.constantFrom<S.Modifier[]>([], ['export'], ['export', 'async']),
              identifier,
              list(parameter),
              fc.option(type),
              block,
            )
            .map(([modifiers, name, parameters, returns, body]) =>
              S.functionDeclaration(modifiers, name, parameters, returns ?? undefined, body),
            ),
          fc.option(expression).map((e) => S.returnStatement(e ?? undefined)),
          expression.map(S.throwStatement),
          fc.tuple(callee, list(expression)).map(([fn, args]) => S.expressionStatement(S.call(fn, args))),
          fc
            .tuple(fc.array(identifier, { minLength: 1, maxLength: 4 }), text, fc.boolean())
            .map(([names, from, typeOnly]) => S.importNames(names, from, typeOnly)),
          fc.tuple(text, fc.boolean()).map(([from, typeOnly]) => S.exportAll(from, typeOnly)),
          fc
            .tuple(fc.subarray(['export', 'declare'] as const), identifier, list(member))
            .map(([modifiers, name, members]) => S.interfaceDeclaration(modifiers, name, members)),
          fc
            .tuple(fc.subarray(['export'] as const), identifier, type)
            .map(([modifiers, name, t]) => S.typeAlias(modifiers, name, t)),
          block,
        ),
      ),
    };
  });
  return tree.statement;
}

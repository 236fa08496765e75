/**
 * B's own keywords (no combinators) against a normalized piece of A, type by type: each keyword of B only
 * constrains the instances of its own JSON type, so it matters only for the types both sides allow.
 */
import { compareArrays } from './compare-array.ts';
import { compareObjects } from './compare-object.ts';
import { formatCheck } from './evaluate.ts';
import { describeValue, issue, type SubsetIssue } from './issues.ts';
import type { SchemaObject } from './keywords.ts';
import {
  type Atom,
  type Bound,
  baseView,
  integerHigh,
  integerLow,
  type Norm,
  normalize,
} from './normalize.ts';
import type { SubsetContext } from './schema-subset.ts';

export function compareBase(ctx: SubsetContext, norm: Norm, b: SchemaObject): SubsetIssue[] {
  const bNorm = normalize([baseView(b)]);
  const issues: SubsetIssue[] = [];
  const extra = [...norm.atoms].filter((t) => !bNorm.atoms.has(t));
  if (extra.length > 0) {
    issues.push(
      issue(
        'type',
        `{L} allows ${describeAtoms(extra)}, which {R} does not (it allows ${describeAtoms([...bNorm.atoms])})`,
        {
          keyword: 'type',
          schemaPath: '/type',
        },
      ),
    );
  }
  const shared = new Set([...norm.atoms].filter((t) => bNorm.atoms.has(t)));
  if (shared.size === 0) return issues;
  if (bNorm.values !== undefined) {
    const keyword = 'enum' in b ? 'enum' : 'const';
    const fuzzy = shared.has('string') && (norm.string.patterns.length > 0 || norm.string.formats.length > 0);
    issues.push(
      issue(
        'enum',
        `{L} allows any ${describeAtoms([...shared])} value; {R} only allows ${bNorm.values.map(describeValue).join(', ')}`,
        {
          keyword,
          schemaPath: `/${keyword}`,
          certain: !fuzzy,
        },
      ),
    );
    return issues;
  }
  if (shared.has('integer') || shared.has('fraction'))
    issues.push(...compareNumbers(norm, bNorm, !shared.has('fraction')));
  if (shared.has('string')) issues.push(...compareStrings(norm, bNorm));
  if (shared.has('array')) issues.push(...compareArrays(ctx, norm.array, bNorm.array));
  if (shared.has('object')) issues.push(...compareObjects(ctx, norm.object, bNorm.object));
  return issues;
}

const ATOM_TEXT: Record<Atom, string> = {
  null: 'null',
  boolean: 'booleans',
  object: 'objects',
  array: 'arrays',
  string: 'strings',
  integer: 'integers',
  fraction: 'non-integer numbers',
};

export function describeAtoms(atoms: readonly Atom[]): string {
  if (atoms.length === 0) return 'nothing';
  if (atoms.includes('integer') && atoms.includes('fraction')) {
    return describeAtoms([...atoms.filter((a) => a !== 'integer' && a !== 'fraction'), 'number' as Atom]);
  }
  return atoms.map((a) => ATOM_TEXT[a] ?? 'numbers').join(', ');
}

function lowerWithin(a: Bound | undefined, b: Bound, integerOnly: boolean): boolean {
  if (!a) return false;
  if (integerOnly) return integerLow(a) >= integerLow(b);
  return a.value > b.value || (a.value === b.value && (a.exclusive || !b.exclusive));
}

function upperWithin(a: Bound | undefined, b: Bound, integerOnly: boolean): boolean {
  if (!a) return false;
  if (integerOnly) return integerHigh(a) <= integerHigh(b);
  return a.value < b.value || (a.value === b.value && (a.exclusive || !b.exclusive));
}

function boundText(b: Bound | undefined, side: 'lower' | 'upper'): string {
  if (!b) return `no ${side} bound`;
  return `${side === 'lower' ? (b.exclusive ? '>' : '>=') : b.exclusive ? '<' : '<='} ${b.value}`;
}

const isMultiple = (x: number, m: number) => Math.abs(x / m - Math.round(x / m)) < 1e-9;
const INT32: readonly [number, number] = [-(2 ** 31), 2 ** 31 - 1];

function compareNumbers(a: Norm, b: Norm, integerOnly: boolean): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  const { min, max, multipleOf } = b.number;
  if (min && !lowerWithin(a.number.min, min, integerOnly)) {
    const keyword = min.exclusive ? 'exclusiveMinimum' : 'minimum';
    issues.push(
      issue(
        'bound',
        `{L} allows ${a.number.min ? `numbers ${boundText(a.number.min, 'lower')}` : 'numbers with no lower bound'}; {R} requires ${boundText(min, 'lower')}`,
        {
          keyword,
          schemaPath: `/${keyword}`,
        },
      ),
    );
  }
  if (max && !upperWithin(a.number.max, max, integerOnly)) {
    const keyword = max.exclusive ? 'exclusiveMaximum' : 'maximum';
    issues.push(
      issue(
        'bound',
        `{L} allows ${a.number.max ? `numbers ${boundText(a.number.max, 'upper')}` : 'numbers with no upper bound'}; {R} requires ${boundText(max, 'upper')}`,
        {
          keyword,
          schemaPath: `/${keyword}`,
        },
      ),
    );
  }
  for (const m of multipleOf) {
    if (a.number.multipleOf.some((x) => isMultiple(x, m)) || (integerOnly && isMultiple(1, m))) continue;
    issues.push(
      issue('bound', `{L} allows numbers that are not multiples of ${m}, which {R} requires`, {
        keyword: 'multipleOf',
        schemaPath: '/multipleOf',
      }),
    );
  }
  for (const format of b.string.formats) {
    if (format !== 'int32' && format !== 'int64') continue;
    if (a.string.formats.includes(format) || (format === 'int64' && a.string.formats.includes('int32')))
      continue;
    const inRange =
      format === 'int64' ||
      (a.number.min !== undefined &&
        a.number.max !== undefined &&
        integerLow(a.number.min) >= INT32[0] &&
        integerHigh(a.number.max) <= INT32[1]);
    if (!integerOnly || !inRange) {
      issues.push(
        issue('format', `{L} allows numbers outside format \`${format}\`, which {R} requires`, {
          keyword: 'format',
          schemaPath: '/format',
        }),
      );
    }
  }
  return issues;
}

/** Format inclusions that hold for ajv-formats' definitions (every `email` is an `idn-email`, ...). */
const FORMAT_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  email: ['idn-email'],
  hostname: ['idn-hostname'],
  uri: ['uri-reference', 'iri', 'iri-reference'],
  url: ['uri', 'uri-reference', 'iri', 'iri-reference'],
  iri: ['iri-reference'],
  'uri-reference': ['iri-reference'],
  'date-time': ['iso-date-time'],
  time: ['iso-time'],
};
const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

function compareStrings(a: Norm, b: Norm): SubsetIssue[] {
  const issues: SubsetIssue[] = [];
  const as = a.string;
  const bs = b.string;
  // A pattern or a format may already bound the length (`^[A-Z]{3}$`, `uuid`): length issues are then unsure.
  const shaped = as.patterns.length > 0 || as.formats.length > 0;
  if (bs.minLength > as.minLength) {
    issues.push(
      issue(
        'bound',
        `{L} allows strings shorter than ${bs.minLength} characters (minLength ${as.minLength}); {R} requires minLength ${bs.minLength}`,
        { keyword: 'minLength', schemaPath: '/minLength', certain: !shaped },
      ),
    );
  }
  if (bs.maxLength !== undefined && (as.maxLength === undefined || as.maxLength > bs.maxLength)) {
    const theirs = as.maxLength === undefined ? 'no maxLength' : `maxLength ${as.maxLength}`;
    issues.push(
      issue(
        'bound',
        `{L} allows strings longer than ${bs.maxLength} characters (${theirs}); {R} requires maxLength ${bs.maxLength}`,
        { keyword: 'maxLength', schemaPath: '/maxLength', certain: !shaped },
      ),
    );
  }
  for (const format of bs.formats) {
    if (NUMBER_FORMATS.has(format) || as.formats.includes(format)) continue;
    if (as.formats.some((f) => FORMAT_IMPLIES[f]?.includes(format))) continue;
    if (formatCheck(format) === undefined) continue; // unknown formats accept every string, as in ajv
    const theirs = as.formats.length > 0 ? `format \`${as.formats.join('`, `')}\`` : 'any string';
    issues.push(
      issue('format', `{L} allows ${theirs}; {R} requires format \`${format}\``, {
        keyword: 'format',
        schemaPath: '/format',
        certain: as.patterns.length === 0,
      }),
    );
  }
  for (const pattern of bs.patterns) {
    if (as.patterns.includes(pattern)) continue;
    const decidable = as.patterns.length === 0 && as.formats.length === 0;
    const theirs =
      as.patterns.length > 0
        ? `pattern \`${as.patterns.join('`, `')}\``
        : as.formats.length > 0
          ? `format \`${as.formats.join('`, `')}\``
          : 'strings of any shape';
    issues.push(
      issue(
        'pattern',
        decidable
          ? `{L} allows ${theirs}; {R} requires pattern \`${pattern}\``
          : `{L}'s ${theirs} cannot be compared with {R}'s pattern \`${pattern}\``,
        {
          keyword: 'pattern',
          schemaPath: '/pattern',
          certain: decidable,
        },
      ),
    );
  }
  return issues;
}

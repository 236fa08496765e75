/**
 * The syntax tree of the declarations json-schema-to-typescript writes (see its generator.js): exported
 * interfaces and type aliases built from keyword types, references, literals, unions, intersections, arrays,
 * tuples and type literals. Nothing else is representable, so nothing else can be printed.
 */

/** A `/* ... *\/` comment as written, with the column its first line starts at (the printer re-indents it). */
export interface Comment {
  readonly text: string;
  readonly column: number;
}

export type TypeNode =
  /** `string`, `unknown`, `null`, `true`, ...: printed as written. */
  | { readonly kind: 'keyword'; readonly text: string }
  | { readonly kind: 'reference'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  /** The number as written, minus sign included (`-1.5e+21`). */
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'parenthesized'; readonly type: TypeNode }
  | { readonly kind: 'union'; readonly types: readonly TypeNode[] }
  | { readonly kind: 'intersection'; readonly types: readonly TypeNode[] }
  | { readonly kind: 'array'; readonly element: TypeNode }
  | { readonly kind: 'tuple'; readonly elements: readonly TupleElement[] }
  | { readonly kind: 'typeLiteral'; readonly members: readonly Member[] };

export type TupleElement = TypeNode | { readonly kind: 'rest'; readonly type: TypeNode };

export type PropertyName =
  | { readonly kind: 'identifier'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string };

export type Member =
  | {
      readonly kind: 'property';
      readonly comments: readonly Comment[];
      readonly name: PropertyName;
      readonly optional: boolean;
      readonly type: TypeNode;
    }
  | {
      readonly kind: 'index';
      readonly comments: readonly Comment[];
      readonly parameter: string;
      readonly keyType: TypeNode;
      readonly type: TypeNode;
    };

export type Declaration =
  | {
      readonly kind: 'interface';
      readonly comments: readonly Comment[];
      /** Comments after the closing `}` on its line (see Token.trailingComments). */
      readonly trailingComments: readonly Comment[];
      readonly exported: boolean;
      readonly name: string;
      readonly extends: readonly string[];
      readonly members: readonly Member[];
    }
  | {
      readonly kind: 'alias';
      readonly comments: readonly Comment[];
      readonly exported: boolean;
      readonly name: string;
      readonly type: TypeNode;
    };

/**
 * Recursive-descent parser for the declarations json-schema-to-typescript writes, with TypeScript's precedence
 * (union < intersection < postfix `[]` < primary) so that its few ambiguous spellings (`[]|[A][]`, an unwrapped
 * union of tuples) mean what TypeScript reads. Comments are accepted only where the library writes them:
 * before a declaration and before a member.
 */
import type { Declaration, Member, PropertyName, TupleElement, TypeNode } from './syntax.ts';
import { locate, type Token, TypeSourceError } from './tokens.ts';

/** Words that are types of their own rather than references to a declared type. */
const KEYWORD_TYPES = new Set([
  'any',
  'unknown',
  'never',
  'boolean',
  'number',
  'string',
  'object',
  'undefined',
  'null',
  'true',
  'false',
  'bigint',
  'symbol',
  'void',
]);

/** Words that start type syntax the library never writes (`keyof T`, `typeof x`, `infer U`, ...). */
const UNSUPPORTED_TYPE_WORDS = new Set([
  'keyof',
  'typeof',
  'infer',
  'readonly',
  'unique',
  'asserts',
  'this',
  'new',
  'abstract',
  'import',
]);

export function parseDeclarations(source: string, tokens: readonly Token[]): Declaration[] {
  return new Parser(source, tokens).declarations();
}

class Parser {
  #index = 0;
  /** The token whose trailing comments belong to the interface just parsed. */
  #trailingCommentsAllowedAt = -1;
  readonly #source: string;
  readonly #tokens: readonly Token[];

  constructor(source: string, tokens: readonly Token[]) {
    this.#source = source;
    this.#tokens = tokens;
  }

  declarations(): Declaration[] {
    const declarations: Declaration[] = [];
    while (this.#peek().kind !== 'end') {
      const declaration = this.#declaration();
      const next = this.#peek();
      if (declaration.kind === 'interface') {
        // The library sometimes glues a declaration (and its JSDoc) to the previous interface's `}`: that
        // ends a statement too, and the JSDoc becomes a trailing comment of the interface.
        declarations.push({ ...declaration, trailingComments: next.trailingComments });
        this.#trailingCommentsAllowedAt = this.#index;
      } else {
        // Otherwise statements end at a line break (the library writes no semicolons).
        if (next.kind !== 'end' && !next.lineBreakBefore) this.#fail('a line break');
        if (next.trailingComments.length > 0) this.#fail('no comment after a type alias');
        declarations.push(declaration);
      }
    }
    return declarations;
  }

  #declaration(): Declaration {
    const comments = this.#peek().comments;
    const exported = this.#peek().text === 'export';
    if (exported) this.#next({ allowComments: true });
    const keyword = this.#next({ allowComments: !exported });
    if (keyword.text === 'interface') {
      const name = this.#identifier();
      const supertypes: string[] = [];
      if (this.#peek().text === 'extends') {
        this.#next();
        do supertypes.push(this.#identifier());
        while (this.#accept(','));
      }
      const members = this.#members();
      return {
        kind: 'interface',
        comments,
        trailingComments: [],
        exported,
        name,
        extends: supertypes,
        members,
      };
    }
    if (keyword.text === 'type') {
      const name = this.#identifier();
      this.#expect('=');
      return { kind: 'alias', comments, exported, name, type: this.#type() };
    }
    if (keyword.text === 'enum') {
      throw this.#error(keyword, 'an enum declaration (schemas with `tsEnumNames` are not supported)');
    }
    throw this.#error(keyword, 'an `interface` or `type` declaration');
  }

  /** `{ member \n member ... }`: one member per line, as the library writes them. */
  #members(): Member[] {
    this.#expect('{');
    const members: Member[] = [];
    while (!this.#isPunctuation('}')) {
      if (this.#peek().kind === 'end') this.#fail('`}`');
      if (members.length > 0 && !this.#peek().lineBreakBefore) this.#fail('a line break between members');
      members.push(this.#member());
    }
    this.#expect('}');
    return members;
  }

  #member(): Member {
    const comments = this.#peek().comments;
    if (this.#isPunctuation('[')) {
      this.#next({ allowComments: true });
      const parameter = this.#identifier();
      this.#expect(':');
      const keyType = this.#type();
      this.#expect(']');
      this.#expect(':');
      return { kind: 'index', comments, parameter, keyType, type: this.#type() };
    }
    const name = this.#propertyName();
    const optional = this.#accept('?');
    this.#expect(':');
    return { kind: 'property', comments, name, optional, type: this.#type() };
  }

  #propertyName(): PropertyName {
    const token = this.#next({ allowComments: true });
    if (token.kind === 'word') return { kind: 'identifier', text: token.text };
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    throw this.#error(token, 'a property name');
  }

  #type(): TypeNode {
    return this.#list('union', '|', () => this.#list('intersection', '&', () => this.#postfix()));
  }

  /** `A | B | C` (or `&`); a single operand is returned as is. */
  #list(kind: 'union' | 'intersection', operator: string, operand: () => TypeNode): TypeNode {
    if (this.#isPunctuation(operator)) this.#fail('a type (a leading operator is not supported)');
    const first = operand();
    if (!this.#isPunctuation(operator)) return first;
    const types = [first];
    while (this.#accept(operator)) types.push(operand());
    return { kind, types };
  }

  /** `T[]`, `T[][]`: only when `[` is on the same line (otherwise it starts an index signature). */
  #postfix(): TypeNode {
    let type = this.#primary();
    while (this.#isPunctuation('[') && !this.#peek().lineBreakBefore) {
      this.#next();
      this.#expect(']');
      type = { kind: 'array', element: type };
    }
    return type;
  }

  #primary(): TypeNode {
    const token = this.#peek();
    switch (token.kind) {
      case 'string':
        this.#next();
        return { kind: 'string', value: token.value };
      case 'number':
        this.#next();
        return { kind: 'number', text: token.text };
      case 'word':
        return this.#named();
      case 'punctuation':
        return this.#punctuated(token);
      default:
        return this.#fail('a type');
    }
  }

  #named(): TypeNode {
    const token = this.#next();
    if (KEYWORD_TYPES.has(token.text)) return { kind: 'keyword', text: token.text };
    if (UNSUPPORTED_TYPE_WORDS.has(token.text)) throw this.#error(token, 'a type the library writes');
    return { kind: 'reference', name: token.text };
  }

  #punctuated(token: Token): TypeNode {
    switch (token.text) {
      case '(': {
        this.#next();
        const type = this.#type();
        this.#expect(')');
        return { kind: 'parenthesized', type };
      }
      case '{':
        return { kind: 'typeLiteral', members: this.#members() };
      case '[':
        return this.#tuple();
      case '-': {
        this.#next();
        const number = this.#next();
        if (number.kind !== 'number' || number.lineBreakBefore || number.position !== token.position + 1) {
          throw this.#error(number, 'a number right after `-`');
        }
        return { kind: 'number', text: `-${number.text}` };
      }
      default:
        return this.#fail('a type');
    }
  }

  #tuple(): TypeNode {
    this.#expect('[');
    const elements: TupleElement[] = [];
    if (!this.#isPunctuation(']')) {
      do elements.push(this.#accept('...') ? { kind: 'rest', type: this.#type() } : this.#type());
      while (this.#accept(','));
    }
    this.#expect(']');
    return { kind: 'tuple', elements };
  }

  #identifier(): string {
    const token = this.#next();
    if (token.kind !== 'word') throw this.#error(token, 'a name');
    return token.text;
  }

  #peek(): Token {
    return this.#tokens[this.#index]!;
  }

  /** Consumes a token; a comment before it is an error unless it stands where the library writes comments. */
  #next({ allowComments = false } = {}): Token {
    const token = this.#peek();
    if (token.kind === 'end') this.#fail('more source');
    if (!allowComments && token.comments.length > 0) {
      throw this.#error(token, 'no comment here (only declarations and members carry one)');
    }
    if (token.trailingComments.length > 0 && this.#index !== this.#trailingCommentsAllowedAt) {
      throw this.#error(token, 'no comment after the previous token on its line');
    }
    this.#index++;
    return token;
  }

  #isPunctuation(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'punctuation' && token.text === text;
  }

  #accept(text: string): boolean {
    if (!this.#isPunctuation(text)) return false;
    this.#next();
    return true;
  }

  #expect(text: string): void {
    if (!this.#accept(text)) this.#fail(`\`${text}\``);
  }

  #fail(expected: string): never {
    throw this.#error(this.#peek(), expected);
  }

  #error(token: Token, expected: string): TypeSourceError {
    const found = token.kind === 'end' ? 'the end of the source' : `\`${token.text}\``;
    return new TypeSourceError(
      `cannot read the generated types at ${locate(this.#source, token.position)}: expected ${expected}, found ${found}`,
    );
  }
}

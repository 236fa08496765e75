import { describe, expect, it } from 'vitest';
import { PARSER_NATIVE_FORMATS } from './schema-formats.ts';

describe('schema formats', () => {
  it('knows, without loading the parser, the formats the parser reads with no schema parser plugin', async () => {
    const { Parser } = await import('@asyncapi/parser');
    const parser = new Parser({ ruleset: { core: false, recommended: false } });
    expect([...PARSER_NATIVE_FORMATS].sort()).toEqual([...parser.parserRegistry.keys()].sort());
  });
});

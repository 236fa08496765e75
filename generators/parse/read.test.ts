import { describe, expect, it } from 'vitest';
import { parseContractText } from './read.ts';

const read = (text: string | Buffer) =>
  parseContractText(typeof text === 'string' ? Buffer.from(text) : text);

describe('reading a contract file', () => {
  it.each([
    ['nothing', ''],
    ['blank lines', '\n  \n\t\n'],
    ['only comments', '# nothing here yet\n# still nothing\n'],
  ])('reports an empty file (%s)', (_, text) => {
    expect(read(text)).toEqual({
      ok: false,
      code: 'empty-file',
      message: 'file is empty',
      hint: 'write an AsyncAPI 3.0 document (starting with `asyncapi: 3.0.0`) or delete the file',
    });
  });

  it('reports a binary file', () => {
    expect(read(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toMatchObject({
      ok: false,
      code: 'binary-file',
      message: 'file is binary (it contains NUL bytes), not YAML or JSON text',
    });
  });

  it.each([
    [
      'bad indentation',
      'a: 1\nb:\n  c: 1\n   d: 2\n',
      3,
      6,
      'YAML syntax error: Nested mappings are not allowed in compact mappings',
    ],
    [
      'a duplicate key',
      'asyncapi: 3.0.0\ninfo: {}\ninfo: {}\n',
      3,
      1,
      'YAML syntax error: Map keys must be unique',
    ],
    [
      'an unclosed flow map',
      'info: { title: x\n',
      2,
      1,
      'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    ],
    ['a tab indent', 'info:\n\ttitle: x\n', 2, 1, 'YAML syntax error: Tabs are not allowed as indentation'],
  ])('reports %s with its line and column', (_, text, line, column, message) => {
    const result = read(text);
    expect(result).toMatchObject({ ok: false, code: 'yaml-syntax', line, column, message });
  });

  it.each([
    ['YAML', 'asyncapi: 3.0.0\ninfo: { title: T }\n'],
    ['JSON', '{"asyncapi": "3.0.0", "info": {"title": "T"}}'],
    ['YAML after a byte order mark', '\uFEFFasyncapi: 3.0.0\ninfo: { title: T }\n'],
  ])('reads %s', (_, text) => {
    const result = read(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.data).toEqual({ asyncapi: '3.0.0', info: { title: 'T' } });
  });

  it('expands YAML merge keys as the AsyncAPI parser does', () => {
    const result = read('base: &b { type: object }\nchild:\n  <<: *b\n  title: C\n');
    expect(result.ok && result.data).toEqual({
      base: { type: 'object' },
      child: { type: 'object', title: 'C' },
    });
  });
});

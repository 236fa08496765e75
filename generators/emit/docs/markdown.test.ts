import { describe, expect, it } from 'vitest';
import {
  code,
  codeBlock,
  facts,
  heading,
  link,
  list,
  page,
  prose,
  proseBlock,
  table,
  text,
} from './markdown.ts';

describe('text', () => {
  it.each([
    ['plain words', 'plain words'],
    ['a_b*c', 'a\\_b\\*c'],
    ['`tick` [link](x) <b>', '\\`tick\\` \\[link\\](x) \\<b\\>'],
    ['back\\slash & co', 'back\\\\slash \\& co'],
    ['line one\n  line two', 'line one line two'],
    ['# not a heading', '\\# not a heading'],
    ['1. not a list', '1\\. not a list'],
    ['a | b', 'a | b'],
  ])('%j -> %j', (raw, expected) => {
    expect(text(raw)).toBe(expected);
  });
});

describe('code', () => {
  it.each([
    ['x', '`x`'],
    ['a`b', '``a`b``'],
    ['``double``', '``` ``double`` ```'],
    ['two\nlines', '`two lines`'],
  ])('%j -> %j', (raw, expected) => {
    expect(code(raw)).toBe(expected);
  });
});

describe('prose (contract CommonMark)', () => {
  it.each([
    ['keeps `code` and *emphasis*', 'keeps `code` and *emphasis*'],
    ['neutralises <b>tags</b> outside code', 'neutralises &lt;b>tags&lt;/b> outside code'],
    ['but not `inside <code>`', 'but not `inside <code>`'],
    ['autolinks <https://example.com/x> stay', 'autolinks <https://example.com/x> stay'],
    ['comparisons a < b stay', 'comparisons a < b stay'],
    ['first\nsecond', 'first second'],
  ])('%j -> %j', (raw, expected) => {
    expect(prose(raw)).toBe(expected);
  });

  it('keeps paragraphs and indented blocks in block form', () => {
    expect(proseBlock('\nOne.\n\n    a -> b\n\nTwo <x>.  \n')).toBe('One.\n\n    a -> b\n\nTwo &lt;x>.');
  });
});

describe('table', () => {
  it('escapes pipes in every cell, code spans included, and in headers', () => {
    const md = table(['a|b', 'c'], [[text('x | y'), code('p|q')]]);
    expect(md.split('\n')).toEqual(['| a\\|b | c |', '| --- | --- |', '| x \\| y | `p\\|q` |']);
  });

  it('keeps the column count of every row equal to the header when cells hold pipes', () => {
    const md = table(['one', 'two'], [[text('|a\\|'), code('`|`')]]);
    // GFM splits a row at every pipe that no backslash precedes: two columns make three separators.
    const separators = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;
    for (const line of md.split('\n')) expect(separators(line)).toBe(3);
  });
});

describe('blocks', () => {
  it('fences a code block longer than any fence inside it', () => {
    expect(codeBlock('md', 'x\n```\ny\n````')).toBe('`````md\nx\n```\ny\n````\n`````');
    expect(codeBlock('json', '{}\n')).toBe('```json\n{}\n```');
  });

  it('builds links with hrefs that cannot close the link early', () => {
    expect(link(text('a'), 'events/x (1).md')).toBe('[a](events/x%20%281%29.md)');
  });

  it('drops empty blocks, separates the rest by one blank line and ends with a newline', () => {
    const md = page(
      heading(1, text('T')),
      undefined,
      false,
      list([text('a'), text('b')]),
      facts([['k', code('v')], undefined]),
    );
    expect(md).toBe('# T\n\n- a\n- b\n\n- **k**: `v`\n');
  });
});

import { describe, expect, it } from 'vitest';
import { childPointer, escapeSegment, parsePointer, pointerOf, valueAt } from './pointer.ts';

describe('JSON pointers', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b', 'a~1b'],
    ['a~b', 'a~0b'],
    ['~/', '~0~1'],
    [3, '3'],
  ])('escapes segment %j as %j', (segment, escaped) => {
    expect(escapeSegment(segment)).toBe(escaped);
  });

  it.each([
    ['', []],
    ['#', []],
    ['/channels/a~1b/messages', ['channels', 'a/b', 'messages']],
    ['#/components/schemas/x~0y', ['components', 'schemas', 'x~y']],
    ['/', ['']],
  ])('parses %j', (pointer, segments) => {
    expect(parsePointer(pointer)).toEqual(segments);
    expect(pointerOf(segments)).toBe(pointer.replace(/^#/, ''));
  });

  it('appends children', () => {
    expect(childPointer('/channels', 'user/{id}', 'messages', 0)).toBe('/channels/user~1{id}/messages/0');
  });

  const document = { a: { 'b/c': [10, { d: null }] }, e: false };
  it.each([
    ['', document],
    ['/a/b~1c/0', 10],
    ['/a/b~1c/1/d', null],
    ['/e', false],
    ['/a/missing', undefined],
    ['/a/b~1c/7', undefined],
    ['/e/x', undefined],
    ['/toString', undefined],
  ])('finds the value at %j', (pointer, value) => {
    expect(valueAt(document, pointer)).toEqual(value);
  });
});

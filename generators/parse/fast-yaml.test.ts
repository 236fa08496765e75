import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { fastYamlData } from './fast-yaml.ts';
import { YAML_OPTIONS } from './read.ts';

const contracts = path.resolve(import.meta.dirname, '../../asyncapi');
const yamlData = (text: string) => parseDocument(text, YAML_OPTIONS).toJS({ maxAliasCount: 10_000 });

function contractTexts(): Array<[string, string]> {
  const files = [
    ...readdirSync(contracts).map((name) => path.join(contracts, name)),
    ...readdirSync(path.join(contracts, 'common')).map((name) => path.join(contracts, 'common', name)),
  ].filter((file) => /\.ya?ml$/.test(file));
  return files.map((file) => [path.relative(contracts, file), readFileSync(file, 'utf8')]);
}

describe('fast YAML reader', () => {
  it.each(contractTexts())('reads %s exactly as the yaml package does', (_name, text) => {
    const fast = fastYamlData(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(yamlData(text));
  });

  it.each([
    ['decimal, octal and hex ints', 'a: 12\nb: -7\nc: +3\nd: 0o17\ne: 0x1F\n'],
    ['ints yaml 1.2 reads as strings', 'a: 0b101\nb: 1_000\nc: 017x\nd: 0o9\n'],
    ['floats', 'a: 1.5\nb: .5\nc: 1e3\nd: -2.5E-2\ne: .inf\nf: -.Inf\ng: 1.\n'],
    ['floats yaml 1.2 reads as strings', 'a: 1_000.5\nb: 1.2.3\nc: e3\n'],
    ['booleans and nulls', 'a: true\nb: False\nc: TRUE\nd: yes\ne: ~\nf: null\ng: Null\nh:\ni: off\n'],
    ['timestamps stay strings', 'a: 2024-01-02\nb: 2024-01-02T10:00:00Z\n'],
    ['quoted scalars', "a: '12'\nb: \"true\"\nc: 'null'\n"],
    ['merge keys and aliases', 'base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n'],
    ['number keys', '200: ok\n1.5: half\ntrue: yes\n'],
  ])('%s', (_name, text) => {
    expect(fastYamlData(text)).toEqual(yamlData(text));
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a %YAML directive', '%YAML 1.1\n---\na: yes\n'],
    ['an unknown tag', 'a: !include other.yaml\n'],
    ['an empty document', '# only a comment\n'],
    [
      'aliases that expand to a huge tree',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ).join('\n')}\n`,
    ],
  ])('leaves %s to the yaml package', (_name, text) => {
    expect(fastYamlData(text)).toBeUndefined();
  });
});

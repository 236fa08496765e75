/** Maps a JSON pointer to the line and column of that node in the YAML (or JSON) text. */
import type { Document, LineCounter, Node } from 'yaml';
import { parsePointer } from './pointer.ts';
import { YAML_OPTIONS } from './read.ts';
import { yamlLibrary } from './yaml-library.ts';

/** The syntax tree of a text, built when a position is first asked for (most loads need none). */
export interface SyntaxTree {
  readonly yaml: Document.Parsed;
  readonly lines: LineCounter;
}

export function syntaxTree(text: string): SyntaxTree {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  return { yaml: parseDocument(text, { lineCounter: lines, ...YAML_OPTIONS }), lines };
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * The position of the key that holds the pointed-at value (`x-eventwire-retry:`), or of the value itself for
 * array items and the root. When a step is missing (the pointer goes through a `$ref` or a merge key), the
 * deepest node found is used: close is better than nothing.
 */
export function locate(yaml: Document.Parsed, lines: LineCounter, pointer: string): Position | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yamlLibrary();
  let node: Node | null | undefined = yaml.contents;
  let offset = node?.range?.[0];
  for (const segment of parsePointer(pointer)) {
    if (isAlias(node)) node = node.resolve(yaml);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

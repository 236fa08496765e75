/** JSON pointers (RFC 6901): every location the loader and the model report is one of these. */

export function escapeSegment(segment: string | number): string {
  const text = String(segment);
  // Most segments need no escaping; this runs for every node of every document.
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join('');
}

export function childPointer(pointer: string, ...segments: (string | number)[]): string {
  return pointer + pointerOf(segments);
}

/** `''` is the whole document; a leading `#` (URI fragment form) is accepted. */
export function parsePointer(pointer: string): string[] {
  const bare = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (bare === '') return [];
  const segments = bare.slice(1).split('/');
  return bare.includes('~') ? segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : segments;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `pointer` inside `root`, or undefined when any step is missing. */
export function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

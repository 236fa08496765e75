/**
 * The library writes every JSDoc block over several lines and never wraps; this gives them the house style
 * (print.ts `jsDocBody`) before the text is parsed. A block the pattern does not recognise (a line holding a
 * carriage return, say) is left as the library wrote it and printed like any other comment.
 */
import { jsDocBody } from '../print.ts';

export function restyleJsDoc(source: string): string {
  return source.replace(/\/\*\*\n((?:[ \t]*\*(?: .*)?\n)*?)[ \t]*\*\//g, (_block, inner: string) => {
    const text = inner
      .split('\n')
      .map((line) => line.replace(/^[ \t]*\*(?: |$)/, ''))
      .join('\n');
    const body = jsDocBody(text);
    return body === undefined ? '' : `/*${body}*/`;
  });
}

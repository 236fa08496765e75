/**
 * RabbitMQ topic-exchange matching: routing keys and binding patterns are dot-separated words; in a pattern
 * `*` matches exactly one word and `#` matches zero or more. A `{param}` word in a routing key stands for any
 * single word, so it matches `*` and `#` and, conservatively, any literal word.
 */

export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0, new Map());
}

function matchWords(
  p: readonly string[],
  i: number,
  k: readonly string[],
  j: number,
  memo: Map<number, boolean>,
): boolean {
  const key = i * (k.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (i === p.length) result = j === k.length;
  else if (p[i] === '#')
    result = matchWords(p, i + 1, k, j, memo) || (j < k.length && matchWords(p, i, k, j + 1, memo));
  else if (j === k.length) result = false;
  else result = wordMatches(p[i] as string, k[j] as string) && matchWords(p, i + 1, k, j + 1, memo);
  memo.set(key, result);
  return result;
}

function wordMatches(patternWord: string, keyWord: string): boolean {
  if (patternWord === '*' || patternWord === keyWord) return true;
  const isParam = (w: string) => w.startsWith('{') && w.endsWith('}');
  return isParam(keyWord) || isParam(patternWord);
}

/** True when a pattern uses wildcards (then it is not a routing key itself). */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.split('.').some((w) => w === '*' || w === '#');
}

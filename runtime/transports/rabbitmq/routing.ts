/**
 * Where RabbitMQ would route a message in a RabbitTopology, computed without a broker. Lets checks answer "which
 * queues receive `email.verification.requested`?" and lets tests compare the broker's routing with the contract's.
 */
import type { RabbitTopology } from './topology.ts';

/**
 * AMQP 0-9-1 topic matching: words are separated by `.`, `*` matches exactly one word, `#` zero or more words.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const patternWords = pattern.split('.');
  const keyWords = routingKey.split('.');
  // matches[i][j]: pattern words from i match key words from j (dynamic programming over both suffixes).
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const id = i * (keyWords.length + 1) + j;
    const known = memo.get(id);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === patternWords.length) result = j === keyWords.length;
    else if (patternWords[i] === '#') result = match(i + 1, j) || (j < keyWords.length && match(i, j + 1));
    else if (j === keyWords.length) result = false;
    else result = (patternWords[i] === '*' || patternWords[i] === keyWords[j]) && match(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return match(0, 0);
}

/**
 * The queues a message published to `exchange` with `routingKey` reaches, following exchange-to-exchange
 * bindings. Headers exchanges route on headers, not keys: they are reported as unsupported.
 */
export function routeMessage(
  topology: RabbitTopology,
  vhost: string,
  exchange: string,
  routingKey: string,
): string[] {
  const queues = new Set<string>();
  const visited = new Set<string>();
  const visit = (name: string): void => {
    if (visited.has(name)) return;
    visited.add(name);
    const source = topology.exchanges.find((e) => e.vhost === vhost && e.name === name);
    if (!source) return;
    if (source.type === 'headers')
      throw new Error(`cannot predict routing through headers exchange '${name}'`);
    for (const binding of topology.bindings) {
      if (binding.vhost !== vhost || binding.source !== name) continue;
      const matches =
        source.type === 'fanout' ||
        (source.type === 'direct' && binding.routingKey === routingKey) ||
        (source.type === 'topic' && topicMatches(binding.routingKey, routingKey));
      if (!matches) continue;
      if (binding.destinationType === 'queue') queues.add(binding.destination);
      else visit(binding.destination);
    }
  };
  visit(exchange);
  return [...queues].sort();
}

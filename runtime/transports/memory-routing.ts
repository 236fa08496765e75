/** Which subscriptions a published destination reaches, with AMQP exchange-type semantics. */
import type { Destination } from '../spec.ts';

export function routes(published: Destination, subscribed: Destination): boolean {
  if (published.kind === 'topic' || subscribed.kind === 'topic') {
    return (
      published.kind === 'topic' &&
      subscribed.kind === 'topic' &&
      published.pubsub === subscribed.pubsub &&
      published.topic === subscribed.topic
    );
  }
  if (published.exchange !== subscribed.exchange || (published.vhost ?? '/') !== (subscribed.vhost ?? '/')) {
    return false;
  }
  switch (subscribed.exchangeType) {
    case 'fanout':
    case 'headers':
      return true;
    case 'direct':
      return published.routingKey === subscribed.routingKey;
    case 'topic':
      return topicMatches(subscribed.routingKey, published.routingKey);
  }
}

/** AMQP topic binding: `*` matches exactly one dot-separated word, `#` zero or more words. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const want = pattern.split('.');
  const have = routingKey === '' ? [] : routingKey.split('.');
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const memoKey = i * (have.length + 1) + j;
    const known = memo.get(memoKey);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === want.length) result = j === have.length;
    else if (want[i] === '#') result = match(i + 1, j) || (j < have.length && match(i, j + 1));
    else result = j < have.length && (want[i] === '*' || want[i] === have[j]) && match(i + 1, j + 1);
    memo.set(memoKey, result);
    return result;
  };
  return match(0, 0);
}

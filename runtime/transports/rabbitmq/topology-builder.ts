/**
 * Collects exchanges, queues and bindings from many specs. The same object declared twice is kept once; the same
 * name declared two different ways is an error naming both origins, because RabbitMQ would refuse the second
 * declaration at run time (PRECONDITION_FAILED) and an import would silently keep the first.
 */
import type { RabbitBinding, RabbitExchange, RabbitQueue, RabbitTopology } from './topology.ts';
import { TopologyError } from './topology-error.ts';

interface Entry<T> {
  readonly item: T;
  readonly origin: string;
}

const MAX_NAME_BYTES = 255;

export class TopologyBuilder {
  readonly #exchanges = new Map<string, Entry<RabbitExchange>>();
  readonly #queues = new Map<string, Entry<RabbitQueue>>();
  readonly #bindings = new Map<string, RabbitBinding>();

  exchange(exchange: RabbitExchange, origin: string): void {
    checkName('exchange', exchange.name, origin);
    add(this.#exchanges, 'exchange', exchange, origin);
  }

  queue(queue: RabbitQueue, origin: string): void {
    checkName('queue', queue.name, origin);
    add(this.#queues, 'queue', queue, origin);
  }

  binding(binding: RabbitBinding, origin: string): void {
    if (Buffer.byteLength(binding.routingKey) > MAX_NAME_BYTES) {
      throw new TopologyError(`routing key '${binding.routingKey}' (${origin}) is longer than 255 bytes`);
    }
    this.#bindings.set(canonical(binding), binding);
  }

  build(): RabbitTopology {
    const byName = (a: { vhost: string; name: string }, b: { vhost: string; name: string }) =>
      compare(a.vhost, b.vhost) || compare(a.name, b.name);
    return {
      exchanges: [...this.#exchanges.values()].map((e) => e.item).sort(byName),
      queues: [...this.#queues.values()].map((e) => e.item).sort(byName),
      bindings: [...this.#bindings.values()].sort(
        (a, b) =>
          compare(a.vhost, b.vhost) ||
          compare(a.source, b.source) ||
          compare(a.destination, b.destination) ||
          compare(a.routingKey, b.routingKey),
      ),
    };
  }
}

function add<T extends { vhost: string; name: string }>(
  map: Map<string, Entry<T>>,
  kind: string,
  item: T,
  origin: string,
): void {
  const key = `${item.vhost}\u0000${item.name}`;
  const existing = map.get(key);
  if (!existing) {
    map.set(key, { item, origin });
    return;
  }
  if (canonical(existing.item) === canonical(item)) return;
  throw new TopologyError(
    `${kind} '${item.name}' in vhost '${item.vhost}' is declared differently by ${existing.origin} ` +
      `and by ${origin}: ${differences(existing.item, item)}`,
    [`make both declarations agree, or give one of them another ${kind} name`],
  );
}

/** `type: topic vs direct, x-message-ttl: 1000 vs (none)`: the fields that differ, arguments included. */
function differences(a: object, b: object): string {
  const flat = (o: object): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(o)) {
      if (k === 'arguments')
        for (const [ak, av] of Object.entries(v as object)) out.set(ak, JSON.stringify(av));
      else out.set(k, JSON.stringify(v));
    }
    return out;
  };
  const left = flat(a);
  const right = flat(b);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort(compare);
  return keys
    .filter((k) => left.get(k) !== right.get(k))
    .map((k) => `${k}: ${left.get(k) ?? '(none)'} vs ${right.get(k) ?? '(none)'}`)
    .join(', ');
}

function checkName(kind: string, name: string, origin: string): void {
  if (name === '') throw new TopologyError(`${kind} of ${origin} has an empty name`);
  if (name.startsWith('amq.')) {
    throw new TopologyError(`${kind} '${name}' (${origin}) uses the reserved 'amq.' prefix`, [
      'choose a name that does not start with amq.',
    ]);
  }
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new TopologyError(`${kind} '${name}' (${origin}) is longer than 255 bytes`);
  }
}

/** JSON with sorted keys: equal objects give equal strings whatever order their fields were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compare(a, b)))
      : v,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

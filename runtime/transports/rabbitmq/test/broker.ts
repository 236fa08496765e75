/**
 * Test helpers for the real broker: a fresh virtual host per test file, rabbitmqctl listings normalised for
 * comparison, and definitions import. AMQP_URL points at the broker; RABBITMQCTL names the command line tool
 * (`rabbitmqctl` on PATH by default; e.g. `docker exec rabbit rabbitmqctl` in CI).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { ChannelModel } from 'amqplib';
import type { SubscriptionSpec } from '../../../spec.ts';
import { DEFAULT_AMQP_URL } from '../connection.ts';

const run = promisify(execFile);

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
  const { stdout } = await run(command!, [...prefix, ...args], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export interface TestVhost {
  readonly name: string;
  /** AMQP URL of the vhost. */
  readonly url: string;
  dispose(): Promise<void>;
}

export function vhostUrl(vhost: string): string {
  const url = new URL(process.env.AMQP_URL ?? DEFAULT_AMQP_URL);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

export function randomVhostName(prefix: string): string {
  return `eventwire-test-${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates the vhost (unless the caller imports it from definitions) and grants guest full permissions. */
export async function createTestVhost(prefix: string, name = randomVhostName(prefix)): Promise<TestVhost> {
  await rabbitmqctl('add_vhost', name, '--quiet');
  await grantGuest(name);
  return { name, url: vhostUrl(name), dispose: () => deleteVhost(name) };
}

export async function grantGuest(vhost: string): Promise<void> {
  const user = new URL(process.env.AMQP_URL ?? DEFAULT_AMQP_URL).username || 'guest';
  await rabbitmqctl('set_permissions', '-p', vhost, decodeURIComponent(user), '.*', '.*', '.*', '--quiet');
}

export async function deleteVhost(vhost: string): Promise<void> {
  await rabbitmqctl('delete_vhost', vhost, '--quiet').catch(() => {});
}

/** Starts an import; RabbitMQ 3.10 imports asynchronously, so callers poll for the objects they expect. */
export async function importDefinitions(file: string): Promise<void> {
  await rabbitmqctl('import_definitions', file);
}

type Listed = Record<string, unknown>;

async function listJson(command: string, vhost: string, columns: string[]): Promise<Listed[]> {
  const out = await rabbitmqctl(command, '-p', vhost, '--formatter', 'json', '--quiet', ...columns);
  const start = out.indexOf('[');
  return start === -1 ? [] : (JSON.parse(out.slice(start)) as Listed[]);
}

/** `[["x-queue-type","longstr","quorum"], ...]` -> `{ "x-queue-type": "quorum" }`, ignoring the wire types. */
function argumentsOf(value: unknown): Record<string, unknown> {
  if (!Array.isArray(value)) return {};
  const entries = value.map((entry) =>
    Array.isArray(entry) ? [String(entry[0]), entry[2]] : [String(entry), null],
  );
  return Object.fromEntries(entries.sort(([a], [b]) => String(a).localeCompare(String(b))));
}

export interface ListedTopology {
  readonly exchanges: readonly Listed[];
  readonly queues: readonly Listed[];
  readonly bindings: readonly Listed[];
}

/** What the broker holds in a vhost, without the vhost's built-in `amq.*` and default exchanges. */
export async function listTopology(vhost: string): Promise<ListedTopology> {
  const [exchanges, queues, bindings] = await Promise.all([
    listJson('list_exchanges', vhost, ['name', 'type', 'durable', 'auto_delete', 'internal', 'arguments']),
    listJson('list_queues', vhost, ['name', 'type', 'durable', 'auto_delete', 'arguments']),
    listJson('list_bindings', vhost, [
      'source_name',
      'source_kind',
      'destination_name',
      'destination_kind',
      'routing_key',
      'arguments',
    ]),
  ]);
  const byJson = (a: Listed, b: Listed) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  return {
    exchanges: exchanges
      .filter((e) => e.name !== '' && !String(e.name).startsWith('amq.'))
      .map((e) => ({ ...e, arguments: argumentsOf(e.arguments) }))
      .sort(byJson),
    queues: queues.map((q) => ({ ...q, arguments: argumentsOf(q.arguments) })).sort(byJson),
    // The default exchange's implicit binding of every queue says nothing about the topology.
    bindings: bindings
      .filter((b) => b.source_name !== '')
      .map((b) => ({ ...b, arguments: argumentsOf(b.arguments) }))
      .sort(byJson),
  };
}

/** Messages ready in a queue (queue-declare-ok counts them exactly; unacknowledged ones are not counted). */
export async function readyCount(connection: ChannelModel, queue: string): Promise<number> {
  const channel = await connection.createChannel();
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close();
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A subscription to `<name>.#` on the `events` topic exchange, consuming `<name>.work` (quorum) and dead-lettering
 * to `<name>.errors`: one retry after 200 ms, memory idempotency. Tests override what they are about.
 */
export function workSpec(name: string, overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  return {
    operation: name,
    service: 'test',
    name,
    route: `/events/${name}`,
    source: { kind: 'amqp', exchange: 'events', exchangeType: 'topic', routingKey: `${name}.#` },
    eventTypes: [`${name}.happened`],
    retry: {
      maxRetries: 1,
      backoff: 'fixed-delays',
      initialIntervalMs: 200,
      maxIntervalMs: 200,
      multiplier: 1,
      delaysMs: [200],
    },
    deadLetter: { address: `${name}.errors` },
    idempotency: { key: '$message.header#/event_id', ttlMs: 1000, store: 'memory' },
    handlerTimeoutMs: 5000,
    concurrency: 10,
    queue: { name: `${name}.work`, type: 'quorum', durable: true, prefetch: 10 },
    ...overrides,
  };
}

/**
 * A fresh RabbitMQ virtual host per test file: every exchange, queue and binding the harness creates lives in
 * it, and deleting it removes them all. `rabbitmqctl` manages vhosts (AMQP cannot); RABBITMQCTL overrides the
 * command (e.g. `docker exec rabbit rabbitmqctl` in CI).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AMQP_URL, uniqueName } from './env.ts';

const run = promisify(execFile);

async function rabbitmqctl(...args: string[]): Promise<void> {
  const [command, ...prefix] = (process.env.RABBITMQCTL ?? 'rabbitmqctl').split(' ');
  await run(command!, [...prefix, ...args, '--quiet'], { timeout: 60_000 });
}

export interface Vhost {
  readonly name: string;
  /** AMQP_URL with this vhost as its path. */
  readonly url: string;
  dispose(): Promise<void>;
}

/** Creates the vhost and gives AMQP_URL's user full permissions on it. */
export async function createVhost(label: string): Promise<Vhost> {
  const name = uniqueName(`ew-harness-${label}`);
  const url = new URL(AMQP_URL);
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl(
    'set_permissions',
    '-p',
    name,
    decodeURIComponent(url.username || 'guest'),
    '.*',
    '.*',
    '.*',
  );
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    dispose: () => rabbitmqctl('delete_vhost', name).catch(() => undefined),
  };
}

/**
 * RabbitTopology -> a RabbitMQ definitions document for one virtual host, in the 3.10 format that
 * `rabbitmqctl import_definitions` and the `load_definitions` boot import read.
 *
 * What it holds, and why:
 * - `vhosts`: the one virtual host, by name only, so an import on a fresh broker creates it, and an import on a
 *   live broker leaves the existing vhost's description, tags and limits alone.
 * - `exchanges`, `queues`, `bindings`: every object the contract's operations need, with queue arguments.
 * - `policies`: empty. Queue behaviour is carried by queue arguments, which the runtime can declare too; a policy
 *   would make an imported queue behave differently from a declared one.
 * - no `users`, `permissions` or `parameters`: credentials and grants belong to the deployment, not to contracts,
 *   and a permission for a user that does not exist fails the whole import.
 * Objects are addressed to the contract's vhost: a 3.10 import is cluster-wide and every object names its vhost.
 */
import type { AmqpArguments, RabbitTopology } from '../../../runtime/transports/rabbitmq/topology.ts';

export const RABBITMQ_DEFINITIONS_VERSION = '3.10.0';

export interface RabbitDefinitions {
  readonly rabbit_version: string;
  readonly rabbitmq_version: string;
  readonly vhosts: readonly { readonly name: string }[];
  readonly exchanges: readonly DefinitionExchange[];
  readonly queues: readonly DefinitionQueue[];
  readonly bindings: readonly DefinitionBinding[];
  readonly policies: readonly never[];
}

export interface DefinitionExchange {
  readonly name: string;
  readonly vhost: string;
  readonly type: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly internal: boolean;
  readonly arguments: AmqpArguments;
}

export interface DefinitionQueue {
  readonly name: string;
  readonly vhost: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly arguments: AmqpArguments;
}

export interface DefinitionBinding {
  readonly source: string;
  readonly vhost: string;
  readonly destination: string;
  readonly destination_type: 'queue' | 'exchange';
  readonly routing_key: string;
  readonly arguments: AmqpArguments;
}

/** The definitions of `vhost`; objects of other vhosts in `topology` are left out. */
export function definitionsForVhost(topology: RabbitTopology, vhost: string): RabbitDefinitions {
  return {
    rabbit_version: RABBITMQ_DEFINITIONS_VERSION,
    rabbitmq_version: RABBITMQ_DEFINITIONS_VERSION,
    vhosts: [{ name: vhost }],
    exchanges: topology.exchanges
      .filter((e) => e.vhost === vhost)
      .map((e) => ({
        name: e.name,
        vhost,
        type: e.type,
        durable: e.durable,
        auto_delete: e.autoDelete,
        internal: e.internal,
        arguments: sortedArguments(e.arguments),
      })),
    queues: topology.queues
      .filter((q) => q.vhost === vhost)
      .map((q) => ({
        name: q.name,
        vhost,
        durable: q.durable,
        auto_delete: q.autoDelete,
        arguments: sortedArguments(q.arguments),
      })),
    bindings: topology.bindings
      .filter((b) => b.vhost === vhost)
      .map((b) => ({
        source: b.source,
        vhost,
        destination: b.destination,
        destination_type: b.destinationType,
        routing_key: b.routingKey,
        arguments: sortedArguments(b.arguments),
      })),
    policies: [],
  };
}

/** The same definitions addressed to another vhost (import a contract's topology into staging or a test vhost). */
export function retargetDefinitions(definitions: RabbitDefinitions, vhost: string): RabbitDefinitions {
  return {
    ...definitions,
    vhosts: [{ name: vhost }],
    exchanges: definitions.exchanges.map((e) => ({ ...e, vhost })),
    queues: definitions.queues.map((q) => ({ ...q, vhost })),
    bindings: definitions.bindings.map((b) => ({ ...b, vhost })),
  };
}

/** `rabbitmq/<vhost>/definitions.json`; the vhost is URL-encoded as in RabbitMQ's HTTP API (`/` is `%2F`). */
export function definitionsPath(vhost: string): string {
  return `rabbitmq/${encodeURIComponent(vhost)}/definitions.json`;
}

function sortedArguments(args: AmqpArguments): AmqpArguments {
  return Object.fromEntries(Object.entries(args).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Emits `rabbitmq/<vhost>/definitions.json` for every virtual host the contracts' AMQP channels use. The topology
 * comes from the runtime's own `topologyFromSpecs`, so importing the file and letting the runtime declare give
 * the broker the same exchanges, queues and bindings.
 */
import {
  TopologyError,
  topologyFromSpecs,
  topologyVhosts,
} from '../../../runtime/transports/rabbitmq/topology.ts';
import type { ContractModel } from '../../model/types.ts';
import type { EmitterPlugin, GeneratedFile } from '../../pipeline/plugin.ts';
import { definitionsForVhost, definitionsPath } from './definitions.ts';
import { type AmqpSpecs, amqpSpecsFromModel } from './specs.ts';

export const rabbitmqDefinitionsPlugin: EmitterPlugin = {
  name: 'rabbitmq-definitions',
  description:
    'RabbitMQ definitions (exchanges, quorum queues, bindings, retry and dead-letter queues) per vhost',
  emit(model: ContractModel): readonly GeneratedFile[] {
    const specs = amqpSpecsFromModel(model);
    const topology = buildTopology(specs);
    return topologyVhosts(topology).map((vhost) => ({
      path: definitionsPath(vhost),
      contents: `${JSON.stringify(definitionsForVhost(topology, vhost), null, 2)}\n`,
      ownership: 'generated',
      sources: sourcesOf(specs, vhost),
    }));
  },
};

function buildTopology(specs: AmqpSpecs) {
  try {
    return topologyFromSpecs(specs, {
      describe: (spec) =>
        specs.sources.get(`${spec.service}/${spec.operation}`) ?? `${spec.service}/${spec.operation}`,
    });
  } catch (error) {
    if (error instanceof TopologyError) throw new Error(`RabbitMQ topology: ${error.message}`);
    throw error;
  }
}

function sourcesOf(specs: AmqpSpecs, vhost: string): string[] {
  const files = new Set<string>();
  const all = [
    ...specs.publications.map((p) => ({ spec: p, destination: p.destination })),
    ...specs.subscriptions.map((s) => ({ spec: s, destination: s.source })),
  ];
  for (const { spec, destination } of all) {
    if (destination.kind !== 'amqp' || (destination.vhost ?? '/') !== vhost) continue;
    const file = specs.files.get(`${spec.service}/${spec.operation}`);
    if (file) files.add(file);
  }
  return [...files].sort();
}

/**
 * The AMQP operations of the contract model as the runtime's topology specs. The definitions emitter and the
 * runtime then share one function, `topologyFromSpecs`, so a definitions.json and a runtime declaration built
 * from the same contract are the same objects.
 */
import type {
  PublicationTopologySpec,
  SubscriptionTopologySpec,
  TopologyInput,
} from '../../../runtime/transports/rabbitmq/topology.ts';
import type { ContractModel, Operation } from '../../model/types.ts';
import {
  deadLetterSpecOf,
  destinationOf,
  dualPublishSpecOf,
  queueSpecOf,
  retrySpecOf,
} from '../code/runtime-specs.ts';

export interface AmqpSpecs extends TopologyInput {
  readonly publications: readonly PublicationTopologySpec[];
  readonly subscriptions: readonly SubscriptionTopologySpec[];
  /** `service/operation` -> the operation's contract location, for error messages. */
  readonly sources: ReadonlyMap<string, string>;
  /** `service/operation` -> the contract file, for the generated file's header. */
  readonly files: ReadonlyMap<string, string>;
}

export function amqpSpecsFromModel(model: ContractModel): AmqpSpecs {
  const publications: PublicationTopologySpec[] = [];
  const subscriptions: SubscriptionTopologySpec[] = [];
  const sources = new Map<string, string>();
  const files = new Map<string, string>();
  for (const service of model.services) {
    for (const operation of service.operations) {
      const destination = destinationOf(operation.channel);
      if (destination.kind !== 'amqp') continue;
      const key = `${service.name}/${operation.id}`;
      sources.set(key, `${operation.source.file}#${operation.source.pointer}`);
      files.set(key, operation.source.file);
      if (operation.action === 'send') {
        publications.push({
          operation: operation.id,
          service: service.name,
          destination,
          ...(operation.dualPublish ? { dualPublish: dualPublishSpecOf(operation.dualPublish) } : {}),
        });
      } else {
        subscriptions.push(subscriptionOf(service.name, operation, destination));
      }
    }
  }
  return { publications, subscriptions, sources, files };
}

function subscriptionOf(
  service: string,
  operation: Operation,
  source: SubscriptionTopologySpec['source'],
): SubscriptionTopologySpec {
  const delivery = operation.delivery;
  if (!delivery) {
    throw new Error(
      `${operation.source.file}#${operation.source.pointer}: receive operation '${operation.id}' has no delivery policy; ` +
        'the model builder fills one in for every receive operation',
    );
  }
  const { retry, deadLetter, queue } = delivery;
  return {
    operation: operation.id,
    service,
    name: delivery.subscription,
    source,
    retry: retrySpecOf(retry),
    deadLetter: deadLetterSpecOf(deadLetter),
    ...(queue ? { queue: queueSpecOf(queue) } : {}),
  };
}

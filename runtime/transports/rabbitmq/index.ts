/** RabbitMQ transport, topology derivation and declaration. See README.md. */
export type { RabbitTransportEvent, ReconnectOptions } from './connection.ts';
export { DEFAULT_AMQP_URL } from './connection.ts';
export { declareTopology, TopologyDeclarationError } from './declare.ts';
export { HEADER, retryExchangeName, retryQueueName } from './names.ts';
export type { PublicationTopologySpec, SubscriptionPlan, SubscriptionTopologySpec } from './plan.ts';
export { dualPublishDestination, subscriptionPlan } from './plan.ts';
export { PublishError } from './publisher.ts';
export type { RetryLevel } from './retry-plan.ts';
export { retryDelays, retryLevels } from './retry-plan.ts';
export { routeMessage, topicMatches } from './routing.ts';
export type {
  AmqpArguments,
  RabbitBinding,
  RabbitExchange,
  RabbitQueue,
  RabbitTopology,
  TopologyInput,
  TopologyOptions,
} from './topology.ts';
export { TopologyError, topologyForVhost, topologyFromSpecs, topologyVhosts } from './topology.ts';
export type { RabbitMqTransport, RabbitMqTransportOptions } from './transport.ts';
export { createRabbitMqTransport } from './transport.ts';

/** RabbitMQ definitions emitter: `rabbitmq/<vhost>/definitions.json` from the contract model. */
export type { RabbitDefinitions } from './definitions.ts';
export { definitionsForVhost, definitionsPath, retargetDefinitions } from './definitions.ts';
export { rabbitmqDefinitionsPlugin } from './plugin.ts';
export { amqpSpecsFromModel } from './specs.ts';

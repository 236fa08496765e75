/** Human wording of model facts for generated JSDoc. */
import type { Channel } from '../../model/types.ts';

export function describeDestination(channel: Channel): string {
  const binding = channel.binding;
  if (binding.kind === 'topic') return `to topic \`${channel.address}\` (pub/sub \`${binding.pubsub}\`)`;
  return `to AMQP exchange \`${binding.exchange.name}\` with routing key \`${binding.routingKey}\``;
}

export function describeSource(channel: Channel): string {
  const binding = channel.binding;
  if (binding.kind === 'topic') return `from topic \`${channel.address}\` (pub/sub \`${binding.pubsub}\`)`;
  return `from AMQP exchange \`${binding.exchange.name}\` bound with \`${binding.routingKey}\``;
}

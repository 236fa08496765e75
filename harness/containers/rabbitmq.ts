/**
 * RabbitMQ in a throwaway container (the official image's behaviour; see images/rabbitmq): guest may connect
 * from outside, the management plugin is on. Queues the runtime declares for a contract are quorum queues
 * (x-queue-type: quorum): replicated to disk and fsynced before the broker confirms a publish, so a crash
 * restart of the broker loses no confirmed message. The node's name and data directory stay with the
 * container, so a restart brings the same queues back.
 */
import { RabbitMQContainer } from '@testcontainers/rabbitmq';
import { Wait } from 'testcontainers';
import { type ContainerBroker, onLoopback, startBroker } from './broker.ts';
import type { Address } from './fault-proxy.ts';

const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;

const LoopbackRabbitMQContainer = onLoopback(RabbitMQContainer);

/** Starts RabbitMQ; `broker.url` is `amqp://guest:guest@127.0.0.1:<proxy port>` (the default vhost). */
export async function startRabbitMQ(): Promise<ContainerBroker> {
  const url = ({ host, port }: Address) => `amqp://guest:guest@${host}:${port}`;
  // What the broker logs once every listener is up, in the official image and the local one alike.
  const ready = () => Wait.forLogMessage('Server startup complete');
  return startBroker({ kind: 'rabbitmq', port: AMQP_PORT, url, ready }, (image) =>
    new LoopbackRabbitMQContainer(image).withStartupTimeout(90_000),
  );
}

/** RabbitMQ's management API, reached directly (not through the fault proxy), with guest's credentials. */
export function managementUrl(broker: ContainerBroker): string {
  return `http://guest:guest@127.0.0.1:${broker.mappedPort(MANAGEMENT_PORT)}`;
}

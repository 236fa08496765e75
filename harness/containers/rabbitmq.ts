/**
 * RabbitMQ in a throwaway container (the official image's behaviour; see images/rabbitmq): guest may connect
 * from outside, the management plugin is on. Queues the runtime declares for a contract are quorum queues
 * (x-queue-type: quorum): replicated to disk and fsynced before the broker confirms a publish, so a crash
 * restart of the broker loses no confirmed message. The node's name and data directory stay with the
 * container, so a restart brings the same queues back.
 */
import { RabbitMQContainer } from '@testcontainers/rabbitmq';
import { PullPolicy, Wait } from 'testcontainers';
import { ContainerBroker, loopbackOnly } from './broker.ts';
import { ownerLabels, requireLocalImage } from './engine.ts';
import type { Address } from './fault-proxy.ts';
import { resolveImages } from './settings.ts';

const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;

class LoopbackRabbitMQContainer extends RabbitMQContainer {
  override async start() {
    loopbackOnly(this.hostConfig);
    return super.start();
  }
}

/** Starts RabbitMQ; `broker.url` is `amqp://guest:guest@127.0.0.1:<proxy port>` (the default vhost). */
export async function startRabbitMQ(): Promise<ContainerBroker> {
  const { rabbitmq: setting } = resolveImages();
  await requireLocalImage('rabbitmq', setting);
  const container = await new LoopbackRabbitMQContainer(setting.image)
    .withLabels(ownerLabels)
    .withPullPolicy(PullPolicy.neverPull())
    // What the broker logs once every listener is up, in the official image and the local one alike.
    .withWaitStrategy(Wait.forLogMessage('Server startup complete'))
    .withStartupTimeout(90_000)
    .start();
  const url = ({ host, port }: Address) => `amqp://guest:guest@${host}:${port}`;
  return ContainerBroker.wrap({ kind: 'rabbitmq', image: setting.image, port: AMQP_PORT, url }, container);
}

/** RabbitMQ's management API, reached directly (not through the fault proxy), with guest's credentials. */
export function managementUrl(broker: ContainerBroker): string {
  return `http://guest:guest@127.0.0.1:${broker.container.getMappedPort(MANAGEMENT_PORT)}`;
}

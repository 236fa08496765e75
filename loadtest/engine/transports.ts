/**
 * The runtime transport a load run publishes and consumes through, opened the same way in the main thread
 * (consumers) and in each load worker (publishers): Redis Streams directly, RabbitMQ over AMQP, or Dapr through
 * the sidecar's HTTP API.
 */
import {
  createDaprTransport,
  createRabbitMqTransport,
  createRedisStreamsTransport,
  type SubscriptionSpec,
  type Transport,
} from '../../runtime/index.ts';

export type TransportKind = 'redis-streams' | 'rabbitmq' | 'dapr';

export type BrokerConnection =
  | {
      readonly kind: 'redis-streams';
      readonly url: string;
      /** Every stream of the run lives under this key prefix. */
      readonly streamPrefix: string;
    }
  | { readonly kind: 'rabbitmq'; readonly url: string }
  | {
      readonly kind: 'dapr';
      /** The sidecar's HTTP API (`http://127.0.0.1:3500`). */
      readonly daprUrl: string;
      readonly apiToken?: string;
      /** Where the run's consumers listen for the sidecar (daprd --app-port). */
      readonly appPort: number;
    };

/** Each subscribing service reads a stream in its own group, as each Dapr app does with its own consumerID. */
const groupOf = (spec: SubscriptionSpec) => `${spec.service}.${spec.name}`;

export async function openTransport(
  connection: BrokerConnection,
  role: { readonly name: string; readonly consumer: boolean },
): Promise<Transport> {
  switch (connection.kind) {
    case 'redis-streams':
      return createRedisStreamsTransport({
        url: connection.url,
        streamPrefix: connection.streamPrefix,
        group: groupOf,
        blockMs: 200,
      });
    case 'rabbitmq':
      return createRabbitMqTransport({ url: connection.url, connectionName: `eventwire-load-${role.name}` });
    case 'dapr': {
      const url = new URL(connection.daprUrl);
      return createDaprTransport({
        host: url.hostname,
        httpPort: url.port || '80',
        ...(connection.apiToken ? { apiToken: connection.apiToken } : {}),
        appPort: role.consumer ? connection.appPort : 0,
        listen: 'manual',
      });
    }
  }
}

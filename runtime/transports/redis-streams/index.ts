export { RedisStreamsPublishError } from './publisher.ts';
export { DATA_FIELD, METADATA_FIELD } from './layout.ts';
export type { RedisStreamsTransportOptions, TransportLogger } from './options.ts';
export { createRedisStreamsTransport, type RedisStreamsTransport } from './transport.ts';

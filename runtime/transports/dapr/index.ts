export { DaprAppServer, type DaprAppServerOptions } from './app-server.ts';
export { type AttemptTracker, memoryAttemptTracker, redisAttemptTracker } from './attempts.ts';
export { DEAD_LETTER_ATTRIBUTES, type DeadLetterMode } from './deliver.ts';
export type {
  AppStatus,
  BulkAppResponse,
  BulkPublishEntry,
  BulkSubscribeEnvelope,
  ProgrammaticSubscription,
  RoutingRule,
} from './protocol.ts';
export { CLOUDEVENTS_CONTENT_TYPE } from './protocol.ts';
export { DaprSidecarClient, type DaprSidecarClientOptions, DaprSidecarError } from './sidecar-client.ts';
export { daprSubscriptions } from './subscriptions.ts';
export { createDaprTransport, type DaprTransport, type DaprTransportOptions } from './transport.ts';

/**
 * What a generated load-test script hands the harness for one publish operation of the contract. Destinations
 * use the runtime's own vocabulary (runtime/spec.ts), so a script publishes exactly where the service would.
 */
import type { Destination, PublicationSpec } from '../../runtime/spec.ts';

/** One message of the operation: its event type, schema version and the payload to send (a contract example). */
export interface LoadEvent {
  readonly eventType: string;
  readonly version: string;
  readonly example: unknown;
}

export interface Publication {
  /** operationId in the contract; also the name of the script's exported function and of its scenarios. */
  readonly operation: string;
  /** Stamped as `metadata.service` / CloudEvent `source` and `metadata.version` / `serviceversion`. */
  readonly service: { readonly name: string; readonly version: string };
  readonly destination: Destination;
  /** Published in turn, one per iteration, when the operation sends several messages. */
  readonly events: readonly LoadEvent[];
  /** Ordered channels: JSON pointers to the partition key and the sequence number in the payload. */
  readonly ordering?: { readonly key: string; readonly sequence: string };
  readonly dualPublish?: PublicationSpec['dualPublish'];
}

/** The platform envelope (asyncapi/common/envelope.yaml) as it goes on the wire. */
export interface Envelope {
  readonly event_id: string;
  readonly event_type: string;
  readonly timestamp: string;
  readonly version: string;
  readonly data: unknown;
  readonly metadata: { readonly correlation_id: string; readonly service: string; readonly version: string };
}

/** An HTTP call the harness makes, and what the answer must be for the event to count as published. */
export interface PublishRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expect: 'dapr-204' | 'rabbitmq-routed';
}

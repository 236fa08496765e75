/**
 * What a generated load-test script hands the harness for one publish operation of the contract. Destinations
 * use the runtime's own vocabulary (runtime/spec.ts), so a script publishes exactly where the service would.
 * The types are restated here rather than imported: `generate` copies this folder next to the scripts in a
 * team's project (generated/loadtest/lib), where k6 can import only relative files; loadtest/test/types.test.ts
 * keeps them equal to the runtime's.
 */

/** runtime/spec.ts `Destination`: where a message goes. */
export type Destination =
  | { readonly kind: 'topic'; readonly pubsub: string; readonly topic: string }
  | {
      readonly kind: 'amqp';
      readonly exchange: string;
      readonly exchangeType: 'topic' | 'direct' | 'fanout' | 'headers';
      readonly routingKey: string;
      readonly vhost?: string;
      readonly durable?: boolean;
      readonly autoDelete?: boolean;
    };

/** runtime/spec.ts `PublicationSpec['dualPublish']`: the second, legacy exchange an event also goes to. */
export interface DualPublish {
  readonly exchange: string;
  readonly exchangeType: 'fanout' | 'topic' | 'direct';
  readonly envSwitch: string;
  readonly defaultOn: boolean;
}

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
  readonly dualPublish?: DualPublish;
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

/**
 * Who meets whom: every send and receive operation as an endpoint at a meeting point (a Dapr pub/sub
 * component, or an AMQP exchange in a vhost), and the publisher/subscriber pairs that actually exchange
 * messages. Built once per model and shared by the topology rules and by `diff` (for `affects`).
 *
 * Sends are indexed by meeting point and exact address, so the usual case (literal topic names) is a map
 * lookup; only parameterised addresses and wildcard bindings scan their own meeting point.
 */
import type {
  AmqpExchange,
  Channel,
  ContractModel,
  Message,
  Operation,
  OperationAction,
} from '../../../generators/model/types.ts';
import { addressesMatch, hasParameters } from './address.ts';
import { isWildcardPattern, topicMatches } from './amqp-pattern.ts';

export interface Endpoint {
  readonly operation: Operation;
  readonly service: string;
  readonly action: OperationAction;
  readonly channel: Channel;
  readonly transport: 'topic' | 'amqp';
  /** `pubsub "<name>"` or `exchange "<name>" (vhost "<vhost>")`: where publishers and subscribers meet. */
  readonly meetingPoint: string;
  readonly exchange?: AmqpExchange;
  /** Topic, routing key, or (AMQP receive) binding pattern. */
  readonly address: string;
  readonly parameters: Channel['parameters'];
  /**
   * `operation`: the operation itself. Implicit send endpoints: `dual-publish` (the legacy exchange of
   * `x-eventwire-dual-publish`) and `dead-letter` (Dapr publishes a subscription's failed messages to its
   * dead-letter topic, so the receive operation is the publisher of `dlq.<name>`).
   */
  readonly origin: 'operation' | 'dual-publish' | 'dead-letter';
  /** The messages that travel through this endpoint. */
  readonly messages: readonly Message[];
  /** Who sends or receives here, for messages: `catalog`, or `dead letters of search's \`onCreated\``. */
  readonly label: string;
}

export interface Topology {
  readonly sends: readonly Endpoint[];
  readonly receives: readonly Endpoint[];
  /** For each receive endpoint, the send endpoints whose messages reach it. */
  readonly publishersOf: ReadonlyMap<Endpoint, readonly Endpoint[]>;
  /** For each send operation, the receive endpoints its messages reach. */
  readonly subscribersOf: ReadonlyMap<Operation, readonly Endpoint[]>;
}

export function meetingPointOf(channel: Channel): string {
  const b = channel.binding;
  return b.kind === 'topic'
    ? `pubsub "${b.pubsub}"`
    : `exchange "${b.exchange.name}" (vhost "${b.exchange.vhost}")`;
}

function endpointsOf(operation: Operation): Endpoint[] {
  const { channel } = operation;
  const b = channel.binding;
  const common = {
    operation,
    service: operation.service,
    action: operation.action,
    channel,
    parameters: channel.parameters,
    origin: 'operation' as const,
    messages: operation.messages,
    label: operation.service,
  };
  if (b.kind === 'topic') {
    const main: Endpoint = {
      ...common,
      transport: 'topic',
      meetingPoint: meetingPointOf(channel),
      address: channel.address,
    };
    const deadLetter = operation.action === 'receive' ? operation.delivery?.deadLetter : undefined;
    if (!deadLetter) return [main];
    return [
      main,
      {
        ...main,
        action: 'send',
        address: deadLetter.address,
        parameters: [],
        origin: 'dead-letter',
        label: `dead letters of ${operation.service}'s \`${operation.id}\``,
      },
    ];
  }
  const main: Endpoint = {
    ...common,
    transport: 'amqp',
    meetingPoint: meetingPointOf(channel),
    exchange: b.exchange,
    address: b.routingKey,
  };
  const dual = operation.action === 'send' ? operation.dualPublish : undefined;
  if (!dual) return [main];
  const legacy: AmqpExchange = { ...b.exchange, name: dual.exchange, type: dual.type };
  return [
    main,
    {
      ...main,
      exchange: legacy,
      meetingPoint: `exchange "${legacy.name}" (vhost "${legacy.vhost}")`,
      origin: 'dual-publish',
    },
  ];
}

interface SendIndex {
  readonly all: Endpoint[];
  readonly byAddress: Map<string, Endpoint[]>;
  readonly parameterised: Endpoint[];
}

function indexSends(sends: readonly Endpoint[]): Map<string, SendIndex> {
  const index = new Map<string, SendIndex>();
  for (const s of sends) {
    let entry = index.get(s.meetingPoint);
    if (!entry) {
      entry = { all: [], byAddress: new Map(), parameterised: [] };
      index.set(s.meetingPoint, entry);
    }
    entry.all.push(s);
    const list = entry.byAddress.get(s.address) ?? [];
    list.push(s);
    entry.byAddress.set(s.address, list);
    if (hasParameters(s.address)) entry.parameterised.push(s);
  }
  return index;
}

function publishersFor(r: Endpoint, index: Map<string, SendIndex>): Endpoint[] {
  const group = index.get(r.meetingPoint);
  if (!group) return [];
  // The receiver's own exchange declaration decides the routing; a conflicting declaration is its own rule.
  const type = r.exchange?.type;
  if (type === 'fanout' || type === 'headers') return group.all;
  if (type === 'topic' && isWildcardPattern(r.address))
    return group.all.filter((s) => topicMatches(r.address, s.address));
  const found = new Set(group.byAddress.get(r.address) ?? []);
  const scan = hasParameters(r.address) ? group.all : group.parameterised;
  for (const s of scan) if (!found.has(s) && addressesMatch(s, r)) found.add(s);
  return [...found];
}

const cache = new WeakMap<ContractModel, Topology>();

export function topologyOf(model: ContractModel): Topology {
  const known = cache.get(model);
  if (known) return known;
  const endpoints = model.services.flatMap((s) => s.operations.flatMap(endpointsOf));
  const sends = endpoints.filter((e) => e.action === 'send');
  const receives = endpoints.filter((e) => e.action === 'receive');
  const index = indexSends(sends);
  const publishersOf = new Map<Endpoint, Endpoint[]>();
  const subscribersOf = new Map<Operation, Endpoint[]>();
  for (const r of receives) {
    const publishers = publishersFor(r, index);
    publishersOf.set(r, publishers);
    for (const p of publishers) {
      const list = subscribersOf.get(p.operation) ?? [];
      if (!list.includes(r)) list.push(r);
      subscribersOf.set(p.operation, list);
    }
  }
  const topology: Topology = { sends, receives, publishersOf, subscribersOf };
  cache.set(model, topology);
  return topology;
}

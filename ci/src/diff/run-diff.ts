/**
 * `runDiff(oldModel, newModel)`: every change between two versions of the contracts, classified as breaking,
 * non-breaking or undecidable from the point of view of each operation, with the services on the other side
 * of the channel (`affects`). Schema changes come from structural inclusion (schema-changes.ts), never from a
 * text diff, so reordering, descriptions and moving a schema to a component are not changes at all.
 */
import type {
  Channel,
  ContractModel,
  Message,
  Operation,
  Server,
  Service,
} from '../../../generators/model/types.ts';
import { addressShape } from '../topology/address.ts';
import { type Topology, topologyOf } from '../topology/topology.ts';
import type { Change, Classification } from '../types.ts';
import { matchOperations, type OperationMatch } from './match-operations.ts';
import { pairServices } from './match-services.ts';
import { schemaChanges } from './schema-changes.ts';

interface Draft extends Omit<Change, 'affects' | 'message'> {
  /** What changed, without the operation: the same detail seen from several operations is merged. */
  readonly detail: string;
  readonly affects: ReadonlySet<string>;
  readonly action: Operation['action'];
  readonly operations: readonly string[];
}

/** Services on the other side of an operation's channel: subscribers of a send, publishers of a receive. */
function counterparts(topology: Topology, op: Operation): Set<string> {
  const services = new Set<string>();
  if (op.action === 'send') {
    for (const r of topology.subscribersOf.get(op) ?? []) services.add(r.service);
  } else {
    for (const r of topology.receives) {
      if (r.operation !== op || r.origin !== 'operation') continue;
      for (const s of topology.publishersOf.get(r) ?? []) services.add(s.service);
    }
  }
  return services;
}

function opLabel(op: Operation): string {
  return `${op.service}'s \`${op.id}\` (${op.action} \`${op.channel.address}\`)`;
}

function describeChannel(c: Channel): string {
  const b = c.binding;
  return b.kind === 'topic'
    ? `topic \`${c.address}\` on pubsub "${b.pubsub}"`
    : `routing key \`${b.routingKey}\` on ${b.exchange.type} exchange "${b.exchange.name}" (vhost "${b.exchange.vhost}")`;
}

const major = (version: string) => version.split('.')[0];

class DiffBuilder {
  readonly drafts: Draft[] = [];
  readonly #old: Topology;
  readonly #new: Topology;

  constructor(oldModel: ContractModel, newModel: ContractModel) {
    this.#old = topologyOf(oldModel);
    this.#new = topologyOf(newModel);
  }

  add(
    rule: string,
    classification: Classification,
    at: { file: string; pointer: string },
    detail: string,
    oldOp?: Operation,
    newOp?: Operation,
  ) {
    const op = (newOp ?? oldOp) as Operation;
    const affects = new Set([
      ...(oldOp ? counterparts(this.#old, oldOp) : []),
      ...(newOp ? counterparts(this.#new, newOp) : []),
    ]);
    this.drafts.push({
      rule,
      classification,
      file: at.file,
      pointer: at.pointer,
      detail,
      affects,
      action: op.action,
      service: op.service,
      operation: op.id,
      operations: [opLabel(op)],
    });
  }

  /**
   * A service that kept its document but changed its name (no `x-eventwire-service`, and `info.title` edited).
   * Publishing is unaffected; a subscriber's consumer groups and Dapr app id follow the name unless set.
   */
  serviceRenamed(o: Service, n: Service, match: OperationMatch): void {
    for (const pair of match.pairs) {
      const moved = pair.new.action === 'receive' && o.appId !== n.appId;
      this.add(
        'diff/service-renamed',
        moved ? 'undecidable' : 'non-breaking',
        n.source,
        moved
          ? `service renamed from \`${o.name}\` to \`${n.name}\`: its app id changes from \`${o.appId}\` to ` +
              `\`${n.appId}\`, so its subscriptions move to new consumer groups (events published meanwhile may be ` +
              'missed or read again); set `x-eventwire-service` (name, appId) to keep them'
          : `service renamed from \`${o.name}\` to \`${n.name}\``,
        pair.old,
        pair.new,
      );
    }
  }

  /**
   * A server whose protocol, host or protocol version changed moves every operation on it to another broker (or
   * another way of speaking to it): publishers and subscribers that have not moved with it no longer meet.
   */
  serverChanges(o: Service, n: Service, match: OperationMatch): void {
    const newServers = new Map(n.servers.map((server) => [server.id, server]));
    for (const before of o.servers) {
      const after = newServers.get(before.id);
      const on = (op: Operation, server: Server) => op.servers?.includes(server.id) ?? true;
      if (!after) {
        for (const pair of match.pairs.filter((p) => on(p.old, before)))
          this.add(
            'diff/server-removed',
            'breaking',
            n.source,
            `server \`${before.id}\` (${before.protocol} ${before.host}) was removed: operations on it lose their broker`,
            pair.old,
            pair.new,
          );
        continue;
      }
      const fields = (['protocol', 'host', 'protocolVersion'] as const).filter(
        (field) => (before[field] ?? '') !== (after[field] ?? ''),
      );
      if (fields.length === 0) continue;
      const what = fields
        .map(
          (field) =>
            `${field} ${JSON.stringify(before[field] ?? null)} -> ${JSON.stringify(after[field] ?? null)}`,
        )
        .join(', ');
      for (const pair of match.pairs.filter((p) => on(p.new, after)))
        this.add(
          'diff/server-changed',
          'breaking',
          after.source,
          `server \`${after.id}\` changed (${what}): clients that still use the old one no longer meet this operation`,
          pair.old,
          pair.new,
        );
    }
  }

  operationPair(o: Operation, n: Operation, renamed: boolean): void {
    if (renamed)
      this.add('diff/operation-renamed', 'non-breaking', n.source, `renamed from \`${o.id}\``, o, n);
    if (o.action !== n.action) {
      this.add(
        'diff/action-changed',
        'breaking',
        n.source,
        `was a ${o.action} operation, now ${n.action}`,
        o,
        n,
      );
      return;
    }
    this.channelChanges(o, n);
    this.queueChanges(o, n);
    this.messageChanges(o, n);
  }

  channelChanges(o: Operation, n: Operation): void {
    const a = o.channel.binding;
    const b = n.channel.binding;
    const at = n.channel.source.file === n.source.file ? n.channel.source : n.source;
    if (a.kind !== b.kind) {
      this.add(
        'diff/address-changed',
        'breaking',
        at,
        `moved from ${describeChannel(o.channel)} to ${describeChannel(n.channel)}`,
        o,
        n,
      );
      return;
    }
    if (a.kind === 'topic' && b.kind === 'topic' && a.pubsub !== b.pubsub) {
      this.add(
        'diff/pubsub-changed',
        'breaking',
        at,
        `pubsub component changed from "${a.pubsub}" to "${b.pubsub}"`,
        o,
        n,
      );
    }
    if (a.kind === 'amqp' && b.kind === 'amqp') {
      const fields = (['name', 'type', 'vhost', 'durable', 'autoDelete'] as const).filter(
        (f) => a.exchange[f] !== b.exchange[f],
      );
      if (fields.length > 0) {
        const what = fields
          .map((f) => `${f} ${JSON.stringify(a.exchange[f])} -> ${JSON.stringify(b.exchange[f])}`)
          .join(', ');
        this.add('diff/exchange-changed', 'breaking', at, `exchange changed (${what})`, o, n);
      }
    }
    const oldAddress = a.kind === 'amqp' ? a.routingKey : o.channel.address;
    const newAddress = b.kind === 'amqp' ? (b as { routingKey: string }).routingKey : n.channel.address;
    if (addressShape(oldAddress) !== addressShape(newAddress)) {
      const what =
        a.kind === 'amqp' ? (o.action === 'receive' ? 'binding pattern' : 'routing key') : 'address';
      this.add(
        'diff/address-changed',
        'breaking',
        at,
        `${what} changed from \`${oldAddress}\` to \`${newAddress}\``,
        o,
        n,
      );
    }
  }

  queueChanges(o: Operation, n: Operation): void {
    const a = o.delivery?.queue;
    const b = n.delivery?.queue;
    if (!a || !b) return;
    const fields = (['name', 'type', 'durable'] as const).filter((f) => a[f] !== b[f]);
    if (fields.length === 0) return;
    const what = fields.map((f) => `${f} ${JSON.stringify(a[f])} -> ${JSON.stringify(b[f])}`).join(', ');
    this.add(
      'diff/queue-changed',
      'breaking',
      n.source,
      `queue changed (${what}); RabbitMQ refuses to redeclare a queue with other arguments and messages left in the old queue are stranded`,
      o,
      n,
    );
  }

  messageChanges(o: Operation, n: Operation): void {
    const oldByName = new Map(o.messages.map((m) => [m.name, m]));
    const newByName = new Map(n.messages.map((m) => [m.name, m]));
    for (const name of oldByName.keys()) {
      if (newByName.has(name)) continue;
      const why =
        o.action === 'send'
          ? 'subscribers waiting for it no longer get it'
          : 'publishers still sending it are rejected';
      this.add('diff/message-removed', 'breaking', n.source, `no longer carries \`${name}\`: ${why}`, o, n);
    }
    for (const [name, m] of newByName) {
      if (oldByName.has(name)) continue;
      const breaking = n.action === 'send';
      const why = breaking ? ': subscribers of the channel receive a message type they do not know' : '';
      this.add(
        'diff/message-added',
        breaking ? 'breaking' : 'non-breaking',
        m.source,
        `now carries \`${name}\`${why}`,
        o,
        n,
      );
    }
    for (const [name, a] of oldByName) {
      const b = newByName.get(name);
      if (b) this.messagePair(o, n, a, b);
    }
  }

  messagePair(o: Operation, n: Operation, a: Message, b: Message): void {
    if (a.contentType !== b.contentType) {
      this.add(
        'diff/content-type-changed',
        'breaking',
        b.source,
        `\`${b.name}\`: content type changed from ${a.contentType} to ${b.contentType}`,
        o,
        n,
      );
    }
    if (a.version !== b.version) {
      this.add(
        'diff/message-version-changed',
        'non-breaking',
        b.source,
        `\`${b.name}\`: version ${a.version} -> ${b.version}`,
        o,
        n,
      );
    }
    const parts: ['payload' | 'headers', Message['payload'] | undefined, Message['payload'] | undefined][] = [
      ['payload', a.payload, b.payload],
      ['headers', a.headers, b.headers],
    ];
    for (const [part, before, after] of parts) {
      if (before === after) continue;
      for (const c of schemaChanges(before ?? true, after ?? true, n.action)) {
        const why =
          c.classification !== 'breaking'
            ? ''
            : n.action === 'send'
              ? ' — subscribers may receive messages they reject'
              : ' — messages publishers may still send are now rejected';
        const bump =
          c.classification === 'breaking' && major(a.version) === major(b.version)
            ? ` (the message version stays ${b.version}: bump the major version)`
            : '';
        this.add(
          c.rule,
          c.classification,
          { file: b.source.file, pointer: `${b.source.pointer}/${part}${c.schemaPointer}` },
          `\`${b.name}\` ${part}: ${c.detail}${why}${bump}`,
          o,
          n,
        );
      }
    }
  }
}

/** The same change seen from several operations of one side (a shared message) is reported once. */
function merge(drafts: readonly Draft[]): Change[] {
  const byKey = new Map<string, Draft & { operations: string[]; affects: Set<string> }>();
  for (const d of drafts) {
    const key = `${d.rule}|${d.classification}|${d.file}|${d.pointer}|${d.action}|${d.detail}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { ...d, operations: [...d.operations], affects: new Set(d.affects) });
      continue;
    }
    known.operations.push(...d.operations.filter((x) => !known.operations.includes(x)));
    for (const s of d.affects) known.affects.add(s);
  }
  return [...byKey.values()].map((d) => {
    const shared = d.operations.length > 1;
    const { action: _action, operations: _operations, detail, affects, service, operation, ...rest } = d;
    return {
      ...rest,
      message: shared ? `${d.operations.join(', ')}: ${detail}` : `${d.operations[0]}: ${detail}`,
      affects: [...affects].sort(),
      ...(shared ? {} : { service, operation }),
    };
  });
}

const ORDER: Record<Classification, number> = { breaking: 0, undecidable: 1, 'non-breaking': 2 };

export function runDiff(oldModel: ContractModel, newModel: ContractModel): Change[] {
  const builder = new DiffBuilder(oldModel, newModel);
  for (const { old: oldService, new: newService } of pairServices(oldModel.services, newModel.services)) {
    const match = matchOperations(oldService?.operations ?? [], newService?.operations ?? []);
    if (oldService && newService) {
      if (oldService.name !== newService.name) builder.serviceRenamed(oldService, newService, match);
      builder.serverChanges(oldService, newService, match);
    }
    for (const op of match.removed) {
      const why =
        op.action === 'send'
          ? 'its subscribers no longer receive anything'
          : 'its publishers lose this consumer';
      builder.add('diff/operation-removed', 'breaking', op.source, `removed: ${why}`, op, undefined);
    }
    for (const op of match.added)
      builder.add('diff/operation-added', 'non-breaking', op.source, 'added', undefined, op);
    for (const pair of match.pairs) builder.operationPair(pair.old, pair.new, pair.renamed);
  }
  return merge(builder.drafts).sort(
    (a, b) =>
      ORDER[a.classification] - ORDER[b.classification] ||
      a.file.localeCompare(b.file) ||
      a.pointer.localeCompare(b.pointer) ||
      a.rule.localeCompare(b.rule),
  );
}

/**
 * Who feeds whom: every (publication, subscription) pair that the brokers would connect, and every subscription
 * that reads another subscription's dead letters. Pages and the topology diagram read only this, so they
 * cannot disagree about the platform's wiring.
 */
import { topicMatches } from '../../../runtime/transports/rabbitmq/routing.ts';
import { compareText } from '../../parse/compare.ts';
import type { Channel, ContractModel, Operation } from '../../model/types.ts';

export interface Flow {
  readonly from: Operation;
  readonly to: Operation;
  /** Event types that travel this way: the messages both operations list. */
  readonly eventTypes: readonly string[];
}

export interface Wiring {
  /** Publication -> subscription. */
  readonly flows: readonly Flow[];
  /** Failing subscription -> the subscription that reads its dead-letter topic (Dapr publishes them). */
  readonly deadLetters: readonly Flow[];
}

/** Whether a message sent on `send` reaches a queue or subscription reading `receive`. */
export function reaches(send: Channel, receive: Channel): boolean {
  const [out, into] = [send.binding, receive.binding];
  if (out.kind === 'topic' || into.kind === 'topic') return send.key === receive.key;
  if (out.exchange.vhost !== into.exchange.vhost || out.exchange.name !== into.exchange.name) return false;
  const byType: Record<typeof out.exchange.type, () => boolean> = {
    fanout: () => true,
    direct: () => out.routingKey === into.routingKey,
    topic: () => topicMatches(into.routingKey, out.routingKey),
    // Headers exchanges route on message headers the contract does not describe.
    headers: () => false,
  };
  return byType[out.exchange.type]();
}

const operations = (model: ContractModel, action: Operation['action']) =>
  model.services.flatMap((s) => s.operations.filter((op) => op.action === action));

const shared = (a: Operation, b: Operation): string[] => {
  const names = new Set(b.messages.map((m) => m.name));
  return [...new Set(a.messages.map((m) => m.name).filter((name) => names.has(name)))].sort(compareText);
};

const byEnds = (a: Flow, b: Flow): number =>
  compareText(a.from.service, b.from.service) ||
  compareText(a.from.id, b.from.id) ||
  compareText(a.to.service, b.to.service) ||
  compareText(a.to.id, b.to.id);

export function wiring(model: ContractModel): Wiring {
  const sends = operations(model, 'send');
  const receives = operations(model, 'receive');
  const flows = sends.flatMap((from) =>
    receives
      .filter((to) => reaches(from.channel, to.channel))
      .map((to) => ({ from, to, eventTypes: shared(from, to) }))
      .filter((flow) => flow.eventTypes.length > 0),
  );
  const deadLetters = receives.flatMap((from) =>
    receives
      .filter((to) => from.delivery && isDeadLetterOf(from, to))
      .map((to) => ({ from, to, eventTypes: shared(from, to) })),
  );
  return { flows: flows.sort(byEnds), deadLetters: deadLetters.sort(byEnds) };
}

/** Dead letters of a Dapr subscription go to a topic on the same pub/sub component. */
function isDeadLetterOf(failing: Operation, monitor: Operation): boolean {
  const [from, to] = [failing.channel.binding, monitor.channel.binding];
  if (from.kind !== 'topic' || to.kind !== 'topic' || from.pubsub !== to.pubsub) return false;
  return failing.delivery?.deadLetter.address === monitor.channel.address;
}

/**
 * `docs/services/<service>.md`: what one service owns. Each publication gets a section (address, event type,
 * version, SLA, consumers, payload fields, example); subscriptions are one table, since a monitoring worker
 * may hold dozens and a reader compares their policies side by side.
 */
import { compareText } from '../../parse/compare.ts';
import type { Message, Operation, Service } from '../../model/types.ts';
import { docsPath } from './catalogue.ts';
import * as describe from './describe.ts';
import { exampleBlocks, fieldsTable } from './fields-table.ts';
import type { Wiring } from './flows.ts';
import {
  code,
  concat,
  facts,
  heading,
  join,
  link,
  type Md,
  page,
  prose,
  proseBlock,
  table,
  text,
} from './markdown.ts';

/** Links from `services/x.md` to sibling pages and to `events/`. */
const eventLink = (type: string) => link(code(type), `../${docsPath.event(type)}`);
const serviceLink = (name: string) => link(text(name), `../${docsPath.service(name)}`);
const byId = (a: Operation, b: Operation) => compareText(a.id, b.id);

function consumersOf(operation: Operation, wiring: Wiring): Md {
  const flows = wiring.flows.filter((f) => f.from === operation);
  if (flows.length === 0) return text('none in these contracts');
  return join(
    flows.map((f) =>
      concat(serviceLink(f.to.service), text(' ('), code(f.to.delivery?.subscription ?? f.to.id), text(')')),
    ),
  );
}

function dualPublish(operation: Operation): Md | undefined {
  const dual = operation.dualPublish;
  if (!dual) return undefined;
  return concat(
    text(`also to ${dual.type} exchange `),
    code(dual.exchange),
    text(' while '),
    code(dual.envSwitch),
    text(` is true (default ${dual.defaultOn ? 'on' : 'off'})`),
  );
}

function publication(operation: Operation, message: Message, wiring: Wiring): Md[] {
  const dual = dualPublish(operation);
  return [
    heading(3, code(message.name)),
    ...[message.summary ?? operation.summary].filter((s) => s !== undefined).map(prose),
    facts([
      ['operation', code(operation.id)],
      ['address', describe.address(operation.channel)],
      ['event type', concat(eventLink(message.name), text(', version '), code(message.version))],
      ['SLA', describe.sla(operation.sla)],
      ['ordering', describe.ordering(operation.channel)],
      dual ? ['dual publish', dual] : undefined,
      ['consumers', consumersOf(operation, wiring)],
    ]),
    fieldsTable(message),
    ...exampleBlocks(message),
  ];
}

function subscriptionRow(operation: Operation): Md[] {
  const delivery = operation.delivery;
  const events = join(operation.messages.map((m) => eventLink(m.name)));
  // The model gives every receive operation a delivery policy; the blank row only guards a hand-built model.
  if (!delivery)
    return [code(operation.id), text(''), describe.source(operation), events, ...Array(5).fill(text(''))];
  return [
    code(delivery.subscription),
    // Routes are the sidecar's way in; AMQP consumers read their queue directly.
    operation.channel.binding.kind === 'topic' ? code(delivery.route) : text(''),
    describe.source(operation),
    events,
    describe.retry(delivery.retry),
    describe.deadLetter(delivery),
    describe.idempotency(delivery),
    describe.ordering(operation.channel),
    describe.sla(operation.sla),
  ];
}

export function servicePage(service: Service, all: readonly Service[], wiring: Wiring): string {
  const sends = service.operations.filter((op) => op.action === 'send').sort(byId);
  const receives = service.operations.filter((op) => op.action === 'receive').sort(byId);
  const headers = [
    'subscription',
    'route',
    'source',
    'events',
    'retry',
    'dead letter',
    'idempotency',
    'ordering',
    'SLA',
  ];
  return page(
    heading(1, text(service.name)),
    service.description === undefined ? undefined : proseBlock(service.description),
    facts([
      ['title', text(service.title)],
      ['app id', code(service.appId)],
      ['worker', text(`${service.appProtocol} on port ${service.appPort}`)],
      ['brokers', describe.transports(service, all)],
      ['contract', concat(code(service.source.file), text(', version '), code(service.version))],
      ['platform', link(text('all services'), `../${docsPath.index}`)],
    ]),
    heading(2, text('Publishes')),
    ...(sends.length === 0
      ? [text('Nothing.')]
      : sends.flatMap((op) => op.messages.flatMap((m) => publication(op, m, wiring)))),
    heading(2, text('Subscribes')),
    receives.length === 0 ? text('Nothing.') : table(headers, receives.map(subscriptionRow)),
  );
}

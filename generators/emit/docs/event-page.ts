/**
 * `docs/events/<event-type>.md`: one event type as a producer and a consumer both need it — who publishes it and
 * where, who consumes it and with which policy, the payload fields and an example with personal data masked.
 */
import type { Operation } from '../../model/types.ts';
import { type CatalogueEntry, docsPath } from './catalogue.ts';
import * as describe from './describe.ts';
import { exampleBlocks, fieldsTable } from './fields-table.ts';
import { code, concat, facts, heading, link, type Md, page, prose, table, text } from './markdown.ts';

const serviceLink = (name: string) => link(text(name), `../${docsPath.service(name)}`);

function publisherRow(op: Operation): Md[] {
  return [serviceLink(op.service), code(op.id), describe.address(op.channel), describe.sla(op.sla)];
}

function consumerRow(op: Operation): Md[] {
  const delivery = op.delivery;
  return [
    serviceLink(op.service),
    code(delivery?.subscription ?? op.id),
    describe.source(op),
    delivery ? describe.retry(delivery.retry) : text(''),
    delivery ? describe.deadLetter(delivery) : text(''),
  ];
}

export function eventPage(entry: CatalogueEntry): string {
  const { message } = entry;
  return page(
    heading(1, code(message.name)),
    message.title === undefined ? undefined : text(message.title),
    message.summary === undefined ? undefined : prose(message.summary),
    facts([
      ['version', code(message.version)],
      ['content type', code(message.contentType)],
      ['defined in', concat(code(message.source.file), text(' at '), code(message.source.pointer))],
      message.idempotencyKey ? ['idempotency key', code(message.idempotencyKey)] : undefined,
      ['platform', link(text('all services'), `../${docsPath.index}`)],
    ]),
    heading(2, text('Published by')),
    entry.publishers.length === 0
      ? text('No service in these contracts publishes it.')
      : table(['service', 'operation', 'address', 'SLA'], entry.publishers.map(publisherRow)),
    heading(2, text('Consumed by')),
    entry.consumers.length === 0
      ? text('No service in these contracts consumes it.')
      : table(
          ['service', 'subscription', 'source', 'retry', 'dead letter'],
          entry.consumers.map(consumerRow),
        ),
    heading(2, text('Payload')),
    fieldsTable(message),
    ...exampleBlocks(message),
  );
}

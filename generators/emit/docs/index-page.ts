/**
 * `docs/index.md`: the platform on one page — every service with its worker and brokers, what it publishes and
 * subscribes to, the topology diagram, the event list, and the wiring that leaves these contracts.
 */
import { compareText } from '../../parse/compare.ts';
import type { ContractModel, Operation, Service } from '../../model/types.ts';
import { type CatalogueEntry, docsPath } from './catalogue.ts';
import { address, transports } from './describe.ts';
import type { Wiring } from './flows.ts';
import { code, concat, heading, join, link, list, type Md, page, table, text } from './markdown.ts';
import { topologyDiagram } from './mermaid.ts';

const distinct = (values: readonly string[]) => [...new Set(values)].sort(compareText);
const eventLink = (type: string) => link(code(type), docsPath.event(type));
const serviceLink = (name: string) => link(text(name), docsPath.service(name));
const operationsOf = (service: Service, action: Operation['action']) =>
  service.operations.filter((op) => op.action === action);

/** Subscribed addresses; dead-letter topics are counted rather than listed (a monitor may read dozens). */
function subscribed(service: Service, wiring: Wiring): Md {
  const monitors = new Set(wiring.deadLetters.map((flow) => flow.to));
  const receives = operationsOf(service, 'receive');
  const topics = distinct(receives.filter((op) => !monitors.has(op)).map((op) => op.channel.address));
  const deadLetters = distinct(receives.filter((op) => monitors.has(op)).map((op) => op.channel.address));
  const n = deadLetters.length;
  const summary = n > 0 ? [text(`${n} dead-letter topic${n === 1 ? '' : 's'}`)] : [];
  return join([...topics.map(code), ...summary]);
}

function serviceRow(service: Service, all: readonly Service[], wiring: Wiring): Md[] {
  const published = distinct(operationsOf(service, 'send').flatMap((op) => op.messages.map((m) => m.name)));
  return [
    serviceLink(service.name),
    code(service.appId),
    text(`${service.appProtocol} :${service.appPort}`),
    transports(service, all),
    join(published.map(eventLink)),
    subscribed(service, wiring),
  ];
}

function eventRow(entry: CatalogueEntry): Md[] {
  const services = (ops: readonly Operation[]) =>
    join(distinct(ops.map((op) => op.service)).map(serviceLink));
  return [
    eventLink(entry.message.name),
    code(entry.message.version),
    services(entry.publishers),
    services(entry.consumers),
  ];
}

/** Publications nobody here subscribes to, and subscriptions fed by nobody here (dead letters aside). */
function unwired(model: ContractModel, wiring: Wiring): Md[] {
  const fed = new Set([...wiring.flows, ...wiring.deadLetters].map((f) => f.to));
  const heard = new Set(wiring.flows.map((f) => f.from));
  const ops = model.services.flatMap((s) => s.operations);
  const describe = (op: Operation, what: string) =>
    concat(
      serviceLink(op.service),
      text(` ${what} `),
      address(op.channel),
      text(' ('),
      code(op.id),
      text(')'),
    );
  const lines = [
    ...ops.filter((op) => op.action === 'send' && !heard.has(op)).map((op) => describe(op, 'publishes')),
    ...ops.filter((op) => op.action === 'receive' && !fed.has(op)).map((op) => describe(op, 'reads')),
  ];
  if (lines.length === 0) return [];
  return [
    heading(2, text('Outside these contracts')),
    text('These ends meet services outside these contracts, or nobody yet:'),
    list(lines),
  ];
}

/** What the generated Dapr files and the runtime assume of daprd, for the services that run behind it. */
function daprNotes(model: ContractModel): Md[] {
  const onDapr = model.services.some((s) => s.servers.some((server) => server.kind.startsWith('dapr-')));
  if (!onDapr) return [];
  return [
    heading(2, text('Running on Dapr')),
    text(
      'Supported daprd versions: 1.16 and 1.17 or later. Where they differ, the generated files and the runtime do what loses nothing on both:',
    ),
    list([
      text(
        "daprd retries a delivery until the worker answers (inbound maxRetries -1); the worker applies the contract's retry limit and backoff and publishes dead letters itself, because on 1.17+ pubsub.redis acknowledges an event whose retries ran out even when its dead-letter publish failed.",
      ),
      text(
        'A delivery to a path the worker does not serve is answered DROP, which reaches the dead-letter topic on both versions (a 404 is a silent success on 1.16).',
      ),
      text(
        'processingTimeout, the inbound timeout and the idempotency lease come from one timing rule (generators/model/dapr-timing.ts); redeliveries after processingTimeout (dapr/components-contrib#4599, dapr/dapr#3481) are absorbed by the idempotency claim.',
      ),
    ]),
  ];
}

export function indexPage(
  model: ContractModel,
  wiring: Wiring,
  catalogue: readonly CatalogueEntry[],
): string {
  const subscriptions = model.services.reduce((n, s) => n + operationsOf(s, 'receive').length, 0);
  const summary = text(
    `${model.services.length} services, ${catalogue.length} event types, ${subscriptions} subscriptions. ` +
      'Generated from the AsyncAPI contracts: change the contracts, not this page.',
  );
  const headers = [
    'service',
    'app id',
    'worker',
    'brokers',
    'publishes (event types)',
    'subscribes to (addresses)',
  ];
  return page(
    heading(1, text('Event platform')),
    summary,
    heading(2, text('Services')),
    table(
      headers,
      model.services.map((s) => serviceRow(s, model.services, wiring)),
    ),
    heading(2, text('Topology')),
    text(
      'An arrow is a subscription to events the other service publishes; dashed arrows carry dead letters.',
    ),
    topologyDiagram(model.services, wiring),
    heading(2, text('Events')),
    table(['event type', 'version', 'published by', 'consumed by'], catalogue.map(eventRow)),
    ...unwired(model, wiring),
    ...daprNotes(model),
  );
}

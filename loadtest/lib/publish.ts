/**
 * The k6 side of the harness: one iteration publishes one event of a publication and checks the broker took it.
 * Everything else (event, envelope, requests, scenarios) is pure and tested under Node; this file only binds
 * those functions to k6's modules and environment.
 */
import { check } from 'k6';
import { randomBytes } from 'k6/crypto';
import execution from 'k6/execution';
import http from 'k6/http';
import { envelopeFor, payloadFor, runTag, uuidv7 } from './event.ts';
import { accepted, requestsFor } from './requests.ts';
import { readSettings } from './settings.ts';
import type { Publication } from './types.ts';

export const settings = readSettings(__ENV);

const CHECK_NAME = {
  'dapr-204': 'sidecar answered 204',
  'rabbitmq-routed': 'broker routed the message',
} as const;

export function publish(publication: Publication): void {
  const iteration = execution.scenario.iterationInTest;
  const event = publication.events[iteration % publication.events.length];
  if (!event) throw new Error(`publication ${publication.operation} has no events to send`);
  const now = Date.now();
  const ids = {
    eventId: uuidv7(now, new Uint8Array(randomBytes(10))),
    correlationId: uuidv7(now, new Uint8Array(randomBytes(10))),
  };
  const run = { tag: runTag(execution.scenario.startTime), keys: settings.orderingKeys };
  const { data, partitionKey } = payloadFor(publication, event, iteration, run);
  const envelope = envelopeFor(publication, event, data, ids, now);
  for (const request of requestsFor(settings, __ENV, publication, envelope, partitionKey)) {
    // One `name` per destination keeps k6's URL metrics grouped even when metadata varies per key.
    const response = http.post(request.url, request.body, {
      headers: request.headers,
      tags: { name: `${publication.operation}:${request.expect}`, event_type: event.eventType },
    });
    check(response, {
      [CHECK_NAME[request.expect]]: (r) =>
        accepted(request.expect, r.status, typeof r.body === 'string' ? r.body : null),
    });
  }
}

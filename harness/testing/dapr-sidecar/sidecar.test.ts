/**
 * The fake sidecar against a hand-written app and raw HTTP calls: each test holds one behaviour of daprd, read
 * from Dapr's source, to the fake (README.md beside this file lists them with the source location).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgrammaticSubscription } from '../../../runtime/transports/dapr/protocol.ts';
import { FakeSidecar, type FakeSidecarOptions } from './sidecar.ts';

interface Call {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}
type Answer = (call: Call, n: number) => { status: number; body?: string; delayMs?: number };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  subscriptions: ProgrammaticSubscription[],
  answer: Answer,
  options: FakeSidecarOptions = {},
): Promise<{ sidecar: FakeSidecar; calls: Call[] }> {
  const calls: Call[] = [];
  const app: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/dapr/subscribe') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(subscriptions));
        return;
      }
      const call = {
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString()),
        headers: req.headers,
        at: Date.now(),
      };
      calls.push(call);
      const { status, body, delayMs } = answer(call, calls.length);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(status).end(body);
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const sidecar = await FakeSidecar.start({ retry: { maxRetries: 2, durationMs: 5 }, ...options });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      }),
    () => sidecar.close(),
  );
  await sidecar.connectApp(`http://127.0.0.1:${(app.address() as AddressInfo).port}`);
  return { sidecar, calls };
}

async function started(options: FakeSidecarOptions = {}): Promise<FakeSidecar> {
  const sidecar = await FakeSidecar.start(options);
  cleanups.push(() => sidecar.close());
  return sidecar;
}

const subscription = (overrides: Partial<ProgrammaticSubscription> = {}): ProgrammaticSubscription => ({
  pubsubname: 'pubsub',
  topic: 'things',
  routes: { default: '/things' },
  deadLetterTopic: 'dlq.things',
  metadata: {},
  ...overrides,
});

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'test',
  type: 'thing.happened',
  ...extra,
});

const SUCCESS = { status: 200, body: '{"status":"SUCCESS"}' };
const RETRY = { status: 200, body: '{"status":"RETRY"}' };
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function publish(
  sidecar: FakeSidecar,
  body: unknown,
  contentType: string,
  { path = 'pubsub/things', headers = {} }: { path?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`${sidecar.url}/v1.0/publish/${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function codeOf(response: Response): Promise<unknown> {
  return ((await response.json()) as { errorCode?: unknown }).errorCode;
}

function bulk(sidecar: FakeSidecar, entries: unknown, path = 'pubsub/things') {
  return fetch(`${sidecar.url}/v1.0-alpha1/publish/bulk/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof entries === 'string' ? entries : JSON.stringify(entries),
  });
}

describe('fake sidecar: publish API (pkg/api/http/http.go onPublish, onBulkPublish)', () => {
  it('answers 404 ERR_PUBSUB_NOT_FOUND for an unknown pub/sub and 500 ERR_PUBSUB_CLOUD_EVENTS_SER for invalid CloudEvent JSON', async () => {
    const sidecar = await started();
    const unknown = await publish(sidecar, event('a'), 'application/cloudevents+json', {
      path: 'nope/things',
    });
    const invalid = await publish(sidecar, '{"id":', 'application/cloudevents+json');
    const notObject = await publish(sidecar, [event('a')], 'application/cloudevents+json');
    expect([unknown.status, await codeOf(unknown)]).toEqual([404, 'ERR_PUBSUB_NOT_FOUND']);
    expect([invalid.status, await codeOf(invalid)]).toEqual([500, 'ERR_PUBSUB_CLOUD_EVENTS_SER']);
    expect(notObject.status).toBe(500);
    expect(sidecar.published).toEqual([]);
  });

  it('fills a CloudEvent missing source, type and specversion with daprd defaults instead of refusing it', async () => {
    const sidecar = await started();
    const response = await publish(sidecar, { id: 'x', data: 1 }, 'application/cloudevents+json');
    expect(response.status).toBe(204);
    const stored = sidecar.published[0]!.cloudEvent;
    expect(stored).toMatchObject({
      id: 'x',
      source: 'Dapr',
      type: 'com.dapr.event.sent',
      specversion: '1.0',
    });
    expect(typeof stored.time).toBe('string');
    // FromCloudEvent has no default for a missing id.
    await publish(sidecar, { data: 2 }, 'application/cloudevents+json');
    expect(sidecar.published[1]!.cloudEvent.id).toBeUndefined();
  });

  it("overwrites traceparent with daprd's own span unless the event carries traceid", async () => {
    const sidecar = await started();
    await publish(sidecar, event('plain', { traceparent: TRACEPARENT }), 'application/cloudevents+json', {
      headers: { traceparent: TRACEPARENT },
    });
    await publish(
      sidecar,
      event('kept', { traceparent: TRACEPARENT, traceid: TRACEPARENT }),
      'application/cloudevents+json',
    );
    const [overwritten, kept] = sidecar.published.map((published) => published.cloudEvent);
    expect(overwritten!.traceparent).not.toBe(TRACEPARENT);
    expect(overwritten!.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(overwritten!.traceid).toBe(overwritten!.traceparent);
    expect(kept).toMatchObject({ traceparent: TRACEPARENT, traceid: TRACEPARENT });
    const untraced = await started({ tracing: false });
    await publish(untraced, event('lost', { traceparent: TRACEPARENT }), 'application/cloudevents+json');
    expect(untraced.published[0]!.cloudEvent).toMatchObject({ traceparent: '', traceid: '', tracestate: '' });
  });

  it('wraps other bodies: only application/json as JSON, octet-stream as data_base64, cloudevent.* overrides, TTL as expiration', async () => {
    const sidecar = await started({ appId: 'checkout' });
    await publish(sidecar, { orderId: 1 }, 'application/json; charset=utf-8');
    await publish(sidecar, '{"broken', 'application/json');
    await publish(sidecar, '{"a":1}', 'application/vnd.custom+json');
    await publish(sidecar, 'AAEC', 'application/octet-stream');
    await fetch(
      `${sidecar.url}/v1.0/publish/pubsub/things?metadata.cloudevent.id=mine&metadata.cloudevent.type=my.type&metadata.ttlInSeconds=30`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      },
    );
    const [json, broken, custom, binary, overridden] = sidecar.published.map(
      (published) => published.cloudEvent,
    );
    expect(json).toMatchObject({ source: 'checkout', type: 'com.dapr.event.sent', data: { orderId: 1 } });
    expect(broken!.data).toBe('{"broken');
    expect(custom!.data).toBe('{"a":1}');
    expect(binary).toMatchObject({
      data_base64: Buffer.from('AAEC').toString('base64'),
      datacontenttype: 'application/octet-stream',
    });
    expect(binary!.data).toBeUndefined();
    expect(overridden).toMatchObject({ id: 'mine', type: 'my.type', data: 'hello' });
    const expiresIn = Date.parse(String(overridden!.expiration)) - Date.now();
    expect(expiresIn).toBeGreaterThan(25_000);
    expect(expiresIn).toBeLessThanOrEqual(30_000);
  });

  it('refuses a bulk publish with a non-array body, an empty or repeated entryId, or an event that does not match its content type (400)', async () => {
    const sidecar = await started();
    const entry = (entryId: string, event: unknown, contentType = 'application/json') => ({
      entryId,
      event,
      contentType,
    });
    const answers = await Promise.all([
      bulk(sidecar, '{"not":"an array"}'),
      bulk(sidecar, [entry('', { a: 1 })]),
      bulk(sidecar, [entry('1', { a: 1 }), entry('1', { a: 2 })]),
      bulk(sidecar, [entry('1', { a: 1 }, 'application/octet-stream')]),
      bulk(sidecar, [entry('1', { a: 1 }, 'text/plain')]),
      bulk(sidecar, [entry('1', { a: 1 }, 'application/unknown')]),
    ]);
    for (const answer of answers) {
      expect([answer.status, await codeOf(answer)]).toEqual([400, 'ERR_PUBSUB_EVENTS_SER']);
    }
    expect(sidecar.published).toEqual([]);
    const ok = await bulk(sidecar, [
      entry('1', 'aGk=', 'application/octet-stream'),
      entry('2', 'hi', 'text/plain'),
    ]);
    expect(ok.status).toBe(204);
    expect(
      sidecar.published.map((published) => published.cloudEvent.data_base64 ?? published.cloudEvent.data),
    ).toEqual(['aGk=', 'hi']);
  });

  it('checks dapr-api-token on API calls when the sidecar has an API token (401), but not on health checks', async () => {
    const sidecar = await started({ apiToken: 's3cret' });
    expect((await publish(sidecar, event('a'), 'application/cloudevents+json')).status).toBe(401);
    const allowed = await publish(sidecar, event('a'), 'application/cloudevents+json', {
      headers: { 'dapr-api-token': 's3cret' },
    });
    expect(allowed.status).toBe(204);
    expect((await fetch(`${sidecar.url}/v1.0/healthz`)).status).toBe(204);
  });
});

describe('fake sidecar: scopes (pkg/scopes/scopes.go, pkg/runtime/pubsub/adapter.go IsOperationAllowed)', () => {
  const scoping = {
    pubsub: {
      publishingScopes: 'fake-app=things;other=dlq.things',
      subscriptionScopes: 'fake-app=things',
      allowedTopics: 'things,elsewhere,dlq.things',
    },
  };

  it('answers 403 ERR_PUBSUB_FORBIDDEN to a publish outside the app scopes or the allowed topics', async () => {
    const sidecar = await started({ scoping });
    const allowed = await publish(sidecar, event('a'), 'application/cloudevents+json');
    const unscoped = await publish(sidecar, event('b'), 'application/cloudevents+json', {
      path: 'pubsub/elsewhere',
    });
    const unlisted = await publish(sidecar, event('c'), 'application/cloudevents+json', {
      path: 'pubsub/random',
    });
    expect(allowed.status).toBe(204);
    for (const refused of [unscoped, unlisted]) {
      expect([refused.status, await codeOf(refused)]).toEqual([403, 'ERR_PUBSUB_FORBIDDEN']);
    }
  });

  it('refuses a subscription outside the scopes, and cannot dead-letter to a topic the app may not publish', async () => {
    const { sidecar } = await setup(
      [subscription(), subscription({ topic: 'elsewhere', routes: { default: '/elsewhere' } })],
      () => ({ status: 200, body: '{"status":"DROP"}' }),
      { scoping, daprVersion: '1.17' },
    );
    expect(sidecar.subscriptions.map((s) => s.topic)).toEqual(['things']);
    expect(sidecar.refusedSubscriptions.map((s) => s.topic)).toEqual(['elsewhere']);
    sidecar.inject('pubsub', 'things', event('dropped'));
    await sidecar.idle();
    // DROP with a dead-letter publish the scopes refuse: the policy retries the drop, then gives up.
    expect(sidecar.outcomeOf('dropped')?.result).toBe('undeliverable');
    expect(sidecar.publishedTo('dlq.things')).toEqual([]);
  });
});

describe('fake sidecar: delivery (subscription.go, postman/http/http.go)', () => {
  it('treats an empty 2xx body as SUCCESS and unknown statuses or 5xx as RETRY', async () => {
    const { sidecar } = await setup([subscription()], (_call, n) =>
      n === 1 ? { status: 200, body: '{"status":"MAYBE"}' } : n === 2 ? { status: 503 } : { status: 200 },
    );
    sidecar.inject('pubsub', 'things', event('e1'));
    await sidecar.idle();
    expect(sidecar.deliveries.map((delivery) => [delivery.httpStatus, delivery.verdicts.e1])).toEqual([
      [200, 'retry'],
      [503, 'retry'],
      [200, 'success'],
    ]);
    expect(sidecar.outcomeOf('e1')).toMatchObject({ result: 'delivered', attempts: 3 });
  });

  it('dead-letters an app 404 on daprd 1.17 and counts it as delivered on 1.16', async () => {
    for (const [version, result, dead] of [
      ['1.17', 'dead-lettered', ['missing']],
      ['1.16', 'dropped', []],
    ] as const) {
      const { sidecar } = await setup([subscription()], () => ({ status: 404 }), { daprVersion: version });
      sidecar.inject('pubsub', 'things', event('missing'));
      await sidecar.idle();
      expect(sidecar.outcomeOf('missing')).toMatchObject({ result, attempts: 1 });
      expect(sidecar.publishedTo('dlq.things').map((published) => published.cloudEvent.id)).toEqual(dead);
    }
  });

  it('sends the message metadata as headers, its callback span as traceparent, and the app API token', async () => {
    const { sidecar, calls } = await setup([subscription()], () => SUCCESS, { appApiToken: 'app-token' });
    await fetch(`${sidecar.url}/v1.0/publish/pubsub/things?metadata.tenant=acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event('h', { traceid: TRACEPARENT, traceparent: TRACEPARENT })),
    });
    await sidecar.idle();
    expect(calls[0]!.headers).toMatchObject({
      tenant: 'acme',
      pubsubname: 'pubsub',
      'dapr-api-token': 'app-token',
      'content-type': 'application/cloudevents+json',
    });
    expect(calls[0]!.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(calls[0]!.headers.traceparent).not.toBe(TRACEPARENT);
  });

  it('cancels an attempt after the policy timeout and backs off as the policy says (exponential, not a fixed 50 ms)', async () => {
    const { sidecar } = await setup(
      [subscription()],
      (_call, n) => (n === 1 ? { ...SUCCESS, delayMs: 3_000 } : n < 4 ? RETRY : SUCCESS),
      {
        retry: {
          policy: 'exponential',
          initialIntervalMs: 40,
          multiplier: 2,
          randomizationFactor: 0,
          maxRetries: 8,
          timeoutMs: 1_000,
        },
      },
    );
    sidecar.inject('pubsub', 'things', event('slow'));
    await sidecar.idle();
    expect(sidecar.deliveries[0]!.httpStatus).toBe('timeout');
    expect(sidecar.outcomeOf('slow')?.result).toBe('delivered');
    // Send times are lower bounds whatever the load: the first attempt waited for its 1 s timeout, then 40 ms;
    // every later gap is at least 40 ms x 2^n.
    const sent = sidecar.deliveries.map((delivery) => delivery.at);
    const gaps = sent.slice(1).map((at, i) => at - sent[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(1_035);
    for (const [i, gap] of gaps.slice(1).entries()) expect(gap).toBeGreaterThanOrEqual(40 * 2 ** (i + 1) - 5);
  });

  it('on 1.17 the component acknowledges an event whose retries ran out without a dead-letter topic: it is gone', async () => {
    const { sidecar } = await setup([subscription({ deadLetterTopic: '' })], () => RETRY, {
      daprVersion: '1.17',
    });
    sidecar.inject('pubsub', 'things', event('gone'));
    await sidecar.idle();
    expect(sidecar.outcomeOf('gone')).toMatchObject({ result: 'undeliverable', attempts: 3 });
    expect(sidecar.lost.map((lost) => lost.eventId)).toEqual(['gone']);
    expect(sidecar.pending('things')).toEqual([]);
  });

  it('on 1.16 it stays pending and the component redelivers it after processingTimeout', async () => {
    const { sidecar } = await setup(
      [subscription({ deadLetterTopic: '' })],
      (_call, n) => (n <= 3 ? RETRY : SUCCESS),
      {
        daprVersion: '1.16',
        component: { processingTimeoutMs: 400, redeliverIntervalMs: 50 },
      },
    );
    sidecar.inject('pubsub', 'things', event('kept'));
    await sidecar.waitFor(() => sidecar.outcomes.some((outcome) => outcome.result === 'delivered'));
    expect(sidecar.outcomes[0]).toMatchObject({ result: 'undeliverable', redelivery: 1 });
    const delivered = sidecar.outcomes.find((outcome) => outcome.result === 'delivered');
    expect(delivered!.redelivery).toBeGreaterThanOrEqual(2);
    expect(sidecar.lost).toEqual([]);
  });

  it('redelivers an entry whose time in the internal queue passed processingTimeout while it is still handled (#4599)', async () => {
    const { sidecar, calls } = await setup([subscription()], () => ({ ...SUCCESS, delayMs: 20 }), {
      component: { processingTimeoutMs: 100, redeliverIntervalMs: 30 },
      holdInQueue: (queued) => (queued.redelivery === 1 ? 120 : undefined),
    });
    sidecar.inject('pubsub', 'things', event('twice'));
    await sidecar.waitFor(() => sidecar.outcomes.length >= 2);
    await sidecar.idle();
    // The reclaimed copy and the held first read both reach the app (a loaded machine may add a third claim).
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((call) => call.body.id))).toEqual(new Set(['twice']));
    const redeliveries = new Set(sidecar.deliveries.map((delivery) => delivery.redelivery));
    expect(redeliveries.has(1) && redeliveries.has(2)).toBe(true);
    await sidecar.idle();
    expect(sidecar.pending('things')).toEqual([]);
  });

  it('retries only failed bulk entries, under entryIds daprd generates (not the event ids)', async () => {
    const { sidecar, calls } = await setup(
      [subscription({ bulkSubscribe: { enabled: true, maxMessagesCount: 3, maxAwaitDurationMs: 1000 } })],
      (call, n) => {
        const entries = call.body.entries as { entryId: string; event: { id: string } }[];
        const status = (e: { event: { id: string } }) =>
          n > 1 || e.event.id === 'a' ? 'SUCCESS' : e.event.id === 'b' ? 'DROP' : 'RETRY';
        return {
          status: 200,
          body: JSON.stringify({ statuses: entries.map((e) => ({ entryId: e.entryId, status: status(e) })) }),
        };
      },
    );
    for (const id of ['a', 'b', 'c']) sidecar.inject('pubsub', 'things', event(id));
    await sidecar.idle();
    expect(sidecar.deliveries.map((delivery) => delivery.verdicts)).toEqual([
      { a: 'success', b: 'drop', c: 'retry' },
      { c: 'success' },
    ]);
    const entryIds = (calls[0]!.body.entries as { entryId: string }[]).map((entry) => entry.entryId);
    expect(entryIds).toHaveLength(3);
    for (const entryId of entryIds) expect(entryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sidecar.publishedTo('dlq.things').map((published) => published.cloudEvent.id)).toEqual(['b']);
  });

  it('drops expired events and sends events no rule matches to the dead-letter topic', async () => {
    const { sidecar, calls } = await setup(
      [subscription({ routes: { rules: [{ match: 'event.type == "thing.happened"', path: '/things' }] } })],
      () => SUCCESS,
    );
    sidecar.inject('pubsub', 'things', event('routed'));
    sidecar.inject('pubsub', 'things', event('unrouted', { type: 'other.thing' }));
    sidecar.inject('pubsub', 'things', event('stale', { expiration: '2020-01-01T00:00:00Z' }));
    await sidecar.idle();
    expect(calls.map((call) => call.body.id)).toEqual(['routed']);
    expect(sidecar.outcomeOf('unrouted')?.result).toBe('dead-lettered');
    expect(sidecar.outcomeOf('stale')?.result).toBe('expired');
  });

  it('lets a programmatic subscription replace the declarative one for the same topic (compstore/subscriptions.go)', async () => {
    const { sidecar, calls } = await setup(
      [subscription({ routes: { default: '/programmatic' } })],
      () => SUCCESS,
      {
        declarative: [
          subscription({ routes: { default: '/declarative' } }),
          subscription({ topic: 'only-declared', routes: { default: '/declared-only' } }),
        ],
      },
    );
    expect(sidecar.subscriptions.map((s) => [s.topic, s.routes.default])).toEqual([
      ['things', '/programmatic'],
      ['only-declared', '/declared-only'],
    ]);
    sidecar.inject('pubsub', 'things', event('p'));
    await sidecar.idle();
    expect(calls.map((call) => call.path)).toEqual(['/programmatic']);
  });
});

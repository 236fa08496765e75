/**
 * What `eventwire init` writes: one example contract, the config, the npm scripts and a tsconfig under which the
 * generated code type-checks. Built as data and serialized (YAML, JSON), never pasted together as text.
 */
import { stringify } from 'yaml';

/** The example service: it publishes `hello.greeting.sent` and consumes it itself, so the topology is closed. */
export const EXAMPLE_SERVICE = 'hello';

export function exampleContract(): string {
  const contract = {
    asyncapi: '3.0.0',
    info: {
      title: 'Hello service events',
      version: '1.0.0',
      description: 'An example contract written by `eventwire init`: rename it, or replace it with your own.',
      'x-eventwire-service': { name: EXAMPLE_SERVICE },
    },
    defaultContentType: 'application/json',
    servers: {
      pubsub: {
        host: 'localhost:6379',
        protocol: 'redis',
        description: 'Redis Streams, directly or as the Dapr pub/sub component `pubsub`.',
        'x-eventwire-pubsub': { name: 'pubsub' },
      },
    },
    channels: {
      greetingSent: {
        address: 'hello.greeting.sent',
        messages: { HelloGreetingSent: { $ref: '#/components/messages/HelloGreetingSent' } },
      },
    },
    operations: {
      publishGreetingSent: {
        action: 'send',
        channel: { $ref: '#/channels/greetingSent' },
        summary: 'Announce a greeting.',
      },
      onGreetingSent: {
        action: 'receive',
        channel: { $ref: '#/channels/greetingSent' },
        summary: 'Record a greeting.',
        'x-eventwire-subscription': { name: 'greeting-sent' },
        'x-eventwire-retry': { maxRetries: 3, backoff: 'exponential', initialInterval: '1s' },
        'x-eventwire-dead-letter': { address: 'dlq.greeting-sent' },
        'x-eventwire-idempotency': { key: '$message.header#/event_id', store: 'redis', ttl: '24h' },
      },
    },
    components: {
      messages: {
        HelloGreetingSent: {
          name: 'hello.greeting.sent',
          title: 'Greeting sent',
          contentType: 'application/json',
          payload: {
            type: 'object',
            additionalProperties: false,
            required: ['greeting_id', 'name', 'sent_at'],
            properties: {
              greeting_id: { type: 'string', minLength: 1, maxLength: 64 },
              name: { type: 'string', minLength: 1, maxLength: 200 },
              sent_at: { type: 'string', format: 'date-time' },
            },
          },
          examples: [
            { name: 'first', payload: { greeting_id: 'g-1', name: 'Ada', sent_at: '2026-01-30T09:00:00Z' } },
          ],
        },
      },
    },
  };
  return stringify(contract, { lineWidth: 110 });
}

export function exampleConfig(): string {
  return json({ check: { ignore: [] } });
}

/** The npm scripts `init` adds: the two commands of the README work in the new project as they do here. */
export const NPM_SCRIPTS: Readonly<Record<string, string>> = {
  generate: 'eventwire generate',
  test: 'eventwire check && eventwire generate --check',
};

export function packageJson(name: string): string {
  return json({ name, version: '0.1.0', private: true, type: 'module', scripts: NPM_SCRIPTS });
}

/**
 * Generated code imports its siblings as `./types.ts` (it runs under Node's type stripping as written):
 * `rewriteRelativeImportExtensions` lets tsc check it, and emit it as `.js` when the project builds. The k6
 * scripts under generated/loadtest (and the k6 library beside them) type-check here too, against k6's types:
 * the project installs `@types/k6` (loadtest/README.md), as `init` says.
 */
export function tsconfigJson(): string {
  return json({
    compilerOptions: {
      target: 'ES2024',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      rewriteRelativeImportExtensions: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['generated', 'src'],
  });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Value-level checks of the generated Dapr files: every component metadata value in the form its component
 * parses (metadata-parsing.ts, read from components-contrib), every resiliency duration a Go duration and every
 * retry count an integer. The CRD schemas only say "string"; these say whether Dapr reads the value at all.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitDapr, repoRoot } from './__fixtures__/emit.ts';
import { type Doc, docs } from './__fixtures__/parse.ts';
import { platformModel } from './__fixtures__/platform.ts';
import { METADATA_PARSING, parsesAs } from './metadata-parsing.ts';

async function generatedFile(path: string): Promise<string> {
  return readFile(join(repoRoot, 'generated', path), 'utf8');
}

function metadataProblems(component: Doc): string[] {
  const table = METADATA_PARSING[component.spec.type as keyof typeof METADATA_PARSING];
  if (!table) return [`${component.spec.type}: no parsing table`];
  return component.spec.metadata.flatMap((item: Doc) => {
    const key = table[item.name];
    if (!key) return [`${item.name}: not in the parsing table of ${component.spec.type}`];
    if (!('value' in item)) return [];
    return parsesAs(key.parse, item.value)
      ? []
      : [`${item.name}: '${item.value}' is not read as ${key.parse} (${key.source})`];
  });
}

const GO_DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

describe('generated Dapr metadata parses the way each component reads it', async () => {
  const fixture = await emitDapr(platformModel());
  const sources = {
    fixture: (path: string) => fixture.get(path)?.contents,
    'generated/': (path: string) => generatedFile(path).catch(() => undefined),
  };

  for (const [label, read] of Object.entries(sources)) {
    it(`${label}: component metadata values`, async () => {
      const files = [await read('dapr/pubsub-redis.yaml'), await read('dapr/pubsub-rabbitmq.yaml')];
      // generated/ has no RabbitMQ component: no contract uses Dapr over RabbitMQ.
      const components = files.flatMap((contents) => (contents === undefined ? [] : docs(contents)));
      expect(components.length).toBeGreaterThan(0);
      for (const component of components)
        expect(metadataProblems(component), component.metadata.name).toEqual([]);
    });

    it(`${label}: resiliency durations and retry counts`, async () => {
      for (const resiliency of docs(await read('dapr/resiliency.yaml'))) {
        const { timeouts = {}, retries = {}, circuitBreakers = {} } = resiliency.spec.policies;
        for (const value of Object.values(timeouts)) expect(value).toMatch(GO_DURATION);
        for (const retry of Object.values(retries) as Doc[]) {
          expect(Number.isInteger(retry.maxRetries)).toBe(true);
          for (const field of ['duration', 'maxInterval'])
            if (field in retry) expect(retry[field]).toMatch(GO_DURATION);
        }
        for (const breaker of Object.values(circuitBreakers) as Doc[]) {
          expect(breaker.interval).toMatch(GO_DURATION);
          expect(breaker.timeout).toMatch(GO_DURATION);
        }
      }
    });
  }

  it('knows what Dapr would silently ignore', () => {
    // pubsub.redis reads redeliverInterval with ParseUint only: `15s` leaves Dapr's default in place.
    expect(parsesAs('milliseconds-only', '15s')).toBe(false);
    expect(parsesAs('milliseconds-only', '15000')).toBe(true);
    expect(parsesAs('duration-ms-or-go', '150s')).toBe(true);
    expect(parsesAs('uint8', '256')).toBe(false);
    expect(parsesAs('bool', 'yes')).toBe(false);
    expect(parsesAs('truthy', 'True')).toBe(false);
    expect(
      metadataProblems({
        spec: { type: 'pubsub.redis', metadata: [{ name: 'redeliverInterval', value: '15s' }] },
      }),
    ).toEqual([
      `redeliverInterval: '15s' is not read as milliseconds-only (${METADATA_PARSING['pubsub.redis'].redeliverInterval!.source})`,
    ]);
  });
});

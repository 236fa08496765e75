import { describe, expect, it } from 'vitest';
import { daprAnnotations } from './annotations.ts';
import { emitDapr } from './__fixtures__/emit.ts';
import { docs } from './__fixtures__/parse.ts';
import { platformModel } from './__fixtures__/platform.ts';
import { daprAnnotationsPlugin } from './index.ts';

describe('annotations.yaml', async () => {
  const model = platformModel();
  const files = await emitDapr(model);

  it('patches the worker Deployment (named after the app id) with the sidecar annotations, all strings', () => {
    const [patch] = docs(files.get('catalog/dapr/annotations.yaml')?.contents);
    expect(patch).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'catalog-worker' },
      spec: {
        template: {
          metadata: {
            annotations: {
              'dapr.io/enabled': 'true',
              'dapr.io/app-id': 'catalog-worker',
              'dapr.io/app-port': '8080',
              'dapr.io/app-protocol': 'http',
            },
          },
        },
      },
    });
  });

  it('takes protocol and port from the contract (common-operations speaks gRPC on 5005)', () => {
    const [patch] = docs(files.get('common-operations/dapr/annotations.yaml')?.contents);
    expect(patch.spec.template.metadata.annotations).toMatchObject({
      'dapr.io/app-protocol': 'grpc',
      'dapr.io/app-port': '5005',
    });
  });

  it('annotates every service that publishes or subscribes through Dapr, and no other', () => {
    const annotated = [...files.keys()]
      .filter((p) => p.endsWith('/annotations.yaml'))
      .map((p) => p.split('/')[0]);
    expect(annotated.sort()).toEqual([
      'catalog',
      'common-operations',
      'notification',
      'order',
      'pricing',
      'search',
      'warehouse',
    ]);
  });

  it('attaches a Dapr Configuration when one is named', async () => {
    const [file] = await daprAnnotationsPlugin({ configuration: 'tracing' }).emit(model, {
      outDir: 'generated',
    });
    expect(docs(file?.contents)[0].spec.template.metadata.annotations['dapr.io/config']).toBe('tracing');
    const [service] = model.services;
    if (!service) throw new Error('fixture has services');
    expect(daprAnnotations(service)).not.toHaveProperty('dapr.io/config');
  });
});

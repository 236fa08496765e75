/**
 * `<service>/dapr/annotations.yaml`: the pod annotations that make the Dapr sidecar injector attach a sidecar to the
 * service's worker, as a strategic-merge patch for its Deployment (`kubectl patch --patch-file`, or a kustomize
 * `patches:` entry: it names its target by apiVersion, kind and metadata.name = the app id).
 */
import type { Service } from '../../model/types.ts';
import type { Resource } from './yaml-out.ts';

export interface AnnotationOptions {
  /** Name of a Dapr `Configuration` resource (tracing, metrics, mTLS) to attach with `dapr.io/config`. */
  readonly configuration?: string;
}

/** Annotation values must be strings: Kubernetes rejects `dapr.io/app-port: 8080`. */
export function daprAnnotations(service: Service, options: AnnotationOptions = {}): Record<string, string> {
  return {
    'dapr.io/enabled': 'true',
    'dapr.io/app-id': service.appId,
    'dapr.io/app-port': String(service.appPort),
    'dapr.io/app-protocol': service.appProtocol,
    ...(options.configuration ? { 'dapr.io/config': options.configuration } : {}),
  };
}

export function deploymentPatch(service: Service, options: AnnotationOptions = {}): Resource {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.appId },
    spec: { template: { metadata: { annotations: daprAnnotations(service, options) } } },
  };
}

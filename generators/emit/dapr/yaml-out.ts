/**
 * Renders Kubernetes resources as YAML. Documents are built from plain objects with the `yaml` package (never by
 * pasting strings), sorted by name so output is byte-identical for the same model, and separated with `---` so
 * `kubectl apply -f` reads them as one stream.
 */
import { Document } from 'yaml';
import { memo } from '../../pipeline/memo.ts';

export interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface RenderedResource {
  readonly resource: Resource;
  /** Printed as `#` lines above the document: operator notes such as which secret to create. */
  readonly comment?: string;
}

const byName = (a: RenderedResource, b: RenderedResource): number => {
  const [x, y] = [a.resource.metadata.name, b.resource.metadata.name];
  return x < y ? -1 : x > y ? 1 : 0;
};

export function renderResources(resources: readonly RenderedResource[]): string {
  return [...resources].sort(byName).map(renderedDocument).join('---\n');
}

/**
 * Rendered documents go through the memo, by their data: YAML printing is most of what the Dapr emitters cost,
 * and a `--watch` run asks again for the documents of every service the edit did not touch.
 */
function renderedDocument(document: RenderedResource): string {
  return memo('dapr-yaml', { resource: document.resource, comment: document.comment ?? null }, printDocument);
}

function printDocument({ resource, comment }: { resource: Resource; comment: string | null }): string {
  const doc = new Document(resource);
  if (comment) doc.commentBefore = comment.replace(/^/gm, ' ');
  return doc.toString({ lineWidth: 0 });
}

/** Dapr reads every component metadata value as a string; quoting them avoids YAML turning `"true"` into a boolean. */
export function metadataItems(values: Readonly<Record<string, string | number | boolean | undefined>>) {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => ({ name, value: String(value) }));
}

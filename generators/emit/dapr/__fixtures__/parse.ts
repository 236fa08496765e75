/** Reads a generated multi-document YAML file back into plain objects. */
import { parseAllDocuments } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: tests walk generated documents freely.
export type Doc = any;

export function docs(contents: string | undefined): Doc[] {
  if (contents === undefined) throw new Error('file was not generated');
  return parseAllDocuments(contents).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
    return doc.toJS();
  });
}

/** `app1=t1,t2;app2=` -> Map(app -> topics). */
export function scopeMap(value: string): Map<string, string[]> {
  return new Map(
    value.split(';').map((entry) => {
      const [app = '', topics = ''] = entry.split('=');
      return [app, topics === '' ? [] : topics.split(',')];
    }),
  );
}

export function metadataValue(component: Doc, name: string): Doc {
  return component.spec.metadata.find((item: Doc) => item.name === name);
}
